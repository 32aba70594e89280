import Foundation
import Testing

/// Golden-file tests: the built `medsearch` runs on ``SampleCorpus`` and its stdout (with
/// `--color never`) must equal the files in `Tests/MedCommandsTests/Golden/` byte for byte, after
/// ``Golden/normalize(_:root:)`` has replaced what legitimately varies between runs (timings,
/// temporary paths, the commit time).
///
/// After an intended change of output, regenerate the files and review their diff:
///
///     MEDSEARCH_UPDATE_GOLDEN=1 swift test --filter GoldenTests
///
/// With `MEDSEARCH_UPDATE_GOLDEN=1` every golden test rewrites its file instead of comparing (and
/// passes); a missing file fails with the command above.
@Suite("Golden output", .serialized)
struct GoldenTests {
    enum Golden {
        static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
        static let updating = ProcessInfo.processInfo.environment["MEDSEARCH_UPDATE_GOLDEN"] == "1"

        /// Replaces run-dependent text with placeholders: `12 results in 0.4 ms` →
        /// `12 results in <time> ms`, the temporary workspace path → `<root>`, an ISO 8601 commit
        /// time → `<time>`.
        static func normalize(_ text: String, root: URL) -> String {
            var text = text
            for path in Set([root.path, root.resolvingSymlinksInPath().path]).sorted(by: { $0.count > $1.count }) {
                text = text.replacingOccurrences(of: path, with: "<root>")
            }
            text.replace(#/ in [0-9]+(\.[0-9]+)? ms/#, with: " in <time> ms")
            text.replace(#/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/#, with: "<time>")
            return text
        }

        /// Compares `actual` with the golden file `name`, or rewrites it when updating.
        static func check(_ actual: String, against name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let file = folder.appendingPathComponent(name)
            if updating {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try Data(actual.utf8).write(to: file)
                return
            }
            guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
                Issue.record("missing golden file \(name); create it with MEDSEARCH_UPDATE_GOLDEN=1 swift test --filter GoldenTests", sourceLocation: sourceLocation)
                return
            }
            #expect(actual == expected, "\(name) differs from the golden file:\n\(firstDifference(actual, expected))", sourceLocation: sourceLocation)
        }

        /// The first differing line of two texts, for a readable failure.
        static func firstDifference(_ actual: String, _ expected: String) -> String {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            for line in 0..<max(a.count, e.count) where a[safe: line] != e[safe: line] {
                return "line \(line + 1)\n  actual:   \(a[safe: line].map(String.init) ?? "<end>")\n  expected: \(e[safe: line].map(String.init) ?? "<end>")"
            }
            return "(same lines; the ends of the texts differ)"
        }
    }

    /// Runs `medsearch` on a fresh sample workspace and returns its normalised stdout.
    static func output(_ arguments: [String], stdin: String? = nil, status: Int32 = 0) throws -> String {
        let root = try SampleCorpus.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try CLI.run(arguments, in: root, stdin: stdin)
        #expect(result.status == status, "exit status of \(arguments): \(result.stderr)")
        #expect(result.stderr.isEmpty, "stderr of \(arguments): \(result.stderr)")
        return Golden.normalize(result.stdout, root: root)
    }

    @Test("search, human output")
    func searchHuman() throws {
        try Golden.check(try Self.output(["search", "certification exam", "--color", "never"]), against: "search-human.txt")
    }

    @Test("search, --format trec (batch)")
    func searchTrec() throws {
        let root = try SampleCorpus.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("q1\tcertification\nq2\tradiation dose\nq3\tultrasound OR magnet\n".utf8).write(to: root.appendingPathComponent("queries.tsv"))
        let result = try CLI.run(["search", "--batch", "queries.tsv", "--format", "trec", "--run-tag", "golden"], in: root)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        try Golden.check(Golden.normalize(result.stdout, root: root), against: "search-trec.txt")
    }

    @Test("extract --format text")
    func extractText() throws {
        try Golden.check(try Self.output(["extract", "Corpus/imaging/sonographer.html", "--format", "text"]), against: "extract-text.txt")
    }

