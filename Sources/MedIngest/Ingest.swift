public import Foundation
public import MedAnalysis
import MedDocument
public import MedExtract
public import MedIndex
import Dispatch

/// How a corpus is read.
public enum CorpusFormat: String, Sendable, CaseIterable {
    /// A folder of HTML pages (walked recursively).
    case html
    /// A JSON Lines file of `{"id", "title", "text"}` objects.
    case jsonl
}

/// Settings for one ``Ingest/run(index:options:analyzer:progress:)``.
public struct IngestOptions: Sendable {
    public var corpus: URL
    public var format: CorpusFormat
    public var extraction: ExtractionOptions
    public var walker: CorpusWalker
    /// Re-extract everything and write a fresh index.
    public var rebuild: Bool
    public var threads: Int
    /// Bytes of indexing buffers after which a segment is written out (``IndexWriter/memoryBudget``).
    public var memoryBudget: Int
    /// Segments of similar size merged together (``IndexWriter/mergeFactor``).
    public var mergeFactor = 10

    public init(
        corpus: URL,
        format: CorpusFormat = .html,
        extraction: ExtractionOptions = ExtractionOptions(),
        walker: CorpusWalker = CorpusWalker(),
        rebuild: Bool = false,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        memoryBudget: Int = IndexWriter.defaultMemoryBudget
    ) {
        self.memoryBudget = memoryBudget
        self.corpus = corpus
        self.format = format
        self.extraction = extraction
        self.walker = walker
        self.rebuild = rebuild
        self.threads = threads
    }
}

/// Progress while ingesting, for a progress line.
public struct IngestProgress: Sendable {
    public enum Stage: String, Sendable {
        case scanning, extracting, indexing, committing
    }
    public var stage: Stage
    public var filesDone: Int
    public var filesTotal: Int
    public var bytesDone: Int
}

/// What an ingest run did.
public struct IngestReport: Sendable {
    public var added = 0
    public var updated = 0
    public var deleted = 0
    public var unchanged = 0
    /// Files that produced no document, with the reason.
    public var skipped: [(path: String, reason: String)] = []
    /// Problems that did not stop the run (unreadable folders, ...).
    public var warnings: [String] = []
    public var documents = 0
    /// Whether a new commit was written (false when nothing changed).
    public var committed = false
    public var generation = 0
    public var bytesRead = 0
    /// Passages dropped as corpus-level boilerplate (``CorpusBoilerplate``) in this commit,
    /// counting pages carried over that were cleaned again.
    public var boilerplatePassages = 0
    /// The first of those passages (up to about 100), with their page, for `--verbose`.
    public var boilerplateSamples: [(path: String, text: String)] = []
    /// Every page was extracted again because the index was built by other extraction rules or
    /// options (``ArticleExtractor/descriptor``).
    public var reextracted = false
    /// Segments in the index after the run, and the merges the run made.
    public var segments = 0
    public var merges = 0
    var _metadataChanged = false
}

/// Why an ingest run stopped; nothing already committed is touched.
public enum IngestError: Error, Sendable, CustomStringConvertible {
    case corpus(CorpusError)
    case index(IndexError)
    case jsonl(path: String, line: Int, message: String)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .corpus(let error): error.description
        case .index(let error): error.description
        case .jsonl(let path, let line, let message): "\(path):\(line): \(message)"
        case .io(let path, let reason): "\(path): \(reason)"
        }
    }
}

