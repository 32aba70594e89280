#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The byte pre-pass that runs before libxml2 sees a page.
///
/// libxml2 2.9 has silent encoding traps (see PLATFORM-NOTES): one invalid UTF-8 byte makes it
/// decode the rest of the page as Latin-1, a UTF-8 BOM survives as text, a NUL byte ends a parse
/// early. So every page is turned into valid UTF-8 here, and libxml2 is always told "UTF-8":
///
/// 1. a UTF-8 BOM is stripped; a UTF-16 BOM decodes the page as UTF-16;
/// 2. obvious binaries (images, archives, PDFs, or many control bytes) are rejected;
/// 3. valid UTF-8 is used as it is;
/// 4. otherwise, a declared single-byte Western charset (`<meta charset>` or the http-equiv form:
///    windows-1252, iso-8859-1, latin1, us-ascii — which WHATWG all decode as windows-1252) is
///    decoded as windows-1252; an undeclared page that is *mostly* UTF-8 keeps its UTF-8 and
///    gets U+FFFD for each bad sequence (so one stray byte cannot turn the rest into mojibake);
///    anything else is decoded as windows-1252;
/// 5. NUL bytes become spaces.
enum TextDecoding {
    /// Why a file's bytes were refused.
    enum Refusal: Error, Equatable {
        case binary(String)
    }

    /// The charset the page's bytes were decoded from.
    enum SourceEncoding: String, Sendable {
        case utf8 = "UTF-8"
        case utf8Repaired = "UTF-8 (invalid sequences replaced)"
        case utf16 = "UTF-16"
        case windows1252 = "windows-1252"
    }

    /// Returns the page as valid UTF-8 bytes with no NUL, or throws ``Refusal``.
    static func utf8Bytes(_ raw: [UInt8]) throws(Refusal) -> (bytes: [UInt8], encoding: SourceEncoding) {
        var bytes = raw[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return (replacingNUL(decodeUTF16(Array(bytes))), .utf16)
        }
        if let kind = binarySignature(bytes) { throw .binary(kind) }

        if isValidUTF8(bytes) {
            // The page as read, unless a BOM was dropped: no copy of the whole page.
            return (replacingNUL(bytes.count == raw.count ? raw : Array(bytes)), .utf8)
        }
        let declared = declaredCharset(bytes)
        if let declared, singleByteWesternLabels.contains(declared) {
            return (replacingNUL(decodeWindows1252(bytes)), .windows1252)
        }
        let (repaired, invalidCount, multibyteCount) = repairUTF8(bytes)
        // A page is "mostly UTF-8" when it declares UTF-8, or its valid multi-byte sequences
        // outnumber the bad ones, or bad sequences are rare; a Latin-1 page has an invalid
        // sequence at nearly every accented letter and no valid ones.
        if declared == "utf-8" || declared == "utf8" || multibyteCount > invalidCount || invalidCount * 200 < bytes.count {
            return (replacingNUL(repaired), .utf8Repaired)
        }
        return (replacingNUL(decodeWindows1252(bytes)), .windows1252)
    }

    // MARK: Binary detection

    /// File signatures of common binaries, built once (as a local literal they were allocated
    /// again for every page).
    private static let signatures: [(prefix: [UInt8], name: String)] = [
        ([0x89, 0x50, 0x4E, 0x47], "PNG image"),
        ([0xFF, 0xD8, 0xFF], "JPEG image"),
        ([0x47, 0x49, 0x46, 0x38], "GIF image"),
        ([0x25, 0x50, 0x44, 0x46], "PDF document"),
        ([0x50, 0x4B, 0x03, 0x04], "ZIP archive"),
        ([0x1F, 0x8B], "gzip data"),
        ([0x7F, 0x45, 0x4C, 0x46], "ELF executable"),
    ]

