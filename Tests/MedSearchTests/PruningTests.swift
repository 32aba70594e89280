import Foundation
import Testing
import MedTestSupport
import MedAnalysis
import MedDocument
import MedIndex
@testable import MedSearch


private let vocabulary = [
    "nurse", "radiology", "sonographer", "ultrasound", "certification", "exam", "salary", "mri", "ct", "x-ray",
    "technologist", "program", "clinical", "patient", "hospital", "license", "arrt", "registry", "imaging", "scan",
    "cardiac", "vascular", "nuclear", "medicine", "pet", "dose", "contrast", "shift", "degree", "school",
    "magnetic", "resonance", "assistant", "phlebotomy", "pharmacy", "therapist", "respiratory", "surgical", "dental", "career",
]

/// A word drawn with a Zipf-like skew, so some terms are in most documents and some in few.
private func word(_ random: inout SplitMix) -> String {
    let u = Double.random(in: 0..<1, using: &random)
    return vocabulary[min(vocabulary.count - 1, Int(Double(vocabulary.count) * u * u * u))]
}

private func sentence(_ random: inout SplitMix, words: ClosedRange<Int>) -> String {
    (0..<Int.random(in: words, using: &random)).map { _ in word(&random) }.joined(separator: " ")
}

private func randomCorpus(_ random: inout SplitMix, documents: Int) -> [IndexedDocument] {
    (0..<documents).map { d in
        let sections = (0..<Int.random(in: 1...3, using: &random)).map { s in
            let heading = Bool.random(using: &random) ? sentence(&random, words: 1...3) : ""
            let passages = (0..<Int.random(in: 1...4, using: &random)).map { _ in
                Passage(kind: .paragraph, text: sentence(&random, words: 3...40))
            }
            return Section(heading: heading, level: heading.isEmpty ? 0 : 2, path: heading.isEmpty ? [] : [heading], passages: passages)
        }
        let title = sentence(&random, words: 1...5)
        return IndexedDocument(
            source: SourceInfo(path: "doc\(d).html", size: 1, modificationTime: 1, contentHash: UInt64(d)),
            article: Article(title: title, sections: sections)
        )
    }
}

private func randomQuery(_ random: inout SplitMix) -> String {
    var parts: [String] = []
    for _ in 0..<Int.random(in: 1...6, using: &random) {
        let w = word(&random)
        switch Int.random(in: 0..<14, using: &random) {
        case 0: parts.append("title:\(w)")
        case 1: parts.append("heading:\(w)")
        case 2: parts.append("\(w)^\(Int.random(in: 2...4, using: &random))")
        case 3: parts.append("\"\(w) \(word(&random))\"")
        case 4: parts.append("-\(w)")
        case 5: parts.append(String(w.prefix(3)) + "*")
        case 6: parts.append("\(w)^0.5")
        default: parts.append(w)
        }
    }
    // A query made only of exclusions matches nothing; keep at least one positive word.
    if parts.allSatisfy({ $0.hasPrefix("-") }) { parts.append(word(&random)) }
    return parts.joined(separator: " ")
}

@Suite("Top-k pruning")
struct PruningTests {
    @Test("MaxScore returns exactly what exhaustive evaluation returns: documents, order, scores, totals")
    func prunedEqualsExhaustive() throws {
        var compared = 0
        var prunedQueries = 0
        for seed in UInt64(1)...6 {
            var random = SplitMix(seed: seed)
            let corpus = randomCorpus(&random, documents: Int.random(in: 150...700, using: &random))
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("medsearch-pruning-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            try IndexWriter(folder: folder, analyzer: .standard).commit(documents: corpus, corpus: "c", corpusFormat: "html")
            let searcher = Searcher(reader: try IndexReader(at: folder))
            for _ in 0..<60 {
                let query = randomQuery(&random)
                let limit = [1, 3, 10, 50, 1000].randomElement(using: &random)!
                let offset = Bool.random(using: &random) ? 0 : Int.random(in: 1...20, using: &random)
                var options = SearchOptions(limit: limit, offset: offset, passagesPerHit: 0)
                options.ranking.k1 = [0.9, 1.2, 2.0].randomElement(using: &random)!
                options.ranking.b = [0.0, 0.5, 0.75, 1.0].randomElement(using: &random)!
                options.synonyms = Bool.random(using: &random)
                var exhaustiveOptions = options
                exhaustiveOptions.pruning = false
                let pruned = try searcher.search(query, options: options)
                let exhaustive = try searcher.search(query, options: exhaustiveOptions)
                let context = Comment(rawValue: "seed \(seed), query '\(query)', limit \(limit), offset \(offset)")
                #expect(pruned.totalHits == exhaustive.totalHits, context)
                #expect(pruned.hits.map(\.document) == exhaustive.hits.map(\.document), context)
                // Bit-identical scores, not merely close ones.
                #expect(pruned.hits.map(\.score.bitPattern) == exhaustive.hits.map(\.score.bitPattern), context)
                compared += 1
                if let parsed = try? QueryParser().parse(query), case .boolean(_, let must, _) = parsed, must.isEmpty { prunedQueries += 1 }
            }
        }
        #expect(compared == 360)
        // Most random queries must actually take the pruned path, or the test proves nothing.
        #expect(prunedQueries > 200)
    }

    @Test("the top-k heap keeps the same hits as a full sort, ties by lower document id")
    func heapMatchesSort() {
        var random = SplitMix(seed: 42)
        for _ in 0..<200 {
            let candidates = (0..<Int.random(in: 0...300, using: &random)).map { doc in
                // Few distinct scores, so ties are common.
                ScoredDocument(doc: Int32(doc), score: Double(Int.random(in: 0...20, using: &random)) / 4)
            }
            let k = Int.random(in: 0...40, using: &random)
            var collector = TopKCollector(k: k)
            for candidate in candidates.shuffled(using: &random) { collector.offer(candidate) }
            let expected = candidates.sorted { $0.ranksAbove($1) }.prefix(k)
            #expect(collector.sorted() == Array(expected))
        }
    }

    @Test("a term's block-max bound is never below a real score")
    func upperBoundsHold() throws {
        var random = SplitMix(seed: 7)
        let corpus = randomCorpus(&random, documents: 400)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("medsearch-bounds-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try IndexWriter(folder: folder, analyzer: .standard).commit(documents: corpus, corpus: "c", corpusFormat: "html")
        let searcher = Searcher(reader: try IndexReader(at: folder))
        var checked = 0
        // b = 1 with documents lacking a heading once gave a NaN bound (0 / 0) that pruned everything.
        for b in [0.0, 0.75, 1.0] {
            var options = SearchOptions()
            options.ranking.b = b
            try searcher.reader.forEachTerm { term, _ in
                for field in [nil, Field.title, .heading, .body] {
                    guard let leaf = try? searcher.termLeaf(term, field: field, boost: 1), let postings = leaf.postings else { return }
                    let scorer = searcher.termScorer(leaf, options: options)
                    let bound = scorer.upperBound(postings.blocks)
                    #expect(bound.isFinite)
                    for i in 0..<postings.count {
                        let score = scorer.score(tf: (postings.titleTf[i], postings.headingTf[i], postings.bodyTf[i]),
                                                 lengths: searcher.reader.fieldLengths(Int(postings.docs[i])))
                        #expect(score <= bound, "term \(term), b \(b)")
                        checked += 1
                    }
                    #expect(postings.blocks.count == (postings.count + 127) / 128)
                }
            }
        }
        #expect(checked > 10000)
    }
}
