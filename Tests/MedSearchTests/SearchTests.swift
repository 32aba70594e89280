import Foundation
import Testing
import MedAnalysis
import MedDocument
import MedIndex
@testable import MedSearch

private func makeIndex(_ documents: [IndexedDocument]) throws -> (URL, Searcher) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("medsearch-search-\(UUID().uuidString)")
    try IndexWriter(folder: folder, analyzer: .standard).commit(documents: documents, corpus: "c", corpusFormat: "html")
    return (folder, Searcher(reader: try IndexReader(at: folder)))
}

private func doc(_ path: String, _ title: String, _ passages: [String], heading: String = "") -> IndexedDocument {
    IndexedDocument(
        source: SourceInfo(path: path, size: 1, modificationTime: 1, contentHash: ContentHash.fnv1a64(Array((title + passages.joined()).utf8))),
        article: Article(title: title, sections: [Section(heading: heading, level: heading.isEmpty ? 0 : 2, path: heading.isEmpty ? [] : [heading], passages: passages.map { Passage(kind: .paragraph, text: $0) })])
    )
}

private let smallCorpus = [
    doc("a.html", "MRI Technologist", ["Magnetic resonance imaging technologists earn a credential from ARRT.", "The magnet is always on."]),
    doc("b.html", "CT Technologist", ["CT technologists use X-ray beams and contrast.", "Radiation dose matters in CT."]),
    doc("c.html", "Nursing", ["Registered nurses pass the NCLEX-RN exam.", "Nurses work shifts."]),
    doc("d.html", "Sonographer", ["Sonographers use ultrasound, not radiation.", "Sonography programs are accredited."], heading: "Ultrasound"),
]

@Suite("Query parser")
struct QueryParserTests {
    let parser = QueryParser()

    @Test("syntax round-trips to a canonical form")
    func forms() throws {
        #expect(try parser.parse("mri safety").description == "mri safety")
        #expect(try parser.parse("\"nuclear medicine\"~3 +arrt -cardiac").description == "+arrt \"nuclear medicine\"~3 -cardiac")
        #expect(try parser.parse("title:sonographer radiolog* sonografer~1 mri^2").description == "title:sonographer radiolog* sonografer~1 mri^2")
        #expect(try parser.parse("(ct OR mri) AND contrast").description == "+(ct mri) +contrast")
        #expect(try QueryParser(requireAll: true).parse("ct contrast").description == "+ct +contrast")
    }

    @Test("errors carry the column of the problem", arguments: [
        ("\"mri safety", 1, "unbalanced '\"'"),
        ("(ct OR mri", 1, "unbalanced '('"),
        ("ct mri)", 7, "unbalanced ')'"),
        ("OR mri", 1, "'OR' needs a term before it"),
        ("mri AND", 5, "'AND' needs a term after it"),
        ("author:smith", 1, "unknown field 'author'"),
        ("r*", 1, "too short"),
        ("*", 1, "'*' needs a prefix"),
        ("-mri", 1, "only exclude"),
    ])
    func errors(query: String, column: Int, message: String) {
        do {
            _ = try parser.parse(query)
            Issue.record("'\(query)' parsed")
        } catch {
            #expect(error.column == column, "\(query): \(error)")
            #expect(error.message.contains(message), "\(query): \(error)")
            #expect(error.caretDiagram.hasSuffix("^"))
        }
    }

    @Test("random input never crashes the parser (seeded fuzz)")
    func fuzz() {
        var state: UInt64 = 7
        let alphabet = Array("abc XYZ\"()+-*~^:ORANDNOT 12\t\u{1B}é")
        for _ in 0..<5_000 {
            var text = ""
            for _ in 0..<Int(state % 24) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text.append(alphabet[Int((state >> 33) % UInt64(alphabet.count))])
            }
            _ = try? parser.parse(text)
        }
        _ = try? parser.parse(String(repeating: "(", count: 10_000))
        _ = try? parser.parse(String(repeating: "mri ", count: 5_000))
    }
}