    private static func binarySignature(_ bytes: ArraySlice<UInt8>) -> String? {
        for signature in signatures where bytes.starts(with: signature.prefix) {
            return signature.name
        }
        // Text has few control bytes; binary data is full of them. Look at the first 4 KiB.
        let head = bytes.prefix(4096)
        guard !head.isEmpty else { return nil }
        // Counted 16 bytes at a time (this runs on every page; a byte loop over the slice cost
        // ~30,000 instructions a page).
        let controls = head.withUnsafeBufferPointer { head in
            var controls = 0
            var offset = 0
            if let base = head.baseAddress {
                let below = SIMD16<UInt8>(repeating: 0x20)
                let tab = SIMD16<UInt8>(repeating: 0x09), newline = SIMD16<UInt8>(repeating: 0x0A)
                let formFeed = SIMD16<UInt8>(repeating: 0x0C), carriageReturn = SIMD16<UInt8>(repeating: 0x0D)
                var lanes = SIMD16<UInt8>()
                // 4096 / 16 = 256 blocks: lanes are added up every 128 so none passes 255.
                var blocks = 0
                while offset + 16 <= head.count {
                    let block = UnsafeRawPointer(base + offset).loadUnaligned(as: SIMD16<UInt8>.self)
                    let control = (block .< below) .& .!(block .== tab) .& .!(block .== newline)
                        .& .!(block .== formFeed) .& .!(block .== carriageReturn)
                    lanes &-= unsafeBitCast(control, to: SIMD16<UInt8>.self)
                    offset += 16
                    blocks += 1
                    if blocks == 128 {
                        controls += Int(SIMD16<UInt16>(truncatingIfNeeded: lanes).wrappedSum())
                        lanes = SIMD16()
                        blocks = 0
                    }
                }
                controls += Int(SIMD16<UInt16>(truncatingIfNeeded: lanes).wrappedSum())
            }
            for byte in head[offset...] where byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D && byte != 0x0C {
                controls += 1
            }
            return controls
        }
        return controls * 10 > head.count ? "binary data (\(controls) control bytes in the first \(head.count))" : nil
    }

    // MARK: UTF-8

    /// Whether `bytes` is well-formed UTF-8 (shortest forms, no surrogates, ≤ U+10FFFF).
    static func isValidUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withContiguousStorageIfAvailable { buffer -> Bool in
            var i = 0
            let n = buffer.count
            while i < n {
                // ASCII fast path: 32 bytes at a time, then 8.
                while i + 32 <= n {
                    let first = UnsafeRawPointer(buffer.baseAddress! + i).loadUnaligned(as: SIMD16<UInt8>.self)
                    let second = UnsafeRawPointer(buffer.baseAddress! + i + 16).loadUnaligned(as: SIMD16<UInt8>.self)
                    let words = unsafeBitCast(first | second, to: SIMD2<UInt64>.self)
                    if (words[0] | words[1]) & 0x8080_8080_8080_8080 != 0 { break }
                    i += 32
                }
                while i + 8 <= n {
                    let word = UnsafeRawPointer(buffer.baseAddress! + i).loadUnaligned(as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 != 0 { break }
                    i += 8
                }
                guard i < n else { break }
                let length = sequenceLength(buffer, at: i)
                if length == 0 { return false }
                i += length
            }
            return true
        } ?? isValidUTF8(ArraySlice(Array(bytes)))
    }

    /// The length of the valid UTF-8 sequence starting at `i`, or 0 if it is invalid.
    @inline(__always)
    static func sequenceLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let n = b.count
        let c0 = b[i]
        if c0 < 0x80 { return 1 }
        func cont(_ j: Int) -> Bool { j < n && b[j] & 0xC0 == 0x80 }
        switch c0 {
        case 0xC2...0xDF:
            return cont(i + 1) ? 2 : 0
        case 0xE0:
            return i + 1 < n && (0xA0...0xBF).contains(b[i + 1]) && cont(i + 2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF:
            return cont(i + 1) && cont(i + 2) ? 3 : 0
        case 0xED:
            return i + 1 < n && (0x80...0x9F).contains(b[i + 1]) && cont(i + 2) ? 3 : 0
        case 0xF0:
            return i + 1 < n && (0x90...0xBF).contains(b[i + 1]) && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF1...0xF3:
            return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF4:
            return i + 1 < n && (0x80...0x8F).contains(b[i + 1]) && cont(i + 2) && cont(i + 3) ? 4 : 0
        default:
            return 0
        }
    }

