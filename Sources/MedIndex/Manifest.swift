import Foundation
public import MedAnalysis

/// `manifest.json`: the commit point. A commit writes every new file under a temporary name,
/// fsyncs it, renames it into place, then replaces the manifest the same way and fsyncs the
/// folder. Whatever the manifest names is the index; anything else in the folder is a leftover.
public struct Manifest: Codable, Sendable, Hashable {
    public static let fileName = "manifest.json"
    public static let formatName = "medsearch-index"

    public var format: String = Manifest.formatName
    public var formatVersion: UInt32
    /// Increases by one with every commit.
    public var generation: Int
    public var analyzer: AnalyzerDescriptor
    /// The corpus the index was built from (absolute path) and how it was read (`html`, `jsonl`).
    public var corpus: String
    public var corpusFormat: String
    public var segments: [SegmentInfo]
    /// ISO 8601 time of the commit.
    public var committedAt: String
    /// Corpus-level boilerplate passage keys learned at ingest (16 hex digits each, sorted), so
    /// later incremental runs clean new pages too. Absent in indexes written before it existed.
    public var boilerplateKeys: [String]?
    /// The extraction that produced the documents of an HTML corpus (``ArticleExtractor``'s
    /// descriptor, e.g. `rules 2`). A different one makes the next run extract every page again.
    /// Absent for JSONL corpora and in indexes written before it existed.
    public var extractor: String? = nil

    public struct SegmentInfo: Codable, Sendable, Hashable {
        /// The segment's file name stem, e.g. `seg-000003`.
        public var name: String
        public var documents: Int
        /// Size and CRC-32C of each file, by extension.
        public var files: [String: FileInfo]
        /// The segment's current deletion file, if any of its documents are deleted.
        public var deletions: DeletionsInfo? = nil

        /// The names of every file of the segment (its four files and its deletion file).
        public var fileNames: [String] {
            files.keys.sorted().map { "\(name).\($0)" } + (deletions.map { [$0.fileName(segment: name)] } ?? [])
        }
    }

    /// A segment's deletion file: `<segment>-<generation>.del`, written by commit `generation`.
    public struct DeletionsInfo: Codable, Sendable, Hashable {
        public var generation: Int
        /// Documents deleted (the file's header says the same).
        public var count: Int
        public var bytes: Int
        public var crc32c: UInt32

        public func fileName(segment: String) -> String { Self.fileName(segment: segment, generation: generation) }

        static func fileName(segment: String, generation: Int) -> String {
            "\(segment)-\(String(format: "%06d", generation)).\(FileKind.deletions.fileExtension)"
        }
    }

    public struct FileInfo: Codable, Sendable, Hashable {
        public var bytes: Int
        public var crc32c: UInt32
    }

    /// Reads and decodes `manifest.json` in `folder`.
    static func load(from folder: URL) throws(IndexError) -> Manifest {
        let url = folder.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { throw .notAnIndex(path: folder.path) }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .io(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        let manifest: Manifest
        do {
            manifest = try JSONDecoder().decode(Manifest.self, from: data)
        } catch {
            throw .corrupt(path: url.path, reason: "not a valid manifest (\(Self.describe(error)))")
        }
        guard manifest.format == formatName else {
            throw .corrupt(path: url.path, reason: "format is '\(manifest.format)', expected '\(formatName)'")
        }
        guard manifest.formatVersion <= FormatVersion.current else {
            throw .newerFormat(path: folder.path, version: manifest.formatVersion, supported: FormatVersion.current)
        }
        guard manifest.formatVersion >= FormatVersion.oldestReadable else {
            throw .corrupt(path: url.path, reason: "format version \(manifest.formatVersion) is older than the oldest readable (\(FormatVersion.oldestReadable))")
        }
        return manifest
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing field '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            context.codingPath.isEmpty ? "invalid JSON" : "bad value at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        default: "invalid JSON"
        }
    }

    /// The generation the next commit counts from: ``generation``, or a segment's number if that
    /// is higher (a damaged manifest), so a commit never reuses, and overwrites, a live segment's name.
    var lastGeneration: Int {
        segments.reduce(generation) { max($0, Int($1.name.dropFirst("seg-".count)) ?? 0, $1.deletions?.generation ?? 0) }
    }

    /// Every file the commit consists of, the manifest excluded.
    var fileNames: Set<String> { Set(segments.flatMap(\.fileNames)) }

    /// ``boilerplateKeys`` as numbers (malformed entries are ignored).
    public var boilerplateKeySet: Set<UInt64> {
        Set((boilerplateKeys ?? []).compactMap { UInt64($0, radix: 16) })
    }

    func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? encoder.encode(self)) ?? Data()
    }
}