@Suite("Ranking and search")
struct SearchTests {
    @Test("BM25F scores equal an independent straightforward computation (1e-9 relative)")
    func scoresMatchReference() throws {
        let (folder, searcher) = try makeIndex(smallCorpus)
        defer { try? FileManager.default.removeItem(at: folder) }
        let analyzer = Analyzer.standard
        let options = SearchOptions(limit: 10, synonyms: false, passagesPerHit: 0)
        let results = try searcher.search("technologist radiation", options: options)
        // Reference: fields title/heading/body with weights 2/1.5/1, k1 1.2, b 0.75, Lucene idf.
        let weights = [2.0, 1.5, 1.0]
        let fieldTexts: [[String]] = smallCorpus.map { d in
            [d.article.title, d.article.sections.map(\.heading).joined(separator: " "), d.article.passages.map(\.text).joined(separator: " ")]
        }
        let fieldTerms = fieldTexts.map { $0.map { analyzer.tokens(in: $0).filter { token in !token.term.isEmpty }.map(\.term) } }
        // A compound's joined form shares its first part's position and is not counted in lengths.
        let lengths = fieldTexts.map { $0.map { text in Set(analyzer.tokens(in: text).map(\.position)).count } }
        let n = Double(smallCorpus.count)
        let averages = (0..<3).map { f in Double(lengths.map { $0[f] }.reduce(0, +)) / n }
        func reference(_ d: Int) -> Double {
            var total = 0.0
            for term in analyzer.terms(in: "technologist radiation") {
                let df = Double(fieldTerms.filter { $0.contains { $0.contains(term) } }.count)
                guard df > 0 else { continue }
                let idf = log(1 + (n - df + 0.5) / (df + 0.5))
                var pseudo = 0.0
                for f in 0..<3 {
                    let tf = Double(fieldTerms[d][f].filter { $0 == term }.count)
                    pseudo += weights[f] * tf / (1 - 0.75 + 0.75 * Double(lengths[d][f]) / averages[f])
                }
                if pseudo > 0 { total += idf * pseudo * 2.2 / (1.2 + pseudo) }
            }
            return total
        }
        #expect(results.totalHits == 3)
        for hit in results.hits {
            let expected = reference(hit.document)
            #expect(abs(hit.score - expected) <= 1e-9 * expected, "\(hit.path): \(hit.score) vs \(expected)")
        }
        // Deterministic: the same query gives the same output.
        #expect(try searcher.search("technologist radiation", options: options).hits.map(\.score) == results.hits.map(\.score))
    }

    @Test("phrases, required, excluded and field scopes")
    func operators() throws {
        let (folder, searcher) = try makeIndex(smallCorpus)
        defer { try? FileManager.default.removeItem(at: folder) }
        let options = SearchOptions(synonyms: false, passagesPerHit: 0)
        #expect(try searcher.search("\"magnet is always on\"", options: options).hits.map(\.path) == ["a.html"])
        #expect(try searcher.search("\"always magnet\"", options: options).totalHits == 0)
        #expect(try searcher.search("radiation -ultrasound", options: options).hits.map(\.path) == ["b.html"])
        #expect(try searcher.search("+nurses exam", options: options).hits.map(\.path) == ["c.html"])
        #expect(try searcher.search("title:sonographer", options: options).hits.map(\.path) == ["d.html"])
        #expect(try searcher.search("heading:ultrasound", options: options).hits.map(\.path) == ["d.html"])
        #expect(try searcher.search("x-ray", options: options).hits.map(\.path) == ["b.html"])
        #expect(try searcher.search("xray", options: options).hits.map(\.path) == ["b.html"])
        #expect(try searcher.search("sonograph*", options: options).hits.map(\.path) == ["d.html"])
        #expect(try searcher.search("ultrasund~1", options: options).hits.map(\.path) == ["d.html"])
    }

    @Test("'MRI tech certification' finds an article that only says 'magnetic resonance imaging technologist … credential'")
    func synonyms() throws {
        let only = [
            doc("m.html", "Imaging careers", ["Magnetic resonance imaging technologists need a credential to work."]),
            doc("n.html", "Nursing", ["Nurses care for patients."]),
        ]
        let (folder, searcher) = try makeIndex(only)
        defer { try? FileManager.default.removeItem(at: folder) }
        let results = try searcher.search("MRI tech certification")
        #expect(results.hits.first?.path == "m.html")
        #expect(try searcher.search("MRI tech certification", options: SearchOptions(synonyms: false)).totalHits == 0)
        // Synonym words are highlighted where they occur.
        let passage = try #require(results.hits.first?.passages.first)
        let marked = passage.highlights.map { range in String(String.UnicodeScalarView(Array(passage.text.unicodeScalars)[range])) }
        #expect(marked.contains("Magnetic"))
        #expect(marked.contains("credential"))
    }

