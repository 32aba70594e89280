public import MedIndex

/// A parsed query. Leaves hold the user's text; they are analyzed when the query is compiled
/// against an index (with that index's analyzer).
public indirect enum Query: Sendable, Hashable, CustomStringConvertible {
    /// A word (or a compound like "x-ray"), optionally field-scoped and boosted.
    case term(String, field: Field?, boost: Double)
    /// A quoted phrase; `slop` > 0 allows that many extra positions between the words.
    case phrase(String, slop: Int, field: Field?, boost: Double)
    /// Terms starting with a prefix (`radiolog*`).
    case prefix(String, field: Field?, boost: Double)
    /// Terms within `maxEdits` edits (`sonografer~`, `~1`, `~2`).
    case fuzzy(String, maxEdits: Int, field: Field?, boost: Double)
    /// Clauses: `should` (scored; at least one must match when there is no `must`), `must`
    /// (all must match), `mustNot` (none may match).
    case boolean(should: [Query], must: [Query], mustNot: [Query])

    /// The canonical text form, shown as `parsed_query` in JSON output.
    public var description: String {
        func scope(_ field: Field?) -> String { field.map { "\($0.name):" } ?? "" }
        func boost(_ value: Double) -> String { value == 1 ? "" : "^\(Self.format(value))" }
        switch self {
        case .term(let text, let field, let b): return "\(scope(field))\(text)\(boost(b))"
        case .phrase(let text, let slop, let field, let b): return "\(scope(field))\"\(text)\"\(slop > 0 ? "~\(slop)" : "")\(boost(b))"
        case .prefix(let text, let field, let b): return "\(scope(field))\(text)*\(boost(b))"
        case .fuzzy(let text, let edits, let field, let b): return "\(scope(field))\(text)~\(edits)\(boost(b))"
        case .boolean(let should, let must, let mustNot):
            let parts = must.map { "+\($0.parenthesized)" } + should.map(\.parenthesized) + mustNot.map { "-\($0.parenthesized)" }
            return parts.joined(separator: " ")
        }
    }

    private var parenthesized: String {
        if case .boolean = self { return "(\(description))" }
        return description
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// A query the parser rejected: the message and the 1-based column of the problem.
public struct QuerySyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// 1-based column (in characters) of the problem.
    public var column: Int
    public var query: String

    public var description: String { "\(message) (column \(column))" }

    /// The query with a caret under the problem, for terminals:
    /// ```
    ///   "mri technologist
    ///   ^
    /// ```
    public var caretDiagram: String {
        let line = String(query.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        return "  \(line)\n  \(String(repeating: " ", count: max(0, column - 1)))^"
    }
}
