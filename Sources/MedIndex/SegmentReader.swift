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
    var storeOffset: Int
    var storeLength: Int

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
    private let termsBody: UnsafeRawBufferPointer
    private let postingsBody: UnsafeRawBufferPointer
    private let documentsBody: UnsafeRawBufferPointer
    private let storeBody: UnsafeRawBufferPointer
    /// First term and offset of each 32-term block.
    private let blockFirstTerms: [[UInt8]]
    private let blockOffsets: [Int]
    private let blockIndexOffset: Int

    init(folder: URL, info: Manifest.SegmentInfo) throws(IndexError) {
        name = info.name
        func open(_ kind: FileKind, verifyChecksum: Bool = false) throws(IndexError) -> (MappedFile, UnsafeRawBufferPointer) {
            let url = folder.appendingPathComponent("\(info.name).\(kind.fileExtension)")
            guard FileManager.default.fileExists(atPath: url.path) else { throw .missingFile(path: url.path) }
            let file = try MappedFile(path: url.path)
            if let expected = info.files[kind.fileExtension], expected.bytes != file.bytes.count {
                throw .corrupt(path: url.path, reason: "size is \(file.bytes.count) bytes, the manifest says \(expected.bytes) (truncated or replaced)")
            }
            do {
                let (body, _) = try FileFraming.validate(file.bytes, kind: kind)
                if verifyChecksum { try FileFraming.verifyChecksum(file.bytes) }
                return (file, body)
            } catch {
                throw .corrupt(path: url.path, reason: FormatError.describe(error))
            }
        }
        // The term dictionary and the document table are small and feed every score (a changed
        // letter of a term, a document frequency or a field length would silently change
        // rankings), so their CRCs are verified here; postings and store, the bulk, by `check`.
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
            guard blockCount == (termCount + SegmentWriter.termsPerBlock - 1) / SegmentWriter.termsPerBlock else {
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
            guard documentsBody.count == DocumentRecord.tableStart + documentCount * DocumentRecord.size else {
                throw FormatError.malformed("document table holds \(documentsBody.count) bytes, expected \(DocumentRecord.tableStart + documentCount * DocumentRecord.size) for \(documentCount) documents")
            }
            guard documentCount == info.documents else {
                throw FormatError.malformed("\(documentCount) documents, the manifest says \(info.documents)")
            }
        } catch {
            throw .corrupt(path: documents.path, reason: FormatError.describe(error))
        }
    }

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
            var reader = ByteReader(UnsafeRawBufferPointer(rebasing: postingsBody[info.offset..<(info.offset + info.length)]))
            let blockCount = try reader.readCount(limit: info.docFreq)
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
                while docs.remaining > 0 {
                    guard count < n else { throw FormatError.malformed("more postings than the dictionary's \(n)") }
                    // In 64 bits: a damaged delta must fail the range check, not overflow.
                    let id = UInt64(previous) &+ (try docs.readVarint())
                    guard id < UInt64(documentCount), count == 0 || id > UInt64(previous) else {
                        throw FormatError.malformed("document id \(id) out of order or range")
                    }
                    let doc = UInt32(id)
                    previous = doc
                    let code = try docs.readVarint()
                    let body = UInt32(truncatingIfNeeded: code >> 2)
                    let title = code & 2 != 0 ? UInt32(truncatingIfNeeded: try docs.readVarint()) : 0
                    let heading = code & 1 != 0 ? UInt32(truncatingIfNeeded: try docs.readVarint()) : 0
                    scratch[count] = doc
                    scratch[n + count] = title
                    scratch[2 * n + count] = heading
                    scratch[3 * n + count] = body
                    count += 1
                    // Without positions the block's position bytes are skipped unread.
                    guard withPositions else { continue }
                    let total = Int(title) + Int(heading) + Int(body)
                    guard total <= positions.remaining else { throw FormatError.malformed("more positions than bytes") }
                    var position: UInt32 = 0
                    for _ in 0..<total {
                        position &+= UInt32(truncatingIfNeeded: try positions.readVarint())
                        positionScratch[positionCount] = position
                        positionCount += 1
                    }
                    startScratch[count] = positionCount
                }
                guard previous == skip.last else { throw FormatError.malformed("block's last document does not match its skip entry") }
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
            let storeOffset = Int(truncatingIfNeeded: try reader.readUInt64())  // > Int.max: negative, refused below
            let storeLength = Int(try reader.readUInt32())
            _ = try reader.readUInt32()
            let size = try reader.readUInt64()
            let mtime = try reader.readInt64()
            let hash = try reader.readUInt64()
            guard storeOffset >= 0, storeOffset <= storeBody.count, storeLength <= storeBody.count - storeOffset else {
                throw FormatError.malformed("document \(doc)'s store range is outside the store file")
            }
            return DocumentStats(fieldLengths: lengths, titleEnd: titleEnd, size: size, modificationTime: mtime,
                                 contentHash: hash, storeOffset: storeOffset, storeLength: storeLength)
        } catch {
            throw .corrupt(path: documents.path, reason: FormatError.describe(error))
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
            var reader = ByteReader(UnsafeRawBufferPointer(rebasing: storeBody[stats.storeOffset..<(stats.storeOffset + stats.storeLength)]))
            func skipString() throws(FormatError) { _ = try reader.readBytes(try reader.readCount(limit: stats.storeLength)) }
            for _ in 0..<5 { try skipString() }  // path, title, description, url, language
            let sectionCount = try reader.readCount(limit: stats.storeLength)
            var headings: [PositionRange] = []
            headings.reserveCapacity(sectionCount)
            for _ in 0..<sectionCount {
                try skipString()
                _ = try reader.readUInt8()
                let pathCount = try reader.readCount(limit: 64)
                for _ in 0..<pathCount { try skipString() }
                headings.append(PositionRange(start: UInt32(try reader.readCount()), end: UInt32(try reader.readCount())))
                let passageCount = try reader.readCount(limit: stats.storeLength)
                for _ in 0..<passageCount {
                    _ = try reader.readUInt8()
                    _ = try reader.readCount()
                    _ = try reader.readCount()
                    try skipString()
                }
            }
            return (stats.titleEnd, headings)
        } catch {
            throw .corrupt(path: store.path, reason: FormatError.describe(error))
        }
    }

    /// Reads a document's stored article and passage layout.
    public func storedDocument(_ doc: Int) throws(IndexError) -> StoredDocument {
        let stats = try documentStats(doc)
        do {
            var reader = ByteReader(UnsafeRawBufferPointer(rebasing: storeBody[stats.storeOffset..<(stats.storeOffset + stats.storeLength)]))
            let path = try reader.readString()
            let title = try reader.readString()
            let description = try reader.readString()
            let url = try reader.readString()
            let language = try reader.readString()
            let sectionCount = try reader.readCount(limit: stats.storeLength)
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
                let passageCount = try reader.readCount(limit: stats.storeLength)
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
        } catch {
            throw .corrupt(path: store.path, reason: FormatError.describe(error))
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
