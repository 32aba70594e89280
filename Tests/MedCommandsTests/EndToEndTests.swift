import Foundation
import Testing
@testable import MedCommands

/// Runs the built `medsearch` binary as a user would, on a temporary corpus.
struct CLI {
    static let binary: URL = {
        // The test bundle sits in the same build folder as the executable.
        var url = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = url.appendingPathComponent("medsearch")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            url = url.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/medsearch")
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `executable` (`medsearch` unless told otherwise, e.g. `/bin/sh` for a pipeline).
    static func run(_ arguments: [String], in folder: URL, stdin: String? = nil, environment: [String: String] = [:], executable: URL = binary) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "MEDSEARCH_INDEX")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self), stderr: String(decoding: stderrData, as: UTF8.self))
    }

    /// A temporary folder with `Corpus/` holding a few pages.
    static func workspace() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("medsearch-e2e-\(UUID().uuidString)")
        let corpus = root.appendingPathComponent("Corpus/site")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        let pages = [
            "mri.html": "<html><head><title>MRI Technologist Guide</title></head><body><nav><a href='/'>Home</a></nav><article><h1>MRI Technologist Guide</h1><h2>Certification</h2><p>Magnetic resonance imaging technologists earn the ARRT (MR) credential after an accredited program.</p><p>The magnet is always on, so screening matters.</p></article></body></html>",
            "ct.html": "<html><head><title>CT Technologist</title></head><body><article><h1>CT Technologist</h1><p>CT technologists run computed tomography scanners and give iodinated contrast.</p></article></body></html>",
            "evil.html": "<html><head><title>Evil \u{1B}]0;pwned\u{07} page</title></head><body><p>Phlebotomy text with \u{1B}[2J an escape and \u{202E}override.</p></body></html>",
        ]
        for (name, html) in pages { try Data(html.utf8).write(to: corpus.appendingPathComponent(name)) }
        try Data([0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0]).write(to: corpus.appendingPathComponent("image.html"))
        return root
    }
}

