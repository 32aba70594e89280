import ArgumentParser
import Foundation
import MedAnalysis
import MedIndex
import MedIngest
import MedSearch

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the index and show the best passages of each article (the default command).",
        discussion: """
        Query syntax: words (any may match), "a phrase", "a phrase"~3, +required, -excluded,
        AND / OR / NOT with ( ), title: heading: body:, radiolog* (prefix), sonografer~ (fuzzy), mri^2.

        Examples:
          medsearch search "MRI technologist certification"
          medsearch search '"nuclear medicine" +NMTCB' --limit 5
          medsearch search 'title:sonographer -cardiac' --json
          medsearch search --batch queries.tsv --format trec --limit 1000 > run.txt
        """
    )

    @OptionGroup var location: IndexLocation

    @Argument(help: "The query (several words are joined with spaces).")
    var words: [String] = []

    @Option(name: .shortAndLong, help: "Results to show.")
    var limit: Int = 10

    @Option(help: "Results to skip (paging).")
    var offset: Int = 0

    @Flag(help: "Every word must match (AND); the default is any (OR), ranked.")
    var all = false

    @Flag(help: "Output one JSON document.")
    var json = false

    @Flag(help: "Output JSON Lines (one object per query; for --batch).")
    var jsonl = false

    @Option(help: "Output format: human, json, jsonl or trec.")
    var format: String?

    @Option(help: "Read queries from a file of 'qid<TAB>query' lines.")
    var batch: String?

    @Option(help: "Run tag for TREC output.")
    var runTag: String = "medsearch"

    @Flag(help: "Show how each score is computed.")
    var explain = false

    @Flag(help: "Do not expand queries with the healthcare vocabulary.")
    var noSynonyms = false

    @Option(help: "A vocabulary file extending the built-in one ('a | b' and 'a => b' rules).")
    var vocabulary: String?

    @Option(help: "Passages shown per result.")
    var passages: Int = 2

    @Option(help: "What is ranked: article, or passage (passages across the corpus, grouped by article).")
    var unit: String = RankingUnit.article.rawValue

    @Option(help: "BM25 k1 (term-frequency saturation).")
    var k1: Double = 1.2

    @Option(help: "BM25 b (length normalisation), 0...1.")
    var b: Double = 0.75

    @Option(help: "Colour: auto, always or never (NO_COLOR is honoured).")
    var color: Terminal.ColorChoice = .auto

    func validate() throws {
        guard limit >= 0, offset >= 0, passages >= 0 else { throw ValidationError("--limit, --offset and --passages must not be negative") }
        guard k1 >= 0, (0...1).contains(b) else { throw ValidationError("--k1 must be >= 0 and --b between 0 and 1") }
        if let format, !["human", "json", "jsonl", "trec"].contains(format) {
            throw ValidationError("--format must be human, json, jsonl or trec")
        }
        guard RankingUnit(rawValue: unit) != nil else { throw ValidationError("--unit must be article or passage") }
        if batch == nil, words.isEmpty { throw ValidationError("give a query, or --batch FILE") }
    }

    var outputFormat: String { format ?? (json ? "json" : (jsonl ? "jsonl" : "human")) }

    func run() throws {
        try ensureIndex()
        let reader = try openIndex(location)
        let searcher = Searcher(reader: reader, vocabulary: try loadVocabulary(vocabulary))
        var options = SearchOptions(
            limit: limit, offset: offset, ranking: RankingParameters(k1: k1, b: b), synonyms: !noSynonyms,
            requireAll: all, passagesPerHit: outputFormat == "trec" ? 0 : passages, explain: explain
        )
        options.unit = RankingUnit(rawValue: unit) ?? .article
        let terminal = Terminal(color: outputFormat == "human" ? color : .never)
        if let batch {
            try runBatch(batch, searcher: searcher, options: options, terminal: terminal)
            return
        }
        let query = words.joined(separator: " ")
        let results: SearchResults
        do {
            results = try searcher.search(query, options: options)
        } catch let error as QuerySyntaxError {
            Diagnostics.error("bad query: \(error.description)\n\(Terminal.sanitize(error.caretDiagram))")
            throw ExitCode(ExitStatus.failure.rawValue)
        } catch {
            throw fail(String(describing: error))
        }
        switch outputFormat {
        case "json", "jsonl":
            output(JSONOutput.encode(results, pretty: outputFormat == "json"))
        case "trec":
            output(TRECOutput.lines(results, qid: "1", tag: runTag))
        default:
            output(HumanOutput(terminal: terminal).render(results))
        }
        if results.hits.isEmpty { throw ExitCode(ExitStatus.noResults.rawValue) }
    }

    /// Builds ./Index from ./Corpus on first use, saying so on stderr.
    private func ensureIndex() throws {
        let (folder, isDefault) = location.resolved
        guard isDefault, !IndexReader.exists(at: folder),
              FileManager.default.fileExists(atPath: "Corpus") else { return }
        Diagnostics.note("no index at '\(folder.relativePath)'; indexing ./Corpus first (once)…")
        let status = IndexRunner.run(index: folder, options: IngestOptions(corpus: URL(fileURLWithPath: "Corpus")),
                                     analyzer: .standard, quiet: false, verbose: false)
        if status != .success { throw ExitCode(status.rawValue) }
    }

    private func runBatch(_ path: String, searcher: Searcher, options: SearchOptions, terminal: Terminal) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw fail("cannot read query file '\(path)'") }
        var anyHits = false
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let parts = trimmed.split(separator: "\t", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw fail("\(path):\(number + 1): expected 'qid<TAB>query'") }
            let results: SearchResults
            do {
                results = try searcher.search(parts[1], options: options)
            } catch let error as QuerySyntaxError {
                Diagnostics.warning("\(path):\(number + 1): query \(parts[0]) skipped: \(error.description)")
                continue
            } catch {
                // A damaged index stops the batch with the usual error and exit 2 (it used to
                // escape to ArgumentParser: "Error: …", exit 1, read as "no results").
                throw fail(String(describing: error))
            }
            anyHits = anyHits || !results.hits.isEmpty
            switch outputFormat {
            case "trec":
                let lines = TRECOutput.lines(results, qid: parts[0], tag: runTag)
                if !lines.isEmpty { output(lines) }
            case "json", "jsonl":
                output(JSONOutput.encode(results, pretty: false, qid: parts[0]))
            default:
                output(terminal.bold("Query \(parts[0]): \(Terminal.sanitize(parts[1]))"))
                output(HumanOutput(terminal: terminal).render(results))
            }
        }
        if !anyHits { throw ExitCode(ExitStatus.noResults.rawValue) }
    }
}

