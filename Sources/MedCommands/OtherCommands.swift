import ArgumentParser
import Foundation
import MedAnalysis
import MedDocument
import MedExtract
import MedIndex
import MedSearch

struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Show what the engine sees in an HTML file: title, sections and passages.",
        discussion: """
        Examples:
          medsearch extract Corpus/careerscope/ct-technologist.html
          medsearch extract page.html --format text       # the article body, one passage a line
          medsearch extract page.html --format json --verbose
        """
    )

    @Argument(help: "The HTML file.") var file: String
    @Option(help: "human, text or json.") var format: String = "human"
    @Flag(name: .shortAndLong, help: "Also list what was dropped and why.") var verbose = false
    @Flag(help: "Keep boilerplate (menus, sidebars, ads).") var keepBoilerplate = false
    @Option(help: "Files larger than this many bytes are refused.") var maxFileSize: Int = 32 << 20

    func validate() throws {
        guard ["human", "text", "json"].contains(format) else { throw ValidationError("--format must be human, text or json") }
    }

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw fail("cannot read '\(file)' (\(FileManager.default.fileExists(atPath: file) ? "permission denied or not a file" : "no such file"))")
        }
        let extractor = ArticleExtractor(options: ExtractionOptions(keepBoilerplate: keepBoilerplate, maxFileSize: maxFileSize, recordRemovals: verbose))
        let result: ExtractionResult
        do {
            result = try extractor.extract(html: Array(data), path: file)
        } catch {
            throw fail(error.description)
        }
        let article = result.article
        switch format {
        case "text":
            output(Terminal.sanitize(article.bodyText).isEmpty ? "" : article.bodyText.split(separator: "\n").map { Terminal.sanitize(String($0)) }.joined(separator: "\n"))
        case "json":
            struct SectionJSON: Encodable { var heading: String; var level: Int; var path: [String]; var passages: [PassageJSON] }
            struct PassageJSON: Encodable { var kind: String; var text: String }
            struct RemovalJSON: Encodable { var element: String; var reason: String; var preview: String }
            struct ArticleJSON: Encodable {
                var title: String; var description: String?; var url: String?; var language: String?
                var encoding: String; var sections: [SectionJSON]; var body: String; var removed: [RemovalJSON]?
            }
            let json = ArticleJSON(
                title: article.title, description: article.description, url: article.url, language: article.language,
                encoding: result.sourceEncoding,
                sections: article.sections.map { SectionJSON(heading: $0.heading, level: $0.level, path: $0.path, passages: $0.passages.map { PassageJSON(kind: $0.kind.name, text: $0.text) }) },
                body: article.bodyText,
                removed: verbose ? result.removals.map { RemovalJSON(element: $0.element, reason: $0.reason, preview: $0.preview) } : nil
            )
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            output(String(decoding: (try? encoder.encode(json)) ?? Data(), as: UTF8.self))
        default:
            var lines = ["Title: \(Terminal.sanitize(article.title))"]
            if let description = article.description { lines.append("Description: \(Terminal.sanitize(description))") }
            if let url = article.url { lines.append("URL: \(Terminal.sanitize(url))") }
            if let language = article.language { lines.append("Language: \(Terminal.sanitize(language))") }
            lines.append("Encoding: \(result.sourceEncoding)")
            lines.append("Sections: \(article.sections.count), passages: \(article.passageCount)")
            for section in article.sections {
                lines.append("")
                lines.append(section.heading.isEmpty ? "## (lead)" : "\(String(repeating: "#", count: max(section.level, 1))) \(Terminal.sanitize(section.heading))")
                for passage in section.passages {
                    lines.append("  [\(passage.kind.name)] \(Terminal.sanitize(passage.text))")
                }
            }
            if verbose {
                lines.append("")
                lines.append("Dropped (\(result.removals.count)):")
                for removal in result.removals {
                    lines.append("  \(removal.element) — \(removal.reason): \(Terminal.sanitize(removal.preview))")
                }
            }
            output(lines.joined(separator: "\n"))
        }
    }
}

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Show what the index holds: documents, passages, terms, files, analyzer, format.")
    @OptionGroup var location: IndexLocation

    func run() throws {
        let reader = try openIndex(location)
        var passages = 0
        let terms: Int
        do {
            for doc in reader.liveDocuments { passages += try reader.storedDocument(doc).article.passageCount }
            terms = try reader.distinctTermCount()
        } catch {
            throw fail(error.description)
        }
        var lines = [
            "index:        \(reader.folder.path)",
            "format:       \(reader.manifest.format) v\(reader.manifest.formatVersion), generation \(reader.manifest.generation), committed \(reader.manifest.committedAt)",
            "analyzer:     \(reader.manifest.analyzer)",
            "corpus:       \(reader.manifest.corpus) (\(reader.manifest.corpusFormat))",
            "documents:    \(reader.documentCount)",
            "passages:     \(passages)",
            "terms:        \(terms)",
            "tokens:       title \(reader.fieldTotals.title), heading \(reader.fieldTotals.heading), body \(reader.fieldTotals.body)",
            "segments:     \(reader.segments.count)",
            "files:",
        ]
        var total = 0
        for file in reader.fileSizes {
            lines.append("  \(file.name.padding(toLength: 24, withPad: " ", startingAt: 0)) \(formatBytes(file.bytes))")
            total += file.bytes
        }
        lines.append("  total                    \(formatBytes(total))")
        output(lines.joined(separator: "\n"))
    }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Verify every index file's checksum and that every stored document decodes.")
    @OptionGroup var location: IndexLocation

    func run() throws {
        let reader = try openIndex(location)
        do {
            let report = try reader.check()
            output("ok: \(report.files) files (\(formatBytes(report.bytes))), \(report.documents) documents, \(report.passages) passages, \(report.terms) terms; all checksums match")
        } catch {
            throw fail(error.description)
        }
    }
}

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print one document's clean text, by path or document id.",
        discussion: "Examples:\n  medsearch show careerscope/ct-technologist.html\n  medsearch show 3"
    )
    @OptionGroup var location: IndexLocation
    @Argument(help: "A document path (as indexed) or numeric id.") var document: String

    func run() throws {
        let reader = try openIndex(location)
        do {
            var found: StoredDocument?
            if let id = Int(document), id >= 0, id < reader.maxDocument, !reader.isDeleted(id) {
                found = try reader.storedDocument(id)
            } else {
                // Paths come from the document tables; only the match's text is decoded.
                var match: Int?
                try reader.forEachDocument { doc, path, stats in
                    guard match == nil else { return }
                    let source = SourceInfo(path: path, size: stats.size, modificationTime: stats.modificationTime, contentHash: stats.contentHash)
                    if path == document || source.externalID == document { match = doc }
                }
                if let match { found = try reader.storedDocument(match) }
            }
            guard let stored = found else { throw fail("no document '\(document)' in the index") }
            var lines = ["# \(Terminal.sanitize(stored.article.title))", Terminal.sanitize(stored.source.path), ""]
            for section in stored.article.sections {
                if !section.heading.isEmpty, section.level > 1 { lines.append(""); lines.append("## \(Terminal.sanitize(section.heading))") }
                for passage in section.passages { lines.append(Terminal.sanitize(passage.text)) }
            }
            output(lines.joined(separator: "\n"))
        } catch let error as IndexError {
            throw fail(error.description)
        }
    }
}

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score a TREC run against relevance judgments: nDCG@10, MAP, P@10, R@100, MRR.",
        discussion: """
        Examples:
          medsearch eval --qrels qrels.txt --run run.txt
          medsearch eval --qrels qrels.txt --queries queries.tsv --index cranfield-index
        """
    )
    @OptionGroup var location: IndexLocation
    @Option(help: "Relevance judgments (TREC qrels).") var qrels: String
    @Option(name: .customLong("run"), help: "A TREC run to score.") var runFile: String?
    @Option(help: "Queries ('qid<TAB>query') to run against the index and score.") var queries: String?
    @Flag(help: "Do not expand queries with the healthcare vocabulary.") var noSynonyms = false

    func validate() throws {
        guard (runFile == nil) != (queries == nil) else { throw ValidationError("give exactly one of --run or --queries") }
    }

    func run() throws {
        guard let qrelsText = try? String(contentsOfFile: qrels, encoding: .utf8) else { throw fail("cannot read '\(qrels)'") }
        do {
            let judgments = try Evaluation.parseQrels(qrelsText)
            var ranking: [String: [String]] = [:]
            if let runFile {
                guard let text = try? String(contentsOfFile: runFile, encoding: .utf8) else { throw fail("cannot read '\(runFile)'") }
                ranking = try Evaluation.parseRun(text)
            } else if let queries {
                guard let text = try? String(contentsOfFile: queries, encoding: .utf8) else { throw fail("cannot read '\(queries)'") }
                let searcher = Searcher(reader: try openIndex(location))
                let options = SearchOptions(limit: 1000, synonyms: !noSynonyms, passagesPerHit: 0)
                for line in text.split(separator: "\n") {
                    let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
                    guard parts.count == 2 else { continue }
                    do {
                        ranking[parts[0]] = try searcher.search(parts[1], options: options).hits.map(\.externalID)
                    } catch is QuerySyntaxError {
                        ranking[parts[0]] = []  // an unparsable query retrieves nothing
                    }
                }
            }
            let scores = Evaluation.evaluate(run: ranking, qrels: judgments)
            output(String(format: "queries  %d\nnDCG@10  %.4f\nMAP      %.4f\nP@10     %.4f\nR@100    %.4f\nMRR      %.4f",
                          scores.queries, scores.ndcg10, scores.map, scores.p10, scores.recall100, scores.mrr))
        } catch let error as EvaluationError {
            throw fail(error.message)
        } catch let error as ExitCode {
            throw error
        } catch {
            // A damaged index must not be scored as empty runs.
            throw fail(String(describing: error))
        }
    }
}
