public import Foundation
public import MedAnalysis

/// An open index: the manifest of one commit and its segments, memory-mapped. Immutable and
/// `Sendable`; a reader keeps seeing the commit it opened even while a writer commits a newer one
/// (files are never changed in place, and removed files stay readable while mapped).
public final class IndexReader: @unchecked Sendable {
    public let folder: URL
    public let manifest: Manifest
    /// The analyzer the index was built with (queries must use it).
    public let analyzer: Analyzer
    public let segments: [SegmentReader]
    /// The global id of each segment's first document.
    public let documentBases: [Int]
    /// Live (not deleted) documents: the collection size BM25 counts.
    public let documentCount: Int
    /// One past the largest global document id (deleted documents keep their ids until their
    /// segment is merged away).
    public let maxDocument: Int
    /// Whether any document is deleted.
    public let hasDeletions: Bool
    /// Summed field lengths over the live documents (title, heading, body), so scores after
    /// deletions equal those of an index rebuilt without the deleted documents.
    public let fieldTotals: (title: UInt64, heading: UInt64, body: UInt64)

    /// Opens the index in `folder`.
    /// - Parameter customStopWords: the stopword list, if the index was built with a custom one.
    /// - Throws: ``IndexError`` naming the damaged or missing file.
    public init(at folder: URL, customStopWords: StopWords? = nil) throws(IndexError) {
        self.folder = folder
        let (manifest, opened) = try Self.openCommit(folder)
        self.manifest = manifest
        do {
            analyzer = try Analyzer(descriptor: manifest.analyzer, customStopWords: customStopWords)
        } catch {
            throw .analyzerMismatch(path: folder.path, reason: error.description)
        }
        var bases: [Int] = []
        var total = 0
        var live = 0
        var totals: (UInt64, UInt64, UInt64) = (0, 0, 0)
        for segment in opened {
            bases.append(total)
            total += segment.documentCount
            live += segment.liveCount
            totals.0 += segment.fieldTotals.0
            totals.1 += segment.fieldTotals.1
            totals.2 += segment.fieldTotals.2
            if segment.deletions != nil {
                for doc in 0..<segment.documentCount where segment.isDeleted(doc) {
                    let lengths = segment.fieldLengths(doc)
                    totals.0 -= min(totals.0, UInt64(lengths.title))
                    totals.1 -= min(totals.1, UInt64(lengths.heading))
                    totals.2 -= min(totals.2, UInt64(lengths.body))
                }
            }
        }
        segments = opened
        documentBases = bases
        maxDocument = total
        documentCount = live
        hasDeletions = live != total
        fieldTotals = totals
    }

    /// Whether global document `doc` is deleted.
    public func isDeleted(_ doc: Int) -> Bool {
        guard hasDeletions else { return false }
        let (segment, local) = locate(doc)
        return segment.isDeleted(local)
    }

    /// The live documents' global ids, ascending.
    public var liveDocuments: [Int] {
        zip(segments, documentBases).flatMap { segment, base in
            (0..<segment.documentCount).lazy.filter { !segment.isDeleted($0) }.map { base + $0 }
        }
    }

    /// Calls `body` with every live document's global id, path and statistics, from the document
    /// tables alone (no stored text is read).
    public func forEachDocument(_ body: (Int, String, DocumentStats) throws(IndexError) -> Void) throws(IndexError) {
        for (k, segment) in segments.enumerated() {
            for local in 0..<segment.documentCount where !segment.isDeleted(local) {
                try body(documentBases[k] + local, try segment.path(local), try segment.documentStats(local))
            }
        }
    }

    /// Loads the manifest and opens its segments. A writer deletes the previous commit's files
    /// right after replacing the manifest, so a reader that loaded the old manifest just before
    /// can find them gone: when opening fails and the manifest has changed meanwhile, it opens
    /// the new commit instead (a failure with an unchanged manifest is real damage).
    private static func openCommit(_ folder: URL) throws(IndexError) -> (Manifest, [SegmentReader]) {
        var manifest = try Manifest.load(from: folder)
        var attempts = 0
        while true {
            do {
                var segments: [SegmentReader] = []
                for info in manifest.segments { segments.append(try SegmentReader(folder: folder, info: info)) }
                return (manifest, segments)
            } catch {
                attempts += 1
                guard attempts < 100, let current = try? Manifest.load(from: folder), current != manifest else { throw error }
                manifest = current
            }
        }
    }