func loadVocabulary(_ path: String?) throws -> HealthcareVocabulary {
    guard let path else { return .builtin }
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw fail("cannot read vocabulary file '\(path)'") }
    do {
        return HealthcareVocabulary.builtin.merged(with: try HealthcareVocabulary.parse(text))
    } catch {
        throw fail("\(path): \(error.description)")
    }
}

extension Terminal.ColorChoice: ExpressibleByArgument {}

/// The human format: rank, title, path and score, then passages with their section and the
/// matched terms highlighted, then a summary line.
struct HumanOutput {
    let terminal: Terminal

    func render(_ results: SearchResults) -> String {
        var lines: [String] = []
        for suggestion in results.suggestions {
            lines.append(terminal.dim("Did you mean '\(Terminal.sanitize(suggestion.suggestion))' for '\(Terminal.sanitize(suggestion.word))'?"))
        }
        if let corrected = results.correctedQuery {
            lines.append(terminal.dim("No results for '\(Terminal.sanitize(results.query))'; showing results for '\(Terminal.sanitize(corrected))'."))
        }
        for hit in results.hits {
            lines.append("\(terminal.bold("\(hit.rank). \(Terminal.sanitize(hit.title))"))  \(terminal.dim(String(format: "score %.3f", hit.score)))")
            lines.append("   \(terminal.cyan(Terminal.sanitize(hit.path)))")
            for passage in hit.passages {
                if !passage.section.isEmpty { lines.append("   \(terminal.green("§ " + Terminal.sanitize(passage.section)))") }
                lines.append(wrapped(passage))
            }
            if let explanation = hit.explanation {
                lines.append(explanation.rendered(indent: 2))
            }
            lines.append("")
        }
        let shown = results.hits.count
        let summary = results.totalHits == 1 ? "1 result" : "\(results.totalHits) results"
        lines.append(terminal.dim(String(format: "%@ in %.1f ms; showing %d", summary, results.tookMilliseconds, shown)))
        return lines.joined(separator: "\n")
    }

