import Foundation
import Testing
@testable import MedCommands

// Hostile input through the built `medsearch` binary (issue #9): corpus folders full of traps,
// index folders that are not indexes, queries that used to overflow the stack, and terminal
// escape sequences in every human-readable output. `CLI` (EndToEndTests.swift) runs the binary.

/// Raw control characters that must never reach a terminal from article text or file names
/// (tab and newline are layout; everything else is shown escaped, e.g. `\x1b`).
private func rawControls(_ text: String) -> [String] {
    text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}" }
        .map { String(format: "U+%04X", $0.value) }
}

/// Runs `medsearch` with stderr going to a file: a hostile query's error echoes the query with a
/// caret under it (200 KB for a 100 KB query), more than a pipe holds while ``CLI/run`` waits
/// for stdout to close.
private func runCapturingLargeStderr(_ arguments: [String], in folder: URL) throws -> CLI.Result {
    let errorFile = folder.appendingPathComponent("stderr-\(UUID().uuidString).txt")
    _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: errorFile) }
    let process = Process()
    process.executableURL = CLI.binary
    process.arguments = arguments
    process.currentDirectoryURL = folder
    let out = Pipe()
    process.standardOutput = out
    process.standardError = try FileHandle(forWritingTo: errorFile)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let stderr = try Data(contentsOf: errorFile)
    return CLI.Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
}

/// A workspace whose corpus holds escape-laden pages, odd file names, binaries, entity bombs and
/// a symlink loop.
private func hostileWorkspace() throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("medsearch-hostile-cli-\(UUID().uuidString)")
    let corpus = root.appendingPathComponent("Corpus/site")
    try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
    let escapes = "\u{1B}]0;pwned\u{07}\u{1B}[2J\u{1B}[31m\r\u{9B}31m\u{202E}"
    let pages = [
        "escapes.html": "<html><head><title>Sonographer \(escapes) title</title></head><body><article><h1>Sonographer \(escapes) title</h1><h2>Pay \(escapes)</h2><p>Sonographer text with \(escapes) inside the body.</p></article></body></html>",
        "with spaces.html": "<p>Phlebotomist in a file with spaces in its name.</p>",
        "new\nline.html": "<p>Phlebotomist in a file with a newline in its name.</p>",
        "esc\u{1B}[31mname.html": "<p>Phlebotomist in a file with an escape in its name.</p>",
        "laughs.html": "<!DOCTYPE html [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><p>Laughing nurse &c;&c;&c;</p>",
    ]
    for (name, html) in pages { try Data(html.utf8).write(to: corpus.appendingPathComponent(name)) }
    try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]).write(to: corpus.appendingPathComponent("photo.html"))
    try Data((0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 7919 % 29) }).write(to: corpus.appendingPathComponent("noise.html"))
    try FileManager.default.createSymbolicLink(atPath: corpus.appendingPathComponent("loop").path, withDestinationPath: "..")
    return root
}

@Suite("Hostile CLI", .serialized)
struct HostileCLITests {
    @Test("a hostile corpus indexes: binaries skipped with reasons, no raw escapes on stderr")
    func hostileCorpus() throws {
        let root = try hostileWorkspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let index = try CLI.run(["index", "--verbose"], in: root)
        #expect(index.status == 0, "\(index.stderr)")
        #expect(index.stderr.contains("added 5,"))
        #expect(index.stderr.contains("skipped site/photo.html: binary file (PNG image)"))
        #expect(index.stderr.contains("skipped site/noise.html: binary file"))
        // Every stderr line is one diagnostic or the summary (a newline in a file name cannot
        // start a line of its own).
        for line in index.stderr.split(separator: "\n") {
            #expect(line.hasPrefix("medsearch: ") || line.hasPrefix("added "), "\(line)")
        }
        #expect(rawControls(index.stdout + index.stderr).isEmpty)

        let search = try CLI.run(["search", "phlebotomist", "--color", "never"], in: root)
        #expect(search.status == 0)
        #expect(search.stdout.contains("with spaces.html"))
        #expect(search.stdout.contains("new line.html"))
        #expect(search.stdout.contains("esc\\x1b[31mname.html"))
        #expect(rawControls(search.stdout + search.stderr).isEmpty)
        let laughs = try CLI.run(["search", "laughing", "--json"], in: root)
        #expect(laughs.status == 0)
        #expect(!laughs.stdout.contains("aaaaaaaaaaaaaaaaaaaa"))
    }

