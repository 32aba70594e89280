import Foundation
import MedAnalysis
import MedDocument

/// Builds one segment (FORMAT.md §5–§8) from documents handed over in batches, in bounded
/// memory: each batch is analyzed (in parallel) and folded into the postings columns, its stored
/// text goes straight to the `.store` file in compressed blocks, and ``finish()`` writes the
/// postings, term dictionary and document table as streams. The caller watches
/// ``estimatedMemory`` and starts a new segment when it passes the budget, and commits the
/// segments by writing a manifest that names them.
final class SegmentBuilder {
    /// Terms per front-coded block of the term dictionary.
    static let termsPerBlock = 32
    /// Documents per postings block.
    static let docsPerBlock = 128
    /// Raw bytes of stored records gathered into one store block before it is compressed.
    static let storeBlockSize = 16 * 1024
    /// Documents analyzed (in parallel) and folded in at a time, so at most one batch's
    /// analyses are alive at once.
    static let analysisBatch = 1024

    let name: String
    private let folder: URL
    private let analyzer: Analyzer
    private let threads: Int
    private var accumulator = PostingsAccumulator()
    private var store: FileSink
    /// Records of the store block being gathered, and the body offset it will start at.
    private var storeBlock = ByteWriter(capacity: SegmentBuilder.storeBlockSize * 2)
    /// The document table's records, and its per-document extras (path, heading ranges).
    private var records = ByteWriter()
    private var extras = ByteWriter()
    private var totals: (UInt64, UInt64, UInt64) = (0, 0, 0)
    private(set) var documentCount = 0

    /// Creates the segment's store file; nothing is visible until a manifest names the segment.
    init(name: String, folder: URL, analyzer: Analyzer, threads: Int) throws(IndexError) {
        self.name = name
        self.folder = folder
        self.analyzer = analyzer
        self.threads = threads
        store = try FileSink(Self.url(folder, name, .store), kind: .store)
    }

    static func url(_ folder: URL, _ name: String, _ kind: FileKind) -> URL {
        folder.appendingPathComponent("\(name).\(kind.fileExtension)")
    }

    /// Approximate bytes of memory the segment being built holds (postings columns, term keys,
    /// document table), for the writer's memory budget.
    var estimatedMemory: Int {
        accumulator.estimatedMemory + records.count + extras.count + storeBlock.count
    }

    /// Analyzes and adds `documents` (given in document-id order).
    func add(_ documents: [IndexedDocument]) throws(IndexError) {
        var start = 0
        while start < documents.count {
            let batch = Array(documents[start..<min(documents.count, start + Self.analysisBatch)])
            for (document, analysis) in zip(batch, IndexWriter.analyze(batch, analyzer: analyzer, threads: threads)) {
                try add(document, analysis: analysis)
            }
            start += batch.count
        }
    }

    private func add(_ document: IndexedDocument, analysis: AnalyzedDocument) throws(IndexError) {
        accumulator.add(analysis)
        try appendRecord(document, fieldLengths: analysis.fieldLengths, titleEnd: analysis.titleEnd,
                         headingRanges: analysis.headingRanges, passageRanges: analysis.passageRanges)
    }

    /// Adds a document's stored record, document-table record and extras (not its postings).
    private func appendRecord(
        _ document: IndexedDocument,
        fieldLengths: (UInt32, UInt32, UInt32),
        titleEnd: UInt32,
        headingRanges: [PositionRange],
        passageRanges: [[PositionRange]]
    ) throws(IndexError) {
        totals.0 += UInt64(fieldLengths.0)
        totals.1 += UInt64(fieldLengths.1)
        totals.2 += UInt64(fieldLengths.2)
        if storeBlock.count >= Self.storeBlockSize { try flushStoreBlock() }
        let offsetInBlock = storeBlock.count
        Self.writeStoredDocument(document, headingRanges: headingRanges, passageRanges: passageRanges, into: &storeBlock)
        records.writeUInt32(fieldLengths.0)
        records.writeUInt32(fieldLengths.1)
        records.writeUInt32(fieldLengths.2)
        records.writeUInt32(titleEnd)
        records.writeUInt64(UInt64(store.bodyOffset))  // the block this record lands in
        records.writeUInt32(UInt32(offsetInBlock))
        records.writeUInt32(UInt32(storeBlock.count - offsetInBlock))
        records.writeUInt64(document.source.size)
        records.writeInt64(document.source.modificationTime)
        records.writeUInt64(document.source.contentHash)
        records.writeUInt64(UInt64(extras.count))
        extras.writeString(document.source.path)
        extras.writeVarint(headingRanges.count)
        var previous: UInt32 = 0
        for range in headingRanges {
            extras.writeVarint(Int(range.start - previous))
            extras.writeVarint(Int(range.end - range.start))
            previous = range.start
        }
        documentCount += 1
    }

