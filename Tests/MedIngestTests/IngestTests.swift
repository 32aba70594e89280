import Foundation
import Testing
import MedAnalysis
import MedExtract
import MedIndex
@testable import MedIngest

@Suite("Ingest")
struct IngestTests {
    @Test("a corpus folder that vanishes mid-run is an error and leaves the last commit whole")
    func vanishingCorpus() throws {
        let (root, corpus) = try temporaryCorpus("vanish")
        defer { try? FileManager.default.removeItem(at: root) }
        for number in 0..<40 {
            let html = "<html><body><article><h1>Page \(number)</h1><p>Page \(number) explains how a radiologic technologist positions patients for a chest X-ray.</p></article></body></html>"
            try Data(html.utf8).write(to: corpus.appendingPathComponent("p\(number).html"))
        }
        let index = root.appendingPathComponent("idx")
        var options = IngestOptions(corpus: corpus)
        options.threads = 1
        _ = try Ingest.run(index: index, options: options, analyzer: .standard)
        // Touch every page so all are extracted again, then delete the folder at the first progress
        // report of the extraction stage: without the check, the commit would drop all 40 pages.
        for number in 0..<40 {
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: corpus.appendingPathComponent("p\(number).html").path)
        }
        let removed = Atomic(false)
        #expect {
            _ = try Ingest.run(index: index, options: options, analyzer: .standard) { progress in
                if progress.stage == .extracting, !removed.exchange(true) { try? FileManager.default.removeItem(at: corpus) }
            }
        } throws: { error in
            String(describing: error).contains("the corpus folder disappeared while indexing")
        }
        #expect(removed.value)
        let reader = try IndexReader(at: index)
        #expect(reader.documentCount == 40)
        #expect(try reader.check().documents == 40)
    }

    @Test("a page indexed before that cannot be read now keeps its indexed copy (root reads everything: skipped)",
          .enabled(if: getuid() != 0))
    func unreadableKeepsCopy() throws {
        let (root, corpus) = try temporaryCorpus("unreadable")
        let page = corpus.appendingPathComponent("page.html")
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: page.path)
            try? FileManager.default.removeItem(at: root)
        }
        try Data("<html><body><article><h1>Phlebotomy</h1><p>Phlebotomists draw blood for tests, transfusions and donations in clinics and labs.</p></article></body></html>".utf8).write(to: page)
        let index = root.appendingPathComponent("idx")
        _ = try Ingest.run(index: index, options: IngestOptions(corpus: corpus), analyzer: .standard)
        try FileManager.default.setAttributes([.posixPermissions: 0, .modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: page.path)
        let report = try Ingest.run(index: index, options: IngestOptions(corpus: corpus), analyzer: .standard)
        #expect(report.warnings.contains { $0.contains("kept the indexed copy of page.html") })
        #expect(try IndexReader(at: index).documentCount == 1)
    }

    @Test("an index built by other extraction rules or options has every page extracted again")
    func extractorChange() throws {
        let (root, corpus) = try temporaryCorpus("extractor")
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("<html><body><nav>Menu: Home | Careers</nav><article><h1>Sonographer</h1><p>Sonographers use ultrasound to image organs and blood vessels in hospitals and clinics.</p></article></body></html>".utf8)
            .write(to: corpus.appendingPathComponent("sono.html"))
        let index = root.appendingPathComponent("idx")
        let first = try Ingest.run(index: index, options: IngestOptions(corpus: corpus), analyzer: .standard)
        #expect(!first.reextracted)
        #expect(try IndexReader(at: index).manifest.extractor == "rules \(ArticleExtractor.rulesVersion)")
        let again = try Ingest.run(index: index, options: IngestOptions(corpus: corpus), analyzer: .standard)
        #expect(!again.committed && !again.reextracted)

        // An index from before the field existed (or from other rules): the page is read again.
        let manifestURL = index.appendingPathComponent("manifest.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as? [String: Any])
        json["extractor"] = nil
        try JSONSerialization.data(withJSONObject: json).write(to: manifestURL)
        let upgraded = try Ingest.run(index: index, options: IngestOptions(corpus: corpus), analyzer: .standard)
        #expect(upgraded.reextracted && upgraded.committed)
        #expect(try IndexReader(at: index).manifest.extractor == "rules \(ArticleExtractor.rulesVersion)")

        // Switching --keep-boilerplate on changes what unchanged pages hold: the menu comes back.
        let kept = try Ingest.run(index: index, options: IngestOptions(corpus: corpus, extraction: .init(keepBoilerplate: true)), analyzer: .standard)
        #expect(kept.reextracted && kept.committed)
        let reader = try IndexReader(at: index)
        #expect(reader.manifest.extractor == "rules \(ArticleExtractor.rulesVersion), keep-boilerplate")
        #expect(try reader.storedDocument(0).article.bodyText.contains("Menu"))
    }

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

/// A flag shared with the progress callback, which runs on worker threads.
private final class Atomic: @unchecked Sendable {
    private let lock = NSLock()
    private var state: Bool
    init(_ value: Bool) { state = value }
    var value: Bool { lock.withLock { state } }
    /// Sets the flag and returns its previous value.
    func exchange(_ value: Bool) -> Bool { lock.withLock { defer { state = value }; return state } }
}

/// A fresh temporary folder holding an empty `corpus` folder.
private func temporaryCorpus(_ name: String) throws -> (root: URL, corpus: URL) {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    let corpus = root.appendingPathComponent("corpus")
    try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
    return (root, corpus)
}
