import Foundation
import Testing
import MedTestSupport
@testable import MedAnalysis

/// The analyzer's speed-ups (the ASCII fast path, the per-thread stem cache, the packed stopword
/// lookup) must not change a single token: each is compared here with the plain path it replaces.
@Suite("Analyzer fast paths")
struct AnalyzerFastPathTests {
    /// One token with everything the index and the highlighter use.
    struct Emitted: Hashable, CustomStringConvertible {
        var term: String
        var position: Int
        var range: Range<Int>
        var isJoinedForm: Bool

        var description: String { "\(term)@\(position)[\(range.lowerBound)..<\(range.upperBound)]\(isJoinedForm ? "j" : "")" }
    }

    /// The first difference between two token lists, or nil (keeps failure messages short).
    static func firstDifference(_ lhs: [Emitted], _ rhs: [Emitted]) -> String? {
        guard lhs != rhs else { return nil }
        let index = zip(lhs, rhs).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(lhs.count, rhs.count)
        let left = lhs.indices.contains(index) ? lhs[index].description : "end"
        let right = rhs.indices.contains(index) ? rhs[index].description : "end"
        return "token \(index): \(left) vs \(right)"
    }

    static func emitted(_ analyzer: Analyzer, _ bytes: [UInt8], startPosition: Int = 0) -> (tokens: [Emitted], end: Int) {
        var tokens: [Emitted] = []
        let end = bytes.withUnsafeBufferPointer { buffer in
            analyzer.analyze(buffer, startPosition: startPosition) { token in
                tokens.append(Emitted(term: token.termString, position: token.position, range: token.utf8Range, isJoinedForm: token.isJoinedForm))
            }
        }
        return (tokens, end)
    }

    /// Words of every shape the fast path takes or declines, edge cases included.
    static let shapes: [String] = [
        "technologist", "Technologists", "MRI", "mri", "2024", "B12", "x", "X", "IT", "It", "it", "OR", "or", "US", "the", "THE",
        "X-ray", "x-ray", "X-RAY", "F-18", "ICD-10", "24-hour", "post-primary", "state-of-the-art", "a-b-c-d-e-f", "a-b-c-d-e-f-g",
        "IT-OR", "or-it", "the-end", "e-mail", "x-1.5", "a-b.c", "a-b,c", "a-b/c", "a-b's", "a--b", "-a-", "x-é", "x-’",
        "technologist's", "Technologist’s", "nurses'", "nurses’", "IT'S", "IT's", "it's", "It's", "IT’S", "IT’s", "OR's",
        "OR'S", "1990's", "x's", "s's", "b's's",
        "word's-level", "word's.", "word's'", "word'sx", "rock'n'roll", "'tis", "R.N.", "r.n.", "U.S.", "e.g.", "R.T.(R)", "RT(R)(CT)",
        "1.5T", "3T", "24/7", "1,000", "1,", ",5", "1.2.3", "café", "Café", "résumé", "Straße", "ﬁnal", "ＭＲＩ", "radio\u{00AD}logy",
        "sono\u{200B}grapher", "MRI\u{00A0}safety", "放射線", "naïve", "Ångström", "skies", "dying", "generalization", "happily",
        "yyy", "ySy", "Youth", "proceeding", "caresses", "internationalizations", "antidisestablishmentarianism",
        String(repeating: "ab", count: 49) + "'s", String(repeating: "ab", count: 50) + "'s", String(repeating: "c", count: 100),
        String(repeating: "c", count: 101), String(repeating: "c", count: 98) + "-d", String(repeating: "c", count: 99) + "-d",
        String(repeating: "7", count: 140), String(repeating: "x-", count: 40) + "y",
        // Longer than the general path's stack buffers, so they move to the heap.
        String(repeating: "é", count: 200), String(repeating: "é-", count: 20) + "x", String(repeating: "ab'", count: 100) + "c",
        "a.b.c.d.e.f.g.h.i.j.k.l.m.n.", String(repeating: "ﬃ", count: 60),
    ]

    static let separators = [" ", " ", " ", ", ", ". ", "\n", "(", ") ", "; ", "\"", "", "—", "\u{00A0}"]

    /// A deterministic mix of ``shapes`` joined by random separators.
    static func mixedText(words: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix(seed: seed)
        var text = ""
        for _ in 0..<words {
            text += shapes[random.below(shapes.count)]
            text += separators[random.below(separators.count)]
        }
        return Array(text.utf8)
    }

    /// Random characters from an alphabet dense in the bytes the rules look at.
    static func noise(characters: Int, seed: UInt64) -> [UInt8] {
        let alphabet = ["a", "b", "e", "i", "s", "y", "t", "A", "S", "I", "T", "O", "R", "0", "1", "-", "-", "'", "'", ".", ",", "/",
                        " ", " ", "\n", "’", "é", "ß", "(", ")"].map { Array($0.utf8) }
        var random = SplitMix(seed: seed)
        var bytes: [UInt8] = []
        for _ in 0..<characters { bytes += alphabet[random.below(alphabet.count)] }
        return bytes
    }

    static let analyzers: [Analyzer] = [
        .standard,
        Analyzer(stemming: false),
        Analyzer(stopWords: .none, stopWordsName: "none"),
        Analyzer(stopWords: StopWords(["radiologic", "x", "ray", "café", "internationalization", "a", "its"]), stopWordsName: "custom"),
    ]

