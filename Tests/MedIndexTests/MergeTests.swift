import Foundation
import Testing
import MedAnalysis
import MedDocument
import MedTestSupport
@testable import MedIndex

/// Segment merges stream postings instead of analyzing again; what they write must be exactly
/// what building the surviving documents from scratch writes.
@Suite("Segment merges")
struct MergeTests {
    static func corpus(_ count: Int, seed: UInt64) -> [IndexedDocument] {
        var random = SplitMix(seed: seed)
        let words = ["mri", "ct", "x-ray", "dose", "patient", "nurse", "arrt", "salary", "café", "shift", "exam", "magnet"]
        func text() -> String { (0..<(3 + random.below(30))).map { _ in words[random.below(words.count)] }.joined(separator: " ") }
        // Enough documents sharing "patient" for full (bit-packed) posting blocks.
        return (0..<count).map { k in document("d\(k).html", text(), [text(), "patient " + text()], heading: k % 3 == 0 ? "" : text()) }
    }

    @Test("a merge writes the same bytes as building the surviving documents from scratch", arguments: [UInt64(1), 2])
    func mergeEqualsFreshBuild(seed: UInt64) throws {
        let merged = temporaryFolder(), fresh = temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: merged)
            try? FileManager.default.removeItem(at: fresh)
        }
        let documents = Self.corpus(190, seed: seed)
        var random = SplitMix(seed: seed &+ 100)
        let writer = try IndexWriter(folder: merged, analyzer: .standard)
        writer.threads = 1
        writer.mergeFactor = 3
        try writer.commit(documents: Array(documents[0..<40]), corpus: "c", corpusFormat: "html")
        try writer.add(Array(documents[40..<100]))
        try writer.commit(corpus: "c", corpusFormat: "html")
        try writer.add(Array(documents[100..<190]))
        var deleted = Set<Int>()
        for _ in 0..<20 { deleted.insert(random.below(100)) }  // in the first two segments
        for doc in deleted { writer.delete(doc) }
        try writer.commit(corpus: "c", corpusFormat: "html")
        #expect(try IndexReader(at: merged).segments.count == 3)

        // 40, 60 and 90 documents (less some deleted): one size group, so all three merge into one
        // (over 128 survivors share "patient": a bit-packed block is rebuilt too).
        let report = try writer.mergeSegments()
        #expect(report.merges == 1 && report.segmentsMerged == 3)
        let reader = try IndexReader(at: merged)
        #expect(reader.segments.count == 1 && !reader.hasDeletions)
        #expect(reader.documentCount == 190 - deleted.count)
        _ = try reader.check()

        let survivors = documents.enumerated().filter { !deleted.contains($0.offset) }.map(\.element)
        let other = try IndexWriter(folder: fresh, analyzer: .standard)
        try other.commit(documents: survivors, corpus: "c", corpusFormat: "html", threads: 1)
        let mergedName = reader.manifest.segments[0].name
        for ext in ["terms", "postings", "docs", "store"] {
            let a = try Data(contentsOf: merged.appendingPathComponent("\(mergedName).\(ext)"))
            let b = try Data(contentsOf: fresh.appendingPathComponent("seg-000001.\(ext)"))
            #expect(a == b, ".\(ext) of the merged segment differs from a fresh build")
        }
    }
}
