import Foundation
public import MedDocument

/// Where a term's postings are, from the term dictionary.
public struct TermInfo: Sendable, Hashable {
    public var docFreq: Int
    var offset: Int
    var length: Int
}

/// A term's postings, decoded: documents ascending, per-field frequencies, positions.
public struct PostingList: Sendable {
    public var docs: [UInt32] = []
    /// Frequencies per document, by ``Field`` raw value.
    public var titleTf: [UInt32] = []
    public var headingTf: [UInt32] = []
    public var bodyTf: [UInt32] = []
    /// `positions[positionStarts[i]..<positionStarts[i + 1]]` are document `docs[i]`'s positions.
    /// Empty when the list was decoded without positions.
    public var positions: [UInt32] = []
    public var positionStarts: [Int] = [0]
    /// Per 128-document block: the block's last document id and its block-max statistics
    /// (FORMAT.md §6), for bounding a term's score without decoding its documents.
    public var blocks: [PostingBlockMax] = []

    public var count: Int { docs.count }

    public init() {}

    init(withPositions: Bool) {
        if !withPositions { positionStarts = [] }
    }

    /// Shifts every document id (and block end) by `base`: a segment's list in global ids.
    mutating func rebase(by base: UInt32) {
        for i in docs.indices { docs[i] += base }
        for i in blocks.indices { blocks[i].lastDocument += base }
    }

    /// The list without the documents `deletions` holds (block statistics stay: they remain
    /// upper bounds).
    func removing(_ deletions: DeletionSet) -> PostingList {
        var result = PostingList(withPositions: !positionStarts.isEmpty)
        result.blocks = blocks
        for i in docs.indices where !deletions.contains(Int(docs[i])) {
            result.docs.append(docs[i])
            result.titleTf.append(titleTf[i])
            result.headingTf.append(headingTf[i])
            result.bodyTf.append(bodyTf[i])
            if !positionStarts.isEmpty {
                result.positions.append(contentsOf: positions(at: i))
                result.positionStarts.append(result.positions.count)
            }
        }
        return result
    }

    /// Document `docs[index]`'s positions (empty if the list was decoded without positions).
    public func positions(at index: Int) -> ArraySlice<UInt32> {
        guard index + 1 < positionStarts.count else { return [] }
        return positions[positionStarts[index]..<positionStarts[index + 1]]
    }
}

/// A posting block's upper bounds: no document of the block has a larger tf, or a shorter field,
/// than these (per field: title, heading, body).
public struct PostingBlockMax: Sendable, Hashable {
    public var lastDocument: UInt32
    public var maxTf: (title: UInt32, heading: UInt32, body: UInt32)
    public var minLength: (title: UInt32, heading: UInt32, body: UInt32)

    public init(lastDocument: UInt32, maxTf: (UInt32, UInt32, UInt32), minLength: (UInt32, UInt32, UInt32)) {
        self.lastDocument = lastDocument
        self.maxTf = maxTf
        self.minLength = minLength
    }

    public static func == (lhs: PostingBlockMax, rhs: PostingBlockMax) -> Bool {
        lhs.lastDocument == rhs.lastDocument && lhs.maxTf == rhs.maxTf && lhs.minLength == rhs.minLength
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(lastDocument)
        hasher.combine(maxTf.title); hasher.combine(maxTf.heading); hasher.combine(maxTf.body)
        hasher.combine(minLength.title); hasher.combine(minLength.heading); hasher.combine(minLength.body)
    }
}

/// A document's statistics from the document table.
public struct DocumentStats: Sendable, Hashable {
    /// Token counts per field (title, heading, body).
    public var fieldLengths: (title: UInt32, heading: UInt32, body: UInt32)
    public var titleEnd: UInt32
    public var size: UInt64
    public var modificationTime: Int64
    public var contentHash: UInt64
    /// The store block holding the record, and the record's place inside the decompressed block.
    var storeOffset: Int
    var storeLength: Int
    var offsetInBlock: Int
    /// Where the document's path and heading ranges start among the document table's extras.
    var extrasOffset: Int

    public static func == (lhs: DocumentStats, rhs: DocumentStats) -> Bool {
        lhs.fieldLengths == rhs.fieldLengths && lhs.titleEnd == rhs.titleEnd && lhs.size == rhs.size
            && lhs.modificationTime == rhs.modificationTime && lhs.contentHash == rhs.contentHash
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(contentHash) }
}

