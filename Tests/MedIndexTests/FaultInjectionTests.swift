import Foundation
import Testing
import MedAnalysis
import MedDocument
@testable import MedIndex

/// Write failures in the middle of a commit, in process and without a test seam: a folder put
/// where the writer's temporary file (or final file) goes makes its `open` (or `rename`) fail,
/// like a full disk would make its `write` fail. The real full disk (a small tmpfs) and errors
/// injected at every system call of the commit (strace) are in `Reliability/diskfull.py`.
@Suite("Index write failures")
struct FaultInjectionTests {
    static func documents(_ generation: Int) -> [IndexedDocument] {
        (0..<12).map { document("d\($0).html", "Guide \($0) v\(generation)", ["mri nurse dose \($0) shift \(generation)", "exam salary \($0 * 3)"]) }
    }

    @Test("a commit that cannot write one of its files fails naming it; the previous commit stays whole",
          arguments: ["seg-000002.terms", "seg-000002.postings", "seg-000002.docs", "seg-000002.store", "manifest.json"])
    func failedWrite(file: String) throws {
        // Segment files are blocked at their temporary name only: a writer never takes a segment
        // name already present in the folder, so a final-name obstacle cannot stop it.
        for blocked in ["temporary", "final"] where blocked == "temporary" || !file.hasPrefix("seg-") && file != "manifest.json" {
            let folder = temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            try IndexWriter(folder: folder, analyzer: .standard).commit(documents: Self.documents(1), corpus: "c", corpusFormat: "html")
            let terms = try IndexReader(at: folder).terms(withPrefix: "")
            let before = try CorruptionTests.contents(folder, terms: terms)

            // A non-empty folder where the file goes: open fails (temporary), rename fails (final).
            // (The writer's leftover cleanup cannot unlink a folder, so it stays in the way.)
            let obstacle = folder.appendingPathComponent(blocked == "temporary" ? ".\(file).tmp-\(getpid())" : file)
            try FileManager.default.createDirectory(at: obstacle.appendingPathComponent("x"), withIntermediateDirectories: true)
            do {
                let writer = try IndexWriter(folder: folder, analyzer: .standard)
                try writer.commit(documents: Self.documents(2), corpus: "c", corpusFormat: "html")
                Issue.record("\(file) (\(blocked)): the commit succeeded")
            } catch {
                #expect(error.description.contains(file), "\(file) (\(blocked)): \(error)")
            }
            try FileManager.default.removeItem(at: obstacle)
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            #expect(!names.contains { $0.contains(".tmp-") }, "\(file) (\(blocked)): temporary file left: \(names)")
            #expect(try CorruptionTests.contents(folder, terms: terms) == before, "\(file) (\(blocked)): previous commit changed")
            _ = try IndexReader(at: folder).check()

            // The fault gone, the next writer removes the failed commit's files and commits.
            try IndexWriter(folder: folder, analyzer: .standard).commit(documents: Self.documents(2), corpus: "c", corpusFormat: "html")
            let after = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            let segment = try #require(after.first { $0.hasPrefix("seg-") }?.split(separator: ".").first).description
            #expect(segment != "seg-000001")
            #expect(after == ["LOCK", "manifest.json"] + ["docs", "postings", "store", "terms"].map { "\(segment).\($0)" })
            #expect(try IndexReader(at: folder).documentCount == 12)
        }
    }

    @Test("regression: a manifest whose generation went backwards never makes a commit rewrite the live segment")
    func generationBackwards() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try IndexWriter(folder: folder, analyzer: .standard).commit(documents: Self.documents(1), corpus: "c", corpusFormat: "html")
        try IndexWriter(folder: folder, analyzer: .standard).commit(documents: Self.documents(2), corpus: "c", corpusFormat: "html")
        let url = folder.appendingPathComponent("manifest.json")
        var manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: url))
        manifest.generation = 1  // still names seg-000002: a commit as generation 2 would reuse it
        try manifest.encoded().write(to: url)
        let committed = try IndexWriter(folder: folder, analyzer: .standard).commit(documents: Self.documents(3), corpus: "c", corpusFormat: "html")
        #expect(committed.segments.map(\.name) == ["seg-000003"])
    }
}