    /// The passage with highlights, wrapped to the terminal width.
    func wrapped(_ passage: HitPassage) -> String {
        let scalars = Array(passage.text.unicodeScalars)
        var words: [(String, String)] = []
        var current = "", styled = ""
        var inHighlight = false
        var index = 0
        func flushWord() {
            if !current.isEmpty { words.append((current, styled)) }
            current = ""
            styled = ""
        }
        var spans = passage.highlights.sorted { $0.lowerBound < $1.lowerBound }[...]
        var buffer = ""
        func flushSpan() {
            guard !buffer.isEmpty else { return }
            styled += inHighlight ? terminal.highlight(buffer) : buffer
            buffer = ""
        }
        while index < scalars.count {
            if let span = spans.first, index == span.lowerBound { flushSpan(); inHighlight = true }
            if let span = spans.first, index == span.upperBound { flushSpan(); inHighlight = false; spans = spans.dropFirst(); continue }
            let scalar = scalars[index]
            if scalar.properties.isWhitespace {
                flushSpan()
                flushWord()
            } else {
                let safe = Terminal.sanitize(String(scalar))
                current += safe
                buffer += safe
            }
            index += 1
        }
        flushSpan()
        flushWord()
        return Terminal.wrap(words, width: min(terminal.width, 120), indent: "     ")
    }
}

/// The JSON format (README "JSON output"): stable keys, highlight ranges in Unicode scalars.
enum JSONOutput {
    struct Document: Encodable {
        var qid: String?
        var query: String
        var parsed_query: String
        var total_hits: Int
        var took_ms: Double
        var corrected_query: String?
        var suggestions: [SuggestionJSON]
        var expansions: [String]
        var hits: [HitJSON]
    }
    struct SuggestionJSON: Encodable {
        var word: String
        var suggestion: String
    }
    struct HitJSON: Encodable {
        var rank: Int
        var id: String
        var path: String
        var title: String
        var score: Double
        var passages: [PassageJSON]
        var explanation: Explanation?
    }
    struct PassageJSON: Encodable {
        var text: String
        var section: String
        var highlights: [[Int]]
    }

    static func encode(_ results: SearchResults, pretty: Bool, qid: String? = nil) -> String {
        let document = Document(
            qid: qid, query: results.query, parsed_query: results.parsedQuery, total_hits: results.totalHits,
            took_ms: (results.tookMilliseconds * 1000).rounded() / 1000, corrected_query: results.correctedQuery,
            suggestions: results.suggestions.map { SuggestionJSON(word: $0.word, suggestion: $0.suggestion) },
            expansions: results.expansions,
            hits: results.hits.map { hit in
                HitJSON(rank: hit.rank, id: hit.externalID, path: hit.path, title: hit.title, score: hit.score,
                        passages: hit.passages.map { PassageJSON(text: $0.text, section: $0.section, highlights: $0.highlights.map { [$0.lowerBound, $0.upperBound] }) },
                        explanation: hit.explanation)
            }
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(document)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

/// TREC run lines: `qid Q0 docid rank score tag`.
enum TRECOutput {
    static func lines(_ results: SearchResults, qid: String, tag: String) -> String {
        results.hits.map { "\(qid) Q0 \($0.externalID) \($0.rank) \(String(format: "%.6f", $0.score)) \(tag)" }.joined(separator: "\n")
    }
}
