import Foundation
import MedIndex

/// BM25F parameters (README "Ranking"). Defaults: k1 = 1.2, b = 0.75 for every field, field
/// weights title 2.0, heading 1.5, body 1.0, synonym weight 0.8.
public struct RankingParameters: Sendable, Hashable {
    public var k1: Double
    public var b: Double
    /// Weights by ``Field`` (title, heading, body).
    public var fieldWeights: [Double]
    /// The factor applied to a synonym's score relative to the literal term.
    public var synonymWeight: Double

    public init(k1: Double = 1.2, b: Double = 0.75, fieldWeights: [Double] = [2.0, 1.5, 1.0], synonymWeight: Double = 0.8) {
        self.k1 = k1
        self.b = b
        self.fieldWeights = fieldWeights
        self.synonymWeight = synonymWeight
    }

    /// Lucene's BM25 idf, always positive: ln(1 + (N − df + 0.5) / (df + 0.5)).
    @inline(__always)
    public static func idf(documentFrequency df: Int, documentCount n: Int) -> Double {
        log(1 + (Double(n) - Double(df) + 0.5) / (Double(df) + 0.5))
    }
}

/// Collection statistics for BM25F: document count and average field lengths.
struct CollectionStatistics: Sendable {
    let documentCount: Int
    let averageLengths: [Double]

    init(reader: IndexReader) {
        documentCount = reader.documentCount
        let n = Double(max(reader.documentCount, 1))
        averageLengths = [
            max(Double(reader.fieldTotals.title) / n, 1e-9),
            max(Double(reader.fieldTotals.heading) / n, 1e-9),
            max(Double(reader.fieldTotals.body) / n, 1e-9),
        ]
    }
}

/// The BM25F score of one term in one document, and its parts (for `--explain`).
///
///     tf̃    = Σ_f  w_f · tf_f / (1 − b + b · max(len_f, 1) / avglen_f)
///     score = boost · idf · tf̃ · (k1 + 1) / (k1 + tf̃)
struct TermScore {
    var idf: Double
    var pseudoFrequency: Double
    var score: Double
    /// Per field: (tf, length, normalised contribution).
    var fields: [(field: Field, tf: UInt32, length: UInt32, contribution: Double)]

    static func compute(
        idf: Double,
        tf: [UInt32],
        lengths: [UInt32],
        only field: Field?,
        boost: Double,
        parameters: RankingParameters,
        statistics: CollectionStatistics
    ) -> TermScore {
        let scorer = TermScorer(idf: idf, boost: boost, field: field, parameters: parameters, statistics: statistics)
        var pseudo = 0.0
        var parts: [(Field, UInt32, UInt32, Double)] = []
        for f in Field.allCases {
            if let field, field != f { continue }
            let frequency = tf[f.rawValue]
            guard frequency > 0 else { continue }
            let contribution = scorer.contribution(f, tf: frequency, length: lengths[f.rawValue])
            pseudo += contribution
            parts.append((f, frequency, lengths[f.rawValue], contribution))
        }
        let score = scorer.saturated(pseudo)
        return TermScore(idf: idf, pseudoFrequency: pseudo, score: score, fields: parts)
    }
}

/// A node of a score explanation: the value, what it is, and the values it is made of.
public struct Explanation: Sendable, Hashable, Codable {
    public var value: Double
    public var description: String
    public var details: [Explanation]

    public init(value: Double, description: String, details: [Explanation] = []) {
        self.value = value
        self.description = description
        self.details = details
    }

    /// An indented tree, one node per line.
    public func rendered(indent: Int = 0) -> String {
        var lines = ["\(String(repeating: "  ", count: indent))\(String(format: "%.4f", value))  \(description)"]
        for detail in details { lines.append(detail.rendered(indent: indent + 1)) }
        return lines.joined(separator: "\n")
    }
}
