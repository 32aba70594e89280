import Foundation

/// A stopword list: words too common to index. Stopwords are not indexed but keep their
/// positions, so a phrase like "certified in nuclear medicine" still matches with the gap.
///
/// The default list is Lucene's classic English set (33 words), the same one tantivy, Xapian's
/// examples and bm25s start from, chosen small on purpose: "who", "can" or "after" carry
/// meaning in career questions.
///
/// Acronym collisions, decided deliberately (see README "Text analysis"): "IT" and "OR" written in
/// capitals are kept as terms (information technology, operating room) while lowercase "it" and
/// "or" are dropped; "US" (ultrasound / United States) and "PA" are not stopwords at all.
public struct StopWords: Sendable, Hashable {
    /// The lowercase words.
    public let words: Set<String>
    /// Words of ≤ 7 bytes packed into integers, for a lookup that neither allocates nor hashes a
    /// String.
    private let packed: PackedWordTable
    /// The longest word's length in bytes when every word is ASCII: longer text is never a
    /// stopword. (`Int.max` otherwise: String comparison is by canonical equivalence, so text of
    /// another byte length can equal a non-ASCII word.)
    private let longestWord: Int

    public init<S: Sequence>(_ words: S) where S.Element == String {
        let set = Set(words.map { $0.lowercased() }.filter { !$0.isEmpty })
        self.words = set
        self.packed = PackedWordTable(set.compactMap { StopWords.pack(Array($0.utf8)) })
        let isASCII = set.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } }
        self.longestWord = isASCII ? set.map(\.utf8.count).max() ?? 0 : Int.max
    }

    /// Two lists are equal when they hold the same words.
    public static func == (lhs: StopWords, rhs: StopWords) -> Bool { lhs.words == rhs.words }

    public func hash(into hasher: inout Hasher) { hasher.combine(words) }

    /// Lucene's classic English stop set.
    public static let english = StopWords([
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no",
        "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this",
        "to", "was", "will", "with",
    ])

    /// No stopwords at all.
    public static let none = StopWords([String]())

    /// Parses a stopword file: one word per line; `#` starts a comment; blank lines are ignored.
    public static func parse(_ text: String) -> StopWords {
        StopWords(text.split(whereSeparator: \.isNewline).compactMap { line -> String? in
            let word = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first?
                .trimmingCharacters(in: .whitespaces) ?? ""
            return word.isEmpty ? nil : word
        })
    }

    /// Whether the lowercase bytes form a stopword.
    @inline(__always)
    public func contains(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if bytes.isEmpty || bytes.count > longestWord { return false }
        if let key = StopWords.pack(bytes) { return packed.contains(key) }
        return words.contains(String(decoding: bytes, as: UTF8.self))
    }

    /// Whether the `count` lowercase bytes at `bytes` form a stopword, where at least 8 bytes
    /// from `bytes` are readable (the analyzer's padded buffers): the word is packed with one
    /// load.
    @inline(__always)
    func contains(padded bytes: UnsafePointer<UInt8>, count: Int) -> Bool {
        if count == 0 || count > longestWord { return false }
        if count <= 7 {
            let chunk = UInt64(littleEndian: UnsafeRawPointer(bytes).loadUnaligned(as: UInt64.self))
            return packed.contains(chunk & ((1 << UInt64(8 * count)) - 1) | UInt64(count) << 56)
        }
        return words.contains(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self))
    }

    /// Up to 7 bytes as an integer: byte k in bits 8k..., the count in the top byte (so never 0).
    @inline(__always)
    static func pack<C: Collection>(_ bytes: C) -> UInt64? where C.Element == UInt8 {
        guard bytes.count <= 7 else { return nil }
        var key: UInt64 = 0
        for (k, byte) in bytes.enumerated() { key |= UInt64(byte) << UInt64(8 * k) }
        return key | UInt64(bytes.count) << 56
    }
}

/// A set of packed words (never 0: the length is in the top byte) as an open-addressing hash
/// table at most a quarter full, so a lookup usually reads one slot.
private struct PackedWordTable: Sendable {
    private let slots: [UInt64]
    private let shift: UInt64

    init(_ keys: [UInt64]) {
        var bits = 3
        while 1 << bits < keys.count * 4 { bits += 1 }
        shift = UInt64(64 - bits)
        var slots = [UInt64](repeating: 0, count: 1 << bits)
        for key in keys {
            var index = Self.home(key, shift: shift)
            while slots[index] != 0 && slots[index] != key { index = (index + 1) & (slots.count - 1) }
            slots[index] = key
        }
        self.slots = slots
    }

    @inline(__always)
    private static func home(_ key: UInt64, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    @inline(__always)
    func contains(_ key: UInt64) -> Bool {
        var index = Self.home(key, shift: shift)
        while true {
            let slot = slots[index]
            if slot == 0 { return false }
            if slot == key { return true }
            index = (index + 1) & (slots.count - 1)
        }
    }
}
