import ArgumentParser
import Foundation
import MedIndex
import MedSearch

struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Search interactively: each line is a query; ':help' lists commands.",
        discussion: """
        Line editing, history ($XDG_STATE_HOME/medsearch/history) and Tab completion
        of ':' commands, ':set' options and index terms come from libedit, loaded at
        run time when present. With stdin not a terminal, queries are read line by
        line with no prompt, so the REPL can be scripted:
          printf 'mri safety\\n:more\\n' | medsearch repl --color never
        """
    )
    @OptionGroup var location: IndexLocation
    @Option(help: "Colour: auto, always or never.") var color: Terminal.ColorChoice = .auto

    func run() throws {
        let reader = try openIndex(location)
        var session = ReplSession(searcher: Searcher(reader: reader), terminal: Terminal(color: color))
        let input = LineReader()
        input.enableCompletion(ReplCompleter(reader: reader))
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
            case .page(let text): Pager.show(text)
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
        /// Long text (`:open`): through a pager when stdout is a terminal.
        case page(String)
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
              :set limit N | synonyms on|off | k1 X | b X | unit article|passage
              :history        the queries of this session
              :quit           leave (or Ctrl-D)
            On a terminal, Tab completes commands, settings and index terms.
            """)
        case ":more":
            guard let query = lastQuery else { return .output("no query yet") }
            return .output(search(query, offset: (lastResults?.hits.last?.rank ?? 0)))
        case ":history":
            return .output(history.enumerated().map { "\($0.offset + 1)  \($0.element)" }.joined(separator: "\n"))
        case ":stats":
            let reader = searcher.reader
            return .output("\(reader.documentCount) documents, \((try? reader.distinctTermCount()) ?? 0) terms, generation \(reader.manifest.generation), analyzer \(reader.manifest.analyzer)")
        case ":open", ":explain":
            guard parts.count == 2, let n = Int(parts[1]), let hit = hit(ranked: n) else {
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
            // Every passage that matches, whole, with its highlights: the same search asked for
            // all passages of this one result.
            var highlights: [String: [Range<Int>]] = [:]
            if let query = lastQuery {
                var all = options
                all.offset = n - 1
                all.limit = 1
                all.passagesPerHit = Int.max
                all.passageCharacters = Int.max
                for passage in (try? searcher.search(query, options: all))?.hits.first?.passages ?? [] {
                    highlights[passage.text] = passage.highlights
                }
            }
            let human = HumanOutput(terminal: terminal)
            var lines = [terminal.bold(Terminal.sanitize(stored.article.title)), terminal.cyan(Terminal.sanitize(stored.source.path)), ""]
            for section in stored.article.sections {
                if !section.heading.isEmpty, section.level > 1 { lines.append(terminal.green("   § " + Terminal.sanitize(section.heading))) }
                for passage in section.passages {
                    let marked = HitPassage(text: passage.text, section: section.displayPath, highlights: highlights[passage.text] ?? [], score: 0)
                    lines.append(human.wrapped(marked))
                }
            }
            return .page(lines.joined(separator: "\n"))
        case ":set":
            guard parts.count == 3 else { return .output("usage: :set limit N | synonyms on|off | k1 X | b X | unit article|passage") }
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
            case "unit":
                guard let unit = RankingUnit(rawValue: parts[2]) else { return .output("unit must be article or passage") }
                options.unit = unit
            default:
                return .output("unknown setting '\(Terminal.sanitize(parts[1]))' (limit, synonyms, k1, b, unit)")
            }
            return .output("\(parts[1]) = \(parts[2])")
        default:
            let closest = Self.commands.min { EditDistance.distance($0, parts[0]) < EditDistance.distance($1, parts[0]) } ?? ":help"
            return .output("unknown command '\(Terminal.sanitize(parts[0]))'; did you mean '\(closest)'? (:help lists commands)")
        }
    }

    /// Result `n` of the last query: from the page shown, else fetched again (after `:more`,
    /// result 1 is off the page but still the query's first result).
    private func hit(ranked n: Int) -> Hit? {
        if let hit = lastResults?.hits.first(where: { $0.rank == n }) { return hit }
        guard let query = lastQuery, n > 0, n <= lastResults?.totalHits ?? 0 else { return nil }
        var single = options
        single.offset = n - 1
        single.limit = 1
        return try? searcher.search(query, options: single).hits.first
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

/// What Tab offers in the REPL: the `:` commands at the start of a line, `:set` option names and
/// values after `:set`, and elsewhere the index terms that start with the word under the cursor.
/// Knows nothing of libedit, so tests call it directly.
struct ReplCompleter {
    /// The text that replaces the word under the cursor, and the candidates to list when there are
    /// several (one candidate: Tab completes it; none: nothing happens).
    struct Completion: Equatable {
        var replacement: String
        var candidates: [String]

        static let none = Completion(replacement: "", candidates: [])
    }

    let reader: IndexReader
    /// At most this many terms are offered: the most frequent ones.
    var limit = 50

    static let settings = ["b", "k1", "limit", "synonyms", "unit"]

    /// Completes `word` (from the start of the word under the cursor to the cursor), given the text
    /// of the line before that word.
    func complete(_ word: String, after before: String) -> Completion {
        let context = before.split(whereSeparator: \.isWhitespace).map(String.init)
        if context.isEmpty, word.hasPrefix(":") {
            return Self.choose(from: ReplSession.commands.sorted(), prefix: word)
        }
        if let command = context.first, command.hasPrefix(":") {
            switch (command, context.count) {
            case (":set", 1): return Self.choose(from: Self.settings, prefix: word)
            case (":set", 2) where context[1] == "synonyms": return Self.choose(from: ["off", "on"], prefix: word)
            case (":set", 2) where context[1] == "unit": return Self.choose(from: RankingUnit.allCases.map(\.rawValue), prefix: word)
            default: return .none
            }
        }
        return completeTerm(word)
    }

    /// Index terms starting with `word`, folded the way the index folds (so `MRI` finds `mri`),
    /// the most frequent first, then in byte order. A leading `+`/`-` and a field scope
    /// (`title:`) are kept in front of each candidate.
    func completeTerm(_ word: String) -> Completion {
        let (lead, typed) = Self.splitLead(word)
        guard !typed.isEmpty else { return .none }
        let prefix = reader.analyzer.fold(typed)
        var frequencies: [String: Int] = [:]
        for segment in reader.segments {
            // A damaged term dictionary only means fewer suggestions; `check` reports it.
            try? segment.forEachTerm(withPrefix: prefix) { term, info in
                frequencies[term, default: 0] += info.docFreq
                return true
            }
        }
        guard !frequencies.isEmpty else { return .none }
        let ranked = frequencies.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        let shared = Self.commonPrefix(of: frequencies.keys)
        return Completion(replacement: lead + shared, candidates: ranked.prefix(limit).map { lead + $0.key })
    }

    /// The entries of `choices` that start with `prefix`, and their common prefix.
    static func choose(from choices: [String], prefix: String) -> Completion {
        let matching = choices.filter { $0.hasPrefix(prefix) }
        guard !matching.isEmpty else { return .none }
        return Completion(replacement: commonPrefix(of: matching), candidates: matching)
    }

    /// Splits `+title:sono` into the part completion keeps (`+title:`) and the typed term (`sono`).
    static func splitLead(_ word: String) -> (lead: String, term: String) {
        var rest = Substring(word)
        let operators = rest.prefix { $0 == "+" || $0 == "-" }
        rest = rest.dropFirst(operators.count)
        let name = rest.prefix { $0.isLetter }
        if !name.isEmpty, rest.dropFirst(name.count).first == ":" {
            rest = rest.dropFirst(name.count + 1)
        }
        return (String(word.unicodeScalars.prefix(word.unicodeScalars.count - rest.unicodeScalars.count)), String(rest))
    }

    /// The longest common prefix of `words`, by Unicode scalars (never half a character).
    static func commonPrefix(of words: some Collection<String>) -> String {
        guard var shared = words.first.map({ Array($0.unicodeScalars) }) else { return "" }
        for word in words.dropFirst() {
            let scalars = Array(word.unicodeScalars)
            let length = zip(shared, scalars).prefix { $0 == $1 }.count
            shared.removeSubrange(length...)
        }
        return String(String.UnicodeScalarView(shared))
    }
}

/// Reads lines: through libedit (loaded with dlopen, so building needs no -dev package) on a
/// terminal, through `readLine()` otherwise or when libedit is absent.
final class LineReader {
    typealias ReadlineFunction = @convention(c) (UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>?
    typealias HistoryFunction = @convention(c) (UnsafePointer<CChar>?) -> Int32
    typealias StifleFunction = @convention(c) (Int32) -> Void

    /// How many lines the history file keeps.
    static let historyLimit: Int32 = 1000

    let interactive: Bool
    private var library: UnsafeMutableRawPointer?
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
        Self.enableUnicodeInput()
        let names: [String] = ["libedit.so.2", "libedit.so"]
        library = names.lazy.compactMap { dlopen($0, RTLD_NOW | RTLD_LOCAL) }.first
        guard library != nil else { return }
        readlineFunction = function("readline", as: ReadlineFunction.self)
        addHistory = function("add_history", as: HistoryFunction.self)
        writeHistory = function("write_history", as: HistoryFunction.self)
        function("stifle_history", as: StifleFunction.self)?(Self.historyLimit)
        _ = function("read_history", as: HistoryFunction.self)?(historyPath)
    }

    /// Lets libedit read non-ASCII keys: the user's character set, or UTF-8 when the locale is
    /// missing or plain ASCII (`C`, the default when no `LANG` is set). Only `LC_CTYPE`, not
    /// `LC_ALL`: numbers must keep printing with a '.' decimal point.
    static func enableUnicodeInput() {
        let chosen = setlocale(LC_CTYPE, "")
        if chosen == nil || String(cString: nl_langinfo(nl_item(CODESET))) == "ANSI_X3.4-1968" {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
    }

    /// A libedit function by name, or nil when this libedit lacks it.
    private func function<F>(_ name: String, as type: F.Type) -> F? {
        guard let library, let symbol = dlsym(library, name) else { return nil }
        return unsafeBitCast(symbol, to: type)
    }

    /// A libedit global variable by name (`dlsym` gives its address), or nil when absent.
    private func variable<T>(_ name: String, as type: T.Type) -> UnsafeMutablePointer<T>? {
        guard let library, let symbol = dlsym(library, name) else { return nil }
        return symbol.assumingMemoryBound(to: type)
    }

    /// Makes Tab complete with `completer`, through libedit's readline emulation:
    /// `rl_attempted_completion_function` is pointed at a C callback that asks the completer and
    /// returns readline's match list; `rl_attempted_completion_over` stops the fall-back to
    /// file-name completion; `rl_line_buffer` gives the text before the word. Does nothing
    /// without libedit.
    func enableCompletion(_ completer: ReplCompleter) {
        guard readlineFunction != nil,
              let hook = variable("rl_attempted_completion_function", as: CompletionBridge.AttemptedCompletion?.self)
        else { return }
        CompletionBridge.completer = completer
        CompletionBridge.attemptedOver = variable("rl_attempted_completion_over", as: Int32.self)
        CompletionBridge.lineBuffer = variable("rl_line_buffer", as: UnsafeMutablePointer<CChar>?.self)
        // A C function pointer cannot capture anything: the closure reaches its state through
        // CompletionBridge's statics.
        hook.pointee = { text, start, _ in CompletionBridge.complete(text, start: Int(start)) }
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

/// The state libedit's completion callback works with, and the callback's body.
///
/// The callback is a C function pointer, so it cannot capture the completer; it reads these
/// statics instead. `nonisolated(unsafe)` is sound here because the REPL is single-threaded:
/// the statics are set once before the first `readline()` call, and libedit calls the callback
/// synchronously from inside `readline()` on that same thread, so no two accesses ever overlap.
enum CompletionBridge {
    /// `char **(*)(const char *text, int start, int end)`.
    typealias MatchList = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    typealias AttemptedCompletion = @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> MatchList?

    nonisolated(unsafe) static var completer: ReplCompleter?
    /// Addresses of libedit's `rl_attempted_completion_over` and `rl_line_buffer`.
    nonisolated(unsafe) static var attemptedOver: UnsafeMutablePointer<Int32>?
    nonisolated(unsafe) static var lineBuffer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?

    /// Completes `text`, the word that starts `start` characters into the line.
    static func complete(_ text: UnsafePointer<CChar>?, start: Int) -> MatchList? {
        attemptedOver?.pointee = 1
        guard let completer, let text else { return nil }
        let completion = completer.complete(String(cString: text), after: lineBefore(start))
        return matchList(completion)
    }

    /// The line's first `start` characters (libedit counts wide characters, i.e. Unicode scalars).
    static func lineBefore(_ start: Int) -> String {
        guard start > 0, let buffer = lineBuffer?.pointee else { return "" }
        let line = String(decoding: UnsafeRawBufferPointer(start: buffer, count: strlen(buffer)), as: UTF8.self)
        return String(String.UnicodeScalarView(line.unicodeScalars.prefix(start)))
    }

    /// readline's match-list convention: a `malloc`ed, NULL-terminated array whose first entry
    /// replaces the word and whose other entries are the candidates to list (none when the first
    /// is the only match). libedit frees the array and every string in it with `free()`.
    ///
    /// libedit tests `matches[2] == NULL` to detect a single match, so a single match is followed
    /// by two NULLs, never one: reading past the array would decide at random whether Tab appends
    /// a space.
    static func matchList(_ completion: ReplCompleter.Completion) -> MatchList? {
        guard !completion.candidates.isEmpty else { return nil }
        let entries = completion.candidates.count == 1 ? completion.candidates : [completion.replacement] + completion.candidates
        let slots = max(entries.count + 1, 3)
        guard let raw = calloc(slots, MemoryLayout<UnsafeMutablePointer<CChar>?>.stride) else { return nil }
        let list = raw.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: slots)
        for (offset, entry) in entries.enumerated() { list[offset] = strdup(entry) }
        return list
    }
}

/// Shows long text through `$PAGER` (default `less -R`, which keeps the colours) when stdout is a
/// terminal; otherwise, or when no pager starts, prints it.
enum Pager {
    static func show(_ text: String) {
        guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
            output(text)
            return
        }
        let command = ProcessInfo.processInfo.environment["PAGER"].flatMap { $0.isEmpty ? nil : $0 } ?? "less -R"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let pipe = Pipe()
        process.standardInput = pipe
        do {
            try process.run()
        } catch {
            output(text)
            return
        }
        pipe.fileHandleForWriting.write(Data((text + "\n").utf8))
        try? pipe.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
