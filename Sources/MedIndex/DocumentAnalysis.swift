import MedAnalysis
public import MedDocument

/// The three fields every article is indexed with, for BM25F.
public enum Field: Int, CaseIterable, Sendable, Hashable {
    case title = 0, heading = 1, body = 2

    public var name: String {
        switch self {
        case .title: "title"
        case .heading: "heading"
        case .body: "body"
        }
    }
}

/// How an article's tokens are laid out in its one position space: the title from position 0,
/// then each section heading and each passage in document order, with a gap of
/// ``PositionLayout/blockGap`` positions after every block so phrases and proximity never match
/// across a block boundary.
public enum PositionLayout {
    public static let blockGap = 100
}

/// An article to index and where it came from.
public struct IndexedDocument: Sendable, Hashable {
    public var source: SourceInfo
    public var article: Article

    public init(source: SourceInfo, article: Article) {
        self.source = source
        self.article = article
    }
}

/// A block's position range in its document (FORMAT.md, store file).
public struct PositionRange: Sendable, Hashable {
    public var start: UInt32
    public var end: UInt32
    public init(start: UInt32, end: UInt32) {
        self.start = start
        self.end = end
    }
}

/// One document's analysis: per-term field frequencies and positions, field lengths, and the
/// position range of every heading and passage.
struct AnalyzedDocument: Sendable {
    struct Occurrences: Sendable {
        var tf: (UInt32, UInt32, UInt32) = (0, 0, 0)
        var positions: [UInt32] = []
    }

    /// Token counts per field (joined compound forms excluded, as Lucene discounts overlaps).
    var fieldLengths: (UInt32, UInt32, UInt32) = (0, 0, 0)
    /// Title positions are `0..<titleEnd`.
    var titleEnd: UInt32 = 0
    var terms: [String: Occurrences] = [:]
    /// Per section: the heading's range, then each passage's.
    var headingRanges: [PositionRange] = []
    var passageRanges: [[PositionRange]] = []

    init(_ document: IndexedDocument, analyzer: Analyzer) {
        var position = 0
        position = add(document.article.title, field: .title, at: position, analyzer: analyzer)
        titleEnd = UInt32(position)
        position += PositionLayout.blockGap
        for section in document.article.sections {
            let headingStart = position
            if !section.heading.isEmpty, !(section.level == 1 && section.heading == document.article.title) {
                position = add(section.heading, field: .heading, at: position, analyzer: analyzer)
            }
            headingRanges.append(PositionRange(start: UInt32(headingStart), end: UInt32(position)))
            position += PositionLayout.blockGap
            var ranges: [PositionRange] = []
            for passage in section.passages {
                let start = position
                position = add(passage.text, field: .body, at: position, analyzer: analyzer)
                ranges.append(PositionRange(start: UInt32(start), end: UInt32(position)))
                position += PositionLayout.blockGap
            }
            passageRanges.append(ranges)
        }
    }

    private mutating func add(_ text: String, field: Field, at start: Int, analyzer: Analyzer) -> Int {
        var copy = text
        var length: UInt32 = 0
        let end = copy.withUTF8 { bytes in
            analyzer.analyze(bytes, startPosition: start) { token in
                let term = token.termString
                var occurrences = terms[term] ?? Occurrences()
                switch field {
                case .title: occurrences.tf.0 += 1
                case .heading: occurrences.tf.1 += 1
                case .body: occurrences.tf.2 += 1
                }
                occurrences.positions.append(UInt32(token.position))
                terms[term] = occurrences
                if !token.isJoinedForm { length += 1 }
            }
        }
        switch field {
        case .title: fieldLengths.0 += length
        case .heading: fieldLengths.1 += length
        case .body: fieldLengths.2 += length
        }
        return end
    }
}
