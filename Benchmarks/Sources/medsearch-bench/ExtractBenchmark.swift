import Foundation
import MedDocument
import MedExtract

/// Extraction throughput against libxml2's parse-only floor, on the same bytes in memory (file
/// reading excluded), single-threaded and then with `--threads` workers.
struct ExtractBenchmark {
    var paths: [String]
    var threads: Int
    var repeats: Int
    /// `parse` or `extract` runs only that side once, single-threaded (for `valgrind --tool=callgrind`,
    /// whose instruction counts stay stable on a noisy machine).
    var only: String?
    /// `--dump FILE` writes every page's extraction (article and removals, as JSON lines) and
    /// exits: two builds' dumps must be byte-identical when a change is meant to be speed only.
    var dump: String?

    init(arguments: [String]) throws {
        let options = try Options(arguments)
        paths = options.positional
        guard !paths.isEmpty else { throw BenchError("extract: give at least one HTML file or folder") }
        threads = try options.int("threads", default: ProcessInfo.processInfo.activeProcessorCount)
        repeats = try options.int("repeat", default: 3)
        only = options.values["only"]
        guard only == nil || only == "parse" || only == "extract" else { throw BenchError("extract: --only takes parse or extract") }
        dump = options.values["dump"]
    }

    func run() throws {
        let files = try htmlFiles(under: paths)
        guard !files.isEmpty else { throw BenchError("extract: no HTML files under \(paths.joined(separator: ", "))") }
        let pages = try files.map { try [UInt8](Data(contentsOf: $0)) }
        let bytes = pages.reduce(0) { $0 + $1.count }
        let extractor = ArticleExtractor()

        if let dump {
            try writeDump(files: files, pages: pages, to: dump)
            return
        }
        if let only {
            for page in pages {
                if only == "parse" { ArticleExtractor.parseOnly(utf8: page) } else { _ = try? extractor.extract(html: page) }
            }
            print("\(only): \(pages.count) pages, \(bytes) bytes")
            return
        }
        // Only pages the extractor accepts are timed, so both sides see the same input.
        let accepted = pages.filter { (try? extractor.extract(html: $0)) != nil }
        let acceptedBytes = accepted.reduce(0) { $0 + $1.count }
        print("pages: \(pages.count) (\(format(megabytes(bytes), 2)) MB), accepted: \(accepted.count) (\(format(megabytes(acceptedBytes), 2)) MB)")

        let (parse1, extract1) = bestInterleaved(
            of: repeats,
            { for page in accepted { ArticleExtractor.parseOnly(utf8: page) } },
            { for page in accepted { _ = try? extractor.extract(html: page) } }
        )
        report("libxml2 parse only, 1 thread", seconds: parse1, bytes: acceptedBytes, pages: accepted.count)
        report("extract, 1 thread", seconds: extract1, bytes: acceptedBytes, pages: accepted.count)
        print("extract / parse-only throughput: \(format(parse1 / extract1 * 100))%")

        if threads > 1 {
            let shared = accepted
            let workers = threads
            let (parseN, extractN) = bestInterleaved(
                of: repeats,
                { parallelEach(count: shared.count, threads: workers) { ArticleExtractor.parseOnly(utf8: shared[$0]) } },
                { parallelEach(count: shared.count, threads: workers) { _ = try? ArticleExtractor().extract(html: shared[$0]) } }
            )
            report("libxml2 parse only, \(threads) threads", seconds: parseN, bytes: acceptedBytes, pages: accepted.count)
            report("extract, \(threads) threads", seconds: extractN, bytes: acceptedBytes, pages: accepted.count)
            print("extract scaling, \(threads) threads vs 1: \(format(extract1 / extractN, 2))×")
        }
        print("peak memory: \(format(peakMemoryMiB())) MiB")
    }

    /// One JSON line per page: its path, then the article and the removals (recorded), or the
    /// reason it was skipped. Keys are sorted so that the output is stable.
    private func writeDump(files: [URL], pages: [[UInt8]], to path: String) throws {
        struct Line: Encodable {
            var path: String
            var article: Article?
            var removals: [String]?
            var error: String?
        }
        let recording = ArticleExtractor(options: ExtractionOptions(recordRemovals: true))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var out = Data()
        for (file, page) in zip(files, pages) {
            var line = Line(path: file.path)
            do {
                let result = try recording.extract(html: page, path: file.path)
                line.article = result.article
                line.removals = result.removals.map { "\($0.element)\t\($0.reason)\t\($0.preview)" }
            } catch {
                line.error = error.description
            }
            out.append(try encoder.encode(line))
            out.append(0x0A)
        }
        try out.write(to: URL(fileURLWithPath: path))
        print("dump: \(files.count) pages written to \(path)")
    }

    private func report(_ label: String, seconds: Double, bytes: Int, pages: Int) {
        let rate = megabytes(bytes) / seconds
        let pageRate = Double(pages) / seconds
        print("\(label.padding(toLength: 34, withPad: " ", startingAt: 0)) \(format(rate)) MB/s  \(format(pageRate, 0)) pages/s  (\(format(seconds * 1000)) ms)")
    }
}
