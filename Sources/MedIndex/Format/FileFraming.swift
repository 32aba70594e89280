/// The frame every index file has (FORMAT.md §3): a 12-byte header — magic `MSRX`, a 4-byte
/// file kind, the format version (u32) — and an 8-byte footer — the CRC-32C of everything
/// before it (u32), then the magic `XRSM`.
enum FileKind: String, CaseIterable, Sendable {
    case terms = "TERM"
    case postings = "POST"
    case documents = "DOCS"
    case store = "STOR"
    case deletions = "DELS"

    /// The file name extension for this kind.
    var fileExtension: String {
        switch self {
        case .terms: "terms"
        case .postings: "postings"
        case .documents: "docs"
        case .store: "store"
        case .deletions: "del"
        }
    }
}

enum FileFraming {
    static let magic: [UInt8] = Array("MSRX".utf8)
    static let footerMagic: [UInt8] = Array("XRSM".utf8)
    static let headerSize = 12
    static let footerSize = 8

    static func writeHeader(_ kind: FileKind, version: UInt32, into writer: inout ByteWriter) {
        writer.writeBytes(magic)
        writer.writeBytes(Array(kind.rawValue.utf8))
        writer.writeUInt32(version)
    }

    static func writeFooter(into writer: inout ByteWriter) {
        let crc = CRC32C.checksum(writer.bytes)
        writer.writeUInt32(crc)
        writer.writeBytes(footerMagic)
    }

    /// Checks the header and footer magic, the kind and the version; returns the body (between
    /// header and footer). Does not verify the checksum (see ``verifyChecksum(_:)``): opening
    /// an index reads only headers and small tables.
    static func validate(_ data: UnsafeRawBufferPointer, kind: FileKind) throws(FramingError) -> (body: UnsafeRawBufferPointer, version: UInt32) {
        guard data.count >= headerSize + footerSize else { throw .tooShort(data.count) }
        guard Array(data[0..<4]) == magic else { throw .badMagic }
        let found = String(decoding: data[4..<8], as: UTF8.self)
        guard found == kind.rawValue else { throw .wrongKind(expected: kind.rawValue, found: found) }
        let version = UInt32(littleEndian: data.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        guard version >= FormatVersion.oldestReadable else { throw .versionTooOld(version) }
        guard version <= FormatVersion.current else { throw .versionTooNew(version) }
        guard Array(data[(data.count - 4)...]) == footerMagic else { throw .badFooter }
        return (UnsafeRawBufferPointer(rebasing: data[headerSize..<(data.count - footerSize)]), version)
    }

    /// Recomputes the CRC-32C and compares it with the footer's.
    static func verifyChecksum(_ data: UnsafeRawBufferPointer) throws(FramingError) {
        guard data.count >= headerSize + footerSize else { throw .tooShort(data.count) }
        let stored = UInt32(littleEndian: data.loadUnaligned(fromByteOffset: data.count - 8, as: UInt32.self))
        let actual = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: data[0..<(data.count - 8)]))
        guard stored == actual else { throw .checksumMismatch(stored: stored, actual: actual) }
    }
}

enum FramingError: Error, Hashable {
    case tooShort(Int)
    case badMagic
    case wrongKind(expected: String, found: String)
    case versionTooOld(UInt32)
    case versionTooNew(UInt32)
    case badFooter
    case checksumMismatch(stored: UInt32, actual: UInt32)

    var message: String {
        switch self {
        case .tooShort(let size): "file is \(size) bytes, too short to be an index file (truncated?)"
        case .badMagic: "not a MedSearch index file (bad magic)"
        case .wrongKind(let expected, let found): "file kind is '\(found)', expected '\(expected)'"
        case .versionTooOld(let version): "format version \(version) is older than the oldest readable (\(FormatVersion.oldestReadable))"
        case .versionTooNew(let version): "format version \(version) is newer than this medsearch supports (\(FormatVersion.current)); upgrade medsearch"
        case .badFooter: "footer missing (file truncated or overwritten)"
        case .checksumMismatch(let stored, let actual):
            "checksum mismatch (footer says \(String(stored, radix: 16)), data gives \(String(actual, radix: 16)))"
        }
    }
}

/// The on-disk format version (FORMAT.md §History).
public enum FormatVersion {
    /// The version this code writes.
    public static let current: UInt32 = 2
    /// The oldest version this code reads.
    public static let oldestReadable: UInt32 = 2
}
