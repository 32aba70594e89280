import Foundation
import MedAnalysis
import MedIndex

/// A query bound to an index: leaves analyzed with the index's analyzer, synonyms and prefix or
/// fuzzy expansions resolved to terms. Evaluation is exhaustive and exact (every matching
/// document is scored), then the top k are kept.
indirect enum CompiledNode {
    case term(TermLeaf)
    case phrase(PhraseLeaf)
    /// A word's alternatives: the literal node, and synonyms or expansions scored at `weight`;
    /// a document's score is the best of them.
    case alternatives(primary: CompiledNode, others: [CompiledNode], weight: Double, label: String)
    case boolean(should: [CompiledNode], must: [CompiledNode], mustNot: [CompiledNode])
    /// Matches nothing (a word that analyzed to no term, e.g. a stopword).
    case nothing(String)
}

struct TermLeaf {
    var term: String
    var field: Field?
    var boost: Double
    var documentFrequency: Int
    var postings: PostingList?
}

struct PhraseLeaf {
    var terms: [String]
    /// Each term's position relative to the first.
    var offsets: [Int]
    var slop: Int
    var field: Field?
    var boost: Double
    var postings: [PostingList?]
    var documentFrequencies: [Int]
}

extension CompiledNode {
    /// The terms whose occurrences should be highlighted (not those under a `mustNot`).
    var highlightTerms: Set<String> {
        switch self {
        case .term(let leaf): [leaf.term]
        case .phrase(let leaf): Set(leaf.terms)
        case .alternatives(let primary, let others, _, _):
            others.reduce(primary.highlightTerms) { $0.union($1.highlightTerms) }
        case .boolean(let should, let must, _):
            (should + must).reduce(into: Set<String>()) { $0.formUnion($1.highlightTerms) }
        case .nothing: []
        }
    }

    /// Positive term leaves (for "did you mean").
    var termLeaves: [TermLeaf] {
        switch self {
        case .term(let leaf): [leaf]
        case .phrase: []
        case .alternatives(let primary, _, _, _): primary.termLeaves
        case .boolean(let should, let must, _): (should + must).flatMap(\.termLeaves)
        case .nothing: []
        }
    }
}
