import Foundation
import Testing
import MedDocument
import MedIndex
@testable import MedSearch

// Hostile queries (issue #9): each must end in bounded time with a result or a syntax error that
// names a column inside the query; none may crash. Recursion is the risk: the parser recurses on
// parentheses (capped at 64 levels) and used to recurse on every `NOT` (a 100 KB chain of NOTs
// overflowed the stack).

/// A four-document index shared by the tests of this file (built once, read-only).
private let hostileSearcher: Searcher = {
    func document(_ path: String, _ title: String, _ text: String) -> IndexedDocument {
        IndexedDocument(
            source: SourceInfo(path: path, size: 1, modificationTime: 1, contentHash: ContentHash.fnv1a64(Array(text.utf8))),
            article: Article(title: title, sections: [Section(heading: "", level: 0, path: [], passages: [Passage(kind: .paragraph, text: text)])])
        )
    }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("medsearch-hostile-query-\(UUID().uuidString)")
    do {
        try IndexWriter(folder: folder, analyzer: .standard).commit(documents: [
            document("mri.html", "MRI Technologist", "Magnetic resonance imaging technologists screen patients for metal."),
            document("ct.html", "CT Technologist", "CT technologists give contrast; radiation dose matters."),
            document("rn.html", "Registered Nurse", "Registered nurses pass the NCLEX-RN exam."),
            document("sono.html", "Sonographer", "Sonographers use ultrasound, not radiation."),
        ], corpus: "hostile", corpusFormat: "html", threads: 1)
        return Searcher(reader: try IndexReader(at: folder))
    } catch {
        fatalError("cannot build the test index: \(error)")
    }
}()

/// Runs `query` through the parser and the searcher; returns the syntax error, if any. Fails
/// when the error's column is outside the query or the whole thing takes over `limit` seconds.
@discardableResult
private func run(_ query: String, limit: Double = 5, sourceLocation: SourceLocation = #_sourceLocation) -> QuerySyntaxError? {
    let clock = ContinuousClock()
    var syntaxError: QuerySyntaxError?
    let elapsed = clock.measure {
        do {
            _ = try hostileSearcher.search(query)
        } catch let error as QuerySyntaxError {
            syntaxError = error
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }
    #expect(elapsed < .seconds(limit), "took \(elapsed)", sourceLocation: sourceLocation)
    if let syntaxError {
        #expect(syntaxError.column >= 1 && syntaxError.column <= query.count + 1, "\(syntaxError)", sourceLocation: sourceLocation)
        #expect(!syntaxError.caretDiagram.isEmpty, sourceLocation: sourceLocation)
    }
    return syntaxError
}

@Suite("Hostile queries")
struct HostileQueryTests {
    @Test("100 KB queries: at the length limit a clear error with a column; past it, refused at column 1")
    func hugeQueries() {
        let words = String(repeating: "mri ", count: 25_000)  // 100,000 bytes
        #expect(run(words)?.message.contains("more than 1024 terms") == true)
        let one = String(repeating: "a", count: 100_000)
        #expect(run(one) == nil)  // one long word: a valid query that matches nothing
        let over = run(words + "x")
        #expect(over?.message.contains("longer than 100000 bytes") == true)
        #expect(over?.column == 1)
    }

    @Test("thousands of terms: up to the clause limit they run, past it a clear error")
    func manyTerms() {
        let terms = (0..<1_024).map { "w\($0)" }.joined(separator: " ")
        #expect(run(terms) == nil)
        let fuzzy = (0..<300).map { "technologist\($0 % 10)~2" }.joined(separator: " ")
        #expect(run(fuzzy) == nil)
        let prefixes = (0..<1_000).map { _ in "te*" }.joined(separator: " OR ")
        #expect(run(prefixes) == nil)
        let phrase = "\"" + (0..<5_000).map { "w\($0)" }.joined(separator: " ") + "\""
        #expect(run(phrase) == nil)
        #expect(run(terms + " one-too-many")?.message.contains("more than 1024 terms") == true)
    }

    @Test("10,000 nested parentheses and long NOT/sign chains end in an error, not a stack overflow")
    func deepNesting() {
        let parens = String(repeating: "(", count: 10_000) + "mri" + String(repeating: ")", count: 10_000)
        let error = run(parens)
        #expect(error?.message.contains("nested deeper than 64 levels") == true)
        #expect(error?.column == 65)
        // 25,000 NOTs (100 KB): a chain used to recurse once per NOT.
        let nots = String(repeating: "NOT ", count: 24_990) + "mri"
        #expect(run(nots)?.message.contains("only exclude") == true)
        #expect(run("mri " + nots) == nil)
        #expect(run(String(repeating: "-", count: 50_000) + "mri ct") == nil)
        #expect(run(String(repeating: "NOT (", count: 64) + "mri" + String(repeating: ")", count: 64))?.message.contains("nested deeper") == true)
    }

    @Test("'*' alone, operators alone and empty input: errors with a column")
    func lonelyOperators() {
        for query in ["*", "**", "a**", "\"\"", "()", "^", "~", "+", "-", "NOT", "AND", "OR", "title:", "", "   ", "\u{0}"] {
            #expect(run(query) != nil, "\(query.debugDescription) was accepted")
        }
        #expect(run("*")?.message.contains("needs a prefix") == true)
    }

    @Test("control characters, NUL, escapes and bidi overrides in a query")
    func controlCharacters() {
        #expect(run("mri\u{0}ct") == nil)
        #expect(run("\u{0}\u{0}\u{0}") != nil)
        #expect(run("\u{1B}[2J\u{1B}]0;title\u{07}mri\r") == nil)
        #expect(run("\u{202E}mri\u{202C} \u{FEFF}ct \u{FFFF}") == nil)
        let error = run("\"unclosed \u{1B}[31m")
        #expect(error?.column == 1)
        // The caret diagram keeps the query on one line.
        do {
            _ = try QueryParser().parse("(mri\nct")
            Issue.record("an unclosed '(' parsed")
        } catch {
            #expect(error.caretDiagram.split(separator: "\n").count == 2)
        }
    }
}
