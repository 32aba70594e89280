import MedIndex

/// Parses the query language (README "Query syntax"):
///
/// ```
/// query   := orExpr
/// orExpr  := andExpr (("OR" | <juxtaposition>) andExpr)*   juxtaposition = default operator
/// andExpr := unary ("AND" unary)*
/// unary   := "NOT" unary | "+" primary | "-" primary | primary
/// primary := "(" orExpr ")" | [field ":"] (word | "\"" words "\"") ["~" N] ["^" boost] | word "*"
/// ```
/// Fields: `title:`, `heading:`, `body:`. Errors carry the 1-based column of the problem.
public struct QueryParser: Sendable {
    /// When true, juxtaposed clauses are all required (`--all`); otherwise any may match.
    public var requireAll: Bool
    /// Prefixes shorter than this are rejected (`r*` would match half the dictionary).
    public var minimumPrefixLength: Int
    /// Longest accepted query, in bytes, and deepest nesting.
    public var maximumLength = 100_000
    public var maximumDepth = 64
    public var maximumClauses = 1_024

    public init(requireAll: Bool = false, minimumPrefixLength: Int = 2) {
        self.requireAll = requireAll
        self.minimumPrefixLength = minimumPrefixLength
    }

    public func parse(_ text: String) throws(QuerySyntaxError) -> Query {
        guard text.utf8.count <= maximumLength else {
            throw QuerySyntaxError(message: "query is longer than \(maximumLength) bytes", column: 1, query: String(text.prefix(80)))
        }
        var state = State(characters: Array(text), text: text, parser: self)
        let query = try state.parseOr(depth: 0)
        state.skipSpaces()
        if state.index < state.characters.count {
            if state.characters[state.index] == ")" { throw state.error("unbalanced ')': no '(' opens it") }
            throw state.error("unexpected '\(state.characters[state.index])'")
        }
        guard state.clauseCount > 0 else { throw QuerySyntaxError(message: "empty query", column: 1, query: text) }
        return query
    }

    private struct State {
        let characters: [Character]
        let text: String
        let parser: QueryParser
        var index = 0
        var clauseCount = 0

        func error(_ message: String, at column: Int? = nil) -> QuerySyntaxError {
            QuerySyntaxError(message: message, column: (column ?? index) + 1, query: text)
        }

        mutating func skipSpaces() {
            while index < characters.count, characters[index].isWhitespace || characters[index].isQueryControl { index += 1 }
        }

        var atEnd: Bool { index >= characters.count }

        /// The bare word at the cursor, if it is `keyword`, followed by a space, quote or paren.
        func isKeyword(_ keyword: String) -> Bool {
            let word = Array(keyword)
            guard index + word.count <= characters.count, Array(characters[index..<(index + word.count)]) == word else { return false }
            let after = index + word.count
            return after == characters.count || characters[after].isWhitespace || characters[after] == "(" || characters[after] == "\""
        }

        mutating func parseOr(depth: Int) throws(QuerySyntaxError) -> Query {
            guard depth < parser.maximumDepth else { throw error("parentheses nested deeper than \(parser.maximumDepth) levels") }
            var should: [Query] = []
            var must: [Query] = []
            var mustNot: [Query] = []
            var explicitOr = false
            while true {
                skipSpaces()
                if atEnd || characters[index] == ")" { break }
                if isKeyword("OR") {
                    if should.isEmpty, must.isEmpty, mustNot.isEmpty { throw error("'OR' needs a term before it") }
                    let operatorStart = index
                    index += 2
                    skipSpaces()
                    if atEnd || characters[index] == ")" { throw error("'OR' needs a term after it", at: operatorStart) }
                    explicitOr = true
                    continue
                }
                if isKeyword("AND") { throw error("'AND' needs a term before it") }
                let (clause, occur) = try parseAnd(depth: depth)
                switch occur {
                case .must: must.append(clause)
                case .mustNot: mustNot.append(clause)
                case .should:
                    if parser.requireAll, !explicitOr { must.append(clause) } else { should.append(clause) }
                }
                explicitOr = false
            }
            if should.count == 1, must.isEmpty, mustNot.isEmpty { return should[0] }
            if must.count == 1, should.isEmpty, mustNot.isEmpty { return must[0] }
            if should.isEmpty, must.isEmpty, !mustNot.isEmpty {
                throw error("a query cannot only exclude terms; add a term to search for", at: 0)
            }
            return .boolean(should: should, must: must, mustNot: mustNot)
        }

        enum Occur { case should, must, mustNot }

        mutating func parseAnd(depth: Int) throws(QuerySyntaxError) -> (Query, Occur) {
            var (first, occur) = try parseUnary(depth: depth)
            var operands: [(Query, Occur)] = [(first, occur)]
            while true {
                let save = index
                skipSpaces()
                guard isKeyword("AND") else { index = save; break }
                let operatorStart = index
                index += 3
                skipSpaces()
                if atEnd || characters[index] == ")" { throw error("'AND' needs a term after it", at: operatorStart) }
                operands.append(try parseUnary(depth: depth))
            }
            guard operands.count > 1 else { return (first, occur) }
            let must = operands.filter { $0.1 != .mustNot }.map(\.0)
            let mustNot = operands.filter { $0.1 == .mustNot }.map(\.0)
            first = .boolean(should: [], must: must, mustNot: mustNot)
            occur = .should
            return (first, occur)
        }

