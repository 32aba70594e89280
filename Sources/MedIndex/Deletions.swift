import Foundation

/// Which documents of a segment are deleted (FORMAT.md §9): one bit per document. Segments are
/// written once; deleting a document writes a new deletion file for its segment, named by the
/// commit that wrote it, and the manifest names the current one.
public struct DeletionSet: Sendable, Hashable {
    public let documentCount: Int
    private var words: [UInt64]
    public private(set) var count = 0

    public init(documentCount: Int) {
        self.documentCount = documentCount
        words = [UInt64](repeating: 0, count: (documentCount + 63) / 64)
    }

    @inline(__always)
    public func contains(_ doc: Int) -> Bool {
        words[doc >> 6] & (1 << UInt64(doc & 63)) != 0
    }

    /// Marks `doc` deleted; returns whether it was live.
    @discardableResult
    public mutating func insert(_ doc: Int) -> Bool {
        precondition(doc >= 0 && doc < documentCount)
        let bit: UInt64 = 1 << UInt64(doc & 63)
        guard words[doc >> 6] & bit == 0 else { return false }
        words[doc >> 6] |= bit
        count += 1
        return true
    }

    /// The deletion file's bytes (kind `DELS`): document count, deleted count, then the bitmap,
    /// bit `d % 8` of byte `d / 8` set for a deleted document `d`.
    func encoded() -> ByteWriter {
        var out = ByteWriter(capacity: 32 + words.count * 8)
        FileFraming.writeHeader(.deletions, version: FormatVersion.current, into: &out)
        out.writeUInt32(UInt32(documentCount))
        out.writeUInt32(UInt32(count))
        for byte in 0..<((documentCount + 7) / 8) {
            out.writeUInt8(UInt8(truncatingIfNeeded: words[byte >> 3] >> UInt64((byte & 7) * 8)))
        }
        FileFraming.writeFooter(into: &out)
        return out
    }

    /// Decodes a deletion file's body, checking it against the segment's document count.
    init(body: UnsafeRawBufferPointer, documentCount expected: Int) throws(FormatError) {
        var reader = ByteReader(body)
        let documents = Int(try reader.readUInt32())
        let deleted = Int(try reader.readUInt32())
        guard documents == expected else { throw .malformed("covers \(documents) documents, the segment has \(expected)") }
        let bitmap = try reader.readBytes((documents + 7) / 8)
        guard reader.remaining == 0 else { throw .malformed("\(reader.remaining) bytes after the bitmap") }
        self.init(documentCount: documents)
        for (index, byte) in bitmap.enumerated() where byte != 0 {
            words[index >> 3] |= UInt64(byte) << UInt64((index & 7) * 8)
        }
        // Bits past the last document must be clear; the count must match the bits.
        if documents % 64 != 0, let last = words.last, last >> UInt64(documents % 64) != 0 {
            throw .malformed("bits set past the last document")
        }
        count = words.reduce(0) { $0 + $1.nonzeroBitCount }
        guard count == deleted else { throw .malformed("\(count) deletion bits set, the header says \(deleted)") }
    }
}
