import Foundation
import Testing
import MedAnalysis
import MedDocument
@testable import MedIndex

/// FORMAT.md §12: every format version has a committed fixture index that the current reader
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

    /// The committed fixture of format `version`.
    static func folder(_ version: UInt32) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/format-v\(version)")
    }

    /// The document the second commit adds (the fixture also has a deletion file and two segments).
    static let added = IndexedDocument(
        source: SourceInfo(path: "careers/ct-technologist.html", size: 3_000, modificationTime: 7, contentHash: 7),
        article: Article(title: "CT Technologist", sections: [Section(heading: "Dose", level: 2, path: ["Dose"], passages: [Passage(kind: .paragraph, text: "CT uses X-ray beams; the patient dose is tracked.")])])
    )

    /// Writes the current version's fixture: every document in one commit, then a commit that
    /// deletes the sonographer page (document 1) and adds ``added``.
    static func writeFixture(into folder: URL) throws {
        let writer = try IndexWriter(folder: folder, analyzer: .standard)
        writer.threads = 1
        try writer.commit(documents: documents, corpus: "/fixture/corpus", corpusFormat: "html")
        writer.delete(1)
        try writer.add([added])
        try writer.commit(corpus: "/fixture/corpus", corpusFormat: "html")
    }

    /// The live documents in id order, as the fixture holds them.
    static var expected: [IndexedDocument] {
        var live = documents
        live.remove(at: 1)
        return live + [added]
    }

    @Test("the committed current-version index opens, checks and reads back exactly")
    func readsFixture() throws {
        let folder = Self.folder(FormatVersion.current)
        if ProcessInfo.processInfo.environment["MEDSEARCH_UPDATE_FIXTURE"] == "1" {
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Self.writeFixture(into: folder)
            try? FileManager.default.removeItem(at: folder.appendingPathComponent("LOCK"))
        }
        let reader = try IndexReader(at: folder)
        #expect(reader.manifest.formatVersion == FormatVersion.current)
        #expect(reader.segments.count == 2)
        #expect(reader.manifest.segments[0].deletions?.count == 1)
        #expect(reader.documentCount == Self.expected.count)
        #expect(reader.maxDocument == Self.documents.count + 1)
        let report = try reader.check()
        #expect(report.documents == Self.expected.count)
        #expect(reader.liveDocuments.count == Self.expected.count)
        for (doc, expected) in zip(reader.liveDocuments, Self.expected) {
            let stored = try reader.storedDocument(doc)
            #expect(stored.source == expected.source)
            #expect(stored.article == expected.article)
        }
        let patient = try #require(try reader.postings("patient"))
        #expect(patient.count == 130)  // document 0, the 128 fillers (one packed block) and the CT page
        #expect(patient.docs.last == UInt32(Self.documents.count))
        #expect(try reader.postings("xray")?.docs == [0, UInt32(Self.documents.count)])  // the joined form of "X-ray"
        #expect(try reader.postings("cafe")?.docs == [0])  // folded
        #expect(try reader.postings("ultrasound")?.docs == nil)  // only in the deleted page
        #expect(try reader.documentFrequency("sonograph") == 0)
    }

    @Test("this writer still produces the current fixture byte for byte")
    func writerReproducesFixture() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.writeFixture(into: folder)
        let fixture = try IndexReader(at: Self.folder(FormatVersion.current)).manifest
        let names = fixture.segments.flatMap(\.fileNames)
        #expect(names.count == 9)
        for name in names {
            let expected = try Data(contentsOf: Self.folder(FormatVersion.current).appendingPathComponent(name))
            let written = try Data(contentsOf: folder.appendingPathComponent(name))
            #expect(written == expected, "\(name) differs from the fixture: a format change needs a version bump (FORMAT.md §12)")
        }
    }

    @Test("an index of a version older than the oldest readable is refused, naming --rebuild, and --rebuild replaces it")
    func olderVersionRefused() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A copy: the rebuild below must not touch the committed fixture.
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.copyItem(at: Self.folder(1), to: folder)
        #expect(FormatVersion.oldestReadable > 1)
        do {
            _ = try IndexReader(at: folder)
            Issue.record("a version-1 index was opened")
        } catch {
            #expect(error.description.contains("format version 1 is older than the oldest readable (\(FormatVersion.oldestReadable))"))
            #expect(error.description.contains("medsearch index --rebuild"))
        }
        let writer = try IndexWriter(folder: folder, analyzer: .standard, rebuild: true)
        try writer.commit(documents: [Self.added], corpus: "c", corpusFormat: "html")
        let reader = try IndexReader(at: folder)
        #expect(reader.documentCount == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("seg-") }.count == 4)
    }
}