/// A stored article with the position range of every heading and passage.
public struct StoredDocument: Sendable {
    public var source: SourceInfo
    public var article: Article
    /// Per section: the heading's position range.
    public var headingRanges: [PositionRange]
    /// Per section, per passage: the passage's position range.
    public var passageRanges: [[PositionRange]]
}

/// One segment, memory-mapped. Opening checks every file's header and footer and loads the
/// small tables (the term block index); postings and stored text are read on demand.
public final class SegmentReader: @unchecked Sendable {
    public let name: String
    public let documentCount: Int
    /// Sum of field lengths over the segment's documents (title, heading, body).
    public let fieldTotals: (UInt64, UInt64, UInt64)
    public let termCount: Int

    private let terms: MappedFile
    private let postings: MappedFile
    private let documents: MappedFile
    private let store: MappedFile
    /// The segment's deleted documents (nil when none are).
    public let deletions: DeletionSet?
    private let termsBody: UnsafeRawBufferPointer
    private let postingsBody: UnsafeRawBufferPointer
    private let documentsBody: UnsafeRawBufferPointer
    private let storeBody: UnsafeRawBufferPointer
    /// Where the per-document extras (path, heading ranges) start in the document table body.
    private let extrasStart: Int
    /// First term and offset of each 32-term block.
    private let blockFirstTerms: [[UInt8]]
    private let blockOffsets: [Int]
    private let blockIndexOffset: Int

    init(folder: URL, info: Manifest.SegmentInfo) throws(IndexError) {
        name = info.name
        /// Maps a file named by the manifest and checks its size and frame (and CRC if asked).
        func open(_ name: String, _ kind: FileKind, bytes expected: Int?, verifyChecksum: Bool = false) throws(IndexError) -> (MappedFile, UnsafeRawBufferPointer) {
            let url = folder.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else { throw .missingFile(path: url.path) }
            let file = try MappedFile(path: url.path)
            if let expected, expected != file.bytes.count {
                throw .corrupt(path: url.path, reason: "size is \(file.bytes.count) bytes, the manifest says \(expected) (truncated or replaced)")
            }
            do {
                let (body, _) = try FileFraming.validate(file.bytes, kind: kind)
                if verifyChecksum { try FileFraming.verifyChecksum(file.bytes) }
                return (file, body)
            } catch {
                throw .corrupt(path: url.path, reason: FormatError.describe(error))
            }
        }
        func open(_ kind: FileKind, verifyChecksum: Bool = false) throws(IndexError) -> (MappedFile, UnsafeRawBufferPointer) {
            try open("\(info.name).\(kind.fileExtension)", kind, bytes: info.files[kind.fileExtension]?.bytes, verifyChecksum: verifyChecksum)
        }
        // The term dictionary and the document table are small and feed every score (a changed
        // letter of a term, a document frequency or a field length would silently change
        // rankings), so their CRCs are verified here; postings and store, the bulk, carry a CRC
        // per posting list and per block, checked when read.
        (terms, termsBody) = try open(.terms, verifyChecksum: true)
        (postings, postingsBody) = try open(.postings)
        (documents, documentsBody) = try open(.documents, verifyChecksum: true)
        (store, storeBody) = try open(.store)

        // Term dictionary trailer and block index.
        let termsPath = terms.path
        do {
            guard termsBody.count >= 8 else { throw FormatError.truncated }
            var trailer = ByteReader(termsBody, offset: termsBody.count - 8)
            termCount = Int(try trailer.readUInt32())
            blockIndexOffset = Int(try trailer.readUInt32())
            guard blockIndexOffset <= termsBody.count - 8 else { throw FormatError.malformed("block index offset out of range") }
            var reader = ByteReader(UnsafeRawBufferPointer(rebasing: termsBody[..<(termsBody.count - 8)]), offset: blockIndexOffset)
            let blockCount = Int(try reader.readUInt32())
            guard blockCount == (termCount + SegmentBuilder.termsPerBlock - 1) / SegmentBuilder.termsPerBlock else {
                throw FormatError.malformed("block count \(blockCount) does not match term count \(termCount)")
            }
            var firsts: [[UInt8]] = []
            var offsets: [Int] = []
            firsts.reserveCapacity(blockCount)
            offsets.reserveCapacity(blockCount)
            for _ in 0..<blockCount {
                let offset = Int(try reader.readUInt32())
                guard offset < blockIndexOffset else { throw FormatError.malformed("block offset out of range") }
                let length = try reader.readCount(limit: 1 << 16)
                firsts.append(Array(try reader.readBytes(length)))
                offsets.append(offset)
            }
            blockFirstTerms = firsts
            blockOffsets = offsets
        } catch {
            throw .corrupt(path: termsPath, reason: FormatError.describe(error))
        }

        // Document table header.
        do {
            var reader = ByteReader(documentsBody)
            documentCount = Int(try reader.readUInt32())
            fieldTotals = (try reader.readUInt64(), try reader.readUInt64(), try reader.readUInt64())
            guard documentCount <= (documentsBody.count - DocumentRecord.tableStart) / DocumentRecord.size else {
                throw FormatError.malformed("document table holds \(documentsBody.count) bytes, too few for \(documentCount) documents")
            }
            guard documentCount == info.documents else {
                throw FormatError.malformed("\(documentCount) documents, the manifest says \(info.documents)")
            }
        } catch {
            throw .corrupt(path: documents.path, reason: FormatError.describe(error))
        }
        extrasStart = DocumentRecord.tableStart + documentCount * DocumentRecord.size

        // Deletions, checked whole (small, and they decide which documents exist).
        if let deletionInfo = info.deletions {
            let (file, body) = try open(deletionInfo.fileName(segment: info.name), .deletions, bytes: deletionInfo.bytes, verifyChecksum: true)
            do {
                let set = try DeletionSet(body: body, documentCount: documentCount)
                guard set.count == deletionInfo.count else {
                    throw FormatError.malformed("\(set.count) documents deleted, the manifest says \(deletionInfo.count)")
                }
                deletions = set
            } catch {
                throw .corrupt(path: file.path, reason: FormatError.describe(error))
            }
        } else {
            deletions = nil
        }
    }

