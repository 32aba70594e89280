import Foundation
import Testing
import MedTestSupport
import MedAnalysis
import MedDocument
@testable import MedIndex

/// Damaged index files, in process: every file kind × a set of byte flips, garbage runs,
/// truncations and deletion. Each case must end in an ``IndexError`` naming the damaged file, or
/// read back exactly what the intact index holds; anything the readers let through must still be
/// caught by `check`. A trap would kill the test run, so "no crash" is checked by running at all.
/// The exhaustive sweep over many offsets, through the binary, is `Reliability/corrupt.py`.
@Suite("Index corruption")
struct CorruptionTests {
    /// A small index: 24 documents over a small vocabulary, so posting lists have several docs
    /// and the term dictionary (words and title numbers) two blocks.
    static func smallIndex() throws -> URL {
        var generator = SplitMix(seed: 7)
        let vocabulary = ["mri", "ct", "nurse", "radiographer", "sonographer", "license", "exam", "salary",
                          "patient", "contrast", "dose", "shift", "phlebotomy", "pharmacy", "dental", "airway"]
        var documents: [IndexedDocument] = []
        for d in 0..<24 {
            let passages = (0..<Int(generator.next() % 3 + 1)).map { _ in
                (0..<Int(generator.next() % 20 + 2)).map { _ in vocabulary[Int(generator.next() % UInt64(vocabulary.count))] }
                    .joined(separator: " ")
            }
            documents.append(document("site/doc\(d).html", "Guide \(d) \(vocabulary[d % vocabulary.count])", passages))
        }
        let folder = temporaryFolder()
        try IndexWriter(folder: folder, analyzer: .standard).commit(documents: documents, corpus: "/tmp/c", corpusFormat: "html")
        return folder
    }

    /// The small index, its terms and its intact contents.
    static func fixture() throws -> (folder: URL, terms: [String], intact: String) {
        let folder = try smallIndex()
        let terms = try IndexReader(at: folder).terms(withPrefix: "")
        return (folder, terms, try contents(folder, terms: terms))
    }

    /// Everything a search can read, as text: totals, every term with its postings (documents,
    /// per-field tf, positions), every document's statistics and stored article.
    static func contents(_ folder: URL, terms: [String]) throws(IndexError) -> String {
        let reader = try IndexReader(at: folder)
        var out = "\(reader.documentCount) docs, totals \(reader.fieldTotals)\n"
        try reader.forEachTerm { term, frequency in out += "\(term):\(frequency) " }
        for term in terms {
            guard let list = try reader.postings(term) else { out += "\n\(term) absent"; continue }
            out += "\n\(term) \(list.docs) \(list.titleTf) \(list.headingTf) \(list.bodyTf) \(list.positions)"
        }
        for doc in 0..<reader.documentCount {
            let stats = try reader.documentStats(doc)
            let stored = try reader.storedDocument(doc)
            out += "\n\(stats.fieldLengths) \(stats.titleEnd) \(stats.contentHash) \(stored.source) \(stored.article) \(stored.headingRanges) \(stored.passageRanges)"
        }
        return out
    }

    /// One damage to one file.
    enum Damage: CustomStringConvertible {
        case flip(Int)          // XOR 0xFF at an offset (negative: from the end)
        case bit(Int)           // XOR 0x01
        case garbage(Int)       // 8 bytes of 0xFF from an offset: long varints, huge u64s
        case truncate(Int)      // to this many bytes (negative: remove that many)
        case appendByte
        case delete

        var description: String {
            switch self {
            case .flip(let at): "flip at \(at)"
            case .bit(let at): "low bit at \(at)"
            case .garbage(let at): "0xFF×8 at \(at)"
            case .truncate(let size): size < 0 ? "truncate by \(-size)" : "truncate to \(size)"
            case .appendByte: "append a byte"
            case .delete: "delete"
            }
        }

        /// Writes the damaged `original` to `url` (or deletes it).
        func apply(to url: URL, original: Data) throws {
            if let damaged = apply(to: original) { try damaged.write(to: url) } else { try FileManager.default.removeItem(at: url) }
        }

        /// The damaged bytes, or nil to delete the file.
        func apply(to original: Data) -> Data? {
            var data = original
            func place(_ at: Int) -> Int { at < 0 ? data.count + at : min(at, data.count - 1) }
            switch self {
            case .flip(let at): data[place(at)] ^= 0xFF
            case .bit(let at): data[place(at)] ^= 0x01
            case .garbage(let at):
                let start = place(at)
                for k in start..<min(start + 8, data.count) { data[k] = 0xFF }
            case .truncate(let size): data = data.prefix(size < 0 ? data.count + size : size)
            case .appendByte: data.append(0)
            case .delete: return nil
            }
            return data
        }
    }

    /// Header (magic, kind, version), start of the body, middle, end of the body, CRC, footer
    /// magic; garbage runs at a stride through the whole file; truncations; deletion.
    static func damages(size: Int) -> [Damage] {
        var list: [Damage] = [.flip(0), .flip(5), .flip(8), .flip(12), .flip(13), .flip(size / 2), .flip(size / 3),
                              .flip(-9), .flip(-8), .flip(-5), .flip(-1),
                              .truncate(0), .truncate(size / 2), .truncate(-1), .appendByte, .delete]
        list += stride(from: 12, to: size - 8, by: max(1, size / 16)).map { Damage.garbage($0) }
        return list
    }

