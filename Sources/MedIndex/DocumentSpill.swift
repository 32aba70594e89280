public import Foundation
public import MedDocument

/// A temporary file of documents: the ingester parks extracted pages here while it learns
/// corpus-level boilerplate over all of them, so a corpus of any size is held on disk, not in
/// memory. The file lives in the index folder as `.spill.tmp-PID` (a leftover by FORMAT.md §2
/// if the process dies) and is removed when the spill is dropped.
public final class DocumentSpill {
    private let url: URL
    private var descriptor: Int32
    private var buffer = ByteWriter(capacity: 1 << 20)
    /// Documents written.
    public private(set) var count = 0

    public init(folder: URL) throws(IndexError) {
        url = folder.appendingPathComponent(".spill.tmp-\(getpid())")
        descriptor = open(url.path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .io(path: url.path, reason: String(cString: strerror(errno))) }
    }

    deinit {
        close(descriptor)
        unlink(url.path)
    }

    /// Appends a document.
    public func append(_ document: IndexedDocument) throws(IndexError) {
        var record = ByteWriter()
        let source = document.source
        record.writeString(source.path)
        record.writeUInt64(source.size)
        record.writeInt64(source.modificationTime)
        record.writeUInt64(source.contentHash)
        let article = document.article
        record.writeString(article.title)
        // Which optional fields follow: bit 0 description, bit 1 URL, bit 2 language.
        let optionals = [article.description, article.url, article.language]
        record.writeUInt8(optionals.enumerated().reduce(0) { $0 | ($1.element == nil ? 0 : 1 << $1.offset) })
        for text in optionals.compactMap({ $0 }) { record.writeString(text) }
        record.writeVarint(article.sections.count)
        for section in article.sections {
            record.writeString(section.heading)
            record.writeVarint(max(section.level, 0))
            record.writeVarint(section.path.count)
            for component in section.path { record.writeString(component) }
            record.writeVarint(section.passages.count)
            for passage in section.passages {
                record.writeUInt8(passage.kind.rawValue)
                record.writeString(passage.text)
            }
        }
        buffer.writeVarint(record.count)
        buffer.writeBytes(record.bytes)
        count += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws(IndexError) {
        let failure = buffer.bytes.withUnsafeBytes { writeFully(descriptor, $0) }
        if let failure { throw .io(path: url.path, reason: "write failed: \(failure)") }
        buffer = ByteWriter(capacity: 1 << 20)
    }

    /// Reads the documents back in the order they were appended, calling `body` with each.
    public func forEach(_ body: (IndexedDocument) throws(IndexError) -> Void) throws(IndexError) {
        try flush()
        let file = try MappedFile(path: url.path)
        var reader = ByteReader(file.bytes)
        do {
            while reader.remaining > 0 {
                let length = try reader.readCount(limit: reader.remaining)
                var record = ByteReader(try reader.readBytes(length))
                let path = try record.readString()
                let source = SourceInfo(path: path, size: try record.readUInt64(), modificationTime: try record.readInt64(),
                                        contentHash: try record.readUInt64())
                let title = try record.readString()
                let present = try record.readUInt8()
                let description = present & 1 != 0 ? try record.readString() : nil
                let url = present & 2 != 0 ? try record.readString() : nil
                let language = present & 4 != 0 ? try record.readString() : nil
                var sections: [Section] = []
                for _ in 0..<(try record.readCount(limit: length)) {
                    let heading = try record.readString()
                    let level = try record.readCount(limit: 255)
                    var sectionPath: [String] = []
                    for _ in 0..<(try record.readCount(limit: length)) { sectionPath.append(try record.readString()) }
                    var passages: [Passage] = []
                    for _ in 0..<(try record.readCount(limit: length)) {
                        guard let kind = Passage.Kind(rawValue: try record.readUInt8()) else { throw FormatError.malformed("passage kind") }
                        passages.append(Passage(kind: kind, text: try record.readString()))
                    }
                    sections.append(Section(heading: heading, level: level, path: sectionPath, passages: passages))
                }
                let article = Article(title: title, description: description, url: url, language: language, sections: sections)
                try body(IndexedDocument(source: source, article: article))
            }
        } catch let error as IndexError {
            throw error
        } catch {
            throw .corrupt(path: url.path, reason: FormatError.describe(error))
        }
    }
}
