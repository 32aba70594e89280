import Foundation
import MedAnalysis
import MedIndex
import MedIngest
import MedSearch

/// In-process query latency through the library, with the same contract as the peer adapters
/// (Benchmarks/peers/common.py): open the index once, run every query `--warmup` times untimed,
/// then `--repeat` times timed, one query at a time on this thread; print the latency summary as
/// JSON (p50/p95/p99/mean in ms, QPS) and optionally write the last pass as a TREC run.
///
/// Ranking is the CLI's default bag-of-words search (any word may match, BM25F, synonyms on)
/// with passages off (`--no-passages`, the engine comparison) or on (2 per hit, highlights, as
/// `medsearch search` shows them). Queries are sanitised as the peers' are: only runs of letters
/// and digits, upper-case operator keywords dropped, so no query syntax reaches the parser.
///
/// Ablations only the library offers: `--field-weights T,H,B` (BM25F field weights; 1,1,1 makes
/// every field count alike) and `--k1`, `--b`.
struct QueryBenchmark {
    var index: String
    var queriesPath: String
    var k: Int
    var warmup: Int
    var repeats: Int
    var runPath: String?
    var latencyPath: String?
    var tag: String
    var passages: Bool
    var synonyms: Bool
    var ranking = RankingParameters()

    init(arguments: [String]) throws {
        let options = try Options(arguments, flags: ["no-passages", "no-synonyms"])
        guard let index = options.values["index"], let queries = options.values["queries"] else {
            throw BenchError("query: --index DIR and --queries FILE are required")
        }
        self.index = index
        queriesPath = queries
        k = try options.int("k", default: 10)
        warmup = try options.int("warmup", default: 1)
        repeats = max(try options.int("repeat", default: 1), 1)
        runPath = options.values["run"]
        latencyPath = options.values["latency"]
        passages = !options.flags.contains("no-passages")
        synonyms = !options.flags.contains("no-synonyms")
        tag = options.string("tag", default: passages ? "medsearch+passages" : "medsearch")
        if let weights = options.values["field-weights"] {
            let values = weights.split(separator: ",").compactMap { Double($0) }
            guard values.count == 3 else { throw BenchError("--field-weights expects three numbers: title,heading,body") }
            ranking.fieldWeights = values
        }
        if let k1 = options.values["k1"] {
            guard let value = Double(k1) else { throw BenchError("--k1 expects a number") }
            ranking.k1 = value
        }
        if let b = options.values["b"] {
            guard let value = Double(b) else { throw BenchError("--b expects a number") }
            ranking.b = value
        }
    }

    func run() throws {
        let queries = try Self.readQueries(queriesPath)
        let openStart = DispatchTime.now().uptimeNanoseconds
        let searcher = Searcher(reader: try IndexReader(at: URL(fileURLWithPath: index)))
        let openSeconds = Double(DispatchTime.now().uptimeNanoseconds - openStart) / 1e9
        let options = SearchOptions(limit: k, ranking: ranking, synonyms: synonyms, passagesPerHit: passages ? 2 : 0)

        for _ in 0..<warmup {
            for query in queries where !query.text.isEmpty { _ = try searcher.search(query.text, options: options) }
        }
        var samples: [Double] = []
        samples.reserveCapacity(queries.count * repeats)
        var last: [(qid: String, hits: [Hit])] = []
        let wallStart = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<repeats {
            last.removeAll(keepingCapacity: true)
            for query in queries {
                guard !query.text.isEmpty else {
                    last.append((query.qid, []))
                    continue
                }
                let start = DispatchTime.now().uptimeNanoseconds
                let results = try searcher.search(query.text, options: options)
                samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                last.append((query.qid, results.hits))
            }
        }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - wallStart) / 1e9

