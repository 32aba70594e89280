import Foundation

/// Writes one index file as a stream: bytes go to a temporary file (`.NAME.tmp-PID`) through a
/// buffer while the CRC-32C runs over them, and ``finish()`` appends the footer, fsyncs and
/// renames the file into place. A segment's postings or store can be far larger than the writer's
/// memory budget, so no file is ever built whole in memory.
///
/// A sink that is dropped without ``finish()`` removes its temporary file.
final class FileSink {
    let url: URL
    private let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var crc: UInt32 = 0
    /// Bytes written so far, header included (buffered ones too).
    private(set) var count = 0
    private static let bufferSize = 1 << 20

    /// Creates the temporary file and writes the frame header (FORMAT.md §3).
    init(_ url: URL, kind: FileKind) throws(IndexError) {
        self.url = url
        temporaryPath = AtomicFile.temporaryURL(for: url).path
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io(path: temporaryPath, reason: String(cString: strerror(errno))) }
        buffer.reserveCapacity(Self.bufferSize)
        var header = ByteWriter(capacity: FileFraming.headerSize)
        FileFraming.writeHeader(kind, version: FormatVersion.current, into: &header)
        try write(header.bytes)
    }

    deinit {
        if descriptor >= 0 {
            close(descriptor)
            unlink(temporaryPath)
        }
    }

    /// The body offset the next byte will have (offsets inside a file are relative to the body).
    var bodyOffset: Int { count - FileFraming.headerSize }

    func write(_ bytes: [UInt8]) throws(IndexError) {
        count += bytes.count
        if buffer.count + bytes.count > Self.bufferSize { try flush() }
        if bytes.count >= Self.bufferSize {
            crc = bytes.withUnsafeBytes { CRC32C.checksum($0, seed: crc) }
            try check(bytes.withUnsafeBytes { writeOut($0) })
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    private func flush() throws(IndexError) {
        guard !buffer.isEmpty else { return }
        crc = buffer.withUnsafeBytes { CRC32C.checksum($0, seed: crc) }
        try check(buffer.withUnsafeBytes { writeOut($0) })
        buffer.removeAll(keepingCapacity: true)
    }

    private func check(_ failure: String?) throws(IndexError) {
        if let failure { throw .io(path: url.path, reason: "write failed: \(failure)") }
    }

    private func writeOut(_ raw: UnsafeRawBufferPointer) -> String? { writeFully(descriptor, raw) }

    /// Appends the footer (CRC-32C of every earlier byte, then `XRSM`), fsyncs, closes and renames
    /// the file into place. Returns the file's size and CRC for the manifest.
    func finish() throws(IndexError) -> Manifest.FileInfo {
        try flush()
        let checksum = crc
        var footer = ByteWriter(capacity: FileFraming.footerSize)
        footer.writeUInt32(checksum)
        footer.writeBytes(FileFraming.footerMagic)
        try check(footer.bytes.withUnsafeBytes { writeOut($0) })
        count += footer.count
        guard fsync(descriptor) == 0 else {
            throw .io(path: url.path, reason: "write failed: \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        descriptor = -1
        try AtomicFile.publish(temporaryPath, as: url)
        return Manifest.FileInfo(bytes: count, crc32c: checksum)
    }
}

/// Writes all of `raw` to `descriptor` (retrying short writes and EINTR); returns the error's
/// description on failure.
func writeFully(_ descriptor: Int32, _ raw: UnsafeRawBufferPointer) -> String? {
    var written = 0
    while written < raw.count {
        let result = write(descriptor, raw.baseAddress! + written, raw.count - written)
        if result < 0 {
            if errno == EINTR { continue }
            return String(cString: strerror(errno))
        }
        written += result
    }
    return nil
}