    @Test("--unit passage ranks passages across articles, grouped by article")
    func passageUnit() throws {
        let filler = Array(repeating: "clinic schedule patients hospital training", count: 12).joined(separator: " ")
        let (folder, searcher) = try makeIndex([
            doc("long.html", "Sonographer: Sonographer Careers", ["Work in clinics.", "A sonographer career overview: \(filler)."]),
            doc("short.html", "Jobs", [filler, filler, filler, "Sonographer, sonographer."]),
            doc("none.html", "Nursing", ["Nurses work shifts."]),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let articles = try searcher.search("sonographer", options: SearchOptions(passagesPerHit: 3))
        #expect(articles.hits.map(\.path) == ["long.html", "short.html"])
        var options = SearchOptions(passagesPerHit: 3)
        options.unit = .passage
        let passages = try searcher.search("sonographer", options: options)
        // The short, dense passage wins once passages are ranked; the title no longer carries "long".
        #expect(passages.hits.map(\.path) == ["short.html", "long.html"])
        #expect(passages.totalHits == articles.totalHits)
        for hit in passages.hits {
            #expect(hit.score == hit.passages[0].score)
            #expect(hit.passages.map(\.score) == hit.passages.map(\.score).sorted(by: >))
        }
        #expect(passages.hits.map(\.score) == passages.hits.map(\.score).sorted(by: >))
        #expect(passages.hits.map(\.rank) == [1, 2])
        // Paging applies to the grouped articles; TREC-style runs (no passages shown) keep the order.
        options.offset = 1
        #expect(try searcher.search("sonographer", options: options).hits.map(\.path) == ["long.html"])
        options.offset = 0
        options.passagesPerHit = 0
        let bare = try searcher.search("sonographer", options: options)
        #expect(bare.hits.map(\.path) == ["short.html", "long.html"])
        #expect(bare.hits.allSatisfy { $0.passages.isEmpty })
    }

    @Test("did you mean: a misspelling is corrected and the corrected query runs")
    func suggestions() throws {
        let (folder, searcher) = try makeIndex(smallCorpus)
        defer { try? FileManager.default.removeItem(at: folder) }
        let results = try searcher.search("sonografers")
        #expect(results.suggestions.first?.suggestion == "sonographer")
        #expect(results.correctedQuery == "sonographer")
        #expect(results.hits.first?.path == "d.html")
        // The misspelling's stem is not a prefix of what was typed ("radiolgy" → "radiolgi"):
        // the corrected query must still replace the typed word, and keep its operator.
        let stemmed = try searcher.search("+radiaton")
        #expect(stemmed.suggestions.first?.suggestion == "radiation")
        #expect(stemmed.correctedQuery == "+radiation")
        #expect(stemmed.hits.map(\.path).sorted() == ["b.html", "d.html"])
    }

    @Test("explain trees add up to the score")
    func explain() throws {
        let (folder, searcher) = try makeIndex(smallCorpus)
        defer { try? FileManager.default.removeItem(at: folder) }
        for hit in try searcher.search("ct radiation dose", options: SearchOptions(explain: true)).hits {
            let explanation = try #require(hit.explanation)
            #expect(abs(explanation.value - hit.score) < 1e-9)
        }
    }

    @Test("passage trimming keeps highlights aligned and cuts on word boundaries")
    func trimming() {
        let text = String(repeating: "filler words here ", count: 30) + "the MRI magnet" + String(repeating: " more filler text", count: 30)
        let start = text.utf8.count - " more filler text".utf8.count * 30 - "MRI magnet".utf8.count
        let (trimmed, ranges) = PassageSelector.trim(text, byteRanges: [start..<(start + 3)], budget: 80)
        #expect(trimmed.hasPrefix("… "))
        #expect(trimmed.hasSuffix(" …"))
        let scalars = Array(trimmed.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[ranges[0]])) == "MRI")
    }
}

@Suite("Evaluation")
struct EvaluationTests {
    @Test("metrics match hand-computed values")
    func metrics() throws {
        let qrels = try Evaluation.parseQrels("1 0 a 1\n1 0 c 2\n2 0 x 1\n")
        let run = try Evaluation.parseRun("1 Q0 a 1 3.0 t\n1 Q0 b 2 2.0 t\n1 Q0 c 3 1.0 t\n")
        let scores = Evaluation.evaluate(run: run, qrels: qrels)
        #expect(scores.queries == 2)
        // Query 1: AP = (1/1 + 2/3)/2; query 2: nothing retrieved.
        #expect(abs(scores.map - ((1 + 2.0 / 3) / 2) / 2) < 1e-12)
        #expect(abs(scores.mrr - 0.5) < 1e-12)
        let dcg = 1.0 + 2 / log2(4.0)
        let ideal = 2.0 + 1 / log2(3.0)
        #expect(abs(scores.ndcg10 - (dcg / ideal) / 2) < 1e-12)
    }
}
