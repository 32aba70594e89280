import Foundation
import Testing
import MedAnalysis
import MedDocument
import MedIndex
@testable import MedIngest

private func document(_ path: String, _ passages: [Passage]) -> IndexedDocument {
    IndexedDocument(
        source: SourceInfo(path: path, size: 0, modificationTime: 0, contentHash: 0),
        article: Article(title: path, sections: [Section(heading: "", level: 0, path: [], passages: passages)])
    )
}

private func paragraph(_ text: String) -> Passage { Passage(kind: .paragraph, text: text) }

@Suite("Corpus-level boilerplate")
struct CorpusBoilerplateTests {
    static let bio = "About the author: Dana has run an MRI department for twenty years."

    @Test("a passage on many pages of one site is dropped; rarer, shorter, table and cross-site ones stay")
    func rule() {
        var documents: [IndexedDocument] = []
        for page in 0..<10 {
            var passages = [paragraph("Page \(page) explains one imaging career in its own words and detail.")]
            if page < 4 { passages.append(Passage(kind: page < 2 ? .paragraph : .tableRow, text: Self.bio)) }
            if page < 2 { passages.append(paragraph("A sentence that two articles happen to share verbatim.")) }
            passages.append(paragraph("Learn more."))
            passages.append(Passage(kind: .tableRow, text: "Median pay | About $70,000 | About $80,000"))
            documents.append(document("site-a/page\(page).html", passages))
        }
        for page in 0..<2 {
            documents.append(document("site-b/page\(page).html", [paragraph("A sentence that two articles happen to share verbatim.")]))
        }
        var boilerplate = CorpusBoilerplate()
        boilerplate.learn(from: documents)
        let cleaned = documents.map { boilerplate.clean($0) }
        #expect(cleaned.reduce(0) { $0 + $1.dropped.count } == 4)
        #expect(cleaned.allSatisfy { !$0.document.article.bodyText.contains("About the author") })
        #expect(cleaned[0].document.article.bodyText.contains("share verbatim"))
        #expect(cleaned[0].document.article.bodyText.contains("Learn more."))
        #expect(cleaned[0].document.article.bodyText.contains("Median pay"))
        #expect(cleaned[10].document.article.bodyText.contains("share verbatim"))
    }

    @Test("keys learned once clean a page added later, and survive in the manifest")
    func incremental() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("boilerplate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let corpus = root.appendingPathComponent("corpus/site")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        func page(_ number: Int) -> Data {
            Data("<html><body><article><h1>Career \(number)</h1><p>Article \(number) describes the work of a radiologic technologist on day \(number).</p><p>\(Self.bio)</p></article></body></html>".utf8)
        }
        for number in 0..<4 { try page(number).write(to: corpus.appendingPathComponent("p\(number).html")) }
        let index = root.appendingPathComponent("idx")
        let options = IngestOptions(corpus: root.appendingPathComponent("corpus"))
        let first = try Ingest.run(index: index, options: options, analyzer: .standard)
        #expect(first.boilerplatePassages == 4)
        #expect(try IndexReader(at: index).manifest.boilerplateKeySet.count == 1)

        try page(9).write(to: corpus.appendingPathComponent("p9.html"))
        let second = try Ingest.run(index: index, options: options, analyzer: .standard)
        #expect(second.added == 1 && second.unchanged == 4)
        let reader = try IndexReader(at: index)
        for doc in 0..<reader.documentCount {
            let stored = try reader.storedDocument(doc)
            #expect(!stored.article.bodyText.contains("About the author"), "\(stored.source.path)")
            #expect(stored.article.bodyText.contains("radiologic technologist"))
        }

        let kept = try Ingest.run(
            index: root.appendingPathComponent("idx-kept"),
            options: IngestOptions(corpus: root.appendingPathComponent("corpus"), extraction: .init(keepBoilerplate: true)),
            analyzer: .standard
        )
        #expect(kept.boilerplatePassages == 0)
    }
}
