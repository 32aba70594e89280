import Foundation
import Testing
import MedTestSupport
import MedAnalysis
import MedDocument
@testable import MedIndex

func temporaryFolder() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("medsearch-test-\(UUID().uuidString)")
}

func document(_ path: String, _ title: String, _ passages: [String], heading: String = "Overview") -> IndexedDocument {
    IndexedDocument(
        source: SourceInfo(path: path, size: UInt64(passages.joined().utf8.count), modificationTime: 1, contentHash: ContentHash.fnv1a64(Array(passages.joined().utf8))),
        article: Article(title: title, sections: [Section(heading: heading, level: 2, path: [heading], passages: passages.map { Passage(kind: .paragraph, text: $0) })])
    )
}

@Suite("Index format")
struct IndexTests {
    @Test("varints and CRC-32C")
    func primitives() throws {
        var writer = ByteWriter()
        for value: UInt64 in [0, 1, 127, 128, 300, 1 << 35, .max] { writer.writeVarint(value) }
        let decoded: [UInt64?] = writer.bytes.withUnsafeBytes { raw in
            var reader = ByteReader(raw)
            return (0..<8).map { _ in try? reader.readVarint() }
        }
        #expect(decoded == [0, 1, 127, 128, 300, 1 << 35, .max, nil])
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)  // the standard check value
        // The CPU instruction path (when present) equals the table code at every length and offset.
        var random = SplitMix(seed: 11)
        let bytes = (0..<4_200).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        bytes.withUnsafeBytes { raw in
            for (start, length) in [(0, 0), (0, 1), (1, 7), (3, 8), (5, 63), (7, 4_000), (0, 4_200)] {
                let slice = UnsafeRawBufferPointer(rebasing: raw[start..<(start + length)])
                #expect(CRC32C.checksum(slice, seed: 0x1234) == CRC32C.softwareChecksum(slice, seed: 0x1234), "offset \(start), length \(length)")
            }
        }
    }

    @Test("seeded random documents round-trip: postings, statistics, stored text")
    func roundTrip() throws {
        var generator = SplitMix(seed: 42)
        let vocabulary = ["mri", "ct", "nurse", "radiographer", "sonographer", "license", "exam", "salary", "patient", "contrast", "dose", "shift"]
        var documents: [IndexedDocument] = []
        for d in 0..<300 {
            let passages = (0..<Int(generator.next() % 4 + 1)).map { _ in
                (0..<Int(generator.next() % 30 + 1)).map { _ in vocabulary[Int(generator.next() % UInt64(vocabulary.count))] }.joined(separator: " ")
            }
            documents.append(document("doc\(d).html", "Title \(vocabulary[d % vocabulary.count])", passages))
        }
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = try IndexWriter(folder: folder, analyzer: .standard)
        try writer.commit(documents: documents, corpus: "/tmp/x", corpusFormat: "html", threads: 3)
        let reader = try IndexReader(at: folder)
        #expect(reader.documentCount == 300)
        // Expected postings computed straight from the documents.
        let analyzer = Analyzer.standard
        for word in vocabulary {
            let term = analyzer.terms(in: word)[0]
            var expected: [UInt32] = []
            for (d, doc) in documents.enumerated() where doc.article.passages.contains(where: { analyzer.terms(in: $0.text).contains(term) }) || analyzer.terms(in: doc.article.title).contains(term) {
                expected.append(UInt32(d))
            }
            let list = try #require(try reader.postings(term))
            #expect(list.docs == expected, "postings of \(term)")
        }
        let stored = try reader.storedDocument(123)
        #expect(stored.article == documents[123].article)
        #expect(stored.source == documents[123].source)
        _ = try reader.check()
    }

    @Test("byte-identical output whatever the thread count")
    func deterministic() throws {
        let documents = (0..<50).map { document("d\($0).html", "T\($0)", ["radiology text \($0) with words", "more \($0 * 7) tokens here"]) }
        var files: [[String: Data]] = []
        for threads in [1, 4] {
            let folder = temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            try IndexWriter(folder: folder, analyzer: .standard).commit(documents: documents, corpus: "c", corpusFormat: "html", threads: threads)
            var contents: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasPrefix("seg-") {
                contents[name] = try Data(contentsOf: folder.appendingPathComponent(name))
            }
            files.append(contents)
        }
        #expect(files[0] == files[1])
    }

    @Test("corruption is a clear error naming the file, never a crash")
    func corruption() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try IndexWriter(folder: folder, analyzer: .standard).commit(documents: [document("a.html", "A", ["mri safety zones"])], corpus: "c", corpusFormat: "html")
        for ext in ["terms", "postings", "docs", "store"] {
            let url = folder.appendingPathComponent("seg-000001.\(ext)")
            let original = try Data(contentsOf: url)
            // Truncation.
            try original.prefix(original.count / 2).write(to: url)
            #expect(throws: IndexError.self) { _ = try IndexReader(at: folder) }
            // A flipped byte in the body: caught by check's checksum.
            var flipped = original
            flipped[14] ^= 0xFF
            try flipped.write(to: url)
            var caught = false
            do {
                _ = try IndexReader(at: folder).check()
            } catch {
                caught = true
                #expect(error.description.contains("seg-000001.\(ext)"))
            }
            #expect(caught, "flipped byte in .\(ext) not detected")
            try original.write(to: url)
        }
        // A missing file and a newer format version.
        try FileManager.default.removeItem(at: folder.appendingPathComponent("seg-000001.store"))
        #expect(throws: IndexError.missingFile(path: folder.appendingPathComponent("seg-000001.store").path)) { _ = try IndexReader(at: folder) }
        let manifestURL = folder.appendingPathComponent("manifest.json")
        let manifest = try String(contentsOf: manifestURL, encoding: .utf8).replacingOccurrences(of: "\"formatVersion\" : \(FormatVersion.current)", with: "\"formatVersion\" : 9")
        try manifest.write(to: manifestURL, atomically: true, encoding: .utf8)
        do {
            _ = try IndexReader(at: folder)
            Issue.record("a newer format version was accepted")
        } catch {
            #expect(error.description.contains("newer than this medsearch supports"))
        }
    }

    @Test("--rebuild never deletes a newer medsearch's index, and keeps a damaged one's files until it commits")
    func rebuildSafety() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try IndexWriter(folder: folder, analyzer: .standard).commit(documents: [document("a.html", "A", ["mri safety zones"])], corpus: "c", corpusFormat: "html")
        let manifestURL = folder.appendingPathComponent("manifest.json")
        let original = try String(contentsOf: manifestURL, encoding: .utf8)
        func segmentFiles() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("seg-") }.sorted()
        }
        let before = try segmentFiles()
        #expect(before.count == 4)

        try original.replacingOccurrences(of: "\"formatVersion\" : \(FormatVersion.current)", with: "\"formatVersion\" : 9").write(to: manifestURL, atomically: true, encoding: .utf8)
        #expect(throws: IndexError.newerFormat(path: folder.path, version: 9, supported: FormatVersion.current)) {
            _ = try IndexWriter(folder: folder, analyzer: .standard, rebuild: true)
        }
        #expect(try segmentFiles() == before)

        try Data("{ not json".utf8).write(to: manifestURL)
        do {
            let writer = try IndexWriter(folder: folder, analyzer: .standard, rebuild: true)
            #expect(try segmentFiles() == before, "a rebuild deleted files before committing")
            try writer.commit(documents: [document("b.html", "B", ["ct contrast"])], corpus: "c", corpusFormat: "html")
        }
        let reader = try IndexReader(at: folder)
        #expect(reader.documentCount == 1)
        #expect(try reader.storedDocument(0).source.path == "b.html")
        #expect(try segmentFiles().count == 4)
    }

    @Test("a folder with other files is refused; Index/README.md is fine; a second writer is locked out")
    func folderSafety() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("readme".utf8).write(to: folder.appendingPathComponent("README.md"))
        let writer = try IndexWriter(folder: folder, analyzer: .standard)
        #expect(throws: IndexError.self) { _ = try IndexWriter(folder: folder, analyzer: .standard) }
        _ = writer
        let foreign = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: foreign) }
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
        try Data("precious".utf8).write(to: foreign.appendingPathComponent("thesis.docx"))
        #expect(throws: IndexError.foreignFolder(path: foreign.path, examples: ["thesis.docx"])) { _ = try IndexWriter(folder: foreign, analyzer: .standard) }
        #expect(FileManager.default.fileExists(atPath: foreign.appendingPathComponent("thesis.docx").path))
    }

    @Test("an analyzer mismatch is an error that says to re-index")
    func analyzerMismatch() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try IndexWriter(folder: folder, analyzer: .standard).commit(documents: [document("a.html", "A", ["x"])], corpus: "c", corpusFormat: "html")
        do {
            _ = try IndexWriter(folder: folder, analyzer: Analyzer(stopWords: .none, stopWordsName: "none"))
            Issue.record("mismatch accepted")
        } catch {
            #expect(error.description.contains("--rebuild"))
        }
    }
}

