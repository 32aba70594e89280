import Foundation

/// The one analyzer MedSearch uses for documents, queries and highlighting.
///
/// Text → words (Unicode-aware, over UTF-8 bytes with an ASCII fast path) → domain rules
/// (compounds, dotted acronyms, possessives, numbers with units) → case and diacritic folding
/// (NFKC-equivalent for compatibility characters) → stopwords (keeping positions) → Porter2.
///
/// The rules, each pinned by tests in `MedAnalysisTests`:
/// - **Compounds**: "X-ray", "F-18", "post-primary" give their parts at consecutive positions
///   *and* the joined form ("xray") at the first part's position, so `x-ray`, `x ray` and `xray`
///   all match.
/// - **Dotted acronyms**: "R.N." → "rn"; "R.T.(R)" → "rt", "r". Parentheses separate, so
///   "RT(R)(CT)" → "rt", "r", "ct".
/// - **Possessives**: "technologist's" → "technologist"; "nurses'" → "nurses".
/// - **Numbers**: "1.5T", "3T", "24/7", "1,000" (→ "1000") stay one token; tokens with digits
///   are not stemmed.
/// - **One-letter tokens are kept** ("x" in "x ray").
/// - **Folding**: lowercase; diacritics removed ("é" → "e"); "ß" → "ss"; ligatures, full-width
///   forms and other compatibility characters decomposed (NFKD, then marks dropped); soft hyphens
///   and zero-width characters ignored inside words; no-break and other Unicode spaces separate.
/// - **CJK**: each Han, Hiragana or Katakana character is a token of its own.
///
/// `Analyzer` is an immutable value and `Sendable`; ``analyze(_:startPosition:_:)`` allocates
/// nothing per token on the ASCII path.
public struct Analyzer: Sendable {
    public let stopWords: StopWords
    public let stemming: Bool
    /// A name for the stopword setting, recorded in the descriptor ("english", "none", "custom").
    public let stopWordsName: String
    private let stemmer = EnglishStemmer()

    /// Words written in capitals that are kept even though their lowercase form is a stopword.
    static let capitalisedExceptions: Set<String> = ["it", "or"]

    public init(stopWords: StopWords = .english, stopWordsName: String = "english", stemming: Bool = true) {
        self.stopWords = stopWords
        self.stopWordsName = stopWordsName
        self.stemming = stemming
    }

    /// The default: English stopwords and Porter2 stemming.
    public static let standard = Analyzer()

    /// The analyzer's identity, stored in the index manifest.
    public var descriptor: AnalyzerDescriptor {
        AnalyzerDescriptor(
            name: AnalyzerDescriptor.currentName,
            version: AnalyzerDescriptor.currentVersion,
            stemmer: stemming ? "porter2-snowball3" : "none",
            stopwords: stopWordsName,
            stopwordsHash: AnalyzerDescriptor.hash(stopWords.words.sorted().joined(separator: "\n"))
        )
    }

    /// Re-creates the analyzer an index was built with.
    /// - Throws: ``AnalyzerDescriptor/Mismatch`` if the descriptor names an unknown analyzer or
    ///   stopword list that cannot be rebuilt.
    public init(descriptor: AnalyzerDescriptor, customStopWords: StopWords? = nil) throws(AnalyzerDescriptor.Mismatch) {
        guard descriptor.name == AnalyzerDescriptor.currentName, descriptor.version == AnalyzerDescriptor.currentVersion else {
            throw .unknownAnalyzer(name: descriptor.name, version: descriptor.version)
        }
        let stopWords: StopWords
        switch descriptor.stopwords {
        case "english": stopWords = .english
        case "none": stopWords = .none
        default:
            guard let customStopWords else { throw .customStopWordsMissing }
            stopWords = customStopWords
        }
        self.init(stopWords: stopWords, stopWordsName: descriptor.stopwords, stemming: descriptor.stemmer != "none")
        guard self.descriptor == descriptor else { throw .different(expected: descriptor, actual: self.descriptor) }
    }

    // MARK: Convenience

    /// Analyzes `text` into owned tokens (allocates a String per token; use
    /// ``analyze(_:startPosition:_:)`` on hot paths).
    public func tokens(in text: String, startPosition: Int = 0) -> [Token] {
        var result: [Token] = []
        var copy = text
        copy.withUTF8 { bytes in
            _ = analyze(bytes, startPosition: startPosition) { token in
                result.append(Token(term: token.termString, position: token.position, utf8Range: token.utf8Range))
            }
        }
        return result
    }

    /// The terms of `text`, in order (joined forms included).
    public func terms(in text: String) -> [String] { tokens(in: text).map(\.term) }

    /// Normalises one word as the analyzer would, without splitting: folding, then stemming.
    /// Returns nil for a stopword. Used for prefix and fuzzy query terms.
    public func normalize(word: String) -> String? {
        tokens(in: word).first?.term
    }

    /// Folds a word (case, diacritics, compatibility forms) without stemming, for prefix queries.
    public func fold(_ word: String) -> String {
        var bytes = Array(word.utf8)
        let isASCII = bytes.allSatisfy { $0 < 0x80 }
        if isASCII {
            for i in bytes.indices where bytes[i] >= 0x41 && bytes[i] <= 0x5A { bytes[i] |= 0x20 }
            return String(decoding: bytes, as: UTF8.self)
        }
        return Folding.fold(word)
    }

    // MARK: The tokenizer