@Suite("End to end", .serialized)
struct EndToEndTests {
    @Test("search builds the default index on first use, then finds passages; exit codes")
    func firstSearch() throws {
        let root = try CLI.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try CLI.run(["search", "MRI certification", "--color", "never"], in: root)
        #expect(first.status == 0)
        #expect(first.stderr.contains("indexing ./Corpus first"))
        #expect(first.stderr.contains("skipped site/image.html: binary file (PNG image)"))
        #expect(first.stdout.contains("1. MRI Technologist Guide"))
        #expect(first.stdout.contains("§ Certification"))
        #expect(first.stdout.contains("[Magnetic] [resonance] [imaging]"))
        #expect(first.stdout.contains(" in ") && first.stdout.contains("; showing "))
        let none = try CLI.run(["search", "zzzqqq", "--color", "never"], in: root)
        #expect(none.status == 1)
        let bad = try CLI.run(["search", "\"unclosed"], in: root)
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("medsearch: error: bad query: unbalanced '\"'"))
        #expect(bad.stderr.contains("^"))
        let usage = try CLI.run(["search", "--limit", "many", "x"], in: root)
        #expect(usage.status == 64)
    }

    @Test("index is incremental and reports what changed")
    func incremental() throws {
        let root = try CLI.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try CLI.run(["index"], in: root)
        #expect(first.status == 0)
        #expect(first.stderr.contains("added 3, updated 0, deleted 0, unchanged 0, skipped 1"))
        let again = try CLI.run(["index"], in: root)
        #expect(again.stderr.contains("added 0, updated 0, deleted 0, unchanged 3, skipped 1"))
        #expect(again.stderr.contains("up to date"))
        try Data("<title>CT Technologist</title><p>Updated CT text about dose.</p>".utf8).write(to: root.appendingPathComponent("Corpus/site/ct.html"))
        try FileManager.default.removeItem(at: root.appendingPathComponent("Corpus/site/mri.html"))
        let changed = try CLI.run(["index"], in: root)
        #expect(changed.stderr.contains("added 0, updated 1, deleted 1, unchanged 1"))
        let check = try CLI.run(["check"], in: root)
        #expect(check.status == 0)
        // The updated page is a second segment; the first, left with more deleted documents than
        // live ones, is rewritten by the merge policy (so no deletion file remains).
        #expect(check.stdout.hasPrefix("ok: 8 files"))
        let stats = try CLI.run(["stats"], in: root)
        #expect(stats.stdout.contains("documents:    2"))
        #expect(stats.stdout.contains("segments:     2"))
        let rebuilt = try CLI.run(["index", "--rebuild"], in: root)
        #expect(rebuilt.stderr.contains("in 1 segment (generation"))
        #expect(try CLI.run(["check"], in: root).stdout.hasPrefix("ok: 4 files"))
    }

    /// Regression (Reliability/corrupt.py): in --batch mode an index error escaped to
    /// ArgumentParser, which printed "Error: …" and exited 1 — the "no results" status.
    @Test("a damaged posting list stops a --batch search with a clear error and exit 2")
    func batchIndexError() throws {
        let root = try CLI.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try CLI.run(["index"], in: root).status == 0)
        let queries = root.appendingPathComponent("q.tsv")
        try Data("q1\tmri\nq2\tct dose\n".utf8).write(to: queries)
        let postings = try #require(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Index").path)
            .first { $0.hasSuffix(".postings") })
        let url = root.appendingPathComponent("Index/\(postings)")
        var bytes = Array(try Data(contentsOf: url))
        for k in 20..<(bytes.count - 8) { bytes[k] ^= 0x5A }  // every list's bytes, frame kept
        try Data(bytes).write(to: url)
        let result = try CLI.run(["search", "--batch", queries.path, "--format", "trec"], in: root)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("medsearch: error: index file"))
        #expect(result.stderr.contains(postings))
    }

    @Test("--memory-budget sizes: a number of MB or a K/M/G suffix; malformed or under 1 MB is a usage error")
    func memoryBudget() throws {
        #expect(IndexCommand.parseSize("256") == 256 << 20)
        #expect(IndexCommand.parseSize("64M") == 64 << 20)
        #expect(IndexCommand.parseSize("2g") == 2 << 30)
        #expect(IndexCommand.parseSize("4096K") == 4 << 20)
        for bad in ["", "0", "-5M", "512K", "12Q", "M", "9999999999999999999G"] {
            #expect(IndexCommand.parseSize(bad) == nil, "\(bad)")
        }
        let root = try CLI.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let usage = try CLI.run(["index", "--memory-budget", "lots"], in: root)
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("--memory-budget must be a size"))
        let factor = try CLI.run(["index", "--merge-factor", "1"], in: root)
        #expect(factor.status == 64)
        let small = try CLI.run(["index", "--memory-budget", "1M", "--merge-factor", "2"], in: root)
        #expect(small.status == 0, "\(small.stderr)")
        #expect(try CLI.run(["check"], in: root).status == 0)
    }

    @Test("JSON output parses and carries highlight offsets into the passage text")
    func json() throws {
        let root = try CLI.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try CLI.run(["index", "--quiet"], in: root)
        let result = try CLI.run(["search", "contrast", "--json"], in: root)
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["total_hits"] as? Int == 1)
        let hits = try #require(object["hits"] as? [[String: Any]])
        #expect(hits[0]["path"] as? String == "site/ct.html")
        let passage = try #require((hits[0]["passages"] as? [[String: Any]])?.first)
        let text = try #require(passage["text"] as? String)
        let range = try #require((passage["highlights"] as? [[Int]])?.first)
        let scalars = Array(text.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[range[0]..<range[1]])) == "contrast")
    }

    @Test("terminal escapes in articles never reach the terminal raw")
    func sanitized() throws {
        let root = try CLI.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try CLI.run(["search", "phlebotomy", "--color", "always"], in: root)
        #expect(result.status == 0)
        #expect(!result.stdout.contains("\u{1B}]0;"))
        #expect(!result.stdout.contains("\u{1B}[2J"))
        #expect(!result.stdout.contains("\u{202E}"))
        #expect(!result.stdout.contains("\u{07}"))
    }

    @Test("index --verbose never prints a file name's terminal escapes raw")
    func verboseNamesSanitized() throws {
        let root = try CLI.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        // The same sponsored line on three pages makes it corpus boilerplate, listed per page.
        for k in 0..<3 {
            let html = "<html><head><title>Page \(k)</title></head><body><article><h1>Page \(k)</h1><p>Article \(k) covers how radiographers position patients, set exposure factors, protect everyone from scatter radiation and check every image before the radiologist reads it.</p><p>Some links on this page are sponsored by partners.</p></article></body></html>"
            try Data(html.utf8).write(to: root.appendingPathComponent("Corpus/site/bio\(k)\u{1B}[31m.html"))
        }
        let result = try CLI.run(["index", "--verbose"], in: root)
        #expect(result.status == 0)
        #expect(result.stderr.contains("dropped as corpus boilerplate in site/bio0\\x1b[31m.html"))
        #expect(!result.stderr.contains("\u{1B}"))
    }

    @Test("the REPL reads piped queries and commands without prompts")
    func repl() throws {
        let root = try CLI.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try CLI.run(["index", "--quiet"], in: root)
        let result = try CLI.run(["repl", "--color", "never"], in: root, stdin: "contrast\n:set limit 1\n:open 1\n(bad\n:frobnicate\n:set unit passage\ncontrast\n:set unit sentence\n:quit\n")
        #expect(result.status == 0)
        #expect(!result.stdout.contains("medsearch>"))
        #expect(result.stdout.contains("1. CT Technologist"))
        #expect(result.stdout.contains("limit = 1"))
        // :open shows the whole article with the query's matches marked.
        #expect(result.stdout.contains("[contrast]"))
        #expect(result.stdout.contains("error: unbalanced '('"))
        #expect(result.stdout.contains("did you mean"))
        #expect(result.stdout.contains("unit = passage"))
        #expect(result.stdout.contains("unit must be article or passage"))
        #expect(result.stderr.isEmpty)
        // With stdin and stdout not terminals and the colour left to `auto`: no banner, no prompt,
        // no escape sequence at all.
        let plain = try CLI.run(["repl"], in: root, stdin: "magnet\n:stats\n")
        #expect(plain.status == 0)
        #expect(plain.stdout.hasPrefix("1. MRI Technologist Guide"))
        #expect(plain.stdout.contains("3 documents, "))
        #expect(!plain.stdout.contains("\u{1B}"))
        #expect(!plain.stdout.contains("medsearch>"))
        #expect(!plain.stdout.contains("Type a query"))
    }

    @Test("extract shows text, JSON and what was dropped")
    func extract() throws {
        let root = try CLI.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let text = try CLI.run(["extract", "Corpus/site/mri.html", "--format", "text"], in: root)
        #expect(text.stdout == "Certification\nMagnetic resonance imaging technologists earn the ARRT (MR) credential after an accredited program.\nThe magnet is always on, so screening matters.\n")
        let verbose = try CLI.run(["extract", "Corpus/site/mri.html", "--verbose"], in: root)
        #expect(verbose.stdout.contains("nav — <nav> element: Home"))
        let missing = try CLI.run(["extract", "nope.html"], in: root)
        #expect(missing.status == 2)
        #expect(missing.stderr == "medsearch: error: cannot read 'nope.html' (no such file)\n")
    }

    @Test("errors for a missing index and a foreign --index folder")
    func indexErrors() throws {
        let root = try CLI.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let missing = try CLI.run(["stats", "--index", "nowhere"], in: root)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no index at"))
        let foreign = root.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: foreign.appendingPathComponent("notes.txt"))
        let refused = try CLI.run(["index", "--index", "docs"], in: root)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("refusing to write there"))
        #expect(FileManager.default.fileExists(atPath: foreign.appendingPathComponent("notes.txt").path))
    }
}

@Suite("Terminal")
struct TerminalTests {
    @Test("control characters and bidi overrides are escaped")
    func sanitize() {
        #expect(Terminal.sanitize("a\u{1B}]0;pwned\u{07}b\u{1B}[2J\u{202E}c") == "a\\x1b]0;pwned\\x07b\\x1b[2J\\u{202e}c")
    }
}
