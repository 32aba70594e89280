import Foundation
import MedAnalysis
import MedDocument
import MedIndex

/// Chooses the passages that answer the query and marks the matched terms in them.
///
/// A passage's score: for each query concept (a word with its synonyms), the BM25 of its best
/// term inside the passage (document-level idf, synonyms at their weight, passage length
/// normalised by the article's mean passage length), plus 0.5 × the share of concepts it covers,
/// plus 0.3 × idf-weighted concept matches in its section path, plus a mild early-position prior
/// (0.2 / (1 + index / 10)). Highlights come from the analyzer's byte
/// ranges, so stemmed forms and synonym words are marked exactly where they occur.
struct PassageSelector {
    let searcher: Searcher
    /// The query's concepts (``CompiledNode/termGroups``); every term in them is highlighted.
    let groups: [[String: Double]]
    let options: SearchOptions
    let terms: Set<String>

    init(searcher: Searcher, groups: [[String: Double]], options: SearchOptions) {
        self.searcher = searcher
        self.groups = groups
        self.options = options
        terms = groups.reduce(into: Set<String>()) { $0.formUnion($1.keys) }
    }

    /// The best `passagesPerHit` passages of a document, trimmed and highlighted.
    func select(from stored: StoredDocument) throws -> [HitPassage] {
        try best(options.passagesPerHit, from: stored)
    }

    /// The best `limit` passages holding at least one query term, best first (ties: earlier
    /// passage first); only those are trimmed.
    func best(_ limit: Int, from stored: StoredDocument) throws -> [HitPassage] {
        guard !terms.isEmpty else { return [] }
        let analyzer = searcher.reader.analyzer
        var idf: [String: Double] = [:]
        for term in terms {
            idf[term] = RankingParameters.idf(documentFrequency: try searcher.reader.documentFrequency(term), documentCount: searcher.reader.documentCount)
        }
        struct Candidate {
            var text: String
            var section: String
            var ranges: [Range<Int>]
            var score: Double
            var order: Int
        }
        var candidates: [Candidate] = []
        var lengths: [Int] = []
        var analyzed: [(section: Section, passage: Passage, tokens: [Token])] = []
        for section in stored.article.sections {
            for passage in section.passages {
                let tokens = analyzer.tokens(in: passage.text)
                analyzed.append((section, passage, tokens))
                lengths.append(tokens.count)
            }
        }
        let averageLength = max(1, Double(lengths.reduce(0, +)) / Double(max(lengths.count, 1)))
        let k1 = options.ranking.k1, b = options.ranking.b
        for (order, item) in analyzed.enumerated() {
            var tf: [String: Int] = [:]
            var ranges: [Range<Int>] = []
            for token in item.tokens where terms.contains(token.term) {
                tf[token.term, default: 0] += 1
                ranges.append(token.utf8Range)
            }
            guard !tf.isEmpty else { continue }
            var score = 0.0
            let norm = 1 - b + b * Double(item.tokens.count) / averageLength
            // Each concept counts once: its best-scoring term, synonyms at their weight.
            var covered = 0
            for group in groups {
                var best = 0.0
                for (term, weight) in group {
                    guard let count = tf[term] else { continue }
                    best = max(best, weight * (idf[term] ?? 0) * Double(count) * (k1 + 1) / (Double(count) + k1 * norm))
                }
                if best > 0 { covered += 1 }
                score += best
            }
            score += 0.5 * Double(covered) / Double(max(groups.count, 1))
            let sectionTerms = Set(analyzer.terms(in: item.section.path.joined(separator: " "))).intersection(terms)
            for group in groups {
                score += 0.3 * group.filter { sectionTerms.contains($0.key) }.map { $0.value * (idf[$0.key] ?? 0) }.reduce(0, max)
            }
            score += 0.2 / (1 + Double(order) / 10)
            candidates.append(Candidate(text: item.passage.text, section: item.section.displayPath, ranges: Self.merge(ranges), score: score, order: order))
        }
        candidates.sort { $0.score != $1.score ? $0.score > $1.score : $0.order < $1.order }
        return candidates.prefix(limit).map { candidate in
            let (text, highlights) = Self.trim(candidate.text, byteRanges: candidate.ranges, budget: options.passageCharacters)
            return HitPassage(text: text, section: candidate.section, highlights: highlights, score: candidate.score)
        }
    }

    /// Merges overlapping or touching ranges (a compound's joined form covers its parts).
    static func merge(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, range.lowerBound <= last.upperBound {
                result[result.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }

    /// Cuts `text` to about `budget` characters around the densest run of matches, on word
    /// boundaries, with "…" where text was cut; converts byte ranges to scalar offsets.
    static func trim(_ text: String, byteRanges: [Range<Int>], budget: Int) -> (String, [Range<Int>]) {
        let scalars = Array(text.unicodeScalars)
        // Byte offset → scalar offset.
        var scalarAtByte: [Int] = []
        scalarAtByte.reserveCapacity(text.utf8.count + 1)
        for (index, scalar) in scalars.enumerated() {
            for _ in 0..<UTF8.width(scalar) { scalarAtByte.append(index) }
        }
        scalarAtByte.append(scalars.count)
        let ranges = byteRanges.map { scalarAtByte[min($0.lowerBound, scalarAtByte.count - 1)]..<scalarAtByte[min($0.upperBound, scalarAtByte.count - 1)] }
        guard scalars.count > budget, budget > 0 else { return (text, ranges) }
        // The window of `budget` scalars holding the most matches.
        var bestStart = 0, bestCount = -1
        for range in ranges {
            let start = max(0, range.lowerBound - budget / 4)
            let count = ranges.filter { $0.lowerBound >= start && $0.upperBound <= start + budget }.count
            if count > bestCount { bestCount = count; bestStart = start }
        }
        var start = min(bestStart, max(0, scalars.count - budget))
        var end = min(scalars.count, start + budget)
        // Snap to word boundaries.
        if start > 0 {
            while start < end, !scalars[start - 1].properties.isWhitespace { start += 1 }
        }
        if end < scalars.count {
            var cut = end
            while cut > start, !scalars[cut].properties.isWhitespace { cut -= 1 }
            if cut > start { end = cut }
        }
        while end > start, scalars[end - 1].properties.isWhitespace { end -= 1 }
        var output = String.UnicodeScalarView()
        let prefix = start > 0 ? "… " : ""
        output.append(contentsOf: prefix.unicodeScalars)
        output.append(contentsOf: scalars[start..<end])
        if end < scalars.count { output.append(contentsOf: " …".unicodeScalars) }
        let shift = prefix.unicodeScalars.count - start
        let kept = ranges.filter { $0.lowerBound >= start && $0.upperBound <= end }.map { ($0.lowerBound + shift)..<($0.upperBound + shift) }
        return (String(output), kept)
    }
}
