/// Equivalences between the ways healthcare careers are written — "MRI" and "magnetic resonance
/// imaging", "LPN" and "LVN", "ARRT" and "American Registry of Radiologic Technologists" — applied
/// at query time as weighted alternatives, so the index stays plain.
///
/// Text format (the built-in list, ``builtinSource``, and user files share it), one rule a line:
/// - `a | b | c` — a two-way group: each variant stands for the others;
/// - `a => b | c` — one-way: the left side expands to the right, not back (for short or
///   ambiguous forms);
/// - `#` starts a comment; blank lines are ignored.
/// Variants are analyzed with the index's analyzer; multi-word variants match as phrases.
public struct HealthcareVocabulary: Sendable, Hashable {
    /// One rule: the variants and whether only the first expands to the others.
    public struct Rule: Sendable, Hashable {
        public var variants: [String]
        public var oneWay: Bool
        /// The 1-based line the rule came from.
        public var line: Int
    }

    public let rules: [Rule]
    /// FNV-1a 64 of the source text, in hex (recorded in the index manifest).
    public let sourceHash: String

    /// An error in a vocabulary file, with its line.
    public struct ParseError: Error, Hashable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Parses the vocabulary text format.
    public static func parse(_ text: String) throws(ParseError) -> HealthcareVocabulary {
        // Lines and separators are found on the UTF-8 bytes ('\n', '|', "=>" are ASCII, so they
        // never fall inside a multi-byte character): splitting the whole text by Character took
        // about 3 ms of every start-up for the built-in list.
        let bytes = Array(text.utf8)
        var rules: [Rule] = []
        var lineStart = 0
        var lineNumber = 0
        while lineStart <= bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            lineNumber += 1
            if let rule = try parseRule(bytes[lineStart..<lineEnd], line: lineNumber) { rules.append(rule) }
            lineStart = lineEnd + 1
        }
        return HealthcareVocabulary(rules: rules, sourceHash: AnalyzerDescriptor.hash(text))
    }

    /// One line: nil for a blank line or a comment.
    private static func parseRule(_ line: ArraySlice<UInt8>, line number: Int) throws(ParseError) -> Rule? {
        func text(_ range: Range<Int>) -> String { String(decoding: line[range], as: UTF8.self).trimmingSpaces() }
        let whole = text(line.startIndex..<line.endIndex)
        if whole.isEmpty || whole.hasPrefix("#") { return nil }
        func split(_ range: Range<Int>) -> [String] {
            var parts: [String] = []
            var start = range.lowerBound
            for i in range where line[i] == UInt8(ascii: "|") {
                parts.append(text(start..<i))
                start = i + 1
            }
            parts.append(text(start..<range.upperBound))
            return parts
        }
        var oneWay = false
        var variants: [String]
        if let arrow = line.indices.first(where: { $0 + 1 < line.endIndex && line[$0] == UInt8(ascii: "=") && line[$0 + 1] == UInt8(ascii: ">") }) {
            oneWay = true
            let left = text(line.startIndex..<arrow)
            guard !left.isEmpty, !left.contains("|") else {
                throw ParseError(line: number, message: "a one-way rule needs exactly one variant before '=>'")
            }
            variants = [left] + split((arrow + 2)..<line.endIndex)
        } else {
            variants = split(line.startIndex..<line.endIndex)
        }
        if variants.contains(where: \.isEmpty) {
            throw ParseError(line: number, message: "empty variant (check for a doubled or trailing '|')")
        }
        guard variants.count >= 2 else {
            throw ParseError(line: number, message: "a rule needs at least two variants separated by '|' or '=>'")
        }
        return Rule(variants: variants.map { $0.lowercased() }, oneWay: oneWay, line: number)
    }

    /// The vocabulary that ships with MedSearch.
    public static let builtin: HealthcareVocabulary = {
        do {
            return try parse(builtinSource)
        } catch {
            preconditionFailure("built-in vocabulary does not parse: \(error)")
        }
    }()

    /// An empty vocabulary (synonyms off).
    public static let empty = HealthcareVocabulary(rules: [], sourceHash: "0")

    /// This vocabulary followed by `other`'s rules (a user file extends the built-in list).
    public func merged(with other: HealthcareVocabulary) -> HealthcareVocabulary {
        HealthcareVocabulary(rules: rules + other.rules, sourceHash: AnalyzerDescriptor.hash(sourceHash + other.sourceHash))
    }
}