    /// Analyzes UTF-8 `text`, calling `body` for every token in order. Returns the position after
    /// the last token (so a caller can continue numbering in the next field or passage).
    @discardableResult
    public func analyze(_ text: UnsafeBufferPointer<UInt8>, startPosition: Int = 0, _ body: (TokenView) -> Void) -> Int {
        var scanner = WordScanner(text: text)
        var position = startPosition
        var scratch = [UInt8]()
        scratch.reserveCapacity(64)
        var joined = [UInt8]()
        joined.reserveCapacity(64)
        while let word = scanner.next() {
            if word.isCJK {
                scratch.removeAll(keepingCapacity: true)
                scratch.append(contentsOf: text[word.range])
                emit(&scratch, position: position, range: word.range, joined: false, body)
                position += 1
                continue
            }
            let parts = scanner.parts
            joined.removeAll(keepingCapacity: true)
            var joinedIsASCII = true
            var joinedStemmable = true
            for (k, part) in parts.enumerated() {
                scratch.removeAll(keepingCapacity: true)
                normalizePart(part, buffer: scanner.buffer, into: &scratch)
                guard !scratch.isEmpty else { continue }
                if parts.count > 1 {
                    joined.append(contentsOf: scratch)
                    if part.hasNonASCII { joinedIsASCII = false }
                    if !part.isLettersOnly { joinedStemmable = false }
                }
                let keepCapitalised = part.isAllCaps && scratch.count == 2
                    && Self.capitalisedExceptions.contains(String(decoding: scratch, as: UTF8.self))
                if keepCapitalised || !isStopWord(scratch) {
                    finishTerm(&scratch, stem: part.isLettersOnly)
                    emit(&scratch, position: position + k, range: part.source, joined: false, body)
                }
            }
            if parts.count > 1, parts.count <= 6, !joined.isEmpty, joined.count <= WordScanner.maxTermBytes {
                finishTerm(&joined, stem: joinedIsASCII && joinedStemmable)
                emit(&joined, position: position, range: word.range, joined: true, body)
            }
            position += parts.count
        }
        return position
    }

    @inline(__always)
    private func isStopWord(_ term: [UInt8]) -> Bool {
        term.withUnsafeBufferPointer { stopWords.contains($0) }
    }

    @inline(__always)
    private func emit(_ term: inout [UInt8], position: Int, range: Range<Int>, joined: Bool, _ body: (TokenView) -> Void) {
        term.withUnsafeBufferPointer { buffer in
            body(TokenView(term: buffer, position: position, utf8Range: range, isJoinedForm: joined))
        }
    }

    /// Copies one part's characters (ASCII already lowercased by the scanner) into `out`,
    /// folding non-ASCII text, and drops a possessive suffix.
    private func normalizePart(_ part: WordScanner.Part, buffer: [UInt8], into out: inout [UInt8]) {
        if !part.hasNonASCII {
            out.append(contentsOf: buffer[part.bytes])
        } else {
            out.append(contentsOf: Folding.fold(String(decoding: buffer[part.bytes], as: UTF8.self)).utf8)
        }
        // "technologist's" → "technologist", "nurses'" → "nurses".
        if out.count > 2, out[out.count - 1] == UInt8(ascii: "s"), out[out.count - 2] == UInt8(ascii: "'") {
            out.removeLast(2)
        } else if out.last == UInt8(ascii: "'") {
            out.removeLast()
        }
    }

    @inline(__always)
    private func finishTerm(_ term: inout [UInt8], stem: Bool) {
        if stemming, stem { stemmer.stem(&term) }
    }
}

/// The analyzer's identity as stored in an index: opening an index with a different analyzer is
/// an error, not silently missed terms.
public struct AnalyzerDescriptor: Codable, Hashable, Sendable, CustomStringConvertible {
    public static let currentName = "medsearch-english"
    public static let currentVersion = 1

    public var name: String
    public var version: Int
    public var stemmer: String
    public var stopwords: String
    /// FNV-1a 64 of the sorted stopwords joined by newlines, in hex.
    public var stopwordsHash: String

    public var description: String { "\(name) v\(version) (stemmer \(stemmer), stopwords \(stopwords) \(stopwordsHash))" }

    static func hash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    /// Why an index's analyzer cannot be used.
    public enum Mismatch: Error, Hashable, CustomStringConvertible {
        case unknownAnalyzer(name: String, version: Int)
        case customStopWordsMissing
        case different(expected: AnalyzerDescriptor, actual: AnalyzerDescriptor)

        public var description: String {
            switch self {
            case .unknownAnalyzer(let name, let version):
                "the index was built with analyzer '\(name)' v\(version), which this version of medsearch does not have"
            case .customStopWordsMissing:
                "the index was built with a custom stopword list; pass the same --stopwords file"
            case .different(let expected, let actual):
                "the index was built with analyzer \(expected), not \(actual)"
            }
        }
    }
}

/// Unicode folding for words with non-ASCII characters: compatibility decomposition (NFKD, which
/// also maps ligatures and full-width forms), marks removed, lowercased, and a few letters that
/// have no decomposition spelled out ("ß" → "ss", "æ" → "ae", "ø" → "o", ...).
enum Folding {
    static let specialLetters: [Unicode.Scalar: String] = [
        "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
        "\u{2019}": "'", "\u{02BC}": "'",
    ]

    static func fold(_ word: String) -> String {
        let decomposed = word.decomposedStringWithCompatibilityMapping.lowercased()
        var out = String.UnicodeScalarView()
        for scalar in decomposed.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark, .format:
                continue
            default:
                if let replacement = specialLetters[scalar] {
                    out.append(contentsOf: replacement.unicodeScalars)
                } else {
                    out.append(scalar)
                }
            }
        }
        return String(out)
    }
}
