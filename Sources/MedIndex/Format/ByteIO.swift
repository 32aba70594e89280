/// Appends little-endian integers, LEB128 varints and length-prefixed bytes to a growing buffer.
/// Naming follows SwiftNIO's ByteBuffer: `write…` appends.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    var count: Int { bytes.count }

    mutating func writeUInt8(_ value: UInt8) { bytes.append(value) }

    mutating func writeUInt32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func writeUInt64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func writeInt64(_ value: Int64) { writeUInt64(UInt64(bitPattern: value)) }

    /// LEB128: 7 bits a byte, low bits first, high bit set on all but the last byte.
    mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func writeVarint(_ value: Int) {
        precondition(value >= 0, "varints are unsigned")
        writeVarint(UInt64(value))
    }

    mutating func writeBytes<C: Collection>(_ data: C) where C.Element == UInt8 { bytes.append(contentsOf: data) }

    /// A varint length, then the UTF-8 bytes.
    mutating func writeString(_ string: String) {
        writeVarint(string.utf8.count)
        bytes.append(contentsOf: string.utf8)
    }

    /// Overwrites 4 bytes at `offset` (for lengths known only after writing what follows).
    mutating func setUInt32(_ value: UInt32, at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for k in 0..<4 { bytes[offset + k] = raw[k] }
        }
    }
}

/// Reads what ``ByteWriter`` wrote, from a bounded window of a mapped file. Every read is
/// bounds-checked and throws ``FormatError/truncated`` instead of trapping, so a damaged file is
/// an error, never a crash.
struct ByteReader {
    let base: UnsafeRawBufferPointer
    /// The read position, relative to `base`.
    var offset: Int

    init(_ base: UnsafeRawBufferPointer, offset: Int = 0) {
        self.base = base
        self.offset = offset
    }

    var remaining: Int { base.count - offset }

    @inline(__always)
    private func need(_ count: Int) throws(FormatError) {
        guard count >= 0, offset >= 0, count <= base.count - offset else { throw .truncated }
    }

    mutating func readUInt8() throws(FormatError) -> UInt8 {
        try need(1)
        defer { offset += 1 }
        return base[offset]
    }

    mutating func readUInt32() throws(FormatError) -> UInt32 {
        try need(4)
        defer { offset += 4 }
        return UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    mutating func readUInt64() throws(FormatError) -> UInt64 {
        try need(8)
        defer { offset += 8 }
        return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    mutating func readInt64() throws(FormatError) -> Int64 { Int64(bitPattern: try readUInt64()) }

    @inline(__always)
    mutating func readVarint() throws(FormatError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < base.count else { throw .truncated }
            let byte = base[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
            guard shift < 64 else { throw .malformed("varint longer than 10 bytes") }
        }
    }

    /// A varint that must fit `limit` (a count or length), as Int.
    mutating func readCount(limit: Int = Int(Int32.max)) throws(FormatError) -> Int {
        let value = try readVarint()
        guard value <= UInt64(limit) else { throw .malformed("count \(value) exceeds \(limit)") }
        return Int(value)
    }

    mutating func readBytes(_ count: Int) throws(FormatError) -> UnsafeRawBufferPointer {
        try need(count)
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: base[offset..<(offset + count)])
    }

    mutating func readString() throws(FormatError) -> String {
        let length = try readCount(limit: base.count)
        let raw = try readBytes(length)
        return String(decoding: raw, as: UTF8.self)
    }
}

/// A structural problem found while decoding (the caller adds the file name).
enum FormatError: Error, Hashable {
    case truncated
    case malformed(String)

    /// The message for any error thrown while decoding.
    static func describe(_ error: any Error) -> String {
        (error as? FormatError)?.message ?? String(describing: error)
    }

    var message: String {
        switch self {
        case .truncated: "unexpected end of data (truncated or corrupt)"
        case .malformed(let what): what
        }
    }
}