    /// Compresses the gathered records into one store block (FORMAT.md §8) and writes it.
    private func flushStoreBlock() throws(IndexError) {
        guard storeBlock.count > 0 else { return }
        var block = ByteWriter(capacity: storeBlock.count + 16)
        StoreBlock.encode(storeBlock.bytes, into: &block)
        try store.write(block.bytes)
        storeBlock = ByteWriter(capacity: Self.storeBlockSize * 2)
    }

    /// Writes the postings, term dictionary and document table and closes the store; returns the
    /// manifest entry. Every file is fsynced and renamed into place; the caller fsyncs the folder.
    func finish() throws(IndexError) -> Manifest.SegmentInfo {
        var files = try finishDocuments()
        // Postings term by term in dictionary order; each term's columns are freed once written.
        let postingsFile = try FileSink(Self.url(folder, name, .postings), kind: .postings)
        let sortedTerms = accumulator.sortedTerms
        var dictionary = TermDictionaryWriter(capacity: sortedTerms.count)
        for term in sortedTerms {
            let postings = accumulator.take(term)
            let offset = postingsFile.bodyOffset
            let list = Self.postingList(postings, fieldLengths: accumulator.fieldLengths)
            try postingsFile.write(list.bytes)
            dictionary.append(term: term, docFreq: postings.docs.count, offset: offset, length: list.count)
        }
        files[FileKind.postings.fileExtension] = try postingsFile.finish()
        files[FileKind.terms.fileExtension] = try Self.writeWhole(dictionary.finish(), to: Self.url(folder, name, .terms))
        return Manifest.SegmentInfo(name: name, documents: documentCount, files: files)
    }

    /// Closes the store and writes the document table.
    private func finishDocuments() throws(IndexError) -> [String: Manifest.FileInfo] {
        try flushStoreBlock()
        var files: [String: Manifest.FileInfo] = [:]
        files[FileKind.store.fileExtension] = try store.finish()
        var documentsFile = ByteWriter(capacity: 64 + records.count + extras.count)
        FileFraming.writeHeader(.documents, version: FormatVersion.current, into: &documentsFile)
        documentsFile.writeUInt32(UInt32(documentCount))
        documentsFile.writeUInt64(totals.0)
        documentsFile.writeUInt64(totals.1)
        documentsFile.writeUInt64(totals.2)
        documentsFile.writeBytes(records.bytes)
        documentsFile.writeBytes(extras.bytes)
        FileFraming.writeFooter(into: &documentsFile)
        records = ByteWriter()
        extras = ByteWriter()
        files[FileKind.documents.fileExtension] = try Self.writeWhole(documentsFile, to: Self.url(folder, name, .documents))
        return files
    }

