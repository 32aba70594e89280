import Foundation
import Testing
import MedAnalysis
import MedIndex
import MedSearch
import MedTestSupport
@testable import MedIngest

/// Incremental updates against full rebuilds: after every round of random changes (pages added,
/// rewritten, touched, deleted), with a memory budget small enough to write several segments per
/// commit and a merge factor small enough to merge often, every query's scores equal those of an
/// index rebuilt from scratch, and the stored documents are the same.
@Suite("Incremental indexing")
struct IncrementalTests {
    static let words = ["mri", "ct", "x-ray", "ultrasound", "sonographer", "technologist", "radiology", "nurse", "arrt",
                        "certification", "salary", "shift", "patient", "dose", "contrast", "magnet", "safety", "program",
                        "clinical", "hours", "exam", "scanner", "imaging", "license", "state", "training", "career"]
    static let queries = ["mri safety", "ct dose contrast", "\"patient safety\"", "sonographer OR nurse", "radiolog*",
                          "certification -salary", "x-ray technologist", "imaging career training"]

    static func page(_ random: inout SplitMix, site: String) -> String {
        func sentence() -> String {
            (0..<(4 + random.below(8))).map { _ in words[random.below(words.count)] }.joined(separator: " ").capitalized + "."
        }
        var html = "<html><head><title>\(sentence())</title></head><body><article>"
        for _ in 0..<(1 + random.below(3)) {
            html += "<h2>\(sentence())</h2>"
            for _ in 0..<(1 + random.below(4)) { html += "<p>\(sentence()) \(sentence())</p>" }
        }
        // Template text on most pages of one site: corpus-level boilerplate.
        if site == "alpha", random.below(10) < 8 { html += "<p>Some links on this page are sponsored by our partners.</p>" }
        return html + "</article></body></html>"
    }

    /// Every live document's score for every query, by path.
    static func scores(_ folder: URL) throws -> [String: [String: Double]] {
        let searcher = Searcher(reader: try IndexReader(at: folder))
        var result: [String: [String: Double]] = [:]
        for query in queries {
            let hits = try searcher.search(query, options: SearchOptions(limit: 10_000, passagesPerHit: 0)).hits
            result[query] = Dictionary(uniqueKeysWithValues: hits.map { ($0.path, $0.score) })
        }
        return result
    }

    static func stored(_ folder: URL) throws -> [String: String] {
        let reader = try IndexReader(at: folder)
        var result: [String: String] = [:]
        for doc in reader.liveDocuments {
            let document = try reader.storedDocument(doc)
            result[document.source.path] = "\(document.article)"
        }
        return result
    }

    @Test("after random changes, incremental updates score exactly like a rebuild", arguments: [UInt64(1), 2, 3])
    func incrementalEqualsRebuild(seed: UInt64) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("medsearch-incremental-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let corpus = root.appendingPathComponent("corpus")
        var random = SplitMix(seed: seed)
        var pages: [String] = []
        func write(_ path: String) throws {
            let url = corpus.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(Self.page(&random, site: String(path.prefix { $0 != "/" })).utf8).write(to: url)
        }
        for k in 0..<40 {
            let path = "\(["alpha", "beta", "gamma"][k % 3])/page-\(k).html"
            try write(path)
            pages.append(path)
        }
        var options = IngestOptions(corpus: corpus, threads: 2, memoryBudget: 128 << 10)
        options.mergeFactor = 3
        let incremental = root.appendingPathComponent("incremental")
        var sawDeletions = false, sawSeveralSegments = false, sawMerge = false
        for round in 0..<6 {
            if round > 0 {
                for _ in 0..<(1 + random.below(6)) where !pages.isEmpty {  // rewrite
                    try write(pages[random.below(pages.count)])
                }
                for _ in 0..<random.below(4) where pages.count > 5 {  // delete
                    let path = pages.remove(at: random.below(pages.count))
                    try FileManager.default.removeItem(at: corpus.appendingPathComponent(path))
                }
                for _ in 0..<random.below(8) {  // add
                    let path = "\(["alpha", "beta", "gamma"][random.below(3)])/new-\(round)-\(random.below(1_000_000)).html"
                    try write(path)
                    pages.append(path)
                }
            }
            let report = try Ingest.run(index: incremental, options: options, analyzer: .standard)
            sawMerge = sawMerge || report.merges > 0
            let reader = try IndexReader(at: incremental)
            sawDeletions = sawDeletions || reader.hasDeletions
            sawSeveralSegments = sawSeveralSegments || reader.segments.count > 1
            #expect(reader.documentCount == pages.count, "round \(round)")
            _ = try reader.check()

            let rebuilt = root.appendingPathComponent("rebuilt-\(round)")
            _ = try Ingest.run(index: rebuilt, options: IngestOptions(corpus: corpus, threads: 1), analyzer: .standard)
            #expect(try Self.stored(incremental) == Self.stored(rebuilt), "round \(round): stored documents differ")
            let expected = try Self.scores(rebuilt)
            let actual = try Self.scores(incremental)
            for query in Self.queries {
                #expect(actual[query] == expected[query], "round \(round), query \(query): scores differ from a rebuild")
            }
        }
        #expect(sawDeletions && sawSeveralSegments && sawMerge, "deletions \(sawDeletions), segments \(sawSeveralSegments), merge \(sawMerge)")
    }

    @Test("a JSONL collection updates incrementally: unchanged lines are not decoded, changes equal a rebuild")
    func jsonl() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("medsearch-incremental-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let file = root.appendingPathComponent("c.jsonl")
        var random = SplitMix(seed: 9)
        func text() -> String { (0..<20).map { _ in Self.words[random.below(Self.words.count)] }.joined(separator: " ") }
        var lines = (0..<300).map { "{\"id\": \"d\($0)\", \"title\": \"\(text())\", \"text\": \"\(text())\"}" }
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        var options = IngestOptions(corpus: file, format: .jsonl, threads: 2, memoryBudget: 64 << 10)
        options.mergeFactor = 4
        let index = root.appendingPathComponent("index")
        let first = try Ingest.run(index: index, options: options, analyzer: .standard)
        #expect(first.added == 300)
        let again = try Ingest.run(index: index, options: options, analyzer: .standard)
        #expect(again.unchanged == 300 && !again.committed)
        lines[5] = "{\"id\": \"d5\", \"title\": \"changed\", \"text\": \"\(text())\"}"
        lines.remove(at: 10)
        lines.append("{\"id\": \"new\", \"title\": \"added\", \"text\": \"\(text())\"}")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let changed = try Ingest.run(index: index, options: options, analyzer: .standard)
        #expect((changed.added, changed.updated, changed.deleted, changed.unchanged) == (1, 1, 1, 298))
        let rebuilt = root.appendingPathComponent("rebuilt")
        _ = try Ingest.run(index: rebuilt, options: IngestOptions(corpus: file, format: .jsonl), analyzer: .standard)
        #expect(try Self.scores(index) == Self.scores(rebuilt))
        #expect(try IndexReader(at: index).segments.count > 1)
    }
}
