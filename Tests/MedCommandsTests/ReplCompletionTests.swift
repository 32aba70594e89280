import Foundation
import MedIndex
import Testing
@testable import MedCommands

/// Tab completion's logic, without a terminal: what ``ReplCompleter`` offers for a word in a
/// context, and the match list handed to libedit.
@Suite("REPL completion", .serialized)
struct ReplCompletionTests {
    /// A completer over a fresh index of ``SampleCorpus``; `body` runs before the workspace goes.
    func withCompleter(limit: Int = 50, _ body: (ReplCompleter) throws -> Void) throws {
        let root = try SampleCorpus.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let reader = try IndexReader(at: root.appendingPathComponent("Index"))
        try body(ReplCompleter(reader: reader, limit: limit))
    }

    typealias Completion = ReplCompleter.Completion

    @Test(": commands at the start of a line")
    func commands() throws {
        try withCompleter { completer in
            #expect(completer.complete(":st", after: "") == Completion(replacement: ":stats", candidates: [":stats"]))
            #expect(completer.complete(":s", after: "  ") == Completion(replacement: ":s", candidates: [":set", ":stats"]))
            #expect(completer.complete(":h", after: "") == Completion(replacement: ":h", candidates: [":help", ":history"]))
            #expect(completer.complete(":", after: "").candidates.count == ReplSession.commands.count)
            #expect(completer.complete(":zz", after: "") == .none)
        }
    }

    @Test(":set option names and values; nothing after other commands")
    func settings() throws {
        try withCompleter { completer in
            #expect(completer.complete("syn", after: ":set ") == Completion(replacement: "synonyms", candidates: ["synonyms"]))
            #expect(completer.complete("", after: ":set ").candidates == ["b", "k1", "limit", "synonyms", "unit"])
            #expect(completer.complete("o", after: ":set synonyms ") == Completion(replacement: "o", candidates: ["off", "on"]))
            #expect(completer.complete("of", after: ":set  synonyms ") == Completion(replacement: "off", candidates: ["off"]))
            #expect(completer.complete("pa", after: ":set unit ") == Completion(replacement: "passage", candidates: ["passage"]))
            #expect(completer.complete("1", after: ":set limit ") == .none)
            #expect(completer.complete("ult", after: ":open ") == .none)
        }
    }

    @Test("index terms by prefix, folded: case, diacritics, operators and field scopes")
    func terms() throws {
        try withCompleter { completer in
            let sonographer = Completion(replacement: "sonograph", candidates: ["sonograph"])
            #expect(completer.complete("sonogr", after: "") == sonographer)
            #expect(completer.complete("SONOGR", after: "mri ") == sonographer)
            #expect(completer.complete("Sonögr", after: "") == sonographer)
            #expect(completer.complete("+title:Sonogr", after: "") == Completion(replacement: "+title:sonograph", candidates: ["+title:sonograph"]))
            #expect(completer.complete("-venip", after: "blood ") == Completion(replacement: "-venipunctur", candidates: ["-venipunctur"]))
            #expect(completer.complete("zzzq", after: "") == .none)
            #expect(completer.complete("", after: "mri ") == .none)
            #expect(completer.complete("title:", after: "") == .none)
        }
    }

    @Test("candidates: most frequent first, then alphabetical; capped; the replacement is common to all")
    func order() throws {
        let root = try SampleCorpus.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let reader = try IndexReader(at: root.appendingPathComponent("Index"))
        let all = ReplCompleter(reader: reader).complete("c", after: "")
        #expect(all.candidates.count > 3)
        let expected = try reader.terms(withPrefix: "c").map { ($0, try reader.documentFrequency($0)) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.map(\.0)
        #expect(all.candidates == expected)
        #expect(all.replacement == "c")
        let capped = ReplCompleter(reader: reader, limit: 2).complete("c", after: "")
        #expect(capped.candidates == Array(expected.prefix(2)))
        #expect(capped.replacement == "c")
    }

    @Test("helpers: common prefix by scalars, lead split")
    func helpers() {
        #expect(ReplCompleter.commonPrefix(of: ["été", "étude"]) == "ét")
        #expect(ReplCompleter.commonPrefix(of: ["radiograph", "radiographi", "radiolog"]) == "radio")
        #expect(ReplCompleter.commonPrefix(of: [String]()) == "")
        #expect(ReplCompleter.splitLead("+title:sono") == ("+title:", "sono"))
        #expect(ReplCompleter.splitLead("--x") == ("--", "x"))
        #expect(ReplCompleter.splitLead("sono") == ("", "sono"))
        #expect(ReplCompleter.splitLead("x-ray") == ("", "x-ray"))
    }

    @Test("the match list follows readline's convention, with two NULLs after a single match")
    func matchList() throws {
        let single = try #require(CompletionBridge.matchList(Completion(replacement: ":stats", candidates: [":stats"])))
        #expect(single[0].map { String(cString: $0) } == ":stats")
        #expect(single[1] == nil && single[2] == nil)
        free(single[0]); free(single)

        let several = try #require(CompletionBridge.matchList(Completion(replacement: ":s", candidates: [":set", ":stats"])))
        #expect((0..<3).map { several[$0].map { String(cString: $0) } } == [":s", ":set", ":stats"])
        #expect(several[3] == nil)
        for index in 0..<3 { free(several[index]) }
        free(several)

        #expect(CompletionBridge.matchList(.none) == nil)
    }
}
