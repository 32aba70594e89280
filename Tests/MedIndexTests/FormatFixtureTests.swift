import Foundation
import Testing
import MedAnalysis
import MedDocument
@testable import MedIndex

/// FORMAT.md §11: every format version has a committed fixture index that the current reader
/// must open and read exactly, and the current writer must reproduce byte for byte while the
/// version is current (a byte change without a version bump fails here). Regenerate the fixture
/// only together with a version bump: `MEDSEARCH_UPDATE_FIXTURE=1 swift test --filter FormatFixture`.
@Suite("Format fixtures")
struct FormatFixtureTests {
    /// Small, but touching every part of the format: title, headings, several sections and
    /// passage kinds, a compound word (joined form), non-ASCII text, a stopword gap, and a term
    /// in enough documents (130) to need two posting blocks.
    static let documents: [IndexedDocument] = {
        var documents = [
            IndexedDocument(
                source: SourceInfo(path: "careers/mri-technologist.html", size: 4_210, modificationTime: 1_764_000_000_000_000_000, contentHash: 0x1234_5678_9ABC_DEF0),
                article: Article(title: "MRI Technologist", description: "Magnets, safety and the ARRT", url: "https://example.org/mri", language: "en", sections: [
                    Section(heading: "", level: 0, path: [], passages: [Passage(kind: .paragraph, text: "An MRI technologist runs the scanner and screens every patient.")]),
                    Section(heading: "Certification", level: 2, path: ["Certification"], passages: [
                        Passage(kind: .paragraph, text: "Most earn the ARRT (MR) credential after an accredited X-ray program."),
                        Passage(kind: .listItem, text: "Café-style breaks are rare: the magnet is always on."),
                    ]),
                    Section(heading: "Pay", level: 3, path: ["Certification", "Pay"], passages: [Passage(kind: .tableRow, text: "Median | $83,740")]),
                ])
            ),
            IndexedDocument(
                source: SourceInfo(path: "careers/sonographer.html", size: 2_048, modificationTime: 0, contentHash: 42),
                article: Article(title: "Diagnostic Medical Sonographer", sections: [
                    Section(heading: "Training", level: 2, path: ["Training"], passages: [
                        Passage(kind: .quote, text: "Sonographers use ultrasound, not radiation."),
                        Passage(kind: .definition, text: "RDMS: Registered Diagnostic Medical Sonographer."),
                    ]),
                ])
            ),
        ]
        for k in 0..<128 {
            documents.append(IndexedDocument(
                source: SourceInfo(path: "filler/page-\(k).html", size: UInt64(k), modificationTime: Int64(k), contentHash: UInt64(k)),
                article: Article(title: "Nursing note \(k)", sections: [Section(heading: "", level: 0, path: [], passages: [Passage(kind: .paragraph, text: "A patient chart, entry \(k) of the radiology shift.")])])
            ))
        }
        return documents
    }()

    static var folder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/format-v1")
    }

    @Test("the committed v1 index opens, checks and reads back exactly")
    func readsFixture() throws {
        if ProcessInfo.processInfo.environment["MEDSEARCH_UPDATE_FIXTURE"] == "1" {
            try? FileManager.default.removeItem(at: Self.folder)
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            try IndexWriter(folder: Self.folder, analyzer: .standard).commit(documents: Self.documents, corpus: "/fixture/corpus", corpusFormat: "html")
            try? FileManager.default.removeItem(at: Self.folder.appendingPathComponent("LOCK"))
        }
        let reader = try IndexReader(at: Self.folder)
        #expect(reader.manifest.formatVersion == 1)
        #expect(reader.documentCount == Self.documents.count)
        let report = try reader.check()
        #expect(report.documents == Self.documents.count)
        for (doc, expected) in Self.documents.enumerated() {
            let stored = try reader.storedDocument(doc)
            #expect(stored.source == expected.source)
            #expect(stored.article == expected.article)
        }
        let patient = try #require(try reader.postings("patient"))
        #expect(patient.count == 129)  // document 0 and the 128 fillers: two blocks
        #expect(patient.blocks.count == 2)
        #expect(try reader.postings("xray")?.docs == [0])  // the joined form of "X-ray"
        #expect(try reader.postings("cafe")?.docs == [0])  // folded
        #expect(try reader.postings("ultrasound")?.docs == [1])
    }

    @Test("this writer still produces the v1 fixture byte for byte")
    func writerReproducesFixture() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try IndexWriter(folder: folder, analyzer: .standard).commit(documents: Self.documents, corpus: "/fixture/corpus", corpusFormat: "html")
        let fixture = try IndexReader(at: Self.folder).manifest
        for (kind, info) in try #require(fixture.segments.first).files {
            let name = "\(fixture.segments[0].name).\(kind)"
            let expected = try Data(contentsOf: Self.folder.appendingPathComponent(name))
            let written = try Data(contentsOf: folder.appendingPathComponent("seg-000001.\(kind)"))
            #expect(written == expected, "\(name) differs from the v1 fixture: a format change needs a version bump (FORMAT.md §11)")
            #expect(expected.count == info.bytes)
        }
    }
}
