import Testing
@testable import MedAnalysis

/// Terms, positions and byte ranges for each tokenizer rule.
@Suite("Analyzer rules")
struct AnalyzerTests {
    let analyzer = Analyzer.standard

    func terms(_ text: String) -> [String] { analyzer.terms(in: text) }

    @Test("every byte range slices back to the source text")
    func rangesSliceBack() {
        let text = "The technologist's X-ray (RT(R)(CT)) at 1.5T — café résumé 24/7, R.N. ﬁnal"
        let bytes = Array(text.utf8)
        for token in analyzer.tokens(in: text) {
            #expect(token.utf8Range.upperBound <= bytes.count)
            #expect(!String(decoding: bytes[token.utf8Range], as: UTF8.self).isEmpty)
        }
    }

    @Test("hyphenated words give parts and the joined form at the first part's position")
    func compounds() {
        let tokens = analyzer.tokens(in: "X-ray room")
        #expect(tokens.map(\.term) == ["x", "ray", "xray", "room"])
        #expect(tokens.map(\.position) == [0, 1, 0, 2])
        #expect(tokens[2].utf8Range == 0..<5)
        #expect(terms("F-18") == ["f", "18", "f18"])
        #expect(terms("post-primary").contains("postprimari"))
        #expect(terms("xray") == ["xray"])
        #expect(terms("x ray") == ["x", "ray"])
    }

    @Test("dotted acronyms and credentials in parentheses")
    func acronyms() {
        #expect(terms("R.N.") == ["rn"])
        #expect(terms("R.T.(R)") == ["rt", "r"])
        #expect(terms("RT(R)(CT)") == ["rt", "r", "ct"])
        #expect(analyzer.tokens(in: "R.N. license")[0].utf8Range == 0..<3)
    }

    @Test("possessives drop 's")
    func possessives() {
        #expect(terms("technologist's") == terms("technologist"))
        #expect(terms("technologist’s") == terms("technologist"))
        #expect(terms("nurses'") == terms("nurses"))
    }

    @Test("numbers with units stay one token and are not stemmed")
    func numbers() {
        #expect(terms("1.5T magnet") == ["1.5t", "magnet"])
        #expect(terms("3T") == ["3t"])
        #expect(terms("24/7") == ["24/7"])
        #expect(terms("1,000 hours") == ["1000", "hour"])
    }

    @Test("one-letter tokens are kept")
    func oneLetter() {
        #expect(terms("vitamin D") == ["vitamin", "d"])
    }

    @Test("case, diacritic and compatibility folding")
    func folding() {
        #expect(terms("Café") == terms("cafe"))
        #expect(terms("Straße") == ["strass"])
        #expect(terms("ﬁnal") == terms("final"))
        #expect(terms("ＭＲＩ") == ["mri"])
        #expect(terms("radio\u{00AD}logy") == terms("radiology"))
        #expect(terms("sono\u{200B}grapher") == terms("sonographer"))
        #expect(terms("MRI\u{00A0}safety") == ["mri", "safeti"])
    }

    @Test("CJK characters become one token each")
    func cjk() {
        #expect(terms("放射線") == ["放", "射", "線"])
    }

    @Test("stopwords are dropped but keep their positions")
    func stopwordPositions() {
        let tokens = analyzer.tokens(in: "certified in nuclear medicine")
        #expect(tokens.map(\.term) == ["certifi", "nuclear", "medicin"])
        #expect(tokens.map(\.position) == [0, 2, 3])
        #expect(Analyzer(stopWords: .none, stopWordsName: "none").terms(in: "in the OR").count == 3)
    }

    @Test("capitalised IT and OR are terms; lowercase it and or are stopwords")
    func acronymCollisions() {
        #expect(terms("scrub in the OR") == ["scrub", "or"])
        #expect(terms("do it or not").contains("or") == false)
        #expect(terms("IT support") == ["it", "support"])
        #expect(terms("US scan") == ["us", "scan"])
    }

    @Test("invalid UTF-8 never crashes and never joins words")
    func invalidBytes() {
        let bytes: [UInt8] = Array("mri".utf8) + [0xFF, 0xC3] + Array(" scan".utf8)
        var terms: [String] = []
        bytes.withUnsafeBufferPointer { buffer in
            _ = analyzer.analyze(buffer) { terms.append($0.termString) }
        }
        #expect(terms == ["mri", "scan"])
    }

    @Test("descriptor round-trips and detects a different analyzer")
    func descriptor() throws {
        let rebuilt = try Analyzer(descriptor: analyzer.descriptor)
        #expect(rebuilt.descriptor == analyzer.descriptor)
        var other = analyzer.descriptor
        other.version = 99
        #expect(throws: AnalyzerDescriptor.Mismatch.self) { try Analyzer(descriptor: other) }
    }
}

@Suite("Healthcare vocabulary")
struct VocabularyTests {
    @Test("the built-in vocabulary parses and has at least 80 rules")
    func builtin() {
        #expect(HealthcareVocabulary.builtin.rules.count >= 80)
    }

    @Test("parse errors name the line")
    func parseErrors() {
        #expect(throws: HealthcareVocabulary.ParseError(line: 2, message: "a rule needs at least two variants separated by '|' or '=>'")) {
            try HealthcareVocabulary.parse("mri | magnetic resonance imaging\nlonely\n")
        }
        #expect(throws: HealthcareVocabulary.ParseError.self) { try HealthcareVocabulary.parse("a | | b") }
    }

    @Test("multi-word variants match as consecutive terms; one-way rules expand one way")
    func matching() throws {
        let vocabulary = try HealthcareVocabulary.parse("mri | magnetic resonance imaging\npa => physician assistant\n")
        let matcher = SynonymMatcher(vocabulary: vocabulary, analyzer: .standard)
        let words = Analyzer.standard.tokens(in: "magnetic resonance imaging safety")
        let matches = matcher.matches(terms: words.map(\.term), positions: words.map(\.position))
        #expect(matches.count == 1)
        #expect(matches[0].length == 3)
        #expect(matches[0].alternatives.map(\.text) == ["mri"])
        let back = Analyzer.standard.tokens(in: "physician assistant")
        #expect(matcher.matches(terms: back.map(\.term), positions: back.map(\.position)).isEmpty)
        #expect(matcher.matches(terms: ["pa"], positions: [0]).first?.alternatives.map(\.text) == ["physician assistant"])
    }
}