    // libxml2 drops C0 controls (ESC, BEL) from HTML text, so pages deliver C1 controls (the
    // 8-bit CSI U+009B), CR and bidi overrides; a JSONL corpus delivers ESC and BEL untouched.
    @Test("escape sequences in titles, headings and text are shown escaped in every human output")
    func escapesEverywhere() throws {
        let root = try hostileWorkspace()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try CLI.run(["index", "--quiet"], in: root).status == 0)
        let outputs = [
            try CLI.run(["search", "sonographer", "--color", "always"], in: root),
            try CLI.run(["search", "sonographer", "--color", "never", "--explain"], in: root),
            try CLI.run(["show", "site/escapes.html"], in: root),
            try CLI.run(["extract", "Corpus/site/escapes.html"], in: root),
            try CLI.run(["extract", "Corpus/site/escapes.html", "--format", "text"], in: root),
            try CLI.run(["extract", "Corpus/site/escapes.html", "--verbose"], in: root),
            try CLI.run(["repl", "--color", "never"], in: root, stdin: "sonographer\n:open 1\n:explain 1\n"),
        ]
        for output in outputs {
            #expect(output.status == 0, "\(output.stderr)")
            #expect(output.stdout.contains("\\x9b31m\\u{202e}"), "\(output.stdout)")
            // With --color always, the only ESC bytes are our own SGR colour codes.
            let withoutColours = output.stdout.replacingOccurrences(of: #"\u{1B}\[[0-9;]*m"#, with: "", options: .regularExpression)
            #expect(rawControls(withoutColours + output.stderr).isEmpty, "\(rawControls(withoutColours))")
        }

        let jsonl = root.appendingPathComponent("escapes.jsonl")
        let record = #"{"id":"esc\u001b[31m","title":"Nurse \u001b]0;pwned\u0007 title","text":"Nurse text \u001b[2J\r\u0007 end."}"#
        try Data((record + "\n").utf8).write(to: jsonl)
        #expect(try CLI.run(["index", jsonl.path, "--format", "jsonl", "--index", "J", "--quiet"], in: root).status == 0)
        for output in [
            try CLI.run(["search", "nurse", "--index", "J", "--color", "always"], in: root),
            try CLI.run(["show", "esc\u{1B}[31m", "--index", "J"], in: root),
            try CLI.run(["repl", "--index", "J"], in: root, stdin: "nurse\n:open 1\n"),
        ] {
            #expect(output.status == 0, "\(output.stderr)")
            #expect(output.stdout.contains("Nurse \\x1b]0;pwned\\x07 title"), "\(output.stdout)")
            #expect(output.stdout.contains("\\x1b[2J \\x07") || output.stdout.contains("\\x1b[2J\\x0d\\x07"), "\(output.stdout)")
            let withoutColours = output.stdout.replacingOccurrences(of: #"\u{1B}\[[0-9;]*m"#, with: "", options: .regularExpression)
            #expect(rawControls(withoutColours + output.stderr).isEmpty, "\(rawControls(withoutColours))")
        }
        // JSON escapes control characters itself; the text survives intact for programs.
        let json = try CLI.run(["search", "nurse", "--index", "J", "--json"], in: root)
        #expect(json.stdout.contains("\\u001b]0;pwned\\u0007"))
    }

    @Test("an --index folder holding other files is refused and left untouched, by every route")
    func foreignIndexFolder() throws {
        let root = try CLI.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let foreign = root.appendingPathComponent("Documents")
        try FileManager.default.createDirectory(at: foreign.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let files = ["notes.txt": "keep me", ".hidden": "hidden", "seg-000001.terms.bak": "backup", "sub/deep.txt": "deep"]
        for (name, text) in files { try Data(text.utf8).write(to: foreign.appendingPathComponent(name)) }
        func listing() throws -> [String] {
            try FileManager.default.subpathsOfDirectory(atPath: foreign.path).sorted()
        }
        let before = try listing()
        let attempts = [
            try CLI.run(["index", "--index", "Documents"], in: root),
            try CLI.run(["index", "--index", "Documents", "--rebuild"], in: root),
            try CLI.run(["index"], in: root, environment: ["MEDSEARCH_INDEX": foreign.path]),
            try CLI.run(["search", "mri", "--index", "Documents"], in: root),
            try CLI.run(["check", "--index", "Documents"], in: root),
        ]
        for result in attempts {
            #expect(result.status == 2, "\(result.stderr)")
            #expect(result.stderr.hasPrefix("medsearch: error: "), "\(result.stderr)")
            #expect(result.stderr.contains("Documents"))
        }
        #expect(attempts[0].stderr.contains("refusing to write there"))
        #expect(attempts[0].stderr.contains(".hidden, notes.txt, seg-000001.terms.bak"))
        #expect(try listing() == before)
        for (name, text) in files {
            #expect(try String(contentsOf: foreign.appendingPathComponent(name), encoding: .utf8) == text)
        }
        // A regular file as --index is refused too, and stays as it was.
        let file = root.appendingPathComponent("index.txt")
        try Data("not a folder".utf8).write(to: file)
        let onFile = try CLI.run(["index", "--index", "index.txt"], in: root)
        #expect(onFile.status == 2)
        #expect(onFile.stderr.contains("exists and is not a folder"))
        #expect(try String(contentsOf: file, encoding: .utf8) == "not a folder")
    }

    @Test("the default Index/ holding only README.md (as shipped) still indexes, and keeps the README")
    func readmeOnlyIndexFolder() throws {
        let root = try CLI.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let readme = root.appendingPathComponent("Index/README.md")
        try FileManager.default.createDirectory(at: readme.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("# Index\nBuilt by medsearch.\n".utf8).write(to: readme)
        let first = try CLI.run(["search", "magnet", "--color", "never"], in: root)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("indexing ./Corpus first"))
        #expect(try CLI.run(["index", "--rebuild", "--quiet"], in: root).status == 0)
        #expect(try String(contentsOf: readme, encoding: .utf8) == "# Index\nBuilt by medsearch.\n")
        #expect(try CLI.run(["check"], in: root).status == 0)
    }

    @Test("hostile queries through the binary: clear errors with a column, never a crash")
    func hostileQueries() throws {
        let root = try CLI.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try CLI.run(["index", "--quiet"], in: root).status == 0)
        let nots = try runCapturingLargeStderr(["search", String(repeating: "NOT ", count: 24_990) + "mri"], in: root)
        #expect(nots.status == 2)
        #expect(nots.stderr.hasPrefix("medsearch: error: bad query: a query cannot only exclude terms"))
        let parens = try runCapturingLargeStderr(["search", String(repeating: "(", count: 10_000) + "mri"], in: root)
        #expect(parens.status == 2)
        #expect(parens.stderr.contains("nested deeper than 64 levels (column 65)"))
        let star = try CLI.run(["search", "*"], in: root)
        #expect(star.status == 2)
        #expect(star.stderr.contains("(column 1)"))
        // NUL and escape bytes arrive through a batch file (argv cannot carry NUL).
        let batch = root.appendingPathComponent("queries.tsv")
        try Data("q1\tmri\u{0}magnet\nq2\t\u{1B}contrast\u{07}\u{9B}\nq3\t\"unclosed \u{1B}]0;x\n".utf8).write(to: batch)
        let run = try CLI.run(["search", "--batch", batch.path, "--format", "trec"], in: root)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("q1 Q0 mri "))
        #expect(run.stdout.contains("q2 Q0 ct "))
        #expect(run.stderr.contains("query q3 skipped: unbalanced '\"'"))
        #expect(rawControls(run.stdout + run.stderr).isEmpty)
    }
}
