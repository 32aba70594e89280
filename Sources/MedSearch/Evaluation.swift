import Foundation

/// IR evaluation as trec_eval computes it: per query, then the mean over queries that have at
/// least one relevant document in the judgments.
public enum Evaluation {
    /// `qid → docid → relevance` from a TREC qrels file (`qid 0 docid rel`).
    public static func parseQrels(_ text: String) throws -> [String: [String: Int]] {
        var qrels: [String: [String: Int]] = [:]
        for (number, line) in text.split(separator: "\n").enumerated() {
            let fields = line.split(whereSeparator: \.isWhitespace)
            if fields.isEmpty { continue }
            guard fields.count >= 4, let relevance = Int(fields[3]) else {
                throw EvaluationError(message: "qrels line \(number + 1): expected 'qid 0 docid relevance'")
            }
            qrels[String(fields[0]), default: [:]][String(fields[2])] = relevance
        }
        return qrels
    }

    /// `qid → [(docid, score)]` in rank order from a TREC run (`qid Q0 docid rank score tag`);
    /// ties in score keep file order, as trec_eval's sort by score then docid does not — we
    /// sort by descending score, then descending docid, like trec_eval.
    public static func parseRun(_ text: String) throws -> [String: [String]] {
        var entries: [String: [(doc: String, score: Double)]] = [:]
        for (number, line) in text.split(separator: "\n").enumerated() {
            let fields = line.split(whereSeparator: \.isWhitespace)
            if fields.isEmpty { continue }
            guard fields.count >= 6, let score = Double(fields[4]) else {
                throw EvaluationError(message: "run line \(number + 1): expected 'qid Q0 docid rank score tag'")
            }
            entries[String(fields[0]), default: []].append((String(fields[2]), score))
        }
        return entries.mapValues { list in
            list.sorted { $0.score != $1.score ? $0.score > $1.score : $0.doc > $1.doc }.map(\.doc)
        }
    }

    public struct Scores: Sendable, Hashable {
        public var queries = 0
        public var ndcg10 = 0.0
        public var map = 0.0
        public var p10 = 0.0
        public var recall100 = 0.0
        public var mrr = 0.0
    }

    /// Mean metrics over the judged queries (a judged query with no run lines scores 0).
    public static func evaluate(run: [String: [String]], qrels: [String: [String: Int]]) -> Scores {
        var scores = Scores()
        for (qid, judgments) in qrels.sorted(by: { $0.key < $1.key }) {
            let relevant = judgments.filter { $0.value > 0 }
            guard !relevant.isEmpty else { continue }
            scores.queries += 1
            let ranking = run[qid] ?? []
            // MAP
            var hits = 0
            var precisionSum = 0.0
            for (k, doc) in ranking.enumerated() where relevant[doc] != nil {
                hits += 1
                precisionSum += Double(hits) / Double(k + 1)
            }
            scores.map += precisionSum / Double(relevant.count)
            scores.p10 += Double(ranking.prefix(10).filter { relevant[$0] != nil }.count) / 10
            scores.recall100 += Double(ranking.prefix(100).filter { relevant[$0] != nil }.count) / Double(relevant.count)
            if let first = ranking.firstIndex(where: { relevant[$0] != nil }) { scores.mrr += 1 / Double(first + 1) }
            // nDCG@10 with linear gains (trec_eval's ndcg_cut).
            var dcg = 0.0
            for (k, doc) in ranking.prefix(10).enumerated() {
                dcg += Double(max(judgments[doc] ?? 0, 0)) / log2(Double(k + 2))
            }
            let ideal = relevant.values.sorted(by: >).prefix(10).enumerated().reduce(0.0) { $0 + Double($1.element) / log2(Double($1.offset + 2)) }
            scores.ndcg10 += ideal > 0 ? dcg / ideal : 0
        }
        let n = Double(max(scores.queries, 1))
        scores.ndcg10 /= n
        scores.map /= n
        scores.p10 /= n
        scores.recall100 /= n
        scores.mrr /= n
        return scores
    }
}

public struct EvaluationError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