/// A vocabulary compiled for one analyzer: every variant analyzed into its terms, indexed by its
/// first term, so a query's terms are matched in one pass.
public struct SynonymMatcher: Sendable {
    /// A variant as analyzed terms with their relative positions (stopwords leave gaps).
    public struct Variant: Sendable, Hashable {
        public var terms: [String]
        public var offsets: [Int]
        public var text: String
    }

    /// A place in a query where a variant matched, and what it expands to.
    public struct Match: Sendable, Hashable {
        /// The index of the first matched query term and how many terms matched.
        public var start: Int
        public var length: Int
        /// The variant that matched, as written in the vocabulary.
        public var matched: String
        /// The other variants this one stands for.
        public var alternatives: [Variant]
    }

    private struct Entry: Sendable {
        var variant: Variant
        var rule: Int
        var canExpand: Bool
    }

    private let byFirstTerm: [String: [Entry]]
    private let variantsByRule: [[Variant]]
    private let oneWay: [Bool]

    public init(vocabulary: HealthcareVocabulary, analyzer: Analyzer) {
        var byFirstTerm: [String: [Entry]] = [:]
        var variantsByRule: [[Variant]] = []
        var oneWay: [Bool] = []
        for (ruleIndex, rule) in vocabulary.rules.enumerated() {
            var variants: [Variant] = []
            for text in rule.variants {
                // The joined form of a compound ("xray") is not a separate word of the variant.
                let tokens = tokens(analyzer, text).words
                guard let first = tokens.first else { variants.append(Variant(terms: [], offsets: [], text: text)); continue }
                variants.append(Variant(terms: tokens.map(\.term), offsets: tokens.map { $0.position - first.position }, text: text))
            }
            for (k, variant) in variants.enumerated() where !variant.terms.isEmpty {
                let canExpand = !rule.oneWay || k == 0
                guard canExpand else { continue }
                byFirstTerm[variant.terms[0], default: []].append(Entry(variant: variant, rule: ruleIndex, canExpand: true))
            }
            variantsByRule.append(variants)
            oneWay.append(rule.oneWay)
        }
        // Longest variants first, so "magnetic resonance imaging" wins over "magnetic".
        self.byFirstTerm = byFirstTerm.mapValues { $0.sorted { $0.variant.terms.count > $1.variant.terms.count } }
        self.variantsByRule = variantsByRule
        self.oneWay = oneWay
    }

    /// The variants found in a query's terms (by consecutive positions), longest match first at
    /// each start, without overlaps.
    public func matches(terms: [String], positions: [Int]) -> [Match] {
        var result: [Match] = []
        var i = 0
        while i < terms.count {
            var best: [Match] = []
            var bestLength = 0
            for entry in byFirstTerm[terms[i]] ?? [] {
                let variant = entry.variant
                guard variant.terms.count >= bestLength, i + variant.terms.count <= terms.count else { continue }
                var ok = true
                for k in 0..<variant.terms.count where terms[i + k] != variant.terms[k] || positions[i + k] - positions[i] != variant.offsets[k] {
                    ok = false
                    break
                }
                guard ok else { continue }
                let alternatives = variantsByRule[entry.rule].filter { $0 != variant && !$0.terms.isEmpty }
                let match = Match(start: i, length: variant.terms.count, matched: variant.text, alternatives: alternatives)
                if variant.terms.count > bestLength {
                    best = [match]
                    bestLength = variant.terms.count
                } else {
                    best.append(match)
                }
            }
            if best.isEmpty {
                i += 1
            } else {
                result.append(contentsOf: best)
                i += bestLength
            }
        }
        return result
    }
}

/// The analyzer's tokens split into words and joined forms.
private func tokens(_ analyzer: Analyzer, _ text: String) -> (words: [Token], joined: [Token]) {
    var words: [Token] = []
    var joined: [Token] = []
    var copy = text
    copy.withUTF8 { bytes in
        _ = analyzer.analyze(bytes) { token in
            let owned = Token(term: token.termString, position: token.position, utf8Range: token.utf8Range)
            if token.isJoinedForm { joined.append(owned) } else { words.append(owned) }
        }
    }
    return (words, joined)
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