    /// Merges the live documents of `sources`, in order, into one new segment without analyzing
    /// anything again: stored records are copied (re-blocked and recompressed), and each term's
    /// postings are the sources' lists with ids renumbered and deleted documents left out. Memory
    /// holds the term list, the new field lengths and one term's postings at a time, so segments
    /// of any size merge within bounded memory. The result is byte for byte what building the
    /// same documents from scratch would give.
    static func merge(_ sources: [SegmentReader], analyzer: Analyzer, name: String, into folder: URL) throws(IndexError) -> Manifest.SegmentInfo {
        let builder = try SegmentBuilder(name: name, folder: folder, analyzer: analyzer, threads: 1)
        var newIDs: [[Int32]] = []
        var fieldLengths: [(UInt32, UInt32, UInt32)] = []
        for source in sources {
            var map = [Int32](repeating: -1, count: source.documentCount)
            for local in 0..<source.documentCount where !source.isDeleted(local) {
                let stored = try source.storedDocument(local)
                let stats = try source.documentStats(local)
                let lengths = (stats.fieldLengths.title, stats.fieldLengths.heading, stats.fieldLengths.body)
                map[local] = Int32(builder.documentCount)
                fieldLengths.append(lengths)
                try builder.appendRecord(IndexedDocument(source: stored.source, article: stored.article), fieldLengths: lengths,
                                         titleEnd: stats.titleEnd, headingRanges: stored.headingRanges, passageRanges: stored.passageRanges)
            }
            newIDs.append(map)
        }
        var files = try builder.finishDocuments()

        var terms = Set<String>()
        for source in sources {
            try source.forEachTerm(withPrefix: "") { term, _ in
                terms.insert(term)
                return true
            }
        }
        let sortedTerms = terms.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        terms = []
        let postingsFile = try FileSink(url(folder, name, .postings), kind: .postings)
        var dictionary = TermDictionaryWriter(capacity: sortedTerms.count)
        for term in sortedTerms {
            let merged = PostingsAccumulator.Postings()
            for (s, source) in sources.enumerated() {
                guard let info = try source.termInfo(term) else { continue }
                let list = try source.postings(info, withPositions: true)
                for i in 0..<list.count {
                    let id = newIDs[s][Int(list.docs[i])]
                    guard id >= 0 else { continue }
                    merged.append(document: UInt32(id), tf: (list.titleTf[i], list.headingTf[i], list.bodyTf[i]), positions: list.positions(at: i))
                }
            }
            guard !merged.docs.isEmpty else { continue }  // only deleted documents held it
            let offset = postingsFile.bodyOffset
            let bytes = postingList(merged, fieldLengths: fieldLengths)
            try postingsFile.write(bytes.bytes)
            dictionary.append(term: term, docFreq: merged.docs.count, offset: offset, length: bytes.count)
        }
        files[FileKind.postings.fileExtension] = try postingsFile.finish()
        files[FileKind.terms.fileExtension] = try writeWhole(dictionary.finish(), to: url(folder, name, .terms))
        return Manifest.SegmentInfo(name: name, documents: builder.documentCount, files: files)
    }

