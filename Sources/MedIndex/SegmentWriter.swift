import Foundation
import MedAnalysis
import MedDocument

/// Serialises analyzed documents into one segment's four files (FORMAT.md §5–§8). The caller
/// commits them by writing a manifest that names the segment.
enum SegmentWriter {
    /// Terms per front-coded block of the term dictionary.
    static let termsPerBlock = 32
    /// Documents per postings block.
    static let docsPerBlock = 128

    /// Documents analyzed (in parallel) and folded into the postings per batch, so at most one
    /// batch's analyses are alive at a time.
    static let analysisBatch = 1024

    /// Analyzes `documents` and writes `<name>.terms/.postings/.docs/.store` into `folder`
    /// (each via a temporary file, fsynced and renamed); returns the manifest entry.
    static func write(
        documents: [IndexedDocument],
        analyzer: Analyzer,
        threads: Int,
        name: String,
        into folder: URL
    ) throws(IndexError) -> Manifest.SegmentInfo {
        var accumulator = PostingsAccumulator()
        var store = ByteWriter(capacity: 1 << 16)
        FileFraming.writeHeader(.store, version: FormatVersion.current, into: &store)
        var records = ByteWriter(capacity: documents.count * DocumentRecord.size)
        var totals: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var start = 0
        while start < documents.count {
            let batch = Array(documents[start..<min(documents.count, start + analysisBatch)])
            for (document, analysis) in zip(batch, IndexWriter.analyze(batch, analyzer: analyzer, threads: threads)) {
                accumulator.add(analysis)
                totals.0 += UInt64(analysis.fieldLengths.0)
                totals.1 += UInt64(analysis.fieldLengths.1)
                totals.2 += UInt64(analysis.fieldLengths.2)
                let storeOffset = store.count - FileFraming.headerSize
                writeStoredDocument(document, analysis: analysis, into: &store)
                records.writeUInt32(analysis.fieldLengths.0)
                records.writeUInt32(analysis.fieldLengths.1)
                records.writeUInt32(analysis.fieldLengths.2)
                records.writeUInt32(analysis.titleEnd)
                records.writeUInt64(UInt64(storeOffset))
                records.writeUInt32(UInt32(store.count - FileFraming.headerSize - storeOffset))
                records.writeUInt32(0)  // reserved (flags)
                records.writeUInt64(document.source.size)
                records.writeInt64(document.source.modificationTime)
                records.writeUInt64(document.source.contentHash)
            }
            start += batch.count
        }
        FileFraming.writeFooter(into: &store)
        var documentsFile = ByteWriter(capacity: 64 + records.count)
        FileFraming.writeHeader(.documents, version: FormatVersion.current, into: &documentsFile)
        documentsFile.writeUInt32(UInt32(documents.count))
        documentsFile.writeUInt64(totals.0)
        documentsFile.writeUInt64(totals.1)
        documentsFile.writeUInt64(totals.2)
        documentsFile.writeBytes(records.bytes)
        FileFraming.writeFooter(into: &documentsFile)

        // Postings and positions, term by term in dictionary order.
        var postingsFile = ByteWriter(capacity: 1 << 16)
        FileFraming.writeHeader(.postings, version: FormatVersion.current, into: &postingsFile)
        let sortedTerms = accumulator.sortedTerms
        var termEntries: [(term: String, docFreq: Int, offset: Int, length: Int)] = []
        termEntries.reserveCapacity(sortedTerms.count)
        for term in sortedTerms {
            let postings = accumulator.terms[term]!
            let offset = postingsFile.count - FileFraming.headerSize
            writePostingList(postings, fieldLengths: accumulator.fieldLengths, into: &postingsFile)
            termEntries.append((term, postings.docs.count, offset, postingsFile.count - FileFraming.headerSize - offset))
        }
        FileFraming.writeFooter(into: &postingsFile)
        let termsFile = termDictionary(termEntries)

        var files: [String: Manifest.FileInfo] = [:]
        for (kind, writer) in [(FileKind.terms, termsFile), (.postings, postingsFile), (.documents, documentsFile), (.store, store)] {
            let url = folder.appendingPathComponent("\(name).\(kind.fileExtension)")
            try AtomicFile.write(writer.bytes, to: url)
            let crc = UInt32(littleEndian: writer.bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: writer.count - 8, as: UInt32.self) })
            files[kind.fileExtension] = Manifest.FileInfo(bytes: writer.count, crc32c: crc)
        }
        return Manifest.SegmentInfo(name: name, documents: documents.count, files: files)
    }

    /// One term's postings: a skip table with one entry per block of 128 documents, then the
    /// blocks (documents and frequencies, then positions). FORMAT.md §6.
    private static func writePostingList(
        _ postings: PostingsAccumulator.Postings,
        fieldLengths: [(UInt32, UInt32, UInt32)],
        into out: inout ByteWriter
    ) {
        let count = postings.docs.count
        let blockCount = (count + docsPerBlock - 1) / docsPerBlock
        out.writeVarint(blockCount)
        var blocks: [(skip: ByteWriter, body: ByteWriter)] = []
        var previousLast: UInt32 = 0
        for b in 0..<blockCount {
            var docs = ByteWriter()
            var positions = ByteWriter()
            var previousDoc = previousLast
            var maxTf: (UInt32, UInt32, UInt32) = (0, 0, 0)
            var minLength: (UInt32, UInt32, UInt32) = (.max, .max, .max)
            for i in (b * docsPerBlock)..<min(count, (b + 1) * docsPerBlock) {
                let doc = postings.docs[i]
                docs.writeVarint(UInt64(doc - previousDoc))
                previousDoc = doc
                let tf = (postings.tfs[3 * i], postings.tfs[3 * i + 1], postings.tfs[3 * i + 2])
                let code = UInt64(tf.2) << 2 | (tf.0 > 0 ? 2 : 0) | (tf.1 > 0 ? 1 : 0)
                docs.writeVarint(code)
                if tf.0 > 0 { docs.writeVarint(UInt64(tf.0)) }
                if tf.1 > 0 { docs.writeVarint(UInt64(tf.1)) }
                positions.writeBytes(postings.positions[(i == 0 ? 0 : postings.positionEnds[i - 1])..<postings.positionEnds[i]])
                maxTf = (max(maxTf.0, tf.0), max(maxTf.1, tf.1), max(maxTf.2, tf.2))
                let lengths = fieldLengths[Int(doc)]
                minLength = (min(minLength.0, lengths.0), min(minLength.1, lengths.1), min(minLength.2, lengths.2))
            }
            var skip = ByteWriter()
            skip.writeVarint(UInt64(previousDoc - previousLast))
            skip.writeVarint(docs.count)
            skip.writeVarint(positions.count)
            for value in [maxTf.0, maxTf.1, maxTf.2, minLength.0, minLength.1, minLength.2] { skip.writeVarint(UInt64(value)) }
            var body = docs
            body.writeBytes(positions.bytes)
            blocks.append((skip, body))
            previousLast = previousDoc
        }
        for block in blocks { out.writeBytes(block.skip.bytes) }
        for block in blocks { out.writeBytes(block.body.bytes) }
    }

    /// The term dictionary: blocks of 32 front-coded entries, then the block index (each block's
    /// offset and first term), then the term count and the block index offset. FORMAT.md §5.
    private static func termDictionary(_ entries: [(term: String, docFreq: Int, offset: Int, length: Int)]) -> ByteWriter {
        var out = ByteWriter(capacity: entries.count * 16)
        FileFraming.writeHeader(.terms, version: FormatVersion.current, into: &out)
        var blockIndex: [(offset: Int, first: [UInt8])] = []
        var previous: [UInt8] = []
        for (k, entry) in entries.enumerated() {
            let term = Array(entry.term.utf8)
            if k % termsPerBlock == 0 {
                blockIndex.append((out.count - FileFraming.headerSize, term))
                previous = []
            }
            var shared = 0
            while shared < min(previous.count, term.count), previous[shared] == term[shared] { shared += 1 }
            out.writeVarint(shared)
            out.writeVarint(term.count - shared)
            out.writeBytes(term[shared...])
            out.writeVarint(entry.docFreq)
            out.writeVarint(entry.offset)
            out.writeVarint(entry.length)
            previous = term
        }
        let indexOffset = out.count - FileFraming.headerSize
        out.writeUInt32(UInt32(blockIndex.count))
        for block in blockIndex {
            out.writeUInt32(UInt32(block.offset))
            out.writeVarint(block.first.count)
            out.writeBytes(block.first)
        }
        out.writeUInt32(UInt32(entries.count))
        out.writeUInt32(UInt32(indexOffset))
        FileFraming.writeFooter(into: &out)
        return out
    }

    private static func writeStoredDocument(_ document: IndexedDocument, analysis: AnalyzedDocument, into out: inout ByteWriter) {
        let article = document.article
        out.writeString(document.source.path)
        out.writeString(article.title)
        out.writeString(article.description ?? "")
        out.writeString(article.url ?? "")
        out.writeString(article.language ?? "")
        out.writeVarint(article.sections.count)
        for (s, section) in article.sections.enumerated() {
            out.writeString(section.heading)
            out.writeUInt8(UInt8(clamping: section.level))
            out.writeVarint(section.path.count)
            for component in section.path { out.writeString(component) }
            out.writeVarint(Int(analysis.headingRanges[s].start))
            out.writeVarint(Int(analysis.headingRanges[s].end))
            out.writeVarint(section.passages.count)
            for (p, passage) in section.passages.enumerated() {
                out.writeUInt8(passage.kind.rawValue)
                out.writeVarint(Int(analysis.passageRanges[s][p].start))
                out.writeVarint(Int(analysis.passageRanges[s][p].end))
                out.writeString(passage.text)
            }
        }
    }
}