/// Corpus → index, incrementally: only new or changed files (size and mtime differ, and the
/// content hash confirms) are extracted again; removed files are dropped; unchanged documents are
/// carried over from the last commit without re-reading their HTML.
public enum Ingest {
    public static func run(
        index folder: URL,
        options: IngestOptions,
        analyzer: Analyzer,
        progress: (@Sendable (IngestProgress) -> Void)? = nil
    ) throws(IngestError) -> IngestReport {
        let writer: IndexWriter
        do {
            writer = try IndexWriter(folder: folder, analyzer: analyzer, rebuild: options.rebuild)
        } catch {
            throw .index(error)
        }
        writer.threads = options.threads
        writer.memoryBudget = options.memoryBudget
        writer.mergeFactor = options.mergeFactor
        var report = IngestReport()
        // The previous commit's documents by path, from its document tables (no text is read).
        var previous: [String: Previous] = [:]
        if let reader = writer.previous {
            do {
                if reader.manifest.corpusFormat == options.format.rawValue {
                    try reader.forEachDocument { doc, path, stats in previous[path] = Previous(doc: doc, stats: stats) }
                } else {
                    // Another kind of corpus: everything in the index goes.
                    writer.deleteAll()
                }
            } catch {
                throw .index(error)
            }
        }

        // Pages extracted by other rules or options than this run's are all extracted again.
        let extractor = ArticleExtractor(options: options.extraction).descriptor
        let reextract = options.format == .html && writer.previous != nil && writer.previous?.manifest.extractor != extractor
        report.reextracted = reextract
        var boilerplateKeys = options.rebuild ? [] : writer.previous?.manifest.boilerplateKeySet ?? []
        switch options.format {
        case .html:
            try htmlIngest(options: options, previous: previous, writer: writer, reextract: reextract,
                           boilerplateKeys: &boilerplateKeys, report: &report, progress: progress)
        case .jsonl:
            try jsonlIngest(options: options, previous: previous, writer: writer, report: &report, progress: progress)
        }

        let changed = report.added + report.updated + report.deleted > 0 || report.metadataChanged
        guard changed || options.rebuild || reextract || writer.hasChanges else {
            report.generation = writer.previous?.manifest.generation ?? 0
            report.segments = writer.previous?.segments.count ?? 0
            return report
        }
        progress?(IngestProgress(stage: .committing, filesDone: report.documents, filesTotal: report.documents, bytesDone: report.bytesRead))
        do {
            let manifest = try writer.commit(
                corpus: options.corpus.standardizedFileURL.path,
                corpusFormat: options.format.rawValue,
                boilerplateKeys: boilerplateKeys,
                extractor: options.format == .html ? extractor : nil
            )
            report.committed = true
            report.generation = manifest.generation
            // Merging rewrites small segments into bigger ones, each merge its own commit.
            let merges = try writer.mergeSegments()
            report.merges = merges.merges
            report.generation = writer.previous?.manifest.generation ?? manifest.generation
            report.segments = writer.previous?.segments.count ?? 0
        } catch {
            throw .index(error)
        }
        return report
    }

    /// A document of the last commit.
    struct Previous {
        var doc: Int
        var stats: DocumentStats
    }

    // MARK: HTML folders