    @Test("stats")
    func stats() throws {
        try Golden.check(try Self.output(["stats"]), against: "stats.txt")
    }

    @Test("repl with piped stdin")
    func replPiped() throws {
        let script = "venipuncture\n:set limit 1\ncertification\n:more\n:open 1\n:explain 1\nsonografer\n:histroy\n:history\n:quit\n"
        try Golden.check(try Self.output(["repl", "--color", "never"], stdin: script), against: "repl-piped.txt")
    }
}

@Suite("Output contracts", .serialized)
struct OutputContractTests {
    static let shell = URL(fileURLWithPath: "/bin/sh")

    @Test("--json, field by field: ranks, paths, titles, scores, passages and highlight ranges")
    func jsonFields() throws {
        let root = try SampleCorpus.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        // Without synonyms, so every highlight must be a form of the query word.
        let result = try CLI.run(["search", "certification", "--json", "--no-synonyms"], in: root)
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["query"] as? String == "certification")
        #expect((object["expansions"] as? [Any])?.isEmpty ?? true)
        let hits = try #require(object["hits"] as? [[String: Any]])
        #expect(object["total_hits"] as? Int == 3)
        #expect(hits.count == 3)
        #expect((object["took_ms"] as? Double).map { $0 >= 0 } == true)
        let paths = Set(SampleCorpus.pages.map(\.path))
        var scores: [Double] = []
        for (offset, hit) in hits.enumerated() {
            #expect(hit["rank"] as? Int == offset + 1)
            let path = try #require(hit["path"] as? String)
            #expect(paths.contains(path))
            #expect(hit["id"] as? String == URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)
            #expect((hit["title"] as? String).map { !$0.isEmpty } == true)
            let score = try #require(hit["score"] as? Double)
            #expect(score > 0)
            scores.append(score)
            let passages = try #require(hit["passages"] as? [[String: Any]])
            #expect(!passages.isEmpty)
            for passage in passages { try checkPassage(passage) }
        }
        #expect(scores == scores.sorted(by: >))
    }

    /// A passage has text, a section (possibly empty) and highlights inside the text that mark
    /// a form of the query word.
    func checkPassage(_ passage: [String: Any]) throws {
        let text = try #require(passage["text"] as? String)
        #expect(!text.isEmpty)
        #expect(passage["section"] is String)
        let highlights = try #require(passage["highlights"] as? [[Int]])
        #expect(!highlights.isEmpty)
        let scalars = Array(text.unicodeScalars)
        for range in highlights {
            try #require(range.count == 2)
            #expect(0 <= range[0] && range[0] < range[1] && range[1] <= scalars.count, "highlight \(range) outside a passage of \(scalars.count) scalars")
            guard 0 <= range[0], range[0] < range[1], range[1] <= scalars.count else { continue }
            let marked = String(String.UnicodeScalarView(scalars[range[0]..<range[1]]))
            #expect(marked.lowercased().hasPrefix("certif"), "highlighted '\(marked)'")
        }
    }

    @Test("a closed stdout (| head -1) ends the search quietly")
    func closedStdout() throws {
        let root = try SampleCorpus.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        // Enough output (thousands of queries) to fill the pipe long after `head` has gone.
        let queries = (1...1000).map { "q\($0)\tcertification exam ultrasound\n" }.joined()
        try Data(queries.utf8).write(to: root.appendingPathComponent("queries.tsv"))
        let search = "'\(CLI.binary.path)' search --batch queries.tsv --color never"
        let total = try CLI.run(["-c", "\(search) | wc -c"], in: root, executable: Self.shell)
        #expect((Int(total.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 1 << 18, "the output must outgrow the pipe buffer")
        let cut = try CLI.run(["-c", "\(search) | head -1"], in: root, executable: Self.shell)
        #expect(cut.status == 0)
        #expect(cut.stderr == "", "stderr: \(cut.stderr)")
        #expect(cut.stdout.split(separator: "\n").count == 1)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
