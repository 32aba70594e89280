public import Foundation
public import MedAnalysis
import Dispatch

/// Writes commits to an index folder. One writer at a time: opening takes an exclusive lock
/// (`LOCK`, holding the writer's pid); a second writer gets ``IndexError/locked(path:holder:)``.
/// Readers are never blocked.
///
/// A commit writes a new segment holding every live document, then the manifest (the commit
/// point), then deletes the files of the previous commit. Killing the process at any moment
/// leaves the previous commit intact; leftovers are removed when the next writer opens.
public final class IndexWriter {
    public let folder: URL
    public let analyzer: Analyzer
    /// The last commit, if there is one (for incremental updates).
    public private(set) var previous: IndexReader? = nil
    private var lockDescriptor: Int32 = -1

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
            let reader = try IndexReader(at: folder)
            guard reader.analyzer.descriptor == analyzer.descriptor else {
                unlock()
                throw .analyzerMismatch(path: folder.path, reason: "the index was built with analyzer \(reader.manifest.analyzer), this run uses \(analyzer.descriptor)")
            }
            previous = reader
            previousGeneration = reader.manifest.lastGeneration
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
        let live = Set(segments.map(\.name))
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names {
            let isTemporary = name.hasPrefix(".") && name.contains(".tmp-")
            let segmentName = name.split(separator: ".").first.map(String.init) ?? ""
            let isDeadSegment = name.hasPrefix("seg-") && !live.contains(segmentName)
            if isTemporary || isDeadSegment {
                unlink(folder.appendingPathComponent(name).path)
            }
        }
    }

    /// Analyzes `documents` (in parallel), writes them as one segment and commits.
    /// - Returns: the new manifest.
    @discardableResult
    public func commit(
        documents: [IndexedDocument],
        corpus: String,
        corpusFormat: String,
        boilerplateKeys: Set<UInt64> = [],
        extractor: String? = nil,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount
    ) throws(IndexError) -> Manifest {
        let generation = previousGeneration + 1
        let name = String(format: "seg-%06d", generation)
        let segment = try SegmentWriter.write(documents: documents, analyzer: analyzer, threads: threads, name: name, into: folder)
        let formatter = ISO8601DateFormatter()
        let manifest = Manifest(
            formatVersion: FormatVersion.current,
            generation: generation,
            analyzer: analyzer.descriptor,
            corpus: corpus,
            corpusFormat: corpusFormat,
            segments: [segment],
            committedAt: formatter.string(from: Date()),
            boilerplateKeys: boilerplateKeys.isEmpty ? nil : boilerplateKeys.sorted().map { String(format: "%016llx", $0) },
            extractor: extractor
        )
        try AtomicFile.syncFolder(folder)
        try AtomicFile.write(Array(manifest.encoded()), to: folder.appendingPathComponent(Manifest.fileName))
        try AtomicFile.syncFolder(folder)
        previousGeneration = generation
        // The old commit's files are now leftovers; readers that mapped them keep their copy.
        if let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) {
            for file in names where file.hasPrefix("seg-") && !file.hasPrefix(name + ".") {
                unlink(folder.appendingPathComponent(file).path)
            }
        }
        return manifest
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
