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
    /// Words of ≤ 7 bytes packed into integers for a hash-free-of-allocation lookup.
    private let packed: Set<UInt64>

    public init<S: Sequence>(_ words: S) where S.Element == String {
        let set = Set(words.map { $0.lowercased() }.filter { !$0.isEmpty })
        self.words = set
        self.packed = Set(set.compactMap { StopWords.pack(Array($0.utf8)) })
    }

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
        if words.isEmpty { return false }
        if let key = StopWords.pack(bytes) { return packed.contains(key) }
        return words.contains(String(decoding: bytes, as: UTF8.self))
    }

    @inline(__always)
    static func pack<C: Collection>(_ bytes: C) -> UInt64? where C.Element == UInt8 {
        guard bytes.count <= 7 else { return nil }
        var key: UInt64 = 0
        for byte in bytes { key = key << 8 | UInt64(byte) }
        return key | UInt64(bytes.count) << 56
    }
}

