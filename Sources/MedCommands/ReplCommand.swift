import ArgumentParser
import Foundation
import MedIndex
import MedSearch

struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Search interactively: each line is a query; ':help' lists commands.",
        discussion: """
        Line editing and history (kept in $XDG_STATE_HOME/medsearch/history) come from libedit,
        loaded at run time when present. With stdin not a terminal, queries are read line by line
        with no prompt, so the REPL can be scripted:
          printf 'mri safety\\n:set limit 3\\nct contrast\\n' | medsearch repl --color never
        """
    )
    @OptionGroup var location: IndexLocation
    @Option(help: "Colour: auto, always or never.") var color: Terminal.ColorChoice = .auto

    func run() throws {
        let reader = try openIndex(location)
        var session = ReplSession(searcher: Searcher(reader: reader), terminal: Terminal(color: color))
        let input = LineReader()
        if input.interactive {
            output("MedSearch \(MedSearchCommand.version) — \(reader.documentCount) articles. Type a query, or :help.")
        }
        while let line = input.read(prompt: "medsearch> ") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            input.remember(trimmed)
            session.history.append(trimmed)
            switch session.handle(trimmed) {
            case .output(let text): output(text)
            case .quit: input.save(); return
            }
        }
        input.save()
    }
}

/// The REPL's state machine: a line in, text out. Pure, so tests drive it directly.
struct ReplSession {
    enum Action: Equatable {
        case output(String)
        case quit
    }

    let searcher: Searcher
    let terminal: Terminal
    var options = SearchOptions()
    var lastQuery: String?
    var lastResults: SearchResults?
    var history: [String] = []

    static let commands = [":help", ":open", ":more", ":explain", ":stats", ":set", ":history", ":quit"]

    mutating func handle(_ line: String) -> Action {
        guard line.hasPrefix(":") else { return .output(search(line, offset: 0)) }
        let parts = line.split(separator: " ").map(String.init)
        switch parts[0] {
        case ":quit", ":q", ":exit": return .quit
        case ":help":
            return .output("""
            Type a query to search (same syntax as 'medsearch search'). Commands:
              :open N         full text of result N
              :more           next page of results
              :explain N      how result N's score is computed
              :stats          what the index holds
              :set limit N | synonyms on|off | k1 X | b X
              :history        the queries of this session
              :quit           leave (or Ctrl-D)
            """)
        case ":more":
            guard let query = lastQuery else { return .output("no query yet") }
            return .output(search(query, offset: (lastResults?.hits.last?.rank ?? 0)))
        case ":history":
            return .output(history.enumerated().map { "\($0.offset + 1)  \($0.element)" }.joined(separator: "\n"))
        case ":stats":
            let reader = searcher.reader
            return .output("\(reader.documentCount) documents, \(reader.termCount) terms, generation \(reader.manifest.generation), analyzer \(reader.manifest.analyzer)")
        case ":open", ":explain":
            guard parts.count == 2, let n = Int(parts[1]), let hit = lastResults?.hits.first(where: { $0.rank == n }) else {
                return .output("usage: \(parts[0]) N, where N is a result number from the last search")
            }
            if parts[0] == ":explain" {
                var explainOptions = options
                explainOptions.explain = true
                explainOptions.offset = n - 1
                explainOptions.limit = 1
                guard let query = lastQuery, let result = try? searcher.search(query, options: explainOptions), let explanation = result.hits.first?.explanation else {
                    return .output("no explanation for result \(n)")
                }
                return .output(explanation.rendered())
            }
            guard let stored = try? searcher.reader.storedDocument(hit.document) else { return .output("cannot read result \(n)") }
            var lines = [terminal.bold(Terminal.sanitize(stored.article.title)), terminal.cyan(Terminal.sanitize(stored.source.path)), ""]
            for section in stored.article.sections {
                if !section.heading.isEmpty, section.level > 1 { lines.append(terminal.green("§ " + Terminal.sanitize(section.heading))) }
                for passage in section.passages { lines.append(Terminal.sanitize(passage.text)) }
            }
            return .output(lines.joined(separator: "\n"))
        case ":set":
            guard parts.count == 3 else { return .output("usage: :set limit N | synonyms on|off | k1 X | b X") }
            switch parts[1] {
            case "limit":
                guard let n = Int(parts[2]), n > 0 else { return .output("limit must be a positive number") }
                options.limit = n
            case "synonyms":
                guard ["on", "off"].contains(parts[2]) else { return .output("synonyms must be on or off") }
                options.synonyms = parts[2] == "on"
            case "k1":
                guard let x = Double(parts[2]), x >= 0 else { return .output("k1 must be a number >= 0") }
                options.ranking.k1 = x
            case "b":
                guard let x = Double(parts[2]), (0...1).contains(x) else { return .output("b must be between 0 and 1") }
                options.ranking.b = x
            default:
                return .output("unknown setting '\(parts[1])' (limit, synonyms, k1, b)")
            }
            return .output("\(parts[1]) = \(parts[2])")
        default:
            let closest = Self.commands.min { EditDistance.distance($0, parts[0]) < EditDistance.distance($1, parts[0]) } ?? ":help"
            return .output("unknown command '\(Terminal.sanitize(parts[0]))'; did you mean '\(closest)'? (:help lists commands)")
        }
    }