/// A document table record's layout (FORMAT.md §7).
enum DocumentRecord {
    static let size = 56
    /// Where the records start in the DOCS body: count (4) + three u64 totals (24).
    static let tableStart = 28
}

/// Writes a file so that it is either absent or complete: a temporary name in the same folder,
/// fsync, rename. (The folder itself is fsynced by the commit.)
enum AtomicFile {
    static func write(_ bytes: [UInt8], to url: URL) throws(IndexError) {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: temporary.path, reason: String(cString: strerror(errno))) }
        var written = 0
        let failure: String? = bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let result = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                written += result
            }
            return fsync(fd) == 0 ? nil : String(cString: strerror(errno))
        }
        close(fd)
        if let failure {
            unlink(temporary.path)
            throw .io(path: url.path, reason: "write failed: \(failure)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw .io(path: url.path, reason: "rename failed: \(reason)")
        }
    }

    /// fsyncs a folder so renames inside it are durable. A failure is an error: a commit whose
    /// rename may not survive a crash must not be reported as done (EINVAL, a filesystem that
    /// cannot sync folders at all, is let through).
    static func syncFolder(_ url: URL) throws(IndexError) {
        let fd = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: url.path, reason: "cannot open the folder to sync it: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        if fsync(fd) != 0, errno != EINVAL {
            throw .io(path: url.path, reason: "fsync of the folder failed: \(String(cString: strerror(errno)))")
        }
    }
}
