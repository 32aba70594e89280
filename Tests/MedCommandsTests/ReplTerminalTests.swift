import Foundation
import Testing

/// The REPL as a user at a terminal meets it: driven through a pseudo-terminal, so libedit is
/// really loaded and arrow keys and Tab really go through it. Skipped (saying so) without libedit.
@Suite(
    "REPL on a terminal", .serialized,
    .enabled(if: PseudoTerminal.libeditAvailable, "libedit.so.2 is not installed, so the REPL has no line editing to test")
)
struct ReplTerminalTests {
    /// The environment of a REPL that must not touch the user's own history or settings.
    static func environment(home: URL) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for key in ["MEDSEARCH_INDEX", "LC_ALL", "LC_CTYPE", "NO_COLOR", "INPUTRC", "EDITRC"] { environment.removeValue(forKey: key) }
        environment["HOME"] = home.path
        environment["XDG_STATE_HOME"] = home.appendingPathComponent("state").path
        environment["TERM"] = "xterm"
        environment["LANG"] = "C.UTF-8"
        return environment
    }

    /// Starts `medsearch repl` on the sample index in `root`.
    static func startRepl(in root: URL) throws -> PseudoTerminal {
        try PseudoTerminal(
            executable: CLI.binary, arguments: ["repl", "--color", "never"], directory: root,
            environment: environment(home: root.appendingPathComponent("home"))
        )
    }

    @Test("prompt, query, Up-arrow recall, Tab completion of commands, settings and terms, saved history")
    func session() throws {
        let root = try SampleCorpus.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let repl = try Self.startRepl(in: root)
        defer { repl.stop() }

        try #require(repl.expect("4 articles. Type a query, or :help."), "no banner: \(repl.transcript)")
        try #require(repl.expect("medsearch> "), "no prompt: \(repl.transcript)")

        repl.send("ultrasound\r")
        try #require(repl.expect("1. Diagnostic Medical Sonographer"), "no results: \(repl.unmatched)")
        try #require(repl.expect("medsearch> "))

        // Up arrow brings the last line back; Enter runs it again.
        repl.send("\u{1B}[A")
        try #require(repl.expect("ultrasound"), "Up did not recall the query: \(repl.unmatched)")
        repl.send("\r")
        try #require(repl.expect("1. Diagnostic Medical Sonographer"), "the recalled query did not run: \(repl.unmatched)")
        try #require(repl.expect("medsearch> "))

        // A unique command prefix completes (with a space after it).
        repl.send(":st\t\r")
        try #require(repl.expect("4 documents, "), ":st + Tab did not run :stats: \(repl.unmatched)")
        try #require(repl.expect("medsearch> "))

        // An ambiguous prefix: the first Tab keeps ":s", the second lists both commands.
        repl.send(":s\t\t")
        try #require(repl.expect(":set"), "the second Tab listed nothing: \(repl.unmatched)")
        try #require(repl.expect(":stats"))
        repl.send("et syn\toff\r")
        try #require(repl.expect("synonyms = off"), ":set option completion failed: \(repl.unmatched)")
        try #require(repl.expect("medsearch> "))

        // A term prefix, in capitals and with a diacritic, completes to the folded index term.
        repl.send("Sonögr\t\r")
        try #require(repl.expect("1. Diagnostic Medical Sonographer"), "term completion failed: \(repl.unmatched)")
        try #require(repl.expect("medsearch> "))

        repl.send(":history\r")
        for line in ["1  ultrasound", "2  ultrasound", "3  :stats", "4  :set synonyms off", "5  sonograph\r\n"] {
            try #require(repl.expect(line), "history lacks '\(line)': \(repl.unmatched)")
        }
        try #require(repl.expect("medsearch> "))

        repl.send("\u{04}")
        #expect(repl.waitForExit() == 0)
        let history = try String(contentsOf: root.appendingPathComponent("home/state/medsearch/history"), encoding: .utf8)
        #expect(history.contains("ultrasound\n"))
        #expect(history.contains("sonograph\n"))
    }

    @Test("history from an earlier session is recalled with the Up arrow")
    func historyAcrossSessions() throws {
        let root = try SampleCorpus.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try Self.startRepl(in: root)
        defer { first.stop() }
        try #require(first.expect("medsearch> "), "no prompt: \(first.transcript)")
        first.send("venipuncture\r")
        try #require(first.expect("1. Phlebotomist"), "no results: \(first.unmatched)")
        try #require(first.expect("medsearch> "))
        first.send("\u{04}")
        #expect(first.waitForExit() == 0)

        let second = try Self.startRepl(in: root)
        defer { second.stop() }
        try #require(second.expect("medsearch> "), "no prompt: \(second.transcript)")
        second.send("\u{1B}[A\r")
        try #require(second.expect("1. Phlebotomist"), "the saved query was not recalled: \(second.unmatched)")
        second.send("\u{04}")
        #expect(second.waitForExit() == 0)
    }
}
