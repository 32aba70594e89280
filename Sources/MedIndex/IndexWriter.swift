public import Foundation
public import MedAnalysis
import Dispatch

/// Writes commits to an index folder. One writer at a time: opening takes an exclusive lock
/// (`LOCK`, holding the writer's pid); a second writer gets ``IndexError/locked(path:holder:)``.
/// Readers are never blocked.
///
/// Between commits the writer gathers changes: ``delete(_:)`` marks documents of the last commit
/// deleted, ``add(_:)`` analyzes new ones into a segment that is written out whenever its
/// buffers reach ``memoryBudget`` (so any corpus indexes in bounded memory). ``commit(corpus:corpusFormat:boilerplateKeys:extractor:)``
/// writes the new segments and one deletion file per segment that lost documents, then the
/// manifest (the commit point), then deletes the files no longer named. ``mergeSegments()``
/// then merges small segments (FORMAT.md §11). Killing the process at any moment leaves the
/// previous commit intact; leftovers are removed when the next writer opens.
public final class IndexWriter {
    public let folder: URL
    public let analyzer: Analyzer
    /// The last commit, if there is one (for incremental updates).
    public private(set) var previous: IndexReader? = nil
    private var lockDescriptor: Int32 = -1
    /// Bytes of analysis buffers after which the segment being built is written out.
    public var memoryBudget: Int = IndexWriter.defaultMemoryBudget
    public static let defaultMemoryBudget = 256 << 20
    /// How many documents to hand ``add(_:)`` at a time (the writer analyzes this many in parallel).
    public static let preferredBatchSize = SegmentBuilder.analysisBatch
    /// Threads that analyze documents (the output is the same for any count).
    public var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    /// Segments merged when this many of similar size (the same power of ten of live documents) exist.
    public var mergeFactor = 10

    // The pending commit.
    private var pendingDeletions: [Int: DeletionSet] = [:]
    private var builder: SegmentBuilder?
    private var builtSegments: [Manifest.SegmentInfo] = []
    private var nextSegmentNumber = 0

    /// Files an index folder may hold besides segment files.
    static let knownNames: Set<String> = [Manifest.fileName, "LOCK", "README.md"]
    static let segmentExtensions: Set<String> = Set(FileKind.allCases.map(\.fileExtension))

