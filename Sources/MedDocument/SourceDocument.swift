/// Where an article came from, as the index records it: enough to detect a changed file without
/// re-reading it (size and modification time) and to confirm it (content hash).
public struct SourceInfo: Sendable, Hashable, Codable {
    /// The document's path relative to the corpus root (or the JSONL id for JSONL input).
    public var path: String
    /// The file size in bytes.
    public var size: UInt64
    /// The modification time in nanoseconds since 1970 (0 when unknown).
    public var modificationTime: Int64
    /// A 64-bit content hash of the file's bytes (see ``ContentHash``).
    public var contentHash: UInt64

    public init(path: String, size: UInt64, modificationTime: Int64, contentHash: UInt64) {
        self.path = path
        self.size = size
        self.modificationTime = modificationTime
        self.contentHash = contentHash
    }

    /// The document id shown in TREC runs: the file name without its extension, or the JSONL id.
    public var externalID: String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if let dot = name.lastIndex(of: "."), dot != name.startIndex,
           ["html", "htm", "xhtml"].contains(name[name.index(after: dot)...].lowercased()) {
            return String(name[..<dot])
        }
        return name
    }
}

/// FNV-1a 64-bit over bytes: a fast, stable content fingerprint for change detection (not a
/// cryptographic hash; a collision only means a changed file is re-read on the next run).
public enum ContentHash {
    @inlinable
    public static func fnv1a64<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}