    /// Writes a framed file built in memory (atomically) and returns its size and footer CRC.
    static func writeWhole(_ writer: ByteWriter, to url: URL) throws(IndexError) -> Manifest.FileInfo {
        try AtomicFile.write(writer.bytes, to: url)
        let crc = UInt32(littleEndian: writer.bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: writer.count - 8, as: UInt32.self) })
        return Manifest.FileInfo(bytes: writer.count, crc32c: crc)
    }

    /// One term's postings: a CRC-32C of the rest, a skip table with one entry per block of 128
    /// documents, then the blocks (documents and frequencies, then positions). FORMAT.md §6.
    static func postingList(_ postings: PostingsAccumulator.Postings, fieldLengths: [(UInt32, UInt32, UInt32)]) -> ByteWriter {
        let count = postings.docs.count
        let blockCount = (count + docsPerBlock - 1) / docsPerBlock
        var out = ByteWriter()
        out.writeUInt32(0)  // the checksum, set below
        out.writeVarint(blockCount)
        var blocks: [(skip: ByteWriter, body: ByteWriter)] = []
        var previousLast: UInt32 = 0
        for b in 0..<blockCount {
            var docs = ByteWriter()
            var positions = ByteWriter()
            var previousDoc = previousLast
            var maxTf: (UInt32, UInt32, UInt32) = (0, 0, 0)
            var minLength: (UInt32, UInt32, UInt32) = (.max, .max, .max)
            let range = (b * docsPerBlock)..<min(count, (b + 1) * docsPerBlock)
            if range.count == BitPacking.blockSize {
                // A full block: id deltas and the three tf columns, bit-packed.
                var columns = [[UInt32]](repeating: [], count: 4)
                for i in range {
                    columns[0].append(postings.docs[i] - previousDoc)
                    previousDoc = postings.docs[i]
                    for field in 0..<3 { columns[field + 1].append(postings.tfs[3 * i + field]) }
                }
                let widths = columns.map { column in column.withUnsafeBufferPointer { BitPacking.bitWidth($0) } }
                for width in widths { docs.writeUInt8(UInt8(width)) }
                var packed: [UInt8] = []
                for (column, width) in zip(columns, widths) {
                    column.withUnsafeBufferPointer { BitPacking.pack($0.baseAddress!, width: width, into: &packed) }
                }
                docs.writeBytes(packed)
            } else {
                for i in range {
                    let doc = postings.docs[i]
                    docs.writeVarint(UInt64(doc - previousDoc))
                    previousDoc = doc
                    let tf = (postings.tfs[3 * i], postings.tfs[3 * i + 1], postings.tfs[3 * i + 2])
                    let code = UInt64(tf.2) << 2 | (tf.0 > 0 ? 2 : 0) | (tf.1 > 0 ? 1 : 0)
                    docs.writeVarint(code)
                    if tf.0 > 0 { docs.writeVarint(UInt64(tf.0)) }
                    if tf.1 > 0 { docs.writeVarint(UInt64(tf.1)) }
                }
            }
            for i in range {
                let doc = postings.docs[i]
                let tf = (postings.tfs[3 * i], postings.tfs[3 * i + 1], postings.tfs[3 * i + 2])
                positions.writeBytes(postings.positions[(i == 0 ? 0 : Int(postings.positionEnds[i - 1]))..<Int(postings.positionEnds[i])])
                maxTf = (max(maxTf.0, tf.0), max(maxTf.1, tf.1), max(maxTf.2, tf.2))
                let lengths = fieldLengths[Int(doc)]
                minLength = (min(minLength.0, lengths.0), min(minLength.1, lengths.1), min(minLength.2, lengths.2))
            }
            var skip = ByteWriter()
            skip.writeVarint(UInt64(previousDoc - previousLast))
            skip.writeVarint(docs.count)
            skip.writeVarint(positions.count)
            for value in [maxTf.0, maxTf.1, maxTf.2, minLength.0, minLength.1, minLength.2] { skip.writeVarint(UInt64(value)) }
            var body = docs
            body.writeBytes(positions.bytes)
            blocks.append((skip, body))
            previousLast = previousDoc
        }
        for block in blocks { out.writeBytes(block.skip.bytes) }
        for block in blocks { out.writeBytes(block.body.bytes) }
        let crc = out.bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[4...])) }
        out.setUInt32(crc, at: 0)
        return out
    }

    static func writeStoredDocument(_ document: IndexedDocument, headingRanges: [PositionRange], passageRanges: [[PositionRange]], into out: inout ByteWriter) {
        let article = document.article
        out.writeString(document.source.path)
        out.writeString(article.title)
        out.writeString(article.description ?? "")
        out.writeString(article.url ?? "")
        out.writeString(article.language ?? "")
        out.writeVarint(article.sections.count)
        for (s, section) in article.sections.enumerated() {
            out.writeString(section.heading)
            out.writeUInt8(UInt8(clamping: section.level))
            out.writeVarint(section.path.count)
            for component in section.path { out.writeString(component) }
            out.writeVarint(Int(headingRanges[s].start))
            out.writeVarint(Int(headingRanges[s].end))
            out.writeVarint(section.passages.count)
            for (p, passage) in section.passages.enumerated() {
                out.writeUInt8(passage.kind.rawValue)
                out.writeVarint(Int(passageRanges[s][p].start))
                out.writeVarint(Int(passageRanges[s][p].end))
                out.writeString(passage.text)
            }
        }
    }
}

/// The term dictionary (FORMAT.md §5): blocks of 32 front-coded entries, then the block index
/// (each block's offset and first term), then the term count and the block index offset.
struct TermDictionaryWriter {
    private var out: ByteWriter
    private var blockIndex: [(offset: Int, first: [UInt8])] = []
    private var previous: [UInt8] = []
    private var count = 0

    init(capacity: Int) {
        out = ByteWriter(capacity: capacity * 16)
        FileFraming.writeHeader(.terms, version: FormatVersion.current, into: &out)
    }