    private mutating func search(_ query: String, offset: Int) -> String {
        var pageOptions = options
        pageOptions.offset = offset
        do {
            let results = try searcher.search(query, options: pageOptions)
            lastQuery = query
            lastResults = results
            return HumanOutput(terminal: terminal).render(results)
        } catch let error as QuerySyntaxError {
            return "error: \(error.description)\n\(Terminal.sanitize(error.caretDiagram))"
        } catch {
            return "error: \(error)"
        }
    }
}

extension EditDistance {
    static func distance(_ a: String, _ b: String) -> Int {
        damerauLevenshtein(Array(a.utf8), Array(b.utf8), limit: 64)
    }
}

/// Reads lines: through libedit (loaded with dlopen, so building needs no -dev package) on a
/// terminal, through `readLine()` otherwise or when libedit is absent.
final class LineReader {
    typealias ReadlineFunction = @convention(c) (UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>?
    typealias HistoryFunction = @convention(c) (UnsafePointer<CChar>?) -> Int32

    let interactive: Bool
    private var readlineFunction: ReadlineFunction?
    private var addHistory: HistoryFunction?
    private var writeHistory: HistoryFunction?
    private let historyPath: String

    init() {
        interactive = isatty(STDIN_FILENO) != 0
        let environment = ProcessInfo.processInfo.environment
        let stateHome = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.local/state")
        historyPath = stateHome + "/medsearch/history"
        guard interactive else { return }
        if setlocale(LC_CTYPE, "") == nil { setlocale(LC_CTYPE, "C.UTF-8") }
        for name in ["libedit.so.2", "libedit.so"] {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            if let symbol = dlsym(handle, "readline") { readlineFunction = unsafeBitCast(symbol, to: ReadlineFunction.self) }
            if let symbol = dlsym(handle, "add_history") { addHistory = unsafeBitCast(symbol, to: HistoryFunction.self) }
            if let symbol = dlsym(handle, "write_history") { writeHistory = unsafeBitCast(symbol, to: HistoryFunction.self) }
            if let symbol = dlsym(handle, "read_history") {
                let readHistory = unsafeBitCast(symbol, to: HistoryFunction.self)
                _ = readHistory(historyPath)
            }
            break
        }
    }

    func read(prompt: String) -> String? {
        if interactive, let readlineFunction {
            guard let pointer = readlineFunction(prompt) else { return nil }
            defer { free(pointer) }
            return String(cString: pointer)
        }
        if interactive {
            FileHandle.standardOutput.write(Data(prompt.utf8))
        }
        return Swift.readLine()
    }

    func remember(_ line: String) {
        _ = addHistory?(line)
    }

    func save() {
        guard let writeHistory else { return }
        try? FileManager.default.createDirectory(atPath: (historyPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = writeHistory(historyPath)
    }
}