    /// Opens (creating if needed) the index folder for writing.
    /// - Parameter rebuild: ignore the previous commit (a full rebuild; it stays readable until
    ///   the new commit replaces it).
    public init(folder: URL, analyzer: Analyzer, rebuild: Bool = false) throws(IndexError) {
        self.folder = folder
        self.analyzer = analyzer
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .io(path: folder.path, reason: "exists and is not a folder") }
        } else {
            do {
                try manager.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw .io(path: folder.path, reason: "cannot create folder: \(error.localizedDescription)")
            }
        }
        let names: [String]
        do {
            names = try manager.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw .io(path: folder.path, reason: "cannot read folder: \(error.localizedDescription)")
        }
        let foreign = names.filter { !Self.belongsToIndex($0) }.sorted()
        if !foreign.isEmpty { throw .foreignFolder(path: folder.path, examples: foreign) }

        try lock()
        if rebuild || !IndexReader.exists(at: folder) {
            previous = nil
            // A rebuild keeps the old commit's analyzer check out of the way, but never deletes
            // the old commit before the new one is in place.
            if rebuild, IndexReader.exists(at: folder) {
                do {
                    previousGeneration = try Manifest.load(from: folder).lastGeneration
                } catch {
                    // A newer medsearch's index is never overwritten. A damaged manifest is what
                    // --rebuild is for: its files stay until the new commit replaces them.
                    if case .newerFormat = error {
                        unlock()
                        throw error
                    }
                    previousGeneration = 0
                }
            }
        } else {
            let reader = try IndexReader(at: folder, customStopWords: analyzer.stopWords)
            guard reader.analyzer.descriptor == analyzer.descriptor else {
                unlock()
                throw .analyzerMismatch(path: folder.path, reason: "the index was built with analyzer \(reader.manifest.analyzer), this run uses \(analyzer.descriptor)")
            }
            previous = reader
            previousGeneration = reader.manifest.lastGeneration
        }
        // New files never take the name of one already in the folder (a damaged or older
        // manifest's segments stay until the new commit replaces them).
        for name in names where name.hasPrefix("seg-") {
            let digits = name.dropFirst(4).prefix { $0.isNumber }
            let generation = name.dropFirst(4 + digits.count).first == "-"
                ? Int(name.dropFirst(5 + digits.count).prefix { $0.isNumber }) ?? 0 : 0
            previousGeneration = max(previousGeneration, Int(digits) ?? 0, generation)
        }
        removeLeftovers()
    }

    private var previousGeneration = 0

    deinit { unlock() }

    static func belongsToIndex(_ name: String) -> Bool {
        if knownNames.contains(name) { return true }
        if name.hasPrefix("."), name.contains(".tmp-") { return true }
        if name.hasPrefix("seg-"), let dot = name.lastIndex(of: "."), segmentExtensions.contains(String(name[name.index(after: dot)...])) {
            return true
        }
        return false
    }

    private func lock() throws(IndexError) {
        let path = folder.appendingPathComponent("LOCK").path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buffer = [UInt8](repeating: 0, count: 64)
            let count = read(fd, &buffer, 63)
            close(fd)
            let holder = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "unknown pid"
            throw .locked(path: folder.path, holder: holder)
        }
        _ = ftruncate(fd, 0)
        let pid = Array("pid \(getpid())\n".utf8)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        lockDescriptor = fd
    }

    private func unlock() {
        guard lockDescriptor >= 0 else { return }
        flock(lockDescriptor, LOCK_UN)
        close(lockDescriptor)
        lockDescriptor = -1
    }

    /// Deletes temporary files and segment files that no committed manifest names (what a killed
    /// writer left behind).
    private func removeLeftovers() {
        let segments: [Manifest.SegmentInfo]
        if let previous {
            segments = previous.manifest.segments
        } else if IndexReader.exists(at: folder) {
            // Without a readable manifest no file can be told to be a leftover: keep them all
            // (the next commit removes the old commit's files once the new one is in place).
            guard let manifest = try? Manifest.load(from: folder) else { return }
            segments = manifest.segments
        } else {
            segments = []
        }
        let live = Set(segments.flatMap(\.fileNames))
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names {
            let isTemporary = name.hasPrefix(".") && name.contains(".tmp-")
            let isDeadSegment = name.hasPrefix("seg-") && !live.contains(name)
            if isTemporary || isDeadSegment {
                unlink(folder.appendingPathComponent(name).path)
            }
        }
    }

    // MARK: Changes

    /// Marks global document `doc` of the last commit deleted (its segment gets a new deletion
    /// file at the next commit). Ids of already deleted documents are ignored.
    public func delete(_ doc: Int) {
        guard let previous, doc >= 0, doc < previous.maxDocument else { return }
        var index = previous.segments.count - 1
        while index > 0, previous.documentBases[index] > doc { index -= 1 }
        let segment = previous.segments[index]
        var set = pendingDeletions[index] ?? segment.deletions ?? DeletionSet(documentCount: segment.documentCount)
        set.insert(doc - previous.documentBases[index])
        pendingDeletions[index] = set
    }

    /// Marks every document of the last commit deleted.
    public func deleteAll() {
        guard let previous else { return }
        for doc in 0..<previous.maxDocument { delete(doc) }
    }

    /// Analyzes `documents` and adds them to the pending commit (in this order). Writes out the
    /// segment being built whenever its buffers pass ``memoryBudget``.
    public func add(_ documents: [IndexedDocument]) throws(IndexError) {
        var start = 0
        while start < documents.count {
            let builder = try currentBuilder()
            let batch = Array(documents[start..<min(documents.count, start + SegmentBuilder.analysisBatch)])
            try builder.add(batch)
            start += batch.count
            if builder.estimatedMemory >= memoryBudget { try flushSegment() }
        }
    }

    private func currentBuilder() throws(IndexError) -> SegmentBuilder {
        if let builder { return builder }
        if nextSegmentNumber == 0 { nextSegmentNumber = previousGeneration + 1 }
        let name = String(format: "seg-%06d", nextSegmentNumber)
        nextSegmentNumber += 1
        let created = try SegmentBuilder(name: name, folder: folder, analyzer: analyzer, threads: threads)
        builder = created
        return created
    }

    /// Writes out the segment being built (its files are leftovers until a manifest names them).
    private func flushSegment() throws(IndexError) {
        guard let builder else { return }
        self.builder = nil
        guard builder.documentCount > 0 else { return }
        builtSegments.append(try builder.finish())
    }

    /// Whether the pending commit changes anything.
    public var hasChanges: Bool {
        !pendingDeletions.isEmpty || !builtSegments.isEmpty || (builder?.documentCount ?? 0) > 0 || previous == nil
    }

    // MARK: Commit

    /// Commits the pending changes: the segments added, a deletion file for every segment of
    /// the last commit that lost documents (segments left with no live document are dropped),
    /// then the manifest.
    /// - Returns: the new manifest.
    @discardableResult
    public func commit(
        corpus: String,
        corpusFormat: String,
        boilerplateKeys: Set<UInt64> = [],
        extractor: String? = nil
    ) throws(IndexError) -> Manifest {
        try flushSegment()
        let generation = max(previousGeneration + 1, nextSegmentNumber - 1)
        var segments: [Manifest.SegmentInfo] = []
        if let previous {
            for (index, info) in previous.manifest.segments.enumerated() {
                var info = info
                if let deletions = pendingDeletions[index] {
                    if deletions.count == deletions.documentCount { continue }
                    if deletions.count != info.deletions?.count {
                        let name = Manifest.DeletionsInfo.fileName(segment: info.name, generation: generation)
                        let file = try SegmentBuilder.writeWhole(deletions.encoded(), to: folder.appendingPathComponent(name))
                        info.deletions = Manifest.DeletionsInfo(generation: generation, count: deletions.count, bytes: file.bytes, crc32c: file.crc32c)
                    }
                }
                segments.append(info)
            }
        }
        segments += builtSegments
        return try writeManifest(segments: segments, generation: generation, corpus: corpus, corpusFormat: corpusFormat,
                                 boilerplateKeys: boilerplateKeys, extractor: extractor)
    }

    /// Writes a manifest naming `segments` (the commit point), deletes the files it no longer
    /// names, and makes the commit the writer's new base.
    private func writeManifest(
        segments: [Manifest.SegmentInfo],
        generation: Int,
        corpus: String,
        corpusFormat: String,
        boilerplateKeys: Set<UInt64>,
        extractor: String?
    ) throws(IndexError) -> Manifest {
        let formatter = ISO8601DateFormatter()
        let manifest = Manifest(
            formatVersion: FormatVersion.current,
            generation: generation,
            analyzer: analyzer.descriptor,
            corpus: corpus,
            corpusFormat: corpusFormat,
            segments: segments,
            committedAt: formatter.string(from: Date()),
            boilerplateKeys: boilerplateKeys.isEmpty ? nil : boilerplateKeys.sorted().map { String(format: "%016llx", $0) },
            extractor: extractor
        )
        try AtomicFile.syncFolder(folder)
        try AtomicFile.write(Array(manifest.encoded()), to: folder.appendingPathComponent(Manifest.fileName))
        try AtomicFile.syncFolder(folder)
        previousGeneration = manifest.lastGeneration
        pendingDeletions = [:]
        builtSegments = []
        nextSegmentNumber = 0
        // Files of earlier commits are now leftovers; readers that mapped them keep their copy.
        let live = manifest.fileNames
        if let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) {
            for file in names where file.hasPrefix("seg-") && !live.contains(file) {
                unlink(folder.appendingPathComponent(file).path)
            }
        }
        previous = try IndexReader(at: folder, customStopWords: analyzer.stopWords)
        return manifest
    }

    /// Replaces the last commit's documents with `documents` in one commit (a full rewrite: the
    /// convenience for building an index from a list).
    @discardableResult
    public func commit(
        documents: [IndexedDocument],
        corpus: String,
        corpusFormat: String,
        boilerplateKeys: Set<UInt64> = [],
        extractor: String? = nil,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount
    ) throws(IndexError) -> Manifest {
        self.threads = threads
        deleteAll()
        try add(documents)
        return try commit(corpus: corpus, corpusFormat: corpusFormat, boilerplateKeys: boilerplateKeys, extractor: extractor)
    }

    // MARK: Merging

    /// What ``mergeSegments()`` did.
    public struct MergeReport: Sendable {
        public var merges = 0
        public var segmentsMerged = 0
        public var documentsRewritten = 0
    }

    /// Merges segments of the last commit by the merge policy, each merge its own commit, until
    /// the policy is satisfied (FORMAT.md §11): segments are grouped by the power of ten of their
    /// live documents, and when ``mergeFactor`` segments share a group they are merged into one;
    /// a segment with more deleted than live documents is rewritten on its own. A merge streams
    /// postings term by term (``SegmentBuilder/merge(_:analyzer:name:into:)``), so it needs
    /// little memory whatever the segments' size.
    @discardableResult
    public func mergeSegments() throws(IndexError) -> MergeReport {
        var report = MergeReport()
        for _ in 0..<64 {
            guard let previous, let group = Self.mergeGroup(previous, factor: mergeFactor) else { break }
            let manifest = previous.manifest
            let members = group.sorted()
            if nextSegmentNumber == 0 { nextSegmentNumber = previousGeneration + 1 }
            let name = String(format: "seg-%06d", nextSegmentNumber)
            nextSegmentNumber += 1
            let merged = try SegmentBuilder.merge(members.map { previous.segments[$0] }, analyzer: analyzer, name: name, into: folder)
            var segments: [Manifest.SegmentInfo] = []
            for (index, info) in manifest.segments.enumerated() {
                if index == members[0] { segments.append(merged) }
                if !group.contains(index) { segments.append(info) }
            }
            let generation = max(previousGeneration + 1, nextSegmentNumber - 1)
            _ = try writeManifest(segments: segments, generation: generation, corpus: manifest.corpus, corpusFormat: manifest.corpusFormat,
                                  boilerplateKeys: manifest.boilerplateKeySet, extractor: manifest.extractor)
            report.merges += 1
            report.segmentsMerged += group.count
            report.documentsRewritten += merged.documents
        }
        return report
    }

    /// The segments (indices in the manifest) the policy merges next, or nil.
    static func mergeGroup(_ reader: IndexReader, factor: Int) -> Set<Int>? {
        var byLevel: [Int: [Int]] = [:]
        for (index, segment) in reader.segments.enumerated() {
            // A segment mostly deleted is rewritten on its own.
            if segment.deletions?.count ?? 0 > segment.liveCount { return [index] }
            var level = 0
            var live = segment.liveCount
            while live >= 10 {
                live /= 10
                level += 1
            }
            byLevel[level, default: []].append(index)
        }
        for level in byLevel.keys.sorted() where byLevel[level]!.count >= factor {
            return Set(byLevel[level]!)
        }
        return nil
    }

    /// Analyzes documents on `threads` threads; the result is in document order whatever the
    /// thread count, so the index bytes are identical.
    static func analyze(_ documents: [IndexedDocument], analyzer: Analyzer, threads: Int) -> [AnalyzedDocument] {
        let results = ResultSlots<AnalyzedDocument>(count: documents.count)
        let workers = max(1, min(threads, documents.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            while index < documents.count {
                results.set(index, AnalyzedDocument(documents[index], analyzer: analyzer))
                index += workers
            }
        }
        return results.values()
    }
}

/// Fixed slots that parallel workers fill at distinct indices.
package final class ResultSlots<Value>: @unchecked Sendable {
    private var storage: [Value?]
    private let lock = NSLock()

    package init(count: Int) { storage = Array(repeating: nil, count: count) }

    package func set(_ index: Int, _ value: Value) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    package func values() -> [Value] { storage.map { $0! } }
}