    @Test("the ASCII fast path gives exactly the general scanner's tokens")
    func fastPathMatchesScanner() {
        let texts = [Self.mixedText(words: 20_000, seed: 1), Self.noise(characters: 100_000, seed: 2)]
            + Self.shapes.map { Array($0.utf8) }
        for analyzer in Self.analyzers {
            var general = analyzer
            general.takesASCIIFastPath = false
            for text in texts {
                let fast = Self.emitted(analyzer, text, startPosition: 7)
                let slow = Self.emitted(general, text, startPosition: 7)
                #expect(fast.end == slow.end)
                let difference = Self.firstDifference(fast.tokens, slow.tokens)
                #expect(difference == nil, "\(String(decoding: text.prefix(60), as: UTF8.self)): \(difference ?? "")")
            }
        }
    }

    @Test("results with the stem cache equal results without it, ASCII and non-ASCII")
    func stemCacheIsTransparent() {
        let texts = [Self.mixedText(words: 20_000, seed: 3), Self.noise(characters: 100_000, seed: 4),
                     Array("Über naïve café résumés; Ärzte, Röntgen-Technologinnen und Sonographie’s".utf8)]
        var uncached = Analyzer.standard
        uncached.cachesStems = false
        for text in texts {
            let expected = Self.emitted(uncached, text).tokens
            // Twice: the second run answers from the cache filled by the first.
            #expect(Self.firstDifference(Self.emitted(.standard, text).tokens, expected) == nil)
            #expect(Self.firstDifference(Self.emitted(.standard, text).tokens, expected) == nil)
        }
    }

    @Test("the stem cache returns the stemmer's result for every word, through hits and evictions")
    func stemCacheAgreesWithStemmer() {
        let cache = StemCache.allocate()
        defer { cache.deallocate() }
        let stemmer = EnglishStemmer()
        var random = SplitMix(seed: 5)
        let letters = Array("aeiouybcdlnrstgmp'".utf8) + [0xC3, 0xA9]  // "é" bytes, also alone
        var words: [[UInt8]] = []
        for _ in 0..<40_000 {
            let length = 1 + random.below(20)
            words.append((0..<length).map { _ in letters[random.below(letters.count)] })
        }
        words += ["happy", "skies", "generously", "'tis", "yyy", "running", "caresses", "résumé", "naïveté"].map { Array($0.utf8) }
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
        defer { buffer.deallocate() }
        var mismatches: [String] = []
        // 40,000 words over 12,288 entries: many evictions; the second round repeats words.
        for round in 0..<2 {
            for word in words + words.prefix(5_000) {
                var expected = word
                stemmer.stem(&expected)
                buffer.initialize(repeating: 0, count: 64)
                buffer.update(from: word, count: word.count)
                let length = cache.stem(buffer, count: word.count, stemmer: stemmer)
                if Array(UnsafeBufferPointer(start: buffer, count: length)) != expected, mismatches.count < 5 {
                    mismatches.append("round \(round): \(String(decoding: word, as: UTF8.self))")
                }
            }
        }
        #expect(mismatches.isEmpty)
    }

    @Test("each thread has its own stem cache, and analysis agrees across threads")
    func threads() async {
        let text = Self.mixedText(words: 5_000, seed: 6)
        let expected = Self.emitted(.standard, text).tokens
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask { Self.emitted(.standard, text).tokens == expected }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == [true, true, true, true])
    }

    @Test("the packed stopword lookup agrees with the set, for short, long and non-ASCII words")
    func stopWordLookup() {
        let lists = [StopWords.english, StopWords(["a", "internationalization", "café", "x"]), StopWords.none]
        let probes = ["a", "an", "and", "the", "their", "there", "these", "thesis", "into", "is", "it", "x", "ab", "",
                      "internationalization", "internationalizations", "café", "cafe", "with", "without"]
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
        defer { buffer.deallocate() }
        for list in lists {
            for probe in probes {
                let bytes = Array(probe.utf8)
                buffer.initialize(repeating: 0xFF, count: 64)
                buffer.update(from: bytes, count: bytes.count)
                let viaSet = list.words.contains(probe)
                #expect(bytes.withUnsafeBufferPointer { list.contains($0) } == viaSet, "\(probe)")
                #expect(list.contains(padded: buffer, count: bytes.count) == viaSet, "\(probe)")
            }
        }
        #expect(StopWords(["The", "a"]) == StopWords(["a", "the"]))
    }

    @Test("tokens(in:) matches analyze(_:) for the fast path's shapes")
    func tokensMatchAnalyze() {
        let text = String(decoding: Self.mixedText(words: 2_000, seed: 7), as: UTF8.self)
        let viaTokens = Analyzer.standard.tokens(in: text).map { Emitted(term: $0.term, position: $0.position, range: $0.utf8Range, isJoinedForm: false) }
        let viaAnalyze = Self.emitted(.standard, Array(text.utf8)).tokens.map { Emitted(term: $0.term, position: $0.position, range: $0.range, isJoinedForm: false) }
        #expect(Self.firstDifference(viaTokens, viaAnalyze) == nil)
    }
}