    /// Whether `folder` holds a committed index.
    public static func exists(at folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(Manifest.fileName).path)
    }

    /// The segment holding global document `doc`, and the local id.
    public func locate(_ doc: Int) -> (segment: SegmentReader, local: Int) {
        var index = segments.count - 1
        while index > 0, documentBases[index] > doc { index -= 1 }
        return (segments[index], doc - documentBases[index])
    }

    public func storedDocument(_ doc: Int) throws(IndexError) -> StoredDocument {
        let (segment, local) = locate(doc)
        return try segment.storedDocument(local)
    }

    public func documentStats(_ doc: Int) throws(IndexError) -> DocumentStats {
        let (segment, local) = locate(doc)
        return try segment.documentStats(local)
    }

    /// The number of documents containing `term`, over all segments.
    public func documentFrequency(_ term: String) throws(IndexError) -> Int {
        var total = 0
        for segment in segments {
            guard let info = try segment.termInfo(term) else { continue }
            if segment.deletions == nil {
                total += info.docFreq
            } else {
                total += try segment.postings(info, withPositions: false).docs.reduce(0) { $0 + (segment.isDeleted(Int($1)) ? 0 : 1) }
            }
        }
        return total
    }

    /// A document's field lengths (title, heading, body); allocation-free, for scoring.
    @inline(__always)
    public func fieldLengths(_ doc: Int) -> (title: UInt32, heading: UInt32, body: UInt32) {
        if segments.count == 1 { return segments[0].fieldLengths(doc) }
        let (segment, local) = locate(doc)
        return segment.fieldLengths(local)
    }

    /// A document's title end and heading position ranges, without decoding its text.
    public func fieldLayout(_ doc: Int) throws(IndexError) -> (titleEnd: UInt32, headings: [PositionRange]) {
        let (segment, local) = locate(doc)
        return try segment.fieldLayout(local)
    }

    /// A term's postings over all segments, with global document ids and without deleted
    /// documents; nil if absent.
    public func postings(_ term: String, withPositions: Bool = true) throws(IndexError) -> PostingList? {
        var parts: [(base: UInt32, list: PostingList)] = []
        for (k, segment) in segments.enumerated() {
            guard let info = try segment.termInfo(term) else { continue }
            var list = try segment.postings(info, withPositions: withPositions)
            if let deletions = segment.deletions { list = list.removing(deletions) }
            if !list.docs.isEmpty { parts.append((UInt32(documentBases[k]), list)) }
        }
        guard parts.count > 1 else {
            guard var only = parts.first?.list else { return nil }
            if let base = parts.first?.base, base > 0 { only.rebase(by: base) }
            return only
        }
        // Several segments: one allocation per column, ids shifted by each segment's base.
        var result = PostingList(withPositions: withPositions)
        let count = parts.reduce(0) { $0 + $1.list.count }
        result.docs.reserveCapacity(count)
        result.titleTf.reserveCapacity(count)
        result.headingTf.reserveCapacity(count)
        result.bodyTf.reserveCapacity(count)
        result.blocks.reserveCapacity(parts.reduce(0) { $0 + $1.list.blocks.count })
        if withPositions {
            result.positions.reserveCapacity(parts.reduce(0) { $0 + $1.list.positions.count })
            result.positionStarts.reserveCapacity(count + 1)
        }
        for (base, list) in parts {
            let positionBase = result.positions.count
            for doc in list.docs { result.docs.append(doc + base) }
            result.titleTf.append(contentsOf: list.titleTf)
            result.headingTf.append(contentsOf: list.headingTf)
            result.bodyTf.append(contentsOf: list.bodyTf)
            if withPositions {
                result.positions.append(contentsOf: list.positions)
                for start in list.positionStarts.dropFirst() { result.positionStarts.append(start + positionBase) }
            }
            for var block in list.blocks {
                block.lastDocument += base
                result.blocks.append(block)
            }
        }
        return result
    }

    /// Terms starting with `prefix` (deduplicated over segments, sorted), at most `limit`.
    public func terms(withPrefix prefix: String, limit: Int = .max) throws(IndexError) -> [String] {
        var result = Set<String>()
        for segment in segments {
            try segment.forEachTerm(withPrefix: prefix) { term, _ in
                result.insert(term)
                return result.count < limit
            }
        }
        return result.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.prefix(limit).map { $0 }
    }

    /// Every term with its document frequency (for suggestions): calls `body` in term order per segment.
    public func forEachTerm(withPrefix prefix: String = "", _ body: (String, Int) -> Void) throws(IndexError) {
        for segment in segments {
            try segment.forEachTerm(withPrefix: prefix) { term, info in
                body(term, info.docFreq)
                return true
            }
        }
    }

    /// Distinct terms over the segments' dictionaries (a term only deleted documents hold counts
    /// until its segment is merged away). Enumerates the dictionaries when there are several.
    public func distinctTermCount() throws(IndexError) -> Int {
        guard segments.count > 1 else { return segments.first?.termCount ?? 0 }
        var terms = Set<String>()
        try forEachTerm { term, _ in terms.insert(term) }
        return terms.count
    }

    /// Verifies every file's checksum and that every stored document decodes.
    public func check() throws(IndexError) -> CheckReport {
        var report = CheckReport()
        report.terms = try distinctTermCount()
        for (segment, info) in zip(segments, manifest.segments) {
            try segment.verifyChecksums(against: info)
            for (_, file) in segment.files {
                report.files += 1
                report.bytes += file.bytes.count
            }
            if let deletions = info.deletions {  // verified whole when the segment was opened
                report.files += 1
                report.bytes += deletions.bytes
            }
            for doc in 0..<segment.documentCount where !segment.isDeleted(doc) {
                let stored = try segment.storedDocument(doc)
                report.passages += stored.article.passageCount
            }
            var terms: [TermInfo] = []
            try segment.forEachTerm(withPrefix: "") { _, info in
                terms.append(info)
                return true
            }
            // Every posting list decodes (its own checksum included).
            for info in terms { _ = try segment.postings(info, withPositions: true) }
            report.documents += segment.liveCount
        }
        return report
    }

    /// Per-file sizes, for `medsearch stats`.
    public var fileSizes: [(name: String, bytes: Int)] {
        zip(segments, manifest.segments).flatMap { segment, info in
            segment.files.map { ("\(segment.name).\($0.kind.fileExtension)", $0.file.bytes.count) }
                + (info.deletions.map { [($0.fileName(segment: info.name), $0.bytes)] } ?? [])
        }
    }
}

/// What `check` verified.
public struct CheckReport: Sendable, Hashable {
    public var files = 0
    public var bytes = 0
    public var documents = 0
    public var passages = 0
    public var terms = 0
}
