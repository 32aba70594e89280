#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Caps the number of attributes in any one start tag before libxml2 sees the page.
///
/// libxml2 2.9's HTML parser checks each new attribute against every earlier one of the same tag
/// (a duplicate check), so one tag with k attributes costs O(k²): 100,000 attributes (1.5 MB)
/// took 20–40 s, and a 32 MiB page of them would take hours. No real page comes near the limit;
/// past it, the rest of the tag's attributes are blanked to spaces (the tag still ends where it
/// did). The scan follows libxml2's attribute syntax: a name, optionally `=` and a value that is
/// quoted (any bytes up to the matching quote) or unquoted (up to a blank or `>`).
enum AttributeLimit {
    static let maximum = 1_000

    /// `bytes`, or a copy with the attributes past ``maximum`` in any tag blanked.
    static func capped(_ bytes: [UInt8]) -> [UInt8] {
        var spans: [Range<Int>] = []
        bytes.withUnsafeBufferPointer { buffer in
            var i = 0
            let n = buffer.count
            guard let base = buffer.baseAddress else { return }
            while i < n {
                // Jump to the next `<` with memchr (vectorised in libc): most of a page is text and
                // attribute values, and a byte-at-a-time loop over them cost ~5% of extraction.
                guard let found = memchr(base + i, Int32(UInt8(ascii: "<")), n - i) else { break }
                i = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                guard i + 1 < n, isLetter(buffer[i + 1]) else {
                    i += 1
                    continue
                }
                i += 2
                while i < n, isNameByte(buffer[i]) { i += 1 }  // the tag name
                var count = 0
                var excessStart = -1
                while i < n {
                    let byte = buffer[i]
                    if isBlank(byte) { i += 1; continue }
                    if byte == UInt8(ascii: ">") || (byte == UInt8(ascii: "/") && i + 1 < n && buffer[i + 1] == UInt8(ascii: ">")) { break }
                    let attributeStart = i
                    while i < n, isNameByte(buffer[i]) { i += 1 }
                    if i == attributeStart {
                        // Not a name: libxml2 skips to the next blank or the end of the tag.
                        while i < n, !isBlank(buffer[i]), buffer[i] != UInt8(ascii: ">") { i += 1 }
                        continue
                    }
                    count += 1
                    if count == maximum + 1 { excessStart = attributeStart }
                    var j = i
                    while j < n, isBlank(buffer[j]) { j += 1 }
                    guard j < n, buffer[j] == UInt8(ascii: "=") else { continue }
                    i = j + 1
                    while i < n, isBlank(buffer[i]) { i += 1 }
                    guard i < n else { break }
                    let quote = buffer[i]
                    if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                        i += 1
                        // One past the closing quote, or n + 1 when it never comes.
                        let close = memchr(base + i, Int32(quote), n - i)
                        i = close.map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? n
                        i += 1
                    } else {
                        while i < n, !isBlank(buffer[i]), buffer[i] != UInt8(ascii: ">") { i += 1 }
                    }
                }
                if excessStart >= 0 { spans.append(excessStart..<min(i, n)) }
            }
        }
        guard !spans.isEmpty else { return bytes }
        var copy = bytes
        for span in spans {
            for k in span { copy[k] = 0x20 }
        }
        return copy
    }

    @inline(__always) private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    @inline(__always) private static func isNameByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".") || byte >= 0x80
    }

    @inline(__always) private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
