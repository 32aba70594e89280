import Foundation
import MedIndex

extension Searcher {
    /// The score of `doc` as a tree whose leaves add up (sum, max, or weight × value) to the
    /// hit's score.
    func explain(_ node: CompiledNode, doc: Int, options: SearchOptions) throws -> Explanation? {
        let lengths = lengthsOf(doc)
        switch node {
        case .nothing:
            return nil
        case .term(let leaf):
            guard let postings = leaf.postings, let index = postings.docs.firstIndex(of: UInt32(doc)) else { return nil }
            let tf = [postings.titleTf[index], postings.headingTf[index], postings.bodyTf[index]]
            let idf = RankingParameters.idf(documentFrequency: leaf.documentFrequency, documentCount: statistics.documentCount)
            let score = TermScore.compute(idf: idf, tf: tf, lengths: lengths, only: leaf.field, boost: leaf.boost,
                                          parameters: options.ranking, statistics: statistics)
            guard score.score > 0 else { return nil }
            return termExplanation("term '\(leaf.term)'\(leaf.field.map { " in \($0.name)" } ?? "")", score: score, docFreq: leaf.documentFrequency, boost: leaf.boost, options: options)
        case .phrase(let leaf):
            guard let (_, tf) = phraseFrequencies(leaf).first(where: { $0.0 == doc }) else { return nil }
            let idf = phraseIDF(leaf)
            let score = TermScore.compute(idf: idf, tf: tf, lengths: lengths, only: leaf.field, boost: leaf.boost,
                                          parameters: options.ranking, statistics: statistics)
            guard score.score > 0 else { return nil }
            return termExplanation("phrase \"\(leaf.terms.joined(separator: " "))\"\(leaf.slop > 0 ? "~\(leaf.slop)" : "")", score: score, docFreq: nil, boost: leaf.boost, options: options)
        case .alternatives(let primary, let others, let weight, let label):
            var best: Explanation?
            if let explanation = try explain(primary, doc: doc, options: options) { best = explanation }
            for other in others {
                guard let explanation = try explain(other, doc: doc, options: options) else { continue }
                let weighted = weight == 1 ? explanation
                    : Explanation(value: explanation.value * weight, description: "× synonym weight \(weight)", details: [explanation])
                if best == nil || weighted.value > best!.value { best = weighted }
            }
            guard let best else { return nil }
            return Explanation(value: best.value, description: "max of \(label)", details: [best])
        case .boolean(let should, let must, _):
            var details: [Explanation] = []
            for child in must + should {
                if let explanation = try explain(child, doc: doc, options: options) { details.append(explanation) }
            }
            guard !details.isEmpty else { return nil }
            if details.count == 1 { return details[0] }
            return Explanation(value: details.reduce(0) { $0 + $1.value }, description: "sum of", details: details)
        }
    }

    private func termExplanation(_ label: String, score: TermScore, docFreq: Int?, boost: Double, options: SearchOptions) -> Explanation {
        let k1 = options.ranking.k1
        var fieldDetails: [Explanation] = []
        for part in score.fields {
            fieldDetails.append(Explanation(
                value: part.contribution,
                description: String(format: "%@: weight %.2f × tf %d / (1 − b + b × len %d / avglen %.2f)",
                                    part.field.name, options.ranking.fieldWeights[part.field.rawValue], part.tf, part.length,
                                    statistics.averageLengths[part.field.rawValue])
            ))
        }
        let idfLabel = docFreq.map { "idf = ln(1 + (N \(statistics.documentCount) − df \($0) + 0.5) / (df \($0) + 0.5))" } ?? "idf = sum of the phrase terms' idf"
        var details = [
            Explanation(value: score.idf, description: idfLabel),
            Explanation(value: score.pseudoFrequency, description: "tf̃ (BM25F pseudo-frequency), sum of", details: fieldDetails),
            Explanation(value: score.pseudoFrequency * (k1 + 1) / (k1 + score.pseudoFrequency),
                        description: String(format: "tf̃ × (k1 + 1) / (k1 + tf̃), k1 = %.2f, b = %.2f", k1, options.ranking.b)),
        ]
        if boost != 1 { details.append(Explanation(value: boost, description: "boost")) }
        return Explanation(value: score.score, description: "\(label): idf × tf-part\(boost != 1 ? " × boost" : "")", details: details)
    }
}
