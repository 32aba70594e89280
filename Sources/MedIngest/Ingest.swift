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

    public init(
        corpus: URL,
        format: CorpusFormat = .html,
        extraction: ExtractionOptions = ExtractionOptions(),
        walker: CorpusWalker = CorpusWalker(),
        rebuild: Bool = false,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
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
        var report = IngestReport()
        // The previous commit's documents by path.
        var previous: [String: (doc: Int, stats: DocumentStats)] = [:]
        if let reader = writer.previous, reader.manifest.corpusFormat == options.format.rawValue {
            do {
                for doc in 0..<reader.documentCount {
                    let stored = try reader.storedDocument(doc)
                    previous[stored.source.path] = (doc, try reader.documentStats(doc))
                }
            } catch {
                throw .index(error)
            }
        }

        // Pages extracted by other rules or options than this run's are all extracted again.
        let extractor = ArticleExtractor(options: options.extraction).descriptor
        let reextract = options.format == .html && writer.previous != nil && writer.previous?.manifest.extractor != extractor

        report.reextracted = reextract
        var documents: [IndexedDocument]
        switch options.format {
        case .html:
            documents = try htmlDocuments(options: options, previous: previous, reader: writer.previous, reextract: reextract, report: &report, progress: progress)
        case .jsonl:
            documents = try jsonlDocuments(options: options, previous: previous, reader: writer.previous, report: &report)
        }
        // Corpus-level boilerplate (HTML only: a JSONL corpus is already clean text). Every
        // document is rewritten at commit, so pages carried over are cleaned of new keys too.
        var boilerplate = CorpusBoilerplate(known: options.rebuild ? [] : writer.previous?.manifest.boilerplateKeySet ?? [])
        if options.format == .html, !options.extraction.keepBoilerplate {
            boilerplate.learn(from: documents)
            for index in documents.indices {
                let cleaned = boilerplate.clean(documents[index])
                documents[index] = cleaned.document
                report.boilerplatePassages += cleaned.dropped.count
                if report.boilerplateSamples.count < 100 {
                    report.boilerplateSamples += cleaned.dropped.map { (documents[index].source.path, $0) }
                }
            }
        }
        let seen = Set(documents.map(\.source.path))
        report.deleted = previous.keys.filter { !seen.contains($0) }.count
        report.documents = documents.count
        documents.sort { $0.source.path.utf8.lexicographicallyPrecedes($1.source.path.utf8) }

        let changed = report.added + report.updated + report.deleted > 0 || report.metadataChanged
        guard changed || writer.previous == nil || options.rebuild else {
            report.generation = writer.previous?.manifest.generation ?? 0
            return report
        }
        progress?(IngestProgress(stage: .indexing, filesDone: documents.count, filesTotal: documents.count, bytesDone: report.bytesRead))
        do {
            let manifest = try writer.commit(
                documents: documents,
                corpus: options.corpus.standardizedFileURL.path,
                corpusFormat: options.format.rawValue,
                boilerplateKeys: boilerplate.keys,
                extractor: options.format == .html ? extractor : nil,
                threads: options.threads
            )
            report.committed = true
            report.generation = manifest.generation
        } catch {
            throw .index(error)
        }
        return report
    }

    // MARK: HTML folders

    private static func htmlDocuments(
        options: IngestOptions,
        previous: [String: (doc: Int, stats: DocumentStats)],
        reader: IndexReader?,
        reextract: Bool,
        report: inout IngestReport,
        progress: (@Sendable (IngestProgress) -> Void)?
    ) throws(IngestError) -> [IndexedDocument] {
        progress?(IngestProgress(stage: .scanning, filesDone: 0, filesTotal: 0, bytesDone: 0))
        let listing: (files: [CorpusFile], warnings: [CorpusWarning])
        do {
            listing = try options.walker.files(under: options.corpus)
        } catch {
            throw .corpus(error)
        }
        report.warnings += listing.warnings.map(\.description)

        var documents: [IndexedDocument] = []
        /// Carries the previous commit's copy of a page over unchanged; false if there is none.
        func keepIndexedCopy(of path: String) -> Bool {
            guard let old = previous[path], let stored = try? reader?.storedDocument(old.doc) else { return false }
            documents.append(IndexedDocument(source: stored.source, article: stored.article))
            report.unchanged += 1
            return true
        }
        // Pages indexed before that are there but unreadable now keep their indexed copy.
        for warning in listing.warnings where warning.isUnreadableFile && keepIndexedCopy(of: warning.path) {
            report.warnings.append("kept the indexed copy of \(warning.path): \(warning.reason)")
        }
        var toExtract: [(file: CorpusFile, isUpdate: Bool)] = []
        for file in listing.files {
            if let old = previous[file.relativePath], !options.rebuild, !reextract,
               old.stats.size == file.size, old.stats.modificationTime == file.modificationTime,
               keepIndexedCopy(of: file.relativePath) {
                continue
            }
            toExtract.append((file, previous[file.relativePath] != nil))
        }

        // Extract in parallel; results land in fixed slots, so the order never depends on threads.
        let outcomes = ResultSlots<Result<IndexedDocument, ExtractError>>(count: toExtract.count)
        let counter = Counter()
        let extractor = ArticleExtractor(options: options.extraction)
        let workers = max(1, min(options.threads, toExtract.count))
        let items = toExtract
        let total = toExtract.count
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            while index < items.count {
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
                index += workers
            }
        }
        report.bytesRead = counter.bytes
        for (k, outcome) in outcomes.values().enumerated() {
            switch outcome {
            case .success(let document):
                // Same bytes as before (only the mtime moved): unchanged.
                if let old = previous[document.source.path], old.stats.contentHash == document.source.contentHash, !options.rebuild, !reextract {
                    report.unchanged += 1
                    report.metadataChanged = true
                } else if toExtract[k].isUpdate {
                    report.updated += 1
                } else {
                    report.added += 1
                }
                documents.append(document)
            case .failure(let error):
                // A page indexed before that still exists but cannot be read now (permissions, an
                // I/O error) keeps its indexed copy: a passing fault must not delete it.
                if case .unreadable = error, access(toExtract[k].file.url.path, F_OK) == 0,
                   keepIndexedCopy(of: toExtract[k].file.relativePath) {
                    report.warnings.append("kept the indexed copy of \(error.path): \(error.reason)")
                } else {
                    report.skipped.append((error.path, error.reason))
                }
            }
        }
        // A corpus folder that disappeared during the run would look like every page deleted.
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: options.corpus.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw .io(path: options.corpus.path, reason: "the corpus folder disappeared while indexing; the index is unchanged")
        }
        return documents
    }

    // MARK: JSONL

    private struct JSONLRecord: Decodable {
        var id: String
        var title: String?
        var text: String
    }

    private static func jsonlDocuments(
        options: IngestOptions,
        previous: [String: (doc: Int, stats: DocumentStats)],
        reader: IndexReader?,
        report: inout IngestReport
    ) throws(IngestError) -> [IndexedDocument] {
        let path = options.corpus.path
        let data: Data
        do {
            data = try Data(contentsOf: options.corpus)
        } catch {
            throw .io(path: path, reason: "cannot read (\(error.localizedDescription))")
        }
        report.bytesRead = data.count
        var mtime: Int64 = 0
        var info = stat()
        if stat(path, &info) == 0 {
            mtime = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        }
        var documents: [IndexedDocument] = []
        var ids = Set<String>()
        let decoder = JSONDecoder()
        // Lines are found with memchr over the raw bytes: `Data.split` (generic slicing) cost
        // more than decoding the JSON.
        var lines: [Range<Int>] = []
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard let base = raw.baseAddress else { return }
            var start = 0
            while start <= raw.count {
                let rest = raw.count - start
                let found = rest > 0 ? memchr(base + start, 0x0A, rest) : nil
                let end = found.map { base.distance(to: UnsafeRawPointer($0)) } ?? raw.count
                lines.append(start..<end)
                start = end + 1
            }
        }
        var lineNumber = 0
        for range in lines {
            lineNumber += 1
            let line = data[data.startIndex + range.lowerBound..<data.startIndex + range.upperBound]
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
            let record: JSONLRecord
            do {
                record = try decoder.decode(JSONLRecord.self, from: Data(line))
            } catch {
                throw .jsonl(path: path, line: lineNumber, message: "not a {\"id\", \"title\", \"text\"} object")
            }
            guard ids.insert(record.id).inserted else {
                throw .jsonl(path: path, line: lineNumber, message: "duplicate id '\(record.id)'")
            }
            let hash = ContentHash.fnv1a64(line)
            let source = SourceInfo(path: record.id, size: UInt64(line.count), modificationTime: mtime, contentHash: hash)
            if let old = previous[record.id], old.stats.contentHash == hash, !options.rebuild {
                report.unchanged += 1
            } else if previous[record.id] != nil {
                report.updated += 1
            } else {
                report.added += 1
            }
            documents.append(IndexedDocument(source: source, article: article(title: record.title ?? "", text: record.text)))
        }
        return documents
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
