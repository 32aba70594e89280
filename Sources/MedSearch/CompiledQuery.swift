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
    /// The query's concepts for passage scoring and highlighting (terms under a `mustNot` are
    /// left out): one group per word or phrase word, holding the terms that stand for it and
    /// their weight (a synonym's is the synonym weight), so a passage naming one concept three
    /// ways ("diagnostic medical sonography", "ultrasound") counts it once, as the document score
    /// does.
    var termGroups: [[String: Double]] {
        switch self {
        case .term(let leaf): [[leaf.term: 1]]
        case .phrase(let leaf): leaf.terms.map { [$0: 1] }
        case .alternatives(let primary, let others, let weight, _):
            // A word's synonyms join its group; the synonyms of a multi-word span ("mri
            // technologist") form one more group beside its words' own, so a passage with both
            // words still counts two concepts and one with only a synonym counts one.
            alternativeGroups(primary.termGroups, synonyms: others.flatMap(\.termGroups), weight: weight)
        case .boolean(let should, let must, _): (should + must).flatMap(\.termGroups)
        case .nothing: []
        }
    }

    private func alternativeGroups(_ primary: [[String: Double]], synonyms: [[String: Double]], weight: Double) -> [[String: Double]] {
        let primaryTerms = primary.reduce(into: Set<String>()) { $0.formUnion($1.keys) }
        var extra: [String: Double] = [:]
        for group in synonyms {
            for (term, value) in group where !primaryTerms.contains(term) { extra[term] = max(extra[term] ?? 0, value * weight) }
        }
        guard !extra.isEmpty else { return primary }
        if primary.count == 1 { return [primary[0].merging(extra) { max($0, $1) }] }
        return primary + [extra]
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