    /// Replaces each maximal invalid subsequence with U+FFFD; returns the repaired bytes and how
    /// many replacements were made.
    static func repairUTF8(_ bytes: ArraySlice<UInt8>) -> ([UInt8], Int, Int) {
        let array = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(array.count + 16)
        var invalid = 0
        var multibyte = 0
        array.withUnsafeBufferPointer { buffer in
            var i = 0
            while i < buffer.count {
                let length = sequenceLength(buffer, at: i)
                if length == 0 {
                    out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    invalid += 1
                    i += 1
                } else {
                    if length > 1 { multibyte += 1 }
                    out.append(contentsOf: buffer[i..<(i + length)])
                    i += length
                }
            }
        }
        return (out, invalid, multibyte)
    }

    private static func replacingNUL(_ bytes: [UInt8]) -> [UInt8] {
        let hasNUL = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { memchr($0, 0, buffer.count) != nil } ?? false
        }
        guard hasNUL else { return bytes }
        return bytes.map { $0 == 0 ? 0x20 : $0 }
    }

    // MARK: Other encodings

    private static func decodeUTF16(_ bytes: [UInt8]) -> [UInt8] {
        let bigEndian = bytes.starts(with: [0xFE, 0xFF])
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = 2
        while i + 1 < bytes.count {
            let unit = bigEndian
                ? UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])
                : UInt16(bytes[i + 1]) << 8 | UInt16(bytes[i])
            units.append(unit)
            i += 2
        }
        return Array(String(decoding: units, as: UTF16.self).utf8)
    }

    /// windows-1252's 0x80–0x9F block (0 marks the five unassigned bytes, kept as C1 controls).
    private static let windows1252High: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    static func decodeWindows1252(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        for byte in bytes {
            if byte < 0x80 {
                out.append(byte)
                continue
            }
            var scalar = UInt32(byte)
            if byte < 0xA0, windows1252High[Int(byte - 0x80)] != 0 {
                scalar = windows1252High[Int(byte - 0x80)]
            }
            appendUTF8(scalar, to: &out)
        }
        return out
    }

    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    static let singleByteWesternLabels: Set<String> = [
        "windows-1252", "cp1252", "x-cp1252", "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1",
        "l1", "us-ascii", "ascii", "iso-8859-15", "latin-1",
    ]

    /// The charset named by a `<meta charset=…>` or `content="…; charset=…"` in the first 4 KiB,
    /// lowercased, or nil.
    static func declaredCharset(_ bytes: ArraySlice<UInt8>) -> String? {
        let head = Array(bytes.prefix(4096)).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        let needle = Array("charset".utf8)
        var i = 0
        while i + needle.count < head.count {
            if head[i] == needle[0], Array(head[i..<(i + needle.count)]) == needle {
                var j = i + needle.count
                while j < head.count, head[j] == 0x20 { j += 1 }
                guard j < head.count, head[j] == UInt8(ascii: "=") else { i += 1; continue }
                j += 1
                while j < head.count, head[j] == 0x20 || head[j] == 0x22 || head[j] == 0x27 { j += 1 }
                var label: [UInt8] = []
                while j < head.count, label.count < 40 {
                    let c = head[j]
                    let isLabel = (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x5F || c == 0x3A || c == 0x2E
                    guard isLabel else { break }
                    label.append(c)
                    j += 1
                }
                if !label.isEmpty { return String(decoding: label, as: UTF8.self) }
            }
            i += 1
        }
        return nil
    }
}