        mutating func parseUnary(depth: Int) throws(QuerySyntaxError) -> (Query, Occur) {
            skipSpaces()
            if isKeyword("NOT") {
                // `NOT NOT x` is `NOT x`. A loop, not recursion: a 100 KB chain of NOTs overflowed
                // the stack.
                while isKeyword("NOT") {
                    index += 3
                    skipSpaces()
                    if atEnd || characters[index] == ")" { throw error("'NOT' needs a term after it") }
                }
                let (inner, _) = try parseUnary(depth: depth)
                return (inner, .mustNot)
            }
            if characters[index] == "+" || characters[index] == "-" {
                let sign = characters[index]
                index += 1
                if atEnd || characters[index].isWhitespace { throw error("'\(sign)' must be followed directly by a term", at: index - 1) }
                return (try parsePrimary(depth: depth), sign == "+" ? .must : .mustNot)
            }
            return (try parsePrimary(depth: depth), .should)
        }

        mutating func parsePrimary(depth: Int) throws(QuerySyntaxError) -> Query {
            skipSpaces()
            guard !atEnd else { throw error("expected a term") }
            if characters[index] == "(" {
                let open = index
                index += 1
                let inner = try parseOr(depth: depth + 1)
                skipSpaces()
                guard !atEnd, characters[index] == ")" else { throw error("unbalanced '(': no ')' closes it", at: open) }
                index += 1
                return inner
            }
            if characters[index] == ")" { throw error("unbalanced ')': no '(' opens it") }
            // Optional field scope.
            var field: Field?
            let start = index
            var lookahead = index
            while lookahead < characters.count, characters[lookahead].isLetter { lookahead += 1 }
            if lookahead < characters.count, characters[lookahead] == ":", lookahead > index {
                let name = String(characters[index..<lookahead]).lowercased()
                switch name {
                case "title": field = .title
                case "heading", "section": field = .heading
                case "body", "text": field = .body
                default:
                    throw error("unknown field '\(name)' (fields: title, heading, body)", at: start)
                }
                index = lookahead + 1
                guard !atEnd, !characters[index].isWhitespace else { throw error("'\(name):' must be followed by a term") }
            }
            clauseCount += 1
            guard clauseCount <= parser.maximumClauses else { throw error("more than \(parser.maximumClauses) terms") }
            if characters[index] == "\"" {
                let open = index
                index += 1
                var words = ""
                while index < characters.count, characters[index] != "\"" {
                    words.append(characters[index])
                    index += 1
                }
                guard index < characters.count else { throw error("unbalanced '\"': the phrase is not closed", at: open) }
                index += 1
                let trimmed = words.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                guard !trimmed.isEmpty else { throw error("empty phrase", at: open) }
                var slop = 0
                if index < characters.count, characters[index] == "~" {
                    index += 1
                    slop = try number(default: 2, limit: 50, what: "proximity")
                }
                let boost = try parseBoost()
                return .phrase(trimmed, slop: slop, field: field, boost: boost)
            }
            let wordStart = index
            var word = ""
            while index < characters.count {
                let c = characters[index]
                if c.isWhitespace || c == "(" || c == ")" || c == "\"" || c == "^" || c == "~" || c.isQueryControl { break }
                word.append(c)
                index += 1
            }
            guard !word.isEmpty else { throw error("expected a term", at: wordStart) }
            if word.hasSuffix("*") {
                let stem = String(word.dropLast())
                guard !stem.contains("*") else { throw error("'*' is only allowed at the end of a word", at: wordStart) }
                let letters = stem.filter { $0.isLetter || $0.isNumber }.count
                guard letters >= parser.minimumPrefixLength else {
                    throw error(stem.isEmpty ? "'*' needs a prefix before it (e.g. radiolog*)" : "prefix '\(stem)*' is too short; use at least \(parser.minimumPrefixLength) letters", at: wordStart)
                }
                return .prefix(stem, field: field, boost: try parseBoost())
            }
            if word.contains("*") { throw error("'*' is only allowed at the end of a word", at: wordStart) }
            if index < characters.count, characters[index] == "~" {
                index += 1
                let edits = try number(default: 2, limit: 2, what: "edit distance")
                return .fuzzy(word, maxEdits: edits, field: field, boost: try parseBoost())
            }
            return .term(word, field: field, boost: try parseBoost())
        }

        mutating func number(default value: Int, limit: Int, what: String) throws(QuerySyntaxError) -> Int {
            let start = index
            var digits = ""
            while index < characters.count, characters[index].isASCII, characters[index].isNumber {
                digits.append(characters[index])
                index += 1
            }
            if digits.isEmpty { return value }
            guard let n = Int(digits), n <= limit else { throw error("\(what) must be at most \(limit)", at: start) }
            return n
        }

        mutating func parseBoost() throws(QuerySyntaxError) -> Double {
            guard index < characters.count, characters[index] == "^" else { return 1 }
            index += 1
            let start = index
            var digits = ""
            while index < characters.count, characters[index].isNumber || characters[index] == "." {
                digits.append(characters[index])
                index += 1
            }
            guard let value = Double(digits), value > 0, value <= 1000 else {
                throw error("'^' must be followed by a boost between 0 and 1000 (e.g. mri^2)", at: start)
            }
            return value
        }
    }
}

extension Character {
    /// C0/C1 control characters (treated as spaces in queries).
    var isQueryControl: Bool {
        unicodeScalars.allSatisfy { $0.properties.generalCategory == .control }
    }
}
