import Foundation
import Testing
import MedAnalysis
import MedIndex
import MedIngest
import MedSearch

/// The README's embedding snippet, compiled and run on a temporary corpus.
@Test("the README embedding example works")
func embeddingExample() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("embed-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(at: root.appendingPathComponent("Corpus"), withIntermediateDirectories: true)
    try Data("<title>NMT</title><p>Nuclear medicine technologists earn NMTCB certification.</p>".utf8)
        .write(to: root.appendingPathComponent("Corpus/nmt.html"))
    let index = root.appendingPathComponent("Index")
    _ = try Ingest.run(index: index, options: IngestOptions(corpus: root.appendingPathComponent("Corpus")), analyzer: .standard)
    let searcher = Searcher(reader: try IndexReader(at: index))
    let hits = try searcher.search("nuclear medicine certification").hits
    #expect(hits.first?.title == "NMT")
    #expect(hits.first?.passages.first?.text == "Nuclear medicine technologists earn NMTCB certification.")
}
