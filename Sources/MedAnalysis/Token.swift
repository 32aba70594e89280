/// A token as the analyzer produces it: the indexed term, its position in the token stream, and
/// the UTF-8 byte range of the source text it came from (the highlighter slices with it).
public struct Token: Sendable, Hashable, CustomStringConvertible {
    /// The normalised term (folded, stemmed), as UTF-8 text.
    public var term: String
    /// The token's position. Tokens generated from one source word share the first part's
    /// position (a hyphenated word's joined form); stopwords leave a gap.
    public var position: Int
    /// The byte range of the source text this token covers.
    public var utf8Range: Range<Int>

    public init(term: String, position: Int, utf8Range: Range<Int>) {
        self.term = term
        self.position = position
        self.utf8Range = utf8Range
    }

    public var description: String { "\(term)@\(position)[\(utf8Range.lowerBound)..<\(utf8Range.upperBound)]" }
}

/// A token handed to ``Analyzer/analyze(_:startPosition:_:)``'s callback without copying: `term`
/// points into the analyzer's scratch buffer and is valid only during the call.
public struct TokenView {
    public let term: UnsafeBufferPointer<UInt8>
    public let position: Int
    public let utf8Range: Range<Int>
    /// True for the joined form of a compound ("xray" from "X-ray"), which shares a position
    /// with the compound's first part.
    public let isJoinedForm: Bool

    /// The term as a String (allocates).
    public var termString: String { String(decoding: term, as: UTF8.self) }
}