    mutating func append(term: String, docFreq: Int, offset: Int, length: Int) {
        let bytes = Array(term.utf8)
        if count % SegmentBuilder.termsPerBlock == 0 {
            blockIndex.append((out.count - FileFraming.headerSize, bytes))
            previous = []
        }
        var shared = 0
        while shared < min(previous.count, bytes.count), previous[shared] == bytes[shared] { shared += 1 }
        out.writeVarint(shared)
        out.writeVarint(bytes.count - shared)
        out.writeBytes(bytes[shared...])
        out.writeVarint(docFreq)
        out.writeVarint(offset)
        out.writeVarint(length)
        previous = bytes
        count += 1
    }

    consuming func finish() -> ByteWriter {
        let indexOffset = out.count - FileFraming.headerSize
        out.writeUInt32(UInt32(blockIndex.count))
        for block in blockIndex {
            out.writeUInt32(UInt32(block.offset))
            out.writeVarint(block.first.count)
            out.writeBytes(block.first)
        }
        out.writeUInt32(UInt32(count))
        out.writeUInt32(UInt32(indexOffset))
        FileFraming.writeFooter(into: &out)
        return out
    }
}

/// A store block (FORMAT.md §8): `codec u8 | rawLength u32 | storedLength u32 | crc32c u32 |
/// stored bytes`, the CRC over the stored bytes. Codec 0 stores the records as they are, 1
/// compresses them with ``LZ``; the writer keeps the compressed form only when it is smaller.
enum StoreBlock {
    static let headerSize = 13
    static let raw: UInt8 = 0
    static let lz: UInt8 = 1

    static func encode(_ records: [UInt8], into out: inout ByteWriter) {
        var compressed: [UInt8] = []
        compressed.reserveCapacity(records.count)
        records.withUnsafeBytes { LZ.compress($0, into: &compressed) }
        let useLZ = compressed.count < records.count
        let stored = useLZ ? compressed : records
        out.writeUInt8(useLZ ? lz : raw)
        out.writeUInt32(UInt32(records.count))
        out.writeUInt32(UInt32(stored.count))
        out.writeUInt32(CRC32C.checksum(stored))
        out.writeBytes(stored)
    }
}

/// A document table record's layout (FORMAT.md §7).
enum DocumentRecord {
    static let size = 64
    /// Where the records start in the DOCS body: count (4) + three u64 totals (24).
    static let tableStart = 28
}

/// Writes a file so that it is either absent or complete: a temporary name in the same folder,
/// fsync, rename. (The folder itself is fsynced by the commit.)
enum AtomicFile {
    /// Where a file is written before its rename: `.NAME.tmp-PID` beside it (FORMAT.md §2).
    static func temporaryURL(for url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
    }

    static func write(_ bytes: [UInt8], to url: URL) throws(IndexError) {
        let temporary = temporaryURL(for: url)
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: temporary.path, reason: String(cString: strerror(errno))) }
        let failure: String? = bytes.withUnsafeBytes { raw in
            writeFully(fd, raw) ?? (fsync(fd) == 0 ? nil : String(cString: strerror(errno)))
        }
        close(fd)
        if let failure {
            unlink(temporary.path)
            throw .io(path: url.path, reason: "write failed: \(failure)")
        }
        try publish(temporary.path, as: url)
    }

    /// Renames a written, fsynced temporary file into place; on failure removes it.
    static func publish(_ temporaryPath: String, as url: URL) throws(IndexError) {
        guard rename(temporaryPath, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw .io(path: url.path, reason: "rename failed: \(reason)")
        }
    }

    /// fsyncs a folder so renames inside it are durable. A failure is an error: a commit whose
    /// rename may not survive a crash must not be reported as done (EINVAL, a filesystem that
    /// cannot sync folders at all, is let through).
    static func syncFolder(_ url: URL) throws(IndexError) {
        let fd = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: url.path, reason: "cannot open the folder to sync it: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        if fsync(fd) != 0, errno != EINVAL {
            throw .io(path: url.path, reason: "fsync of the folder failed: \(String(cString: strerror(errno)))")
        }
    }
}
