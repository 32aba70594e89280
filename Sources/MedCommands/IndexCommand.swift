import ArgumentParser
import Foundation
import MedAnalysis
import MedExtract
import MedIndex
import MedIngest

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build or update the index from a folder of HTML articles (or a JSONL file).",
        discussion: """
        Only new or changed files are extracted again; removed files are dropped. The previous
        commit stays searchable until the new one is complete.

        Examples:
          medsearch index                       # ./Corpus into ./Index
          medsearch index ~/saved-pages --index ~/pages-index
          medsearch index data.jsonl --format jsonl --index jsonl-index
          medsearch index --rebuild
        """
    )

    @OptionGroup var location: IndexLocation

    @Argument(help: ArgumentHelp("The corpus folder (or JSONL file with --format jsonl).", valueName: "corpus"))
    var corpus: String = "Corpus"

    @Option(help: "Input format: html (a folder) or jsonl ({\"id\",\"title\",\"text\"} per line).")
    var format: String = "html"

    @Flag(help: "Re-extract every file and write a fresh index.")
    var rebuild = false

    @Flag(help: "Keep menus, sidebars, ads and other boilerplate (only scripts, styles and hidden elements are dropped).")
    var keepBoilerplate = false

    @Option(help: "Skip files larger than this many bytes.")
    var maxFileSize: Int = 32 << 20

    @Option(help: "Index only files matching this pattern (repeatable; * and ? wildcards).")
    var include: [String] = []

    @Option(help: "Leave out files matching this pattern (repeatable).")
    var exclude: [String] = []

    @Option(help: "Stopwords: english (default), none, or a file with one word per line.")
    var stopwords: String = "english"

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("Memory for indexing buffers before a segment is written out: a number of MB, or with a K, M or G suffix.", valueName: "size"))
    var memoryBudget: String = "256M"

    @Option(help: ArgumentHelp("Merge segments when this many of similar size exist (at least 2).", valueName: "n"))
    var mergeFactor: Int = 10

    @Flag(name: .shortAndLong, help: "No progress line and no summary.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "List every skipped file with its reason.")
    var verbose = false

    func validate() throws {
        guard CorpusFormat(rawValue: format) != nil else { throw ValidationError("--format must be html or jsonl") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard maxFileSize > 0 else { throw ValidationError("--max-file-size must be positive") }
        guard mergeFactor >= 2 else { throw ValidationError("--merge-factor must be at least 2") }
        guard Self.parseSize(memoryBudget) != nil else {
            throw ValidationError("--memory-budget must be a size of at least 1M, such as 64M, 512M or 2G (got '\(memoryBudget)')")
        }
    }

    /// Bytes for "256", "256M", "512K", "2G" (a bare number is MB); nil if malformed or under 1 MB.
    static func parseSize(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        var digits = Substring(trimmed)
        var unit = 1 << 20
        if let last = digits.last, "KMG".contains(last) {
            unit = last == "K" ? 1 << 10 : last == "M" ? 1 << 20 : 1 << 30
            digits = digits.dropLast()
        }
        guard let value = Int(digits), value > 0, value <= Int.max / unit, value * unit >= 1 << 20 else { return nil }
        return value * unit
    }

    func run() throws {
        let analyzer = try makeAnalyzer(stopwords)
        var options = IngestOptions(
            corpus: URL(fileURLWithPath: corpus),
            format: CorpusFormat(rawValue: format)!,
            extraction: ExtractionOptions(keepBoilerplate: keepBoilerplate, maxFileSize: maxFileSize),
            walker: CorpusWalker(include: include, exclude: exclude),
            rebuild: rebuild,
            threads: threads,
            memoryBudget: Self.parseSize(memoryBudget)!
        )
        options.mergeFactor = mergeFactor
        let code = IndexRunner.run(index: location.resolved.url, options: options, analyzer: analyzer, quiet: quiet, verbose: verbose)
        if code != .success { throw ExitCode(code.rawValue) }
    }
}

/// Builds the analyzer from `--stopwords`.
func makeAnalyzer(_ stopwords: String) throws -> Analyzer {
    switch stopwords {
    case "english": return .standard
    case "none": return Analyzer(stopWords: .none, stopWordsName: "none")
    default:
        guard let text = try? String(contentsOfFile: stopwords, encoding: .utf8) else {
            throw fail("cannot read stopword file '\(stopwords)'")
        }
        return Analyzer(stopWords: StopWords.parse(text), stopWordsName: "custom")
    }
}

/// Runs an ingest with progress and summary; shared by `index` and the auto-index of `search`.
enum IndexRunner {
    static func run(index: URL, options: IngestOptions, analyzer: Analyzer, quiet: Bool, verbose: Bool) -> ExitStatus {
        let started = Date()
        let progress = ProgressLine(enabled: !quiet && isatty(STDERR_FILENO) != 0)
        let report: IngestReport
        do {
            report = try Ingest.run(index: index, options: options, analyzer: analyzer) { progress.update($0) }
        } catch {
            progress.clear()
            Diagnostics.error(error.description)
            return .failure
        }
        progress.clear()
        for warning in report.warnings { Diagnostics.warning(warning) }
        let shown = verbose ? report.skipped : Array(report.skipped.prefix(5))
        for skip in shown { Diagnostics.warning("skipped \(skip.path): \(skip.reason)") }
        if report.skipped.count > shown.count {
            Diagnostics.warning("… and \(report.skipped.count - shown.count) more skipped files (see --verbose)")
        }
        if verbose {
            for sample in report.boilerplateSamples {
                Diagnostics.note("dropped as corpus boilerplate in \(sample.path): \(String(sample.text.prefix(100)))")
            }
        }
        guard !quiet else { return .success }
        if report.reextracted {
            Diagnostics.note("the index was built with other extraction rules or options: every page was extracted again")
        }
        let seconds = Date().timeIntervalSince(started)
        let size = indexSize(index)
        var line = "added \(report.added), updated \(report.updated), deleted \(report.deleted), unchanged \(report.unchanged), skipped \(report.skipped.count)"
        if report.boilerplatePassages > 0 { line += ", \(report.boilerplatePassages) corpus-boilerplate passages dropped" }
        line += report.committed
            ? String(format: "; %d documents in %.2f s; index %@ in %d segment%@ (generation %d)", report.documents, seconds, formatBytes(size),
                     report.segments, report.segments == 1 ? "" : "s", report.generation)
            : String(format: "; index is up to date (%d documents, %.2f s)", report.documents, seconds)
        FileHandle.standardError.write(Data("\(line)\n".utf8))
        return .success
    }

    static func indexSize(_ folder: URL) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasPrefix("seg-") || $0 == "manifest.json" }.reduce(0) { total, name in
            total + ((try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)[.size] as? Int) ?? 0)
        }
    }
}

func formatBytes(_ bytes: Int) -> String {
    if bytes < 1024 { return "\(bytes) B" }
    if bytes < 1 << 20 { return String(format: "%.1f KiB", Double(bytes) / 1024) }
    return String(format: "%.1f MiB", Double(bytes) / Double(1 << 20))
}

/// A progress line on stderr, redrawn in place at most 10 times a second.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLock()
    private var last = Date.distantPast
    private let started = Date()
    private var drawn = false

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ progress: IngestProgress) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(last) >= 0.1 || progress.stage != .extracting else { return }
        last = now
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        var text = "\(progress.stage.rawValue)"
        if progress.filesTotal > 0 {
            let rate = Double(progress.bytesDone) / elapsed / 1e6
            let remaining = progress.filesDone > 0 ? elapsed / Double(progress.filesDone) * Double(progress.filesTotal - progress.filesDone) : 0
            text += String(format: " %d/%d files, %.1f MB/s, ETA %.0f s", progress.filesDone, progress.filesTotal, rate, remaining)
        }
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(text)".utf8))
        drawn = true
    }

    func clear() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        drawn = false
    }
}
