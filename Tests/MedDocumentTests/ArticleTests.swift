import Testing
import MedDocument

@Suite("Article model")
struct ArticleTests {
    @Test("body text lists headings and passages, title excluded")
    func bodyText() {
        let article = Article(title: "CT Tech", sections: [
            Section(heading: "CT Tech", level: 1, path: [], passages: [Passage(kind: .paragraph, text: "Intro.")]),
            Section(heading: "Pay", level: 2, path: ["Pay"], passages: [Passage(kind: .listItem, text: "Good.")]),
        ])
        #expect(article.bodyText == "Intro.\nPay\nGood.")
        #expect(article.passageCount == 2)
    }

    @Test("external ids drop HTML extensions only")
    func externalID() {
        #expect(SourceInfo(path: "a/b/ct-tech.html", size: 0, modificationTime: 0, contentHash: 0).externalID == "ct-tech")
        #expect(SourceInfo(path: "184", size: 0, modificationTime: 0, contentHash: 0).externalID == "184")
    }

    @Test("FNV-1a 64 matches the published test vector")
    func hash() {
        #expect(ContentHash.fnv1a64(Array("a".utf8)) == 0xaf63_dc4c_8601_ec8c)
    }
}
