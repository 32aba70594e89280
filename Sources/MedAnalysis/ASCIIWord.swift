/// The analyzer's fast path: a word made of ASCII letters and digits whose tokens are certain
/// without the general scanner's rules. Three shapes qualify:
/// - a plain word ("technologist", "MRI", "2024");
/// - a possessive, a word ending in a letter followed by `'s` or `’s` ("bachelor's" → "bachelor");
/// - a compound of up to six such runs joined by single hyphens, at most
///   ``WordScanner/maxTermBytes`` bytes in all ("X-ray", "entry-level", "ICD-10").
///
/// In each case the word must end the text or be followed by an ASCII byte that is neither a
/// letter nor a digit and is not a joiner (`-` `'` `.` `,` `/`) followed by a letter, a digit or
/// a non-ASCII byte. Anything else (acronym dots, numbers with separators, non-ASCII letters)
/// goes to ``WordScanner``, which gives the same tokens for these shapes, only slower.
struct ASCIIWord {
    /// The word's bytes in the source text (possessive ending included).
    var start: Int
    var end: Int
    /// Bytes written to the buffer: the lowercased term, or for a compound its parts back to
    /// back (the joined form). For a plain word longer than the buffer, its length in the text.
    var length: Int
    /// The number of hyphen-separated parts: 1 unless a compound.
    var parts: Int
    /// Whether the word (of one part) has a digit, so is not stemmed.
    var hasDigit: Bool
    /// Whether the word ends in a possessive `'s` (or `’s`), not part of the term.
    var isPossessive: Bool

    /// Size of the buffer ``scan(_:count:from:into:)`` writes to: the term at offset 0 and a
    /// compound's current part at ``partOffset``, each with ``StemCache/paddedBytes`` to spare.
    static let bufferSize = 256
    /// Where a compound's part is copied to be stemmed, leaving the joined form intact.
    static let partOffset = 128

