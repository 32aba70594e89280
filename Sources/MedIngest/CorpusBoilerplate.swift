public import MedIndex
import MedDocument

/// Corpus-level boilerplate: passages that recur across many pages of one site (a "Some links on
/// this page are sponsored" line, an author bio, a disclosure) survive page-level extraction
/// because on each page they sit inside the article. Seen across the corpus, they are template
/// text, and indexing them would make every page of the site match their words.
///
/// The rule, applied at ingest unless boilerplate is kept:
/// - a *site* is the first folder of a page's path below the corpus (pages at the top level form
///   one site);
/// - a passage's key is its text lowercased with whitespace collapsed; passages under four words
///   and table rows of several cells (a comparison table repeats its rows by design) are never
///   keys, while a one-cell row (a layout table's cell, such as an author box) can be;
/// - a key is boilerplate for a site when it appears in at least ``minimumDocuments`` of the
///   site's pages and in at least ``minimumShare`` of them;
/// - keys found once are remembered in the index (`manifest.json`), so a page added later is
///   cleaned even when its site's other pages are not re-read.
public struct CorpusBoilerplate: Sendable {
    public static let minimumDocuments = 3
    public static let minimumShare = 0.10
    public static let minimumWords = 4

    /// Boilerplate keys (site and text hashed together).
    public private(set) var keys: Set<UInt64>

    public init(known: Set<UInt64> = []) {
        keys = known
    }

    /// Counts passages over `documents` and adds the keys that pass the rule.
    public mutating func learn(from documents: [IndexedDocument]) {
        var learner = Learner()
        for document in documents { learner.count(document) }
        learn(learner)
    }

    /// Adds the keys that pass the rule over the pages `learner` counted.
    public mutating func learn(_ learner: Learner) {
        for (key, count) in learner.counts where count >= Self.minimumDocuments {
            let pages = learner.siteDocuments[learner.siteKeys[key] ?? 0] ?? 0
            if Double(count) >= Self.minimumShare * Double(pages) { keys.insert(key) }
        }
    }

    /// Passage counts per site, gathered one page at a time (pages need not be held together).
    public struct Learner: Sendable {
        var counts: [UInt64: Int] = [:]
        var siteKeys: [UInt64: UInt64] = [:]  // key → site hash
        var siteDocuments: [UInt64: Int] = [:]

        public init() {}

        public mutating func count(_ document: IndexedDocument) {
            let site = CorpusBoilerplate.site(of: document.source.path)
            siteDocuments[site, default: 0] += 1
            var seen = Set<UInt64>()
            for section in document.article.sections {
                for passage in section.passages where CorpusBoilerplate.eligible(passage) {
                    guard let key = CorpusBoilerplate.key(site: site, text: passage.text), seen.insert(key).inserted else { continue }
                    counts[key, default: 0] += 1
                    siteKeys[key] = site
                }
            }
        }
    }

    /// The document without its boilerplate passages, and the texts dropped.
    public func clean(_ document: IndexedDocument) -> (document: IndexedDocument, dropped: [String]) {
        guard !keys.isEmpty else { return (document, []) }
        let site = Self.site(of: document.source.path)
        var result = document
        var dropped: [String] = []
        for index in result.article.sections.indices {
            result.article.sections[index].passages.removeAll { passage in
                guard Self.eligible(passage), let key = Self.key(site: site, text: passage.text), keys.contains(key) else { return false }
                dropped.append(passage.text)
                return true
            }
        }
        return (result, dropped)
    }

    static func eligible(_ passage: Passage) -> Bool {
        passage.kind != .tableRow || !passage.text.contains(" | ")
    }

    static func site(of path: String) -> UInt64 {
        guard let slash = path.utf8.firstIndex(of: UInt8(ascii: "/")) else { return ContentHash.fnv1a64([UInt8]()) }
        return ContentHash.fnv1a64(path.utf8[..<slash])
    }

    /// The passage's key, or nil for a passage too short to be judged.
    static func key(site: UInt64, text: String) -> UInt64? {
        var normalized: [UInt8] = []
        normalized.reserveCapacity(text.utf8.count)
        var words = 0
        var pendingSpace = false
        for var byte in text.utf8 {
            if byte <= 0x20 {
                pendingSpace = !normalized.isEmpty
                continue
            }
            if pendingSpace {
                normalized.append(0x20)
                pendingSpace = false
            }
            if normalized.isEmpty || normalized.last == 0x20 { words += 1 }
            if byte >= 0x41, byte <= 0x5A { byte |= 0x20 }
            normalized.append(byte)
        }
        guard words >= minimumWords else { return nil }
        var value = ContentHash.fnv1a64(normalized)
        value = (value ^ site) &* 0x100_0000_01b3
        return value
    }
}