    /// Documents not deleted.
    public var liveCount: Int { documentCount - (deletions?.count ?? 0) }

    /// Whether local document `doc` is deleted.
    @inline(__always)
    public func isDeleted(_ doc: Int) -> Bool { deletions?.contains(doc) ?? false }

    /// The files of this segment, for `check` and `stats`.
    var files: [(kind: FileKind, file: MappedFile)] {
        [(.terms, terms), (.postings, postings), (.documents, documents), (.store, store)]
    }

    // MARK: Terms

    /// Looks a term up: a binary search over the block index, then a scan of one block.
    public func termInfo(_ term: String) throws(IndexError) -> TermInfo? {
        let key = Array(term.utf8)
        // The last block whose first term is <= key.
        var low = 0, high = blockFirstTerms.count
        while low < high {
            let mid = (low + high) / 2
            if blockFirstTerms[mid].lexicographicallyPrecedes(key) || blockFirstTerms[mid] == key { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return nil }
        var found: TermInfo?
        try scanBlock(low - 1) { entry, info in
            if entry == key { found = info; return false }
            return !key.lexicographicallyPrecedes(entry)
        }
        return found
    }

    /// Calls `body` with every term starting with `prefix`, in order, until it returns false.
    public func forEachTerm(withPrefix prefix: String, _ body: (String, TermInfo) -> Bool) throws(IndexError) {
        let key = Array(prefix.utf8)
        var low = 0, high = blockFirstTerms.count
        while low < high {
            let mid = (low + high) / 2
            if blockFirstTerms[mid].lexicographicallyPrecedes(key) { low = mid + 1 } else { high = mid }
        }
        var block = max(0, low - 1)
        var going = true
        while going, block < blockFirstTerms.count {
            try scanBlock(block) { entry, info in
                if entry.starts(with: key) {
                    going = body(String(decoding: entry, as: UTF8.self), info)
                    return going
                }
                if key.lexicographicallyPrecedes(entry) { going = false; return false }
                return true
            }
            block += 1
        }
    }

    /// Decodes block `block` of the term dictionary, calling `body` per entry until it returns false.
    private func scanBlock(_ block: Int, _ body: ([UInt8], TermInfo) -> Bool) throws(IndexError) {
        let end = block + 1 < blockOffsets.count ? blockOffsets[block + 1] : blockIndexOffset
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: termsBody[..<end]), offset: blockOffsets[block])
        var term: [UInt8] = []
        do {
            while reader.remaining > 0 {
                let shared = try reader.readCount(limit: term.count)
                let suffix = try reader.readCount(limit: 1 << 16)
                term.removeSubrange(shared...)
                term.append(contentsOf: try reader.readBytes(suffix))
                let docFreq = try reader.readCount(limit: documentCount)
                let offset = try reader.readCount(limit: postingsBody.count)
                let length = try reader.readCount(limit: postingsBody.count - offset)
                if !body(term, TermInfo(docFreq: docFreq, offset: offset, length: length)) { return }
            }
        } catch {
            throw .corrupt(path: terms.path, reason: FormatError.describe(error))
        }
    }

    // MARK: Postings

    /// Decodes a term's postings.
    public func postings(_ info: TermInfo, withPositions: Bool = true) throws(IndexError) -> PostingList {
        var list = PostingList()
        do {
            let bytes = UnsafeRawBufferPointer(rebasing: postingsBody[info.offset..<(info.offset + info.length)])
            var reader = ByteReader(bytes)
            // Every list carries its own checksum, so damage anywhere in the postings is found
            // by the query that reads it, not only by `check` (CRC-32C runs at several GB/s).
            let expected = try reader.readUInt32()
            guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[4...])) == expected else {
                throw FormatError.malformed("checksum mismatch in the postings of a term (offset \(info.offset))")
            }
            let blockCount = try reader.readCount(limit: info.docFreq)
            guard blockCount == (info.docFreq + SegmentBuilder.docsPerBlock - 1) / SegmentBuilder.docsPerBlock else {
                throw FormatError.malformed("\(blockCount) posting blocks for \(info.docFreq) documents")
            }
            var skips: [(last: UInt32, docBytes: Int, positionBytes: Int)] = []
            skips.reserveCapacity(blockCount)
            list.blocks.reserveCapacity(blockCount)
            if !withPositions { list.positionStarts = [] }
            var last: UInt32 = 0
            for _ in 0..<blockCount {
                last &+= UInt32(truncatingIfNeeded: try reader.readVarint())
                let docBytes = try reader.readCount(limit: info.length)
                let positionBytes = try reader.readCount(limit: info.length)
                func next() throws(FormatError) -> UInt32 { UInt32(truncatingIfNeeded: try reader.readVarint()) }
                let maxTf = (try next(), try next(), try next())
                let minLength = (try next(), try next(), try next())
                skips.append((last, docBytes, positionBytes))
                list.blocks.append(PostingBlockMax(lastDocument: last, maxTf: maxTf, minLength: minLength))
            }
            // Decoded into one scratch allocation (ids, then title, heading and body tf), copied
            // out once: appending to four arrays per posting cost a uniqueness check each.
            let n = info.docFreq
            let scratch = UnsafeMutablePointer<UInt32>.allocate(capacity: 4 * max(n, 1))
            defer { scratch.deallocate() }
            // Every position takes at least one byte, so the list's bytes bound the count (a
            // damaged skip entry claiming more is caught when its bytes are read).
            let positionCapacity = withPositions ? min(info.length, skips.reduce(0) { min(info.length, $0 + $1.positionBytes) }) : 0
            let positionScratch = UnsafeMutablePointer<UInt32>.allocate(capacity: max(positionCapacity, 1))
            defer { positionScratch.deallocate() }
            let startScratch = UnsafeMutablePointer<Int>.allocate(capacity: withPositions ? n + 1 : 1)
            defer { startScratch.deallocate() }
            startScratch[0] = 0
            var positionCount = 0
            var count = 0
            var previous: UInt32 = 0
            for skip in skips {
                var docs = ByteReader(try reader.readBytes(skip.docBytes))
                var positions = ByteReader(try reader.readBytes(skip.positionBytes))
                let blockStart = count
                if n - count >= BitPacking.blockSize {
                    // A full block: four bit widths, then the id deltas and the title, heading
                    // and body tfs, each 128 values bit-packed.
                    var widths: [Int] = []
                    for _ in 0..<4 {
                        let width = Int(try docs.readUInt8())
                        guard width <= 32 else { throw FormatError.malformed("bit width \(width) above 32") }
                        widths.append(width)
                    }
                    for (column, width) in widths.enumerated() {
                        let packed = try docs.readBytes(BitPacking.packedSize(width: width))
                        BitPacking.unpack(packed.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, width: width, into: scratch + column * n + count)
                    }
                    guard docs.remaining == 0 else { throw FormatError.malformed("\(docs.remaining) stray bytes after a packed block") }
                    for i in count..<(count + BitPacking.blockSize) {
                        let id = UInt64(previous) &+ UInt64(scratch[i])
                        guard id < UInt64(documentCount), i == 0 || id > UInt64(previous) else {
                            throw FormatError.malformed("document id \(id) out of order or range")
                        }
                        previous = UInt32(id)
                        scratch[i] = previous
                    }
                    count += BitPacking.blockSize
                } else {
                    // The last, shorter block: varints.
                    while docs.remaining > 0 {
                        guard count < n else { throw FormatError.malformed("more postings than the dictionary's \(n)") }
                        // In 64 bits: a damaged delta must fail the range check, not overflow.
                        let id = UInt64(previous) &+ (try docs.readVarint())
                        guard id < UInt64(documentCount), count == 0 || id > UInt64(previous) else {
                            throw FormatError.malformed("document id \(id) out of order or range")
                        }
                        previous = UInt32(id)
                        let code = try docs.readVarint()
                        scratch[count] = previous
                        scratch[n + count] = code & 2 != 0 ? UInt32(truncatingIfNeeded: try docs.readVarint()) : 0
                        scratch[2 * n + count] = code & 1 != 0 ? UInt32(truncatingIfNeeded: try docs.readVarint()) : 0
                        scratch[3 * n + count] = UInt32(truncatingIfNeeded: code >> 2)
                        count += 1
                    }
                }
                guard previous == skip.last else { throw FormatError.malformed("block's last document does not match its skip entry") }
                // Without positions the block's position bytes are skipped unread.
                guard withPositions else { continue }
                for i in blockStart..<count {
                    let total = Int(scratch[n + i]) + Int(scratch[2 * n + i]) + Int(scratch[3 * n + i])
                    guard total <= positions.remaining else { throw FormatError.malformed("more positions than bytes") }
                    var position: UInt32 = 0
                    for _ in 0..<total {
                        position &+= UInt32(truncatingIfNeeded: try positions.readVarint())
                        positionScratch[positionCount] = position
                        positionCount += 1
                    }
                    startScratch[i + 1] = positionCount
                }
            }
            guard count == n else {
                throw FormatError.malformed("\(count) postings, the dictionary says \(n)")
            }
            list.docs = Array(UnsafeBufferPointer(start: scratch, count: n))
            list.titleTf = Array(UnsafeBufferPointer(start: scratch + n, count: n))
            list.headingTf = Array(UnsafeBufferPointer(start: scratch + 2 * n, count: n))
            list.bodyTf = Array(UnsafeBufferPointer(start: scratch + 3 * n, count: n))
            if withPositions {
                list.positions = Array(UnsafeBufferPointer(start: positionScratch, count: positionCount))
                list.positionStarts = Array(UnsafeBufferPointer(start: startScratch, count: n + 1))
            }
        } catch {
            throw .corrupt(path: postings.path, reason: FormatError.describe(error))
        }
        return list
    }

    // MARK: Documents

    public func documentStats(_ doc: Int) throws(IndexError) -> DocumentStats {
        precondition(doc >= 0 && doc < documentCount)
        do {
            var reader = ByteReader(documentsBody, offset: DocumentRecord.tableStart + doc * DocumentRecord.size)
            let lengths = (try reader.readUInt32(), try reader.readUInt32(), try reader.readUInt32())
            let titleEnd = try reader.readUInt32()
            let blockOffset = Int(truncatingIfNeeded: try reader.readUInt64())  // > Int.max: negative, refused below
            let offsetInBlock = Int(try reader.readUInt32())
            let recordLength = Int(try reader.readUInt32())
            let size = try reader.readUInt64()
            let mtime = try reader.readInt64()
            let hash = try reader.readUInt64()
            let extrasOffset = Int(truncatingIfNeeded: try reader.readUInt64())
            guard blockOffset >= 0, blockOffset <= storeBody.count - StoreBlock.headerSize else {
                throw FormatError.malformed("document \(doc)'s store block is outside the store file")
            }
            guard extrasOffset >= 0, extrasOffset < documentsBody.count - extrasStart else {
                throw FormatError.malformed("document \(doc)'s path is outside the document table")
            }
            return DocumentStats(fieldLengths: lengths, titleEnd: titleEnd, size: size, modificationTime: mtime,
                                 contentHash: hash, storeOffset: blockOffset, storeLength: recordLength,
                                 offsetInBlock: offsetInBlock, extrasOffset: extrasOffset)
        } catch {
            throw .corrupt(path: documents.path, reason: FormatError.describe(error))
        }
    }

    /// A document's path (relative to the corpus, or its JSONL id), from the document table
    /// alone: an incremental run maps paths to documents without touching the store.
    public func path(_ doc: Int) throws(IndexError) -> String {
        let stats = try documentStats(doc)
        do {
            var reader = ByteReader(UnsafeRawBufferPointer(rebasing: documentsBody[extrasStart...]), offset: stats.extrasOffset)
            return try reader.readString()
        } catch {
            throw .corrupt(path: documents.path, reason: FormatError.describe(error))
        }
    }

    /// The decompressed store block at `offset` (its checksum verified).
    private func storeBlock(at offset: Int) throws(FormatError) -> [UInt8] {
        var reader = ByteReader(storeBody, offset: offset)
        let codec = try reader.readUInt8()
        let rawLength = Int(try reader.readUInt32())
        let storedLength = Int(try reader.readUInt32())
        let crc = try reader.readUInt32()
        let stored = try reader.readBytes(storedLength)
        guard CRC32C.checksum(stored) == crc else { throw .malformed("checksum mismatch in the store block at offset \(offset)") }
        switch codec {
        case StoreBlock.raw:
            guard rawLength == storedLength else { throw .malformed("raw store block lengths differ") }
            return Array(stored)
        case StoreBlock.lz:
            var output: [UInt8] = []
            // A damaged length must not reserve gigabytes: one stored byte stands for at most 255.
            output.reserveCapacity(min(rawLength, storedLength * LZ.maximumExpansionRatio + 64))
            guard LZ.decompress(stored, decompressedCount: rawLength, into: &output) else {
                throw .malformed("store block at offset \(offset) does not decompress")
            }
            return output
        default:
            throw .malformed("unknown store block codec \(codec)")
        }
    }

    /// Runs `body` over a document's stored record (its bytes inside the decompressed block).
    private func withStoredRecord<T>(_ doc: Int, _ stats: DocumentStats, _ body: (inout ByteReader, Int) throws(FormatError) -> T) throws(IndexError) -> T {
        do {
            let block = try storeBlock(at: stats.storeOffset)
            guard stats.offsetInBlock <= block.count, stats.storeLength <= block.count - stats.offsetInBlock else {
                throw FormatError.malformed("document \(doc)'s record is outside its store block")
            }
            return try block.withUnsafeBytes { (raw) throws(FormatError) -> T in
                var reader = ByteReader(UnsafeRawBufferPointer(rebasing: raw[stats.offsetInBlock..<(stats.offsetInBlock + stats.storeLength)]))
                return try body(&reader, stats.storeLength)
            }
        } catch {
            throw .corrupt(path: store.path, reason: FormatError.describe(error))
        }
    }

    /// A document's field lengths (title, heading, body), read straight from the mapped table:
    /// the scoring hot path, which must not allocate. `doc` must be in `0..<documentCount`
    /// (the table's size was checked at open).
    @inline(__always)
    public func fieldLengths(_ doc: Int) -> (title: UInt32, heading: UInt32, body: UInt32) {
        precondition(doc >= 0 && doc < documentCount)
        let offset = DocumentRecord.tableStart + doc * DocumentRecord.size
        return (
            UInt32(littleEndian: documentsBody.loadUnaligned(fromByteOffset: offset, as: UInt32.self)),
            UInt32(littleEndian: documentsBody.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)),
            UInt32(littleEndian: documentsBody.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self))
        )
    }

    /// A document's title end and its headings' position ranges, without decoding any text (which
    /// field a phrase occurrence falls in).
    public func fieldLayout(_ doc: Int) throws(IndexError) -> (titleEnd: UInt32, headings: [PositionRange]) {
        let stats = try documentStats(doc)
        do {
            var reader = ByteReader(UnsafeRawBufferPointer(rebasing: documentsBody[extrasStart...]), offset: stats.extrasOffset)
            _ = try reader.readBytes(try reader.readCount(limit: reader.remaining))  // the path
            let count = try reader.readCount(limit: reader.remaining)
            var headings: [PositionRange] = []
            headings.reserveCapacity(count)
            var previous: UInt64 = 0
            for _ in 0..<count {
                let start = previous + (try reader.readVarint())
                let end = start + (try reader.readVarint())
                guard end <= UInt64(UInt32.max) else { throw FormatError.malformed("heading range out of range") }
                headings.append(PositionRange(start: UInt32(start), end: UInt32(end)))
                previous = start
            }
            return (stats.titleEnd, headings)
        } catch {
            throw .corrupt(path: documents.path, reason: FormatError.describe(error))
        }
    }

    /// Reads a document's stored article and passage layout.
    public func storedDocument(_ doc: Int) throws(IndexError) -> StoredDocument {
        let stats = try documentStats(doc)
        return try withStoredRecord(doc, stats) { (reader, recordLength) throws(FormatError) -> StoredDocument in
            let path = try reader.readString()
            let title = try reader.readString()
            let description = try reader.readString()
            let url = try reader.readString()
            let language = try reader.readString()
            let sectionCount = try reader.readCount(limit: recordLength)
            var sections: [Section] = []
            var headingRanges: [PositionRange] = []
            var passageRanges: [[PositionRange]] = []
            for _ in 0..<sectionCount {
                let heading = try reader.readString()
                let level = Int(try reader.readUInt8())
                let pathCount = try reader.readCount(limit: 64)
                var sectionPath: [String] = []
                for _ in 0..<pathCount { sectionPath.append(try reader.readString()) }
                headingRanges.append(PositionRange(start: UInt32(try reader.readCount()), end: UInt32(try reader.readCount())))
                let passageCount = try reader.readCount(limit: recordLength)
                var passages: [Passage] = []
                var ranges: [PositionRange] = []
                for _ in 0..<passageCount {
                    guard let kind = Passage.Kind(rawValue: try reader.readUInt8()) else { throw FormatError.malformed("unknown passage kind") }
                    ranges.append(PositionRange(start: UInt32(try reader.readCount()), end: UInt32(try reader.readCount())))
                    passages.append(Passage(kind: kind, text: try reader.readString()))
                }
                sections.append(Section(heading: heading, level: level, path: sectionPath, passages: passages))
                passageRanges.append(ranges)
            }
            let article = Article(
                title: title,
                description: description.isEmpty ? nil : description,
                url: url.isEmpty ? nil : url,
                language: language.isEmpty ? nil : language,
                sections: sections
            )
            let source = SourceInfo(path: path, size: stats.size, modificationTime: stats.modificationTime, contentHash: stats.contentHash)
            return StoredDocument(source: source, article: article, headingRanges: headingRanges, passageRanges: passageRanges)
        }
    }

    /// Verifies every file's checksum (`medsearch check`).
    /// Each footer must also hold the CRC the manifest recorded (a whole file replaced by
    /// another valid one of the same size passes its own checksum).
    func verifyChecksums(against info: Manifest.SegmentInfo) throws(IndexError) {
        for (kind, file) in files {
            do {
                try FileFraming.verifyChecksum(file.bytes)
            } catch {
                throw .corrupt(path: file.path, reason: FormatError.describe(error))
            }
            let footer = UInt32(littleEndian: file.bytes.loadUnaligned(fromByteOffset: file.bytes.count - 8, as: UInt32.self))
            if let recorded = info.files[kind.fileExtension]?.crc32c, recorded != footer {
                throw .corrupt(path: file.path, reason: "checksum \(String(footer, radix: 16)) differs from the manifest's \(String(recorded, radix: 16)) (file replaced?)")
            }
        }
    }
}