    @inline(__always)
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10
    }

    @inline(__always)
    static func isUppercase(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "A") < 26
    }

    @inline(__always)
    static func isLowercase(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "a") < 26
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    /// `-` `'` `.` `,` `/`: the ASCII bytes that can continue a word when a word character follows.
    @inline(__always)
    static func isJoiner(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "-") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "/")
    }

    /// Whether a word ending before `i` certainly ends there: the end of the text, or an ASCII
    /// byte that is not a letter or digit and is not a joiner followed by a letter, digit or
    /// non-ASCII byte.
    @inline(__always)
    static func endsCleanly(_ text: UnsafePointer<UInt8>, count: Int, at i: Int) -> Bool {
        guard i < count else { return true }
        let next = text[i]
        if next >= 0x80 || isAlphanumeric(next) { return false }
        if isJoiner(next), i + 1 < count {
            let after = text[i + 1]
            if after >= 0x80 || isAlphanumeric(after) { return false }
        }
        return true
    }

    /// Scans the word starting at `start` (an ASCII letter or digit), writing its term bytes
    /// lowercased to `word` (and possibly a few bytes past them). Returns nil if the word needs
    /// the general scanner.
    @inline(__always)
    static func scan(_ text: UnsafePointer<UInt8>, count: Int, from start: Int, into word: UnsafeMutablePointer<UInt8>) -> ASCIIWord? {
        let (end, hasDigit) = scanRun(text, count: count, from: start, into: word)
        if endsCleanly(text, count: count, at: end) {
            return ASCIIWord(start: start, end: end, length: end - start, parts: 1, hasDigit: hasDigit, isPossessive: false)
        }
        let length = end - start
        guard length <= WordScanner.maxTermBytes - 2 else { return nil }
        if isLowercase(text[end - 1] | 0x20), let possessiveEnd = possessiveEnd(text, count: count, at: end) {
            return ASCIIWord(start: start, end: possessiveEnd, length: length, parts: 1, hasDigit: hasDigit, isPossessive: true)
        }
        return scanCompound(text, count: count, from: start, firstPartEnd: end, into: word)
    }

    /// The end of a possessive `'s` or `’s` at `i` after a letter, if it ends the word cleanly.
    @inline(__always)
    private static func possessiveEnd(_ text: UnsafePointer<UInt8>, count: Int, at i: Int) -> Int? {
        var s = i + 1  // where the "s" must be
        if text[i] == 0xE2 {
            // U+2019 RIGHT SINGLE QUOTATION MARK, E2 80 99.
            guard i + 2 < count, text[i + 1] == 0x80, text[i + 2] == 0x99 else { return nil }
            s = i + 3
        } else if text[i] != UInt8(ascii: "'") {
            return nil
        }
        guard s < count, text[s] | 0x20 == UInt8(ascii: "s"), endsCleanly(text, count: count, at: s + 1) else { return nil }
        return s + 1
    }

    /// Scans a compound whose first part (already written) ends at `firstPartEnd`: parts of ASCII
    /// letters and digits joined by single hyphens, written back to back.
    private static func scanCompound(
        _ text: UnsafePointer<UInt8>, count: Int, from start: Int, firstPartEnd: Int, into word: UnsafeMutablePointer<UInt8>
    ) -> ASCIIWord? {
        var i = firstPartEnd
        var written = firstPartEnd - start
        var parts = 1
        while i + 1 < count, text[i] == UInt8(ascii: "-"), isAlphanumeric(text[i + 1]) {
            i += 1
            while i < count, isAlphanumeric(text[i]) {
                guard written < WordScanner.maxTermBytes else { return nil }
                word[written] = text[i] | 0x20  // digits already have the 0x20 bit
                written += 1
                i += 1
            }
            parts += 1
            guard parts <= 6 else { return nil }
        }
        guard parts > 1, endsCleanly(text, count: count, at: i) else { return nil }
        return ASCIIWord(start: start, end: i, length: written, parts: parts, hasDigit: false, isPossessive: false)
    }

    /// Scans the run of ASCII letters and digits at `start`, writing up to ``partOffset`` bytes
    /// of it lowercased to `word`. Returns the run's end and whether it has a digit.
    @inline(__always)
    private static func scanRun(
        _ text: UnsafePointer<UInt8>, count: Int, from start: Int, into word: UnsafeMutablePointer<UInt8>
    ) -> (end: Int, hasDigit: Bool) {
        var i = start
        var hasDigit = false
        let limit = min(count, start + partOffset)
        // Eight bytes at a time while they are all letters or digits.
        while i + 8 <= limit {
            let chunk = UInt64(littleEndian: UnsafeRawPointer(text + i).loadUnaligned(as: UInt64.self))
            let lower = chunk | 0x2020_2020_2020_2020  // digits already have the 0x20 bit
            UnsafeMutableRawPointer(word + (i - start)).storeBytes(of: lower.littleEndian, as: UInt64.self)
            let digits = bytesInRange(chunk, UInt8(ascii: "0"), UInt8(ascii: "9"))
            let letters = bytesInRange(lower, UInt8(ascii: "a"), UInt8(ascii: "z"))
            let stops = ~(digits | letters) & 0x8080_8080_8080_8080
            if stops != 0 {
                let length = stops.trailingZeroBitCount / 8
                let before = (UInt64(1) << UInt64(8 * length)) &- 1
                return (i + length, hasDigit || digits & before != 0)
            }
            if digits != 0 { hasDigit = true }
            i += 8
        }
        while i < limit {
            let byte = text[i]
            if isLowercase(byte | 0x20) {
                word[i - start] = byte | 0x20
            } else if isDigit(byte) {
                word[i - start] = byte
                hasDigit = true
            } else {
                break
            }
            i += 1
        }
        if i == limit {
            // Longer than the buffer: never a term, but its end must still be found.
            while i < count, isAlphanumeric(text[i]) { i += 1 }
        }
        return (i, hasDigit)
    }

    /// For each byte of `chunk`, the high bit set if the byte is in `low...high` (both < 0x80);
    /// other bits clear. Bytes ≥ 0x80 are never in range.
    @inline(__always)
    static func bytesInRange(_ chunk: UInt64, _ low: UInt8, _ high: UInt8) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let seven = chunk & 0x7F7F_7F7F_7F7F_7F7F
        // Per byte (no carries: each sum stays below 0x100): high bit set iff byte ≥ low, resp. > high.
        let atLeastLow = seven &+ ones &* UInt64(0x80 - low)
        let aboveHigh = seven &+ ones &* UInt64(0x7F - high)
        return atLeastLow & ~aboveHigh & ~chunk & 0x8080_8080_8080_8080
    }
}
