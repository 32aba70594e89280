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
    /// Whether stemming goes through the per-thread ``StemCache`` (tests turn it off to compare).
    var cachesStems = true
    /// Whether plain ASCII words take the fast path (tests turn it off to compare with
    /// ``WordScanner``).
    var takesASCIIFastPath = true

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

    /// Analyzes `text` into owned tokens. Terms of up to 15 UTF-8 bytes (nearly all) are stored
    /// inline in their `String`, so on the ASCII path the only allocations are the array's
    /// geometric growth; ``analyze(_:startPosition:_:)`` avoids even those.
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
    ///
    /// Words of ASCII letters and digits (plain, possessive or hyphenated; see ``ASCIIWord``)
    /// take a fast path: lowercased into a stack buffer, looked up as stopwords, stemmed through
    /// this thread's ``StemCache`` and handed to `body`. Every other word (dotted acronyms,
    /// numbers with separators, non-ASCII text) goes through ``WordScanner``, whose buffers are
    /// allocated once per call when first needed. Both paths give the same tokens; on ASCII text
    /// neither allocates per token (folding non-ASCII words does).
    @discardableResult
    public func analyze(_ text: UnsafeBufferPointer<UInt8>, startPosition: Int = 0, _ body: (TokenView) -> Void) -> Int {
        guard let base = text.baseAddress, !text.isEmpty else { return startPosition }
        let cache = stemming && cachesStems ? StemCache.forCurrentThread() : nil
        let stackBytes = ASCIIWord.bufferSize + GeneralWords.stackBytes
        return withUnsafeTemporaryAllocation(byteCount: stackBytes, alignment: 16) { stack in
            let word = stack.baseAddress!.initializeMemory(as: UInt8.self, repeating: 0, count: ASCIIWord.bufferSize)
            var general = GeneralWords(text: text, stack: stack.baseAddress! + ASCIIWord.bufferSize)
            var position = startPosition
            var i = 0
            while i < text.count {
                let byte = base[i]
                if byte < 0x80 {
                    guard ASCIIWord.isAlphanumeric(byte) else {
                        i += 1
                        continue
                    }
                    if takesASCIIFastPath, let scanned = ASCIIWord.scan(base, count: text.count, from: i, into: word) {
                        emitASCIIWord(scanned, source: base, word: word, position: position, cache: cache, body)
                        position += scanned.parts
                        i = scanned.end
                        continue
                    }
                }
                general.scanner.index = i
                guard let next = general.analyzeNext(self, position: position, cache: cache, body) else { break }
                position = next
                i = general.scanner.index
            }
            return position
        }
    }

    /// The fast path's second half: stopword checks, stemming and emission of the tokens of a
    /// word found by ``ASCIIWord/scan(_:count:from:into:)`` (its term lowercased in `word`).
    @inline(__always)
    private func emitASCIIWord(
        _ scanned: ASCIIWord, source: UnsafePointer<UInt8>, word: UnsafeMutablePointer<UInt8>,
        position: Int, cache: StemCache?, _ body: (TokenView) -> Void
    ) {
        if scanned.parts > 1 {
            emitCompound(scanned, source: source, word: word, position: position, cache: cache, body)
            return
        }
        let length = scanned.length
        // Overlong parts are never words; their position stays reserved.
        guard length <= WordScanner.maxTermBytes else { return }
        // "IT", "OR" (and "IT'S") in capitals are kept although "it" and "or" are stopwords.
        let keepCapitalised = length == 2 && ASCIIWord.isUppercase(source[scanned.start])
            && ASCIIWord.isUppercase(source[scanned.start + 1])
            && (!scanned.isPossessive || source[scanned.end - 1] == UInt8(ascii: "S"))
            && Self.isCapitalisedException(UnsafeBufferPointer(start: word, count: 2))
        emitPart(word, count: length, stemmable: !scanned.hasDigit, keepCapitalised: keepCapitalised,
                 position: position, range: scanned.start..<scanned.end, cache: cache, body)
    }

    /// Emits the parts of a hyphenated ASCII compound at consecutive positions, then its joined
    /// form at the first part's position (as the general path does).
    private func emitCompound(
        _ scanned: ASCIIWord, source: UnsafePointer<UInt8>, word: UnsafeMutablePointer<UInt8>,
        position: Int, cache: StemCache?, _ body: (TokenView) -> Void
    ) {
        let part = word + ASCIIWord.partOffset
        var partStart = scanned.start
        var offset = 0
        var joinedStemmable = true
        for k in 0..<scanned.parts {
            var partEnd = partStart
            var hasDigit = false
            var hasLowercase = false
            while partEnd < scanned.end, source[partEnd] != UInt8(ascii: "-") {
                if ASCIIWord.isDigit(source[partEnd]) { hasDigit = true }
                if ASCIIWord.isLowercase(source[partEnd]) { hasLowercase = true }
                partEnd += 1
            }
            let count = partEnd - partStart
            if hasDigit { joinedStemmable = false }
            // Stemmed in a copy: the joined form at the start of `word` must stay intact.
            part.update(from: word + offset, count: count)
            let keepCapitalised = count == 2 && !hasLowercase && !hasDigit
                && Self.isCapitalisedException(UnsafeBufferPointer(start: part, count: 2))
            emitPart(part, count: count, stemmable: !hasDigit, keepCapitalised: keepCapitalised,
                     position: position + k, range: partStart..<partEnd, cache: cache, body)
            offset += count
            partStart = partEnd + 1
        }
        var joinedLength = offset
        if stemming, joinedStemmable {
            joinedLength = stem(word, count: offset, cache: cache)
        }
        body(TokenView(term: UnsafeBufferPointer(start: word, count: joinedLength), position: position,
                       utf8Range: scanned.start..<scanned.end, isJoinedForm: true))
    }

    /// Emits one lowercase ASCII term unless it is a stopword (and not kept as a capitalised
    /// exception), stemmed if `stemmable`. `term` has room for ``StemCache/paddedBytes``.
    @inline(__always)
    private func emitPart(
        _ term: UnsafeMutablePointer<UInt8>, count: Int, stemmable: Bool, keepCapitalised: Bool,
        position: Int, range: Range<Int>, cache: StemCache?, _ body: (TokenView) -> Void
    ) {
        if !keepCapitalised, stopWords.contains(padded: term, count: count) { return }
        var termLength = count
        if stemming, stemmable {
            termLength = stem(term, count: count, cache: cache)
        }
        body(TokenView(term: UnsafeBufferPointer(start: term, count: termLength), position: position,
                       utf8Range: range, isJoinedForm: false))
    }

    /// Stems `count` bytes at `word` in place (through `cache` if there is one) and returns the
    /// stem's length; `word` has room for ``StemCache/paddedBytes``.
    @inline(__always)
    private func stem(_ word: UnsafeMutablePointer<UInt8>, count: Int, cache: StemCache?) -> Int {
        if let cache { return cache.stem(word, count: count, stemmer: stemmer) }
        return stemmer.stem(word, count: count)
    }

    /// Whether the lowercase `term` is one of ``capitalisedExceptions`` (without building a String).
    @inline(__always)
    static func isCapitalisedException(_ term: UnsafeBufferPointer<UInt8>) -> Bool {
        capitalisedExceptionBytes.contains { term.elementsEqual($0) }
    }

    /// ``capitalisedExceptions`` as bytes.
    private static let capitalisedExceptionBytes: [[UInt8]] = capitalisedExceptions.map { Array($0.utf8) }

    /// The general path: the scanner and the scratch buffers for one word's terms. The buffers
    /// start on the caller's stack (``stackBytes``) and move to the heap only for words too long
    /// for it, so a call normally allocates nothing.
    private struct GeneralWords: ~Copyable {
        var scanner: WordScanner
        var scratch: ScratchBuffer<UInt8>
        var joined: ScratchBuffer<UInt8>

        /// Bytes of stack the buffers start in: the scanner's word buffer and six parts, and two
        /// terms with room for stemming. With ``ASCIIWord/bufferSize`` at most 1 KiB, which
        /// `withUnsafeTemporaryAllocation` puts on the stack without a run-time check.
        static var stackBytes: Int { wordBytes + partsBytes + 2 * termBytes }
        private static var wordBytes: Int { 192 }
        private static var partsBytes: Int { 6 * MemoryLayout<WordScanner.Part>.stride }
        private static var termBytes: Int { 128 + StemCache.paddedBytes }

        /// `stack` is ``stackBytes`` bytes, 8-byte aligned, that outlive this value.
        init(text: UnsafeBufferPointer<UInt8>, stack: UnsafeMutableRawPointer) {
            let parts = stack + Self.wordBytes
            let terms = parts + Self.partsBytes
            scanner = WordScanner(
                text: text,
                buffer: ScratchBuffer(lending: stack, byteCount: Self.wordBytes),
                parts: ScratchBuffer(lending: parts, byteCount: Self.partsBytes)
            )
            scratch = ScratchBuffer(lending: terms, byteCount: Self.termBytes)
            joined = ScratchBuffer(lending: terms + Self.termBytes, byteCount: Self.termBytes)
        }

        /// Scans the next word from ``WordScanner/index`` and emits its tokens; returns the
        /// position after the word, or nil at the end of the text.
        mutating func analyzeNext(_ analyzer: Analyzer, position: Int, cache: StemCache?, _ body: (TokenView) -> Void) -> Int? {
            guard let word = scanner.next() else { return nil }
            if word.isCJK {
                scratch.removeAll()
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: scanner.text[word.range]))
                Analyzer.emit(scratch.elements, position: position, range: word.range, joined: false, body)
                return position + 1
            }
            let partCount = scanner.parts.count
            joined.removeAll()
            var joinedIsASCII = true
            var joinedStemmable = true
            for k in 0..<partCount {
                let part = scanner.parts[k]
                scratch.removeAll()
                Analyzer.normalizePart(part, buffer: scanner.buffer, into: &scratch)
                guard !scratch.isEmpty else { continue }
                if partCount > 1 {
                    joined.append(contentsOf: scratch.elements)
                    if part.hasNonASCII { joinedIsASCII = false }
                    if !part.isLettersOnly { joinedStemmable = false }
                }
                let keepCapitalised = part.isAllCaps && scratch.count == 2 && Analyzer.isCapitalisedException(scratch.elements)
                if keepCapitalised || !analyzer.stopWords.contains(scratch.elements) {
                    analyzer.finishTerm(&scratch, stem: part.isLettersOnly, cache: cache)
                    Analyzer.emit(scratch.elements, position: position + k, range: part.source, joined: false, body)
                }
            }
            if partCount > 1, partCount <= 6, !joined.isEmpty, joined.count <= WordScanner.maxTermBytes {
                analyzer.finishTerm(&joined, stem: joinedIsASCII && joinedStemmable, cache: cache)
                Analyzer.emit(joined.elements, position: position, range: word.range, joined: true, body)
            }
            return position + partCount
        }
    }

    @inline(__always)
    private static func emit(_ term: UnsafeBufferPointer<UInt8>, position: Int, range: Range<Int>, joined: Bool, _ body: (TokenView) -> Void) {
        body(TokenView(term: term, position: position, utf8Range: range, isJoinedForm: joined))
    }

    /// Copies one part's characters (ASCII already lowercased by the scanner) into `out`,
    /// folding non-ASCII text, and drops a possessive suffix.
    private static func normalizePart(_ part: WordScanner.Part, buffer: borrowing ScratchBuffer<UInt8>, into out: inout ScratchBuffer<UInt8>) {
        if !part.hasNonASCII {
            out.append(contentsOf: buffer.slice(part.bytes))
        } else {
            var folded = Folding.fold(String(decoding: buffer.slice(part.bytes), as: UTF8.self))
            folded.withUTF8 { out.append(contentsOf: $0) }
        }
        // "technologist's" → "technologist", "nurses'" → "nurses".
        let count = out.count
        if count > 2, out[count - 1] == UInt8(ascii: "s"), out[count - 2] == UInt8(ascii: "'") {
            out.removeLast(2)
        } else if count > 0, out[count - 1] == UInt8(ascii: "'") {
            out.removeLast()
        }
    }

    /// Stems `term` in place when stemming is on and `stem` says the term is a word.
    @inline(__always)
    private func finishTerm(_ term: inout ScratchBuffer<UInt8>, stem: Bool, cache: StemCache?) {
        guard stemming, stem, !term.isEmpty else { return }
        term.reserve(term.count + StemCache.paddedBytes)
        term.count = self.stem(term.base, count: term.count, cache: cache)
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