    @Test("every segment file kind: damage is an error naming the file, or harmless, never a crash")
    func segmentFiles() throws {
        let (folder, terms, intact) = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: folder) }
        var cases = 0, silent = 0
        for ext in ["terms", "postings", "docs", "store"] {
            let name = "seg-000001.\(ext)"
            let url = folder.appendingPathComponent(name)
            let original = try Data(contentsOf: url)
            for damage in Self.damages(size: original.count) {
                try damage.apply(to: url, original: original)
                defer { try? original.write(to: url) }
                cases += 1
                let label = "\(name), \(damage)"
                do {
                    // Readers check structure, not CRCs (FORMAT.md §2): what they let through,
                    // e.g. a changed letter of stored text, must be reported by check.
                    let seen = try Self.contents(folder, terms: terms)
                    if seen != intact { silent += 1 }
                    do {
                        _ = try IndexReader(at: folder).check()
                        Issue.record("\(label): check passed\(seen == intact ? "" : " and the contents differ")")
                    } catch {
                        #expect(error.description.contains(name), "\(label): check's error does not name the file: \(error)")
                    }
                } catch {
                    #expect(error.description.contains(name), "\(label): error does not name the file: \(error)")
                }
            }
        }
        #expect(cases > 100)
        // How many only check caught (the figure Reliability/corrupt.py reports for the binary).
        print("corruption: \(cases) cases, \(silent) different contents caught by check only")
    }

    @Test("manifest.json: damage is an error naming the manifest (or the index), or harmless")
    func manifest() throws {
        let (folder, terms, intact) = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("manifest.json")
        let original = try Data(contentsOf: url)
        var damages: [Damage] = [.truncate(0), .truncate(original.count / 2), .truncate(-1), .truncate(-2), .delete, .appendByte]
        // Every 7th byte of the manifest, low bit flipped (JSON stays valid more often: digits
        // change value). Reliability/corrupt.py flips every byte, through the binary.
        damages += stride(from: 0, to: original.count, by: 7).map { Damage.bit($0) }
        for damage in damages {
            try damage.apply(to: url, original: original)
            defer { try? original.write(to: url) }
            do {
                let seen = try Self.contents(folder, terms: terms)
                #expect(seen == intact, "manifest.json, \(damage): different contents without an error")
            } catch {
                let named = error.description.contains("manifest.json") || error.description.contains(folder.path)
                #expect(named, "manifest.json, \(damage): error names neither the manifest nor the index: \(error)")
            }
        }
    }

    @Test("check compares each file's CRC with the manifest's")
    func manifestChecksum() throws {
        let folder = try Self.smallIndex()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("manifest.json")
        var manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: url))
        manifest.segments[0].files["postings"]!.crc32c ^= 1
        try manifest.encoded().write(to: url)
        do {
            _ = try IndexReader(at: folder).check()
            Issue.record("a CRC that disagrees with the manifest passed check")
        } catch {
            #expect(error.description.contains("seg-000001.postings"))
        }
    }

    @Test("LOCK: damaged or deleted, readers do not care and the next writer recreates it")
    func lockFile() throws {
        let (folder, terms, intact) = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("LOCK")
        for damage in [Damage.flip(0), .garbage(0), .truncate(0), .appendByte, .delete] {
            let original = try Data(contentsOf: url)
            try damage.apply(to: url, original: original)
            #expect(try Self.contents(folder, terms: terms) == intact, "LOCK, \(damage)")
            let writer = try IndexWriter(folder: folder, analyzer: .standard)
            #expect(try String(contentsOf: url, encoding: .utf8) == "pid \(getpid())\n")
            _ = writer
        }
    }

    @Test("regression: huge values in fixed-width fields and overlong varints are errors, not traps")
    func hugeValues() throws {
        let folder = try Self.smallIndex()
        defer { try? FileManager.default.removeItem(at: folder) }
        let terms = try IndexReader(at: folder).terms(withPrefix: "")
        // .docs record 0's store offset (u64 at body 28 + 16): top bit set, and the CRC made to
        // match (the table's CRC is verified at open; this reaches the decoder behind it).
        let docs = folder.appendingPathComponent("seg-000001.docs")
        var bytes = try Data(contentsOf: docs)
        let original = bytes
        bytes[12 + 28 + 16 + 7] = 0xFF
        let crc = CRC32C.checksum(Array(bytes.prefix(bytes.count - 8)))
        withUnsafeBytes(of: crc.littleEndian) { bytes.replaceSubrange((bytes.count - 8)..<(bytes.count - 4), with: $0) }
        try bytes.write(to: docs)
        #expect(throws: IndexError.self) { _ = try Self.contents(folder, terms: terms) }
        try original.write(to: docs)
        // Every skip entry and document delta of the longest posting list, overwritten with a
        // 10-byte varint (UInt64.max): adding it to the previous id must not overflow.
        let postings = folder.appendingPathComponent("seg-000001.postings")
        let intactPostings = try Data(contentsOf: postings)
        let reader = try IndexReader(at: folder)
        let longest = try #require(try terms.compactMap { try reader.segments[0].termInfo($0) }.max { $0.docFreq < $1.docFreq })
        let listStart = FileFraming.headerSize + longest.offset
        for offset in listStart..<min(listStart + 60, intactPostings.count - 18) {
            var damaged = intactPostings
            for k in 0..<9 { damaged[offset + k] = 0xFF }
            damaged[offset + 9] = 0x01
            try damaged.write(to: postings)
            let reader = try IndexReader(at: folder)
            for term in terms { _ = try? reader.postings(term) }
        }
        try intactPostings.write(to: postings)
    }
}
