import Foundation
import Testing
import MedAnalysis
import MedIndex
@testable import MedIngest

@Suite("Ingest")
struct IngestTests {
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