        if let runPath {
            var text = ""
            for (qid, hits) in last {
                for hit in hits { text += "\(qid) Q0 \(hit.externalID) \(hit.rank) \(String(format: "%.6f", hit.score)) \(tag)\n" }
            }
            try Data(text.utf8).write(to: URL(fileURLWithPath: runPath))
        }
        let summary = Self.summary(engine: tag, k: k, samples: samples, wall: wall, queries: queries.count,
                                   warmup: warmup, repeats: repeats, openSeconds: openSeconds)
        if let latencyPath { try Data((summary + "\n").utf8).write(to: URL(fileURLWithPath: latencyPath)) }
        print(summary)
    }

    /// The same keys, rounding and percentile rule (linear between closest ranks) as common.py.
    static func summary(engine: String, k: Int, samples: [Double], wall: Double, queries: Int,
                        warmup: Int, repeats: Int, openSeconds: Double) -> String {
        let sorted = samples.sorted()
        func percentile(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let position = Double(sorted.count - 1) * p / 100
            let low = Int(position)
            let high = min(low + 1, sorted.count - 1)
            return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
        }
        let mean = sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count)
        let qps = wall > 0 ? Double(sorted.count) / wall : 0
        return String(
            format: "{\"engine\": \"%@\", \"k\": %d, \"queries\": %d, \"samples\": %d, \"warmup\": %d, \"repeat\": %d, \"open_s\": %.4f, \"p50_ms\": %.4f, \"p95_ms\": %.4f, \"p99_ms\": %.4f, \"mean_ms\": %.4f, \"qps\": %.1f}",
            engine, k, queries, sorted.count, warmup, repeats, openSeconds,
            percentile(50), percentile(95), percentile(99), mean, qps
        )
    }

    /// `qid<TAB>query` lines, each query reduced to its words (letters and digits) without the
    /// upper-case operator keywords, joined by spaces.
    static func readQueries(_ path: String) throws -> [(qid: String, text: String)] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw BenchError("cannot read '\(path)'") }
        var queries: [(String, String)] = []
        for line in text.split(separator: "\n") {
            if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            let qid = parts[0].trimmingCharacters(in: .whitespaces)
            queries.append((qid, parts.count > 1 ? bagOfWords(String(parts[1])) : ""))
        }
        return queries
    }

    static let keywords: Set<String> = ["AND", "OR", "NOT", "NEAR", "ADJ", "XOR", "TO"]

    static func bagOfWords(_ text: String) -> String {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty, !keywords.contains(String(current)) { words.append(String(current)) }
            current = String.UnicodeScalarView()
        }
        for scalar in text.unicodeScalars {
            let properties = scalar.properties
            if properties.isAlphabetic || properties.numericType != nil || properties.generalCategory == .nonspacingMark {
                current.append(scalar)
            } else {
                flush()
            }
        }
        flush()
        return words.joined(separator: " ")
    }
}

/// Builds an index through the library, for the analyzer ablations the CLI has no flag for
/// (`--no-stemming`); `--stopwords english|none` is the CLI's option. Always a fresh build.
///
///     medsearch-bench index CORPUS --index DIR [--format jsonl|html] [--stopwords english|none]
///                           [--no-stemming] [--threads N]
struct IndexBenchmark {
    var corpus: String
    var index: String
    var corpusFormat: CorpusFormat
    var analyzer: Analyzer
    var threads: Int

    init(arguments: [String]) throws {
        let options = try Options(arguments, flags: ["no-stemming"])
        guard let corpus = options.positional.first, let index = options.values["index"] else {
            throw BenchError("index: give CORPUS and --index DIR")
        }
        self.corpus = corpus
        self.index = index
        guard let format = CorpusFormat(rawValue: options.string("format", default: "jsonl")) else {
            throw BenchError("index: --format is html or jsonl")
        }
        corpusFormat = format
        let stemming = !options.flags.contains("no-stemming")
        switch options.string("stopwords", default: "english") {
        case "english": analyzer = Analyzer(stemming: stemming)
        case "none": analyzer = Analyzer(stopWords: .none, stopWordsName: "none", stemming: stemming)
        default: throw BenchError("index: --stopwords is english or none")
        }
        threads = max(try options.int("threads", default: ProcessInfo.processInfo.activeProcessorCount), 1)
    }

    func run() throws {
        let seconds = try measure {
            let options = IngestOptions(corpus: URL(fileURLWithPath: corpus), format: corpusFormat, rebuild: true, threads: threads)
            let report = try Ingest.run(index: URL(fileURLWithPath: index), options: options, analyzer: analyzer)
            print("indexed \(report.documents) documents (analyzer \(analyzer.descriptor))")
        }
        print("build: \(format(seconds, 2)) s, peak memory \(format(peakMemoryMiB())) MiB")
    }
}
