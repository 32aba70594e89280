import Foundation
import Testing
import MedAnalysis
import MedDocument
@testable import MedIndex

// Regression tests for what `Fuzz/fuzz-index` found (issue #9).
@Suite("Hostile index files")
struct HostileIndexTests {
    /// fuzz-index, crash 1: a document record whose store offset has the top bit set trapped in
    /// `Int(UInt64)` ("Not enough bits to represent the passed value") instead of being refused.
    @Test("a store offset above Int.max in the document table is a corrupt-file error, not a trap")
    func hugeStoreOffset() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("medsearch-hostile-index-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let article = Article(title: "MRI", sections: [Section(heading: "", level: 0, path: [], passages: [Passage(kind: .paragraph, text: "Magnet safety.")])])
        let document = IndexedDocument(source: SourceInfo(path: "mri.html", size: 1, modificationTime: 1, contentHash: 1), article: article)
        try IndexWriter(folder: folder, analyzer: .standard).commit(documents: [document], corpus: "c", corpusFormat: "html", threads: 1)
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasSuffix(".docs") })
        let url = folder.appendingPathComponent(name)
        var bytes = Array(try Data(contentsOf: url))
        // Header (12 bytes), then the table: record 0's store offset follows four u32 fields.
        let offset = 12 + DocumentRecord.tableStart + 16
        for k in 0..<8 { bytes[offset + k] = 0xFF }
        // A valid footer CRC, so the damage reaches the record decoder whether or not opening
        // verifies checksums.
        let crc = CRC32C.checksum(Array(bytes[..<(bytes.count - 8)]))
        for k in 0..<4 { bytes[bytes.count - 8 + k] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(k))) }
        try Data(bytes).write(to: url)  // same size, so the manifest's size check passes
        let reader = try IndexReader(at: folder)
        #expect {
            try reader.storedDocument(0)
        } throws: { error in
            guard case .corrupt(let path, let reason)? = error as? IndexError else { return false }
            return path.hasSuffix(".docs") && reason.contains("store block is outside the store file")
        }
    }
}