    /// Extracts new and changed pages, deletes the documents of removed, changed and (when new
    /// boilerplate keys are learned) newly cleaned pages, and adds the new versions. Unchanged
    /// pages stay where they are in their segments.
    private static func htmlIngest(
        options: IngestOptions,
        previous: [String: Previous],
        writer: IndexWriter,
        reextract: Bool,
        boilerplateKeys: inout Set<UInt64>,
        report: inout IngestReport,
        progress: (@Sendable (IngestProgress) -> Void)?
    ) throws(IngestError) {
        progress?(IngestProgress(stage: .scanning, filesDone: 0, filesTotal: 0, bytesDone: 0))
        let listing: (files: [CorpusFile], warnings: [CorpusWarning])
        do {
            listing = try options.walker.files(under: options.corpus)
        } catch {
            throw .corpus(error)
        }
        report.warnings += listing.warnings.map(\.description)
        let fresh = options.rebuild || reextract

        /// Paths whose indexed copy stays as it is.
        var kept = Set<String>()
        // Pages indexed before that are there but unreadable now keep their indexed copy.
        for warning in listing.warnings where warning.isUnreadableFile && previous[warning.path] != nil && !fresh {
            kept.insert(warning.path)
            report.unchanged += 1
            report.warnings.append("kept the indexed copy of \(warning.path): \(warning.reason)")
        }
        var toExtract: [(file: CorpusFile, isUpdate: Bool)] = []
        for file in listing.files {
            if let old = previous[file.relativePath], !fresh,
               old.stats.size == file.size, old.stats.modificationTime == file.modificationTime {
                kept.insert(file.relativePath)
                report.unchanged += 1
                continue
            }
            toExtract.append((file, previous[file.relativePath] != nil && !fresh))
        }

        // Pages are extracted in parallel, a chunk at a time, and parked in a spill file while
        // corpus-level boilerplate (``CorpusBoilerplate``) is learned over all of them; then they
        // are cleaned and handed to the writer. So memory holds one chunk, never the corpus.
        let cleaning = !options.extraction.keepBoilerplate
        let spill: DocumentSpill?
        do {
            spill = cleaning ? try DocumentSpill(folder: writer.folder) : nil
        } catch {
            throw .index(error)
        }
        var learner = CorpusBoilerplate.Learner()
        var extracted = Set<String>()
        let counter = Counter()
        let extractor = ArticleExtractor(options: options.extraction)
        let total = toExtract.count
        var chunkStart = 0
        while chunkStart < toExtract.count {
            let items = Array(toExtract[chunkStart..<min(toExtract.count, chunkStart + extractionChunk)])
            chunkStart += items.count
            // Results land in fixed slots, so the order never depends on threads.
            let outcomes = ResultSlots<Result<IndexedDocument, ExtractError>>(count: items.count)
            let workers = max(1, min(options.threads, items.count))
            // Each worker takes the next file as it finishes one: pages differ in size by
            // orders of magnitude, and fixed shares left one worker with the big ones.
            let next = NextIndex()
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while true {
                    let index = next.take()
                    guard index < items.count else { break }
                    let file = items[index].file
                    let outcome: Result<IndexedDocument, ExtractError> = Result { () throws(ExtractError) -> IndexedDocument in
                        let bytes = try CorpusWalker.read(file)
                        let source = SourceInfo(path: file.relativePath, size: UInt64(bytes.count),
                                                modificationTime: file.modificationTime, contentHash: ContentHash.fnv1a64(bytes))
                        let article = try extractor.extract(html: bytes, path: file.relativePath).article
                        return IndexedDocument(source: source, article: article)
                    }
                    outcomes.set(index, outcome)
                    let (done, bytes) = counter.add(bytes: Int(file.size))
                    progress?(IngestProgress(stage: .extracting, filesDone: done, filesTotal: total, bytesDone: bytes))
                }
            }
            var documents: [IndexedDocument] = []
            for (k, outcome) in outcomes.values().enumerated() {
                switch outcome {
                case .success(let document):
                    // Same bytes as before (only the mtime moved): unchanged, but its record is
                    // rewritten to hold the new time.
                    if let old = previous[document.source.path], old.stats.contentHash == document.source.contentHash, !fresh {
                        report.unchanged += 1
                        report.metadataChanged = true
                    } else if items[k].isUpdate {
                        report.updated += 1
                    } else {
                        report.added += 1
                    }
                    extracted.insert(document.source.path)
                    documents.append(document)
                case .failure(let error):
                    // A page indexed before that still exists but cannot be read now (permissions,
                    // an I/O error) keeps its indexed copy: a passing fault must not delete it.
                    if case .unreadable = error, !fresh, access(items[k].file.url.path, F_OK) == 0,
                       previous[items[k].file.relativePath] != nil {
                        kept.insert(items[k].file.relativePath)
                        report.unchanged += 1
                        report.warnings.append("kept the indexed copy of \(error.path): \(error.reason)")
                    } else {
                        report.skipped.append((error.path, error.reason))
                    }
                }
            }
            do {
                if let spill {
                    for document in documents {
                        learner.count(document)
                        try spill.append(document)
                    }
                } else {
                    try writer.add(documents)
                }
            } catch {
                throw .index(error)
            }
        }
        report.bytesRead = counter.bytes
        // A corpus folder that disappeared during the run would look like every page deleted.
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: options.corpus.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw .io(path: options.corpus.path, reason: "the corpus folder disappeared while indexing; the index is unchanged")
        }
        report.deleted = previous.keys.filter { !kept.contains($0) && !extracted.contains($0) }.count
        // Every indexed page not kept is replaced (changed) or gone (removed).
        for (path, old) in previous where !kept.contains(path) { writer.delete(old.doc) }
        let carried = previous.filter { kept.contains($0.key) }.values.map(\.doc).sorted()
        report.documents = extracted.count + carried.count
        guard let spill else { return }
        let changed = report.added + report.updated + report.deleted > 0 || report.metadataChanged
        guard changed || fresh || writer.previous == nil else { return }

        // Boilerplate keys are learned over every page of the new commit: the pages kept are read
        // back from the index for it. When the keys grow, kept pages holding a new key are cleaned
        // and rewritten, so the index equals a rebuild's.
        var boilerplate = CorpusBoilerplate(known: boilerplateKeys)
        var batch: [IndexedDocument] = []
        func add(_ document: IndexedDocument, from path: String, dropped: [String]) throws(IndexError) {
            report.boilerplatePassages += dropped.count
            if report.boilerplateSamples.count < 100 { report.boilerplateSamples += dropped.map { (path, $0) } }
            batch.append(document)
            if batch.count >= IndexWriter.preferredBatchSize {
                try writer.add(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        do {
            let reader = writer.previous
            if let reader, !carried.isEmpty, spill.count > 0 {
                for doc in carried {
                    let stored = try reader.storedDocument(doc)
                    learner.count(IndexedDocument(source: stored.source, article: stored.article))
                }
            }
            let before = boilerplate.keys
            boilerplate.learn(learner)
            progress?(IngestProgress(stage: .indexing, filesDone: 0, filesTotal: spill.count, bytesDone: report.bytesRead))
            try spill.forEach { (document) throws(IndexError) in
                let cleaned = boilerplate.clean(document)
                try add(cleaned.document, from: document.source.path, dropped: cleaned.dropped)
            }
            if let reader, boilerplate.keys != before {
                for doc in carried {
                    let stored = try reader.storedDocument(doc)
                    let cleaned = boilerplate.clean(IndexedDocument(source: stored.source, article: stored.article))
                    guard !cleaned.dropped.isEmpty else { continue }
                    writer.delete(doc)
                    try add(cleaned.document, from: stored.source.path, dropped: cleaned.dropped)
                }
            }
            try writer.add(batch)
        } catch {
            throw .index(error)
        }
        boilerplateKeys = boilerplate.keys
    }

    /// Files extracted at a time (their articles are held until parked in the spill file).
    static let extractionChunk = 2048

    // MARK: JSONL

    private struct JSONLRecord: Decodable {
        var id: String
        var title: String?
        var text: String
    }

    /// Reads the JSONL file line by line (mapped, not loaded) and hands new and changed records
    /// to the writer in batches, so memory stays bounded whatever the file's size. A line whose
    /// bytes hash to a record of the last commit is that record unchanged and is not decoded.
    private static func jsonlIngest(
        options: IngestOptions,
        previous: [String: Previous],
        writer: IndexWriter,
        report: inout IngestReport,
        progress: (@Sendable (IngestProgress) -> Void)?
    ) throws(IngestError) {
        let path = options.corpus.path
        let data: Data
        do {
            data = try Data(contentsOf: options.corpus, options: .alwaysMapped)
        } catch {
            throw .io(path: path, reason: "cannot read (\(error.localizedDescription))")
        }
        report.bytesRead = data.count
        var mtime: Int64 = 0
        var info = stat()
        if stat(path, &info) == 0 {
            mtime = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        }
        var byHash: [UInt64: String] = [:]
        if !options.rebuild {
            byHash.reserveCapacity(previous.count)
            for (id, old) in previous { byHash[old.stats.contentHash] = id }
        }
        var seen = Set<String>()
        seen.reserveCapacity(previous.count)
        let decoder = JSONDecoder()
        var batch: [IndexedDocument] = []
        var failure: IngestError?
        var lineNumber = 0
        let flushSize = IndexWriter.preferredBatchSize
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard let base = raw.baseAddress else { return }
            var start = 0
            // Lines are found with memchr over the raw bytes (generic slicing cost more than the JSON).
            while start < raw.count, failure == nil {
                let found = memchr(base + start, 0x0A, raw.count - start)
                let end = found.map { base.distance(to: UnsafeRawPointer($0)) } ?? raw.count
                lineNumber += 1
                let line = UnsafeRawBufferPointer(rebasing: raw[start..<end])
                start = end + 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
                let hash = ContentHash.fnv1a64(line)
                if let id = byHash[hash], previous[id]?.stats.contentHash == hash, !seen.contains(id) {
                    seen.insert(id)
                    report.unchanged += 1
                    continue
                }
                let record: JSONLRecord
                do {
                    record = try decoder.decode(JSONLRecord.self, from: Data(line))
                } catch {
                    failure = .jsonl(path: path, line: lineNumber, message: "not a {\"id\", \"title\", \"text\"} object")
                    return
                }
                guard seen.insert(record.id).inserted else {
                    failure = .jsonl(path: path, line: lineNumber, message: "duplicate id '\(record.id)'")
                    return
                }
                let source = SourceInfo(path: record.id, size: UInt64(line.count), modificationTime: mtime, contentHash: hash)
                if let old = previous[record.id] {
                    report.updated += 1
                    writer.delete(old.doc)
                } else {
                    report.added += 1
                }
                batch.append(IndexedDocument(source: source, article: article(title: record.title ?? "", text: record.text)))
                if batch.count >= flushSize {
                    do throws(IndexError) {
                        try writer.add(batch)
                    } catch {
                        failure = .index(error)
                        return
                    }
                    batch.removeAll(keepingCapacity: true)
                    progress?(IngestProgress(stage: .indexing, filesDone: report.added + report.updated, filesTotal: 0, bytesDone: start))
                }
            }
        }
        if let failure { throw failure }
        do {
            try writer.add(batch)
        } catch {
            throw .index(error)
        }
        for (id, old) in previous where !seen.contains(id) {
            report.deleted += 1
            writer.delete(old.doc)
        }
        report.documents = seen.count
    }

    /// A plain-text document as an article: one passage per paragraph (blank-line separated, or
    /// per line when the text has no blank lines), whitespace runs collapsed to one space.
    ///
    /// Works on the UTF-8 bytes: Foundation's `components(separatedBy:)` made this 55 % of the
    /// time of indexing a JSONL collection.
    static func article(title: String, text: String) -> Article {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if byte == 0x0A, bytes.last == 0x0D { bytes.removeLast() }  // CRLF → LF
            bytes.append(byte)
        }
        var hasBlankLine = false
        for i in bytes.indices.dropFirst() where bytes[i] == 0x0A && bytes[i - 1] == 0x0A {
            hasBlankLine = true
            break
        }
        var passages: [Passage] = []
        var start = 0
        var i = 0
        func flush(_ end: Int) {
            let block = Whitespace.collapse(String(decoding: bytes[start..<end], as: UTF8.self))
            if !block.isEmpty { passages.append(Passage(kind: .paragraph, text: block)) }
        }
        while i < bytes.count {
            if bytes[i] == 0x0A, !hasBlankLine || (i + 1 < bytes.count && bytes[i + 1] == 0x0A) {
                flush(i)
                i += hasBlankLine ? 2 : 1
                start = i
            } else {
                i += 1
            }
        }
        flush(bytes.count)
        return Article(title: Whitespace.collapse(title), sections: passages.isEmpty ? [] : [Section(heading: "", level: 0, path: [], passages: passages)])
    }
}

extension IngestReport {
    /// Some documents' modification times changed without their content: commit to record it.
    var metadataChanged: Bool {
        get { _metadataChanged }
        set { _metadataChanged = newValue }
    }
}

/// Hands out 0, 1, 2, ... to worker threads, one index per call.
private final class NextIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    func take() -> Int {
        lock.lock()
        defer { lock.unlock() }
        next += 1
        return next - 1
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var files = 0
    private(set) var bytes = 0

    func add(bytes count: Int) -> (Int, Int) {
        lock.lock()
        defer { lock.unlock() }
        files += 1
        bytes += count
        return (files, bytes)
    }
}
