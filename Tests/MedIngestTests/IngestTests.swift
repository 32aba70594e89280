import Foundation
import Testing
import MedAnalysis
import MedIndex
@testable import MedIngest

@Suite("Ingest")
struct IngestTests {
    @Test("plain text becomes paragraphs: blank lines split (else lines), CRLF, Unicode spaces collapse", arguments: [
        ("one\n\ntwo  words\n\n\nthree", ["one", "two words", "three"]),
        ("no blank\nlines here\n", ["no blank", "lines here"]),
        ("crlf\r\n\r\nparagraphs\r\nstay", ["crlf", "paragraphs stay"]),
        ("  \t \n\n\u{00A0}nbsp\u{2003}em\u{3000}ideographic \n\n", ["nbsp em ideographic"]),
        ("", []),
        ("caf\u{00E9} \u{1F489}  syringe", ["caf\u{00E9} \u{1F489} syringe"]),
    ])
    func plainTextParagraphs(text: String, expected: [String]) {
        let article = Ingest.article(title: "  A\u{00A0} title \n", text: text)
        #expect(article.title == "A title")
        #expect(article.sections.flatMap(\.passages).map(\.text) == expected)
    }

    @Test("JSONL collections index with ids as document paths; bad lines name the line")
    func jsonl() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let file = root.appendingPathComponent("c.jsonl")
        try Data("{\"id\":\"1\",\"title\":\"Wings\",\"text\":\"lift and drag\"}\n{\"id\":\"2\",\"title\":\"Flow\",\"text\":\"laminar flow\"}\n".utf8).write(to: file)
        let report = try Ingest.run(index: root.appendingPathComponent("idx"), options: IngestOptions(corpus: file, format: .jsonl), analyzer: .standard)
        #expect(report.added == 2)
        let reader = try IndexReader(at: root.appendingPathComponent("idx"))
        #expect(try reader.storedDocument(1).source.externalID == "2")
        try Data("{\"id\":\"1\"}\nnot json\n".utf8).write(to: file)
        #expect(throws: IngestError.self) {
            try Ingest.run(index: root.appendingPathComponent("idx"), options: IngestOptions(corpus: file, format: .jsonl), analyzer: .standard)
        }
        // The failed run left the committed index untouched.
        #expect(try IndexReader(at: root.appendingPathComponent("idx")).documentCount == 2)
    }
}
