public import MedDocument

/// Settings for ``ArticleExtractor``.
public struct ExtractionOptions: Sendable, Hashable {
    /// Keep navigation, sidebars, ads and other boilerplate: only markup that is never text
    /// (scripts, styles, hidden elements, form controls) is dropped. For debugging a corpus.
    public var keepBoilerplate: Bool
    /// Files larger than this many bytes are skipped with a warning (default 32 MiB).
    public var maxFileSize: Int
    /// Record what was dropped and why (for `medsearch extract --verbose`).
    public var recordRemovals: Bool

    public init(keepBoilerplate: Bool = false, maxFileSize: Int = 32 << 20, recordRemovals: Bool = false) {
        self.keepBoilerplate = keepBoilerplate
        self.maxFileSize = maxFileSize
        self.recordRemovals = recordRemovals
    }
}

/// One block the extractor dropped, and the rule that dropped it.
public struct Removal: Sendable, Hashable {
    /// The element, as `tag.class-or-id` (e.g. `div.sidebar`).
    public var element: String
    /// The rule, e.g. "class/id token 'sponsored'", "link density 0.83", "repeated 3 times".
    public var reason: String
    /// The start of the dropped text.
    public var preview: String
}

/// What extraction returns: the article and, on request, what was dropped.
public struct ExtractionResult: Sendable {
    public var article: Article
    public var removals: [Removal]
    /// The encoding the page was decoded from, e.g. "UTF-8" or "windows-1252".
    public var sourceEncoding: String
}

/// Turns an HTML page into a clean ``Article``: main-content detection, boilerplate removal,
/// sections and passages.
///
/// The pipeline: bytes → ``TextDecoding`` (valid UTF-8) → libxml2 SAX → ``HTMLTree`` →
/// structural removal → choice of the content root → heuristic removal inside it → passages.
/// Each rule is listed in the README ("How extraction decides"). Thread-safe: create one per
/// thread or share it; it holds no mutable state.
public struct ArticleExtractor: Sendable {
    public var options: ExtractionOptions

    /// The version of the extraction rules. Bump it whenever a change alters the text, structure
    /// or passages extracted from some page: an index records it, and the next `index` run
    /// extracts every page again when it differs (unchanged files are otherwise never re-read).
    public static let rulesVersion = 2

    /// What an index records of the extraction that produced it: the rules version and the
    /// options that change its output.
    public var descriptor: String {
        "rules \(Self.rulesVersion)" + (options.keepBoilerplate ? ", keep-boilerplate" : "")
    }

    public init(options: ExtractionOptions = ExtractionOptions()) {
        self.options = options
        HTMLParser.initialize()
    }

    /// The libxml2 version in use, e.g. "2.9.14".
    public static var libxml2Version: String { HTMLParser.libxml2Version }

    /// Runs libxml2's SAX parser over UTF-8 bytes with no-op callbacks, building nothing: the
    /// physical floor of extraction (same parser options and chunking as ``extract(html:path:)``),
    /// for benchmarks that compare the two.
    public static func parseOnly(utf8 bytes: [UInt8]) {
        HTMLParser.parseOnly(utf8: bytes)
    }

    /// Extracts the article from a page's raw bytes.
    /// - Throws: ``ExtractError`` when the bytes are empty, binary or over the size limit.
    public func extract(html raw: [UInt8], path: String = "<memory>") throws(ExtractError) -> ExtractionResult {
        if raw.count > options.maxFileSize {
            throw .tooLarge(path: path, size: raw.count, limit: options.maxFileSize)
        }
        if raw.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw .empty(path: path)
        }
        let decoded: (bytes: [UInt8], encoding: TextDecoding.SourceEncoding)
        do {
            decoded = try TextDecoding.utf8Bytes(raw)
        } catch {
            switch error {
            case .binary(let kind): throw .binary(path: path, kind: kind)
            }
        }
        let (article, removals) = HTMLParser.withTree(utf8: AttributeLimit.capped(decoded.bytes)) { tree in
            var extraction = ContentExtraction(tree: tree, options: options)
            return (extraction.run(), extraction.removals)
        }
        return ExtractionResult(article: article, removals: removals, sourceEncoding: decoded.encoding.rawValue)
    }
}

/// Why a file produced no article.
public enum ExtractError: Error, Sendable, Hashable, CustomStringConvertible {
    case empty(path: String)
    case binary(path: String, kind: String)
    case tooLarge(path: String, size: Int, limit: Int)
    case unreadable(path: String, reason: String)

    public var path: String {
        switch self {
        case .empty(let path), .binary(let path, _), .tooLarge(let path, _, _), .unreadable(let path, _): path
        }
    }

    /// A short reason, used in skip summaries ("binary file (PNG image)").
    public var reason: String {
        switch self {
        case .empty: "empty file"
        case .binary(_, let kind): "binary file (\(kind))"
        case .tooLarge(_, let size, let limit): "file too large (\(size) bytes; limit \(limit), see --max-file-size)"
        case .unreadable(_, let reason): "unreadable (\(reason))"
        }
    }

    public var description: String { "\(path): \(reason)" }
}

// MARK: - The extraction itself

/// One page's extraction state: per-node statistics, removal marks, and the passage builder.
private struct ContentExtraction {
    let tree: HTMLTree
    let options: ExtractionOptions
    var removals: [Removal] = []

    /// Visible text bytes (non-whitespace) below each node, links' share, and paragraph count.
    /// These arrays live in the tree's scratch block (``ExtractionScratch``), zeroed.
    private let textLength: UnsafeMutableBufferPointer<Int32>
    private let linkLength: UnsafeMutableBufferPointer<Int32>
    /// Commas in the visible text below each node (for the paragraph score), summed in the same
    /// pass as the lengths.
    private let commaCount: UnsafeMutableBufferPointer<Int32>
    /// Whether the node is dropped (with its subtree).
    private let removed: UnsafeMutableBufferPointer<Bool>
    /// What each element's class/id says, parallel to `tree.attributes`.
    private let classHints: [ClassHints.Summary]

    init(tree: HTMLTree, options: ExtractionOptions) {
        self.tree = tree
        self.options = options
        textLength = tree.scratch.textLength
        linkLength = tree.scratch.linkLength
        commaCount = tree.scratch.commaCount
        removed = tree.scratch.removed
        classHints = tree.attributes.map { attributes in
            ClassHints.summarize(bytes: UnsafeBufferPointer(
                rebasing: tree.attributeText[Int(attributes.classAndID.lowerBound)..<Int(attributes.classAndID.upperBound)]
            ))
        }
    }

    private func hints(_ index: Int) -> ClassHints.Summary {
        let node = tree.nodes[index]
        return node.tag == .text || node.start < 0 ? .none : classHints[Int(node.start)]
    }

    mutating func run() -> Article {
        guard !tree.nodes.isEmpty else { return Article(title: cleanTitle(h1: nil)) }
        markNeverContent()
        computeLengths()
        if !options.keepBoilerplate { markSmallForms() }
        var root = 0
        if !options.keepBoilerplate {
            root = chooseRoot()
            markBoilerplate(inside: root)
            markRepeatedBlocks(inside: root)
        }
        var emitter = PassageEmitter(tree: tree, removed: UnsafeBufferPointer(removed))
        emitter.walk(from: root)
        let h1 = emitter.firstH1 ?? firstH1(outside: root)
        let title = cleanTitle(h1: h1)
        return Article(
            title: title,
            description: tree.metaDescription.map(Whitespace.collapse).flatMap { $0.isEmpty ? nil : $0 },
            url: tree.canonicalURL,
            language: tree.language,
            sections: emitter.finish(title: title)
        )
    }

    // MARK: Structural removal

    /// Drops what is never article text: scripts, styles, form controls, hidden elements; and,
    /// unless boilerplate is kept, navigation, asides, forms and ARIA landmark roles that are not
    /// content.
    private mutating func markNeverContent() {
        for index in tree.nodes.indices {
            let node = tree.nodes[index]
            if node.parent >= 0, removed[Int(node.parent)] {
                removed[index] = true
                continue
            }
            guard node.tag != .text else { continue }
            if node.tag.isNeverContent || node.hidden {
                removed[index] = true
                continue
            }
            guard !options.keepBoilerplate else { continue }
            switch node.tag {
            case .nav, .aside, .dialog, .menu, .marquee:
                drop(index, reason: "<\(node.tag)> element")
            default:
                if node.landmarks.contains(.boilerplateRole) {
                    let tree = self.tree  // the reason closure must not capture `self`
                    drop(index, reason: "role=\(tree.role(of: index) ?? "")")
                }
            }
        }
    }

    /// Drops `<form>` elements (comment and sign-up forms) unless one holds most of the page's
    /// text: ASP.NET and some CMSs wrap the whole page, article included, in a single form.
    /// A dropped form's text is taken off its ancestors' sums, as ``computeLengths`` would
    /// count them without it (forms are tested against the page as it was before any drop).
    private mutating func markSmallForms() {
        let body = tree.nodes.firstIndex { $0.tag == .body } ?? 0
        let pageText = Int(textLength[body])
        var dropped: [Int] = []
        for index in tree.nodes.indices where tree.nodes[index].tag == .form && !removed[index] {
            if Int(textLength[index]) * 2 > pageText { continue }
            drop(index, reason: "<form> element")
            dropped.append(index)
        }
        // Outermost forms only: a nested form's text is inside its dropped ancestor's.
        var coveredUntil = -1
        for index in dropped {
            if index < coveredUntil { continue }
            coveredUntil = subtreeEnd(index)
            let text = textLength[index], commas = commaCount[index]
            // Above an enclosing link, all of the form's text was link text.
            var links = linkLength[index]
            var ancestor = Int(tree.nodes[index].parent)
            while ancestor >= 0 {
                if tree.nodes[ancestor].tag == .a { links = text }
                textLength[ancestor] -= text
                linkLength[ancestor] -= links
                commaCount[ancestor] -= commas
                ancestor = Int(tree.nodes[ancestor].parent)
            }
            for node in index..<coveredUntil {
                textLength[node] = 0
                linkLength[node] = 0
                commaCount[node] = 0
            }
        }
    }

    /// Sums visible text (and commas) below every node, into the zeroed scratch arrays (it runs
    /// once). Parents precede children in `nodes`, so one reverse pass suffices.
    private mutating func computeLengths() {
        let nodes = tree.nodes
        var index = nodes.count - 1
        while index >= 0 {
            defer { index -= 1 }
            if removed[index] { continue }
            let node = nodes[index]
            if node.tag == .text {
                textLength[index] = node.visible
                commaCount[index] = node.commas
            }
            if node.tag == .a { linkLength[index] = textLength[index] }
            let parent = Int(node.parent)
            if parent >= 0 {
                textLength[parent] += textLength[index]
                linkLength[parent] += linkLength[index]
                commaCount[parent] += commaCount[index]
            }
        }
    }

    private func linkDensity(_ index: Int) -> Double {
        textLength[index] == 0 ? 0 : Double(linkLength[index]) / Double(textLength[index])
    }

    // MARK: Choosing the content root

    /// The element that holds the article: an explicit marker (`itemprop=articleBody`,
    /// `<article>`, `<main>`, `role=main`) when it holds enough text, else the best-scoring
    /// container by a Readability-style paragraph score.
    private mutating func chooseRoot() -> Int {
        let body = tree.nodes.firstIndex { $0.tag == .body } ?? 0
        let pageText = max(Int(textLength[body]), 1)
        let unlikely = unlikelyCandidates()
        let headline = self.tree.nodes.indices.first { self.tree.nodes[$0].tag == .h1 && !removed[$0] && textLength[$0] > 0 }
        let best = bestContainer(unlikely: unlikely)

        // Explicit markers, most specific first: itemprop=articleBody, <article>, then <main> or
        // role=main, gathered in one pass. A comment rendered as `<article class="comment-body">`
        // is not the article.
        var markerRanks: [[Int]] = [[], [], []]
        for index in tree.nodes.indices where !removed[index] && !unlikely[index] {
            let node = tree.nodes[index]
            guard node.tag == .article || node.tag == .main || !node.landmarks.isEmpty else { continue }
            if node.landmarks.contains(.articleBody) { markerRanks[0].append(index) }
            if node.tag == .article { markerRanks[1].append(index) }
            if node.tag == .main || node.landmarks.contains(.main) { markerRanks[2].append(index) }
        }
        for candidates in markerRanks {
            // The one that holds the page's headline, else the one with the most text (a
            // "related posts" list of `<article>` teasers can outweigh a short article).
            let enough = candidates.filter { Int(textLength[$0]) >= 400 || Int(textLength[$0]) * 3 >= pageText }
            let withHeadline = headline.flatMap { h1 in enough.first { isAncestor($0, of: h1) } }
            if let withHeadline { return withHeadline }
            guard let candidate = candidates.max(by: { textLength[$0] < textLength[$1] }) else { continue }
            let text = Int(textLength[candidate])
            // A marker that holds a teaser, not the article, is ignored.
            if text >= 400 || text * 3 >= pageText {
                if let best, !isAncestor(candidate, of: best), !isAncestor(best, of: candidate),
                   Int(textLength[best]) > 2 * text {
                    break  // the scored container clearly holds more article text elsewhere
                }
                return candidate
            }
        }
        guard let best else { return body }
        return expandRoot(best)
    }

    /// Readability's paragraph scoring: each paragraph-like block with 25+ characters adds
    /// 1 + commas + length/100 (at most 3) to its parent, half to its grandparent and a third to
    /// the level above; containers start from a tag bonus and a class/id weight, and the total is
    /// scaled by (1 − link density).
    /// Readability's "unlikely candidates": blocks whose class or id names boilerplate
    /// (comments, sidebars, related lists), and everything inside them. Their paragraphs do not
    /// vote for the content root, however many there are, and they are never taken as markers.
    private func unlikelyCandidates() -> [Bool] {
        var unlikely = Array(repeating: false, count: tree.nodes.count)
        for index in tree.nodes.indices where tree.nodes[index].tag != .text {
            let parent = Int(tree.nodes[index].parent)
            if parent >= 0, unlikely[parent] {
                unlikely[index] = true
            } else if tree.nodes[index].start >= 0, hints(index).unlikely {
                switch tree.nodes[index].tag {
                case .body, .html, .article, .main: break
                default: unlikely[index] = true
                }
            }
        }
        return unlikely
    }

    /// Returns the highest-scoring container (the first in document order on a tie), or nil
    /// when no paragraph scored. Scores live in an array indexed by node, not a dictionary: the
    /// hashing showed in profiles, and the arithmetic (and so every tie) is unchanged.
    private func bestContainer(unlikely: [Bool]) -> Int? {
        var scores = Array(repeating: Double.nan, count: tree.nodes.count)
        var scored: [Int] = []
        func initial(_ index: Int) -> Double {
            var score: Double
            switch tree.nodes[index].tag {
            case .div, .article, .main, .section: score = 5
            case .pre, .td, .blockquote: score = 3
            case .address, .ol, .ul, .dl, .dd, .dt, .li, .form: score = -3
            case .h1, .h2, .h3, .h4, .h5, .h6, .th: score = -5
            default: score = 0
            }
            score += Double(hints(index).weight)
            return score
        }
        for index in tree.nodes.indices where !removed[index] {
            let node = tree.nodes[index]
            let isParagraph: Bool
            switch node.tag {
            case .p, .pre, .blockquote: isParagraph = true
            case .td: isParagraph = !hasBlockChild(index)  // a layout cell is a container, not a paragraph
            case .text:
                // Bare text directly inside a container counts as a paragraph too.
                switch node.parent >= 0 ? tree.nodes[Int(node.parent)].tag : .text {
                case .div, .section, .article, .main, .body, .td, .center: isParagraph = true
                default: isParagraph = false
                }
            default: isParagraph = false
            }
            guard isParagraph, textLength[index] >= 25, node.parent >= 0, !unlikely[Int(node.parent)] else { continue }
            let contentScore = 1.0 + Double(commaCount[index]) + min(Double(textLength[index]) / 100.0, 3.0)
            var ancestor = Int(node.parent)
            var level = 0
            while ancestor >= 0, level < 3 {
                if scores[ancestor].isNaN {
                    scores[ancestor] = initial(ancestor)
                    scored.append(ancestor)
                }
                let divider = level == 0 ? 1.0 : (level == 1 ? 2.0 : Double(level) * 3.0)
                scores[ancestor] += contentScore / divider
                ancestor = Int(tree.nodes[ancestor].parent)
                level += 1
            }
        }
        var best: (index: Int, score: Double)?
        for index in scored {
            let score = scores[index] * (1 - linkDensity(index))
            if let current = best, score < current.score || (score == current.score && index > current.index) { continue }
            best = (index, score)
        }
        return best?.index
    }

    private func hasBlockChild(_ index: Int) -> Bool {
        var child = Int(tree.nodes[index].firstChild)
        while child >= 0 {
            if tree.nodes[child].tag.isBlock || tree.nodes[child].tag == .td { return true }
            child = Int(tree.nodes[child].nextSibling)
        }
        return false
    }

    /// Climbs from the best container while its parent adds only a little more text that is not
    /// links, so an article split over sibling blocks is taken whole.
    private func expandRoot(_ start: Int) -> Int {
        var root = start
        while true {
            let parent = Int(tree.nodes[root].parent)
            guard parent >= 0, tree.nodes[parent].tag != .body, tree.nodes[parent].tag != .html else { break }
            let own = Double(textLength[root])
            let parentText = Double(textLength[parent])
            let parentPlain = parentText - Double(linkLength[parent])
            guard parentText <= own * 1.25, parentPlain >= own * 0.9 else { break }
            root = parent
        }
        return root
    }

    private func isAncestor(_ ancestor: Int, of index: Int) -> Bool {
        ancestor <= index && index < subtreeEnd(ancestor)
    }

    // MARK: Boilerplate inside the root

    /// Inside the chosen root: drops blocks whose class/id names boilerplate, footers, and
    /// link-dense blocks (menus and "related" lists that survived as plain divs).
    private mutating func markBoilerplate(inside root: Int) {
        let rootText = max(Int(textLength[root]), 1)
        var index = root + 1
        let end = subtreeEnd(root)
        var nextHeading: [Int32] = []
        while index < end {
            let node = tree.nodes[index]
            if removed[index] || node.tag == .text {
                index += 1
                continue
            }
            let big = Int(textLength[index]) * 2 > rootText
            if !big, let token = hints(index).boilerplateToken {
                let tree = self.tree  // the reason closure must not capture `self`
                drop(index, reason: "class/id token '\(tree.classToken(of: index, token))'")
                index = subtreeEnd(index)
                continue
            }
            if !big, node.tag == .footer || node.tag == .header && textLength[index] > 0 && !containsHeading(index, nextHeading: &nextHeading) {
                drop(index, reason: "<\(node.tag)> inside the article without a heading")
                index = subtreeEnd(index)
                continue
            }
            if linkLength[index] > 0, textLength[index] <= 200, isBreadcrumbTrail(index) {
                drop(index, reason: "breadcrumb trail")
                index = subtreeEnd(index)
                continue
            }
            switch node.tag {
            case .div, .section, .ul, .ol, .table, .p, .dl, .center, .li, .span:
                let density = linkDensity(index)
                if density > 0.5, textLength[index] > 0, !big {
                    drop(index, reason: "link density \(Int((density * 100).rounded()))%")
                    index = subtreeEnd(index)
                    continue
                }
            default:
                break
            }
            index += 1
        }
    }

    /// "Home > Compare Careers > Sonographer vs. MRI Tech": a short run that starts with a "Home"
    /// link and goes on through separators (`>`, `›`, `»`, `/`, `|`, `→`). Pages put it inside
    /// the article column, where link density alone (often under 50 %) does not catch it.
    private func isBreadcrumbTrail(_ index: Int) -> Bool {
        // A trail is a few links and separators; a huge run of empty elements is not one (and
        // scanning it for every nested element would be quadratic).
        guard subtreeEnd(index) - index <= 512 else { return false }
        var bytes: [UInt8] = []
        forEachText(below: index) { bytes.append(contentsOf: $0) }
        // The first word must lowercase to "home", so it is those four ASCII letters in some
        // case (no other character lowercases to them). When the first byte after ASCII
        // whitespace is another ASCII byte, the split into words below cannot say yes.
        if let first = bytes.first(where: { !($0 == 0x20 || (0x09...0x0D).contains($0)) }), first < 0x80, first | 0x20 != UInt8(ascii: "h") {
            return false
        }
        let words = String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0.isWhitespace })
        guard words.count >= 3, words[0].lowercased() == "home" else { return false }
        let separators: Set<Substring> = [">", "›", "»", "/", "|", "→", "::"]
        let separatorCount = words.dropFirst().filter { separators.contains($0) }.count
        return separators.contains(words[1]) && separatorCount >= 1
    }

    /// Whether `index`'s subtree holds a heading. `nextHeading` (the first heading at or after
    /// each node) is built on first use, so nested headers cost O(1) each, not a subtree scan.
    private func containsHeading(_ index: Int, nextHeading: inout [Int32]) -> Bool {
        if nextHeading.isEmpty {
            nextHeading = Array(repeating: Int32(tree.nodes.count), count: tree.nodes.count + 1)
            for node in tree.nodes.indices.reversed() {
                nextHeading[node] = tree.nodes[node].tag.headingLevel != nil ? Int32(node) : nextHeading[node + 1]
            }
        }
        return Int(nextHeading[index + 1]) < subtreeEnd(index)
    }

    /// Drops short blocks whose text appears more than once on the page (a "Search programs"
    /// box repeated above, inside and below the article).
    ///
    /// Blocks are compared by a hash of their text with whitespace collapsed, and two blocks
    /// with the same text have the same visible length (``computeLengths`` counts the bytes the
    /// hash reads). So blocks are first counted by length, which needs no hashing at all, and only
    /// those whose length occurs twice, once inside the root, are hashed: on most pages that is
    /// none of them.
    private mutating func markRepeatedBlocks(inside root: Int) {
        // Only innermost blocks are compared (a box's paragraph, not also the box around it), so
        // each byte of text is hashed once: a repeated box goes paragraph by paragraph.
        let shortest = 20, longest = 600
        func candidate(_ index: Int) -> Bool {
            let node = tree.nodes[index]
            return node.tag != .text && (node.tag.isBlock || node.tag == .td) && !node.holdsBlock
                && node.tag.headingLevel == nil && textLength[index] >= shortest && textLength[index] <= longest
        }
        let end = subtreeEnd(root)
        var inside: [Int] = []
        var outside: [Int] = []
        for index in (root + 1)..<max(end, root + 1) where !removed[index] && candidate(index) { inside.append(index) }
        guard !inside.isEmpty else { return }
        // Also count the copies outside the root (ads above and below the article). The root's
        // ancestors are the nodes before it whose subtree holds it (an O(1) test).
        if root > 0 {
            for index in tree.nodes.indices where (index < root || index >= end) && !removed[index] && !isAncestor(index, of: root) {
                if candidate(index) { outside.append(index) }
            }
        }
        // How many blocks of each length there are, inside the root and in all.
        var insideCount = Array(repeating: Int32(0), count: longest + 1)
        for index in inside { insideCount[Int(textLength[index])] += 1 }
        var totalCount = insideCount
        for index in outside { totalCount[Int(textLength[index])] += 1 }
        // The blocks that can have a copy, with their text hashes, in document order.
        var keyed: [(key: UInt64, index: Int, inside: Bool)] = []
        for index in inside where totalCount[Int(textLength[index])] >= 2 { keyed.append((textKey(index), index, true)) }
        guard !keyed.isEmpty else { return }
        for index in outside where insideCount[Int(textLength[index])] >= 1 && totalCount[Int(textLength[index])] >= 2 {
            keyed.append((textKey(index), index, false))
        }
        // Group by hash; groups are handled in the order of their first block inside the root.
        keyed.sort { ($0.key, $0.index) < ($1.key, $1.index) }
        var groups: [(first: Int, range: Range<Int>)] = []
        var start = 0
        while start < keyed.count {
            var stop = start + 1
            while stop < keyed.count, keyed[stop].key == keyed[start].key { stop += 1 }
            if stop - start >= 2, let first = keyed[start..<stop].first(where: \.inside) {
                groups.append((first.index, start..<stop))
            }
            start = stop
        }
        groups.sort { $0.first < $1.first }
        for group in groups {
            let copies = group.range.count
            // Repetition inside the article alone is often structure ("Eat every 2–3 hours" under
            // each meal of a plan); it marks boilerplate when a copy also sits outside the
            // article or the block is a link-bearing promotion.
            let seenOutside = keyed[group.range].contains { !$0.inside }
            for entry in keyed[group.range] where entry.inside && !removed[entry.index] && (seenOutside || linkLength[entry.index] > 0) {
                drop(entry.index, reason: "repeated \(copies) times on the page")
            }
        }
    }

    // MARK: Helpers

    /// A 64-bit FNV-1a hash of the visible text below `index` with whitespace runs collapsed, so
    /// two blocks with the same words hash alike whatever their markup and indentation.
    private func textKey(_ index: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var pendingSpace = false
        var empty = true
        forEachText(below: index) { bytes in
            for byte in bytes {
                if byte <= 0x20 {
                    pendingSpace = !empty
                    continue
                }
                if pendingSpace {
                    hash = (hash ^ 0x20) &* 0x100_0000_01b3
                    pendingSpace = false
                }
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
                empty = false
            }
        }
        return hash
    }

    /// One past the last node of `index`'s subtree (nodes are in document order).
    private func subtreeEnd(_ index: Int) -> Int {
        Int(tree.nodes[index].subtreeEnd)
    }

    private static let space: [UInt8] = [0x20]

    /// Calls `body` with the text of every visible text node below `index`, a space after each.
    private func forEachText(below index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let end = subtreeEnd(index)
        var cursor = index
        while cursor < end {
            if removed[cursor] {
                cursor = subtreeEnd(cursor)
                continue
            }
            if tree.nodes[cursor].tag == .text {
                body(tree.textBytes(of: cursor))
                Self.space.withUnsafeBufferPointer(body)
            }
            cursor += 1
        }
    }

    /// Marks `index` and its subtree removed. The reason is only built when removals are
    /// recorded: interpolating a tag name goes through runtime reflection, which cost more than
    /// the rest of the drop on every page.
    private mutating func drop(_ index: Int, reason: @autoclosure () -> String) {
        guard !removed[index] else { return }
        if options.recordRemovals, textLength[index] > 0 || tree.nodes[index].tag != .text {
            // Enough text for the preview, counted in visible bytes: indentation must not use
            // up the budget (a block whose first 400 bytes were blanks showed no preview and
            // went unlisted).
            var bytes: [UInt8] = []
            var visible = 0
            forEachText(below: index) { text in
                guard visible < 400 else { return }
                bytes.append(contentsOf: text)
                visible += text.reduce(0) { $0 + ($1 > 0x20 ? 1 : 0) }
            }
            let preview = Whitespace.collapse(String(decoding: bytes, as: UTF8.self))
            if !preview.isEmpty {
                let hint = tree.classAndID(of: index).flatMap { String(decoding: $0, as: UTF8.self).split(separator: " ").first.map { ".\($0)" } } ?? ""
                removals.append(Removal(
                    element: "\(tree.nodes[index].tag == .other ? "element" : "\(tree.nodes[index].tag)")\(hint)",
                    reason: reason(),
                    preview: preview.count > 80 ? String(preview.prefix(79)) + "…" : preview
                ))
            }
        }
        removed[index] = true
        let end = subtreeEnd(index)
        if end > index + 1 {
            UnsafeMutableBufferPointer(rebasing: removed[(index + 1)..<end]).update(repeating: true)
        }
    }

    private func firstH1(outside root: Int) -> String? {
        guard let index = tree.nodes.indices.first(where: { tree.nodes[$0].tag == .h1 && !tree.nodes[$0].hidden }) else {
            return nil
        }
        var bytes: [UInt8] = []
        let end = subtreeEnd(index)
        for child in index..<end where tree.nodes[child].tag == .text { bytes.append(contentsOf: tree.textBytes(of: child)) }
        let text = Whitespace.collapse(String(decoding: bytes, as: UTF8.self))
        return text.isEmpty ? nil : text
    }

    /// The title: `<title>` unless it is empty; when the page's `<h1>` is contained in it (as in
    /// "CT Technologist Career Guide | CareerScope"), the `<h1>` without the site name.
    private func cleanTitle(h1: String?) -> String {
        let titleTag = Whitespace.collapse(String(decoding: tree.titleText, as: UTF8.self))
        if titleTag.isEmpty {
            return h1 ?? Whitespace.collapse(tree.ogTitle ?? "")
        }
        // Substring search is O(n·m): a hostile 200 KB title and 100 KB <h1> took minutes, so
        // only titles of a sane length are compared.
        if let h1, !h1.isEmpty, titleTag.utf8.count <= 4096, h1.utf8.count <= titleTag.utf8.count,
           TextMatching.containsIgnoringCase(titleTag, h1) { return h1 }
        return titleTag
    }
}

/// Case-insensitive text matching for the extractor.
enum TextMatching {

    /// Whether `text` lowercased contains `part` lowercased. ASCII text (without CR, the one
    /// ASCII byte that joins a grapheme with the next) is searched byte by byte, which answers as
    /// the String search does at a fraction of its cost; other text goes through String.
    static func containsIgnoringCase(_ text: String, _ part: String) -> Bool {
        var text = text, part = part
        let answer: Bool? = text.withUTF8 { haystack in
            part.withUTF8 { needle in
                func plain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { !bytes.contains { $0 >= 0x80 || $0 == 0x0D } }
                guard plain(haystack), plain(needle) else { return nil }
                guard !needle.isEmpty else { return true }
                guard needle.count <= haystack.count else { return false }
                @inline(__always) func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
                let first = lower(needle[0])
                for start in 0...(haystack.count - needle.count) where lower(haystack[start]) == first {
                    var offset = 1
                    while offset < needle.count, lower(haystack[start + offset]) == lower(needle[offset]) { offset += 1 }
                    if offset == needle.count { return true }
                }
                return false
            }
        }
        return answer ?? text.lowercased().contains(part.lowercased())
    }
}

/// Class and id tokens that mark boilerplate or content.
enum ClassHints {
    static let negative: Set<String> = [
        "nav", "navbar", "navigation", "menu", "menus", "sidebar", "footer", "masthead", "comment", "comments", "guestbook", "gb", "replies", "discussion",
        "commentform", "respond", "share", "sharing", "social", "related", "promo", "promotion", "advert",
        "advertisement", "ad", "ads", "adsbygoogle", "sponsor", "sponsored", "sponsors", "cookie", "cookies",
        "consent", "gdpr", "newsletter", "subscribe", "subscription", "signup", "breadcrumb", "breadcrumbs",
        "widget", "widgets", "banner", "popup", "modal", "disqus", "outbrain", "taboola", "ticker", "toolbar",
        "pagination", "pager", "byline", "author", "bio", "tags", "tagcloud", "feedback", "rating", "print",
        "skip", "login", "search", "trending", "popular", "recommended", "newsletter", "cta", "callout-ad",
        "listings", "secondary", "utility", "topbar", "site-header", "site-footer", "colophon", "copyright",
        "disclaimer", "meta", "kicker", "readnext", "read-next", "more-stories",
    ]
    static let positive: Set<String> = [
        "article", "articlebody", "body", "content", "entry", "main", "post", "story", "text", "blog", "maincol",
    ]

    /// What a `class`/`id` value says about its element, computed once per element.
    struct Summary: Sendable {
        /// The first boilerplate token, unless a whole class word names content.
        /// Its byte range within the element's class/id words (the word becomes a String only
        /// when a removal is recorded).
        var boilerplateToken: Range<Int32>?
        /// Certainly not the article: an ``unlikely`` token and no content token anywhere in its
        /// names (so "post-comments-wrapper" is unlikely, while "article-body sidebar-aware" is not).
        var unlikely = false
        /// Readability-style weight: −25 for boilerplate, +25 for content (both can apply).
        var weight = 0

        static let none = Summary()
    }

    /// The summary of lowercased `class`/`id` words: no token is materialised as a String (this
    /// runs for every element with a class or id, so it must be cheap); names are compared by
    /// 64-bit hash.
    static func summarize(bytes: UnsafeBufferPointer<UInt8>) -> Summary {
        guard !bytes.isEmpty else { return .none }
        var firstNegative: Range<Int>?
        var anyNegative = false, anyPositive = false, wholePositive = false, anyUnlikely = false
        func visit(hash: UInt64, _ range: Range<Int>, whole: Bool) {
            let flags = wordFlags.value(hash)
            if flags & Self.negativeFlag != 0 {
                anyNegative = true
                if firstNegative == nil { firstNegative = range }
            }
            if flags & Self.positiveFlag != 0 {
                anyPositive = true
                if whole { wholePositive = true }
            }
            if flags & Self.unlikelyFlag != 0 { anyUnlikely = true }
        }
        // One pass: each word and each of its parts (runs between punctuation) is hashed as the
        // bytes go by. Parts count only when a word has more than one, so the first part waits
        // until a second one comes; and the word is looked up before its parts (the first
        // boilerplate token found is the one reported), so the parts' finds wait for the word's
        // end.
        let basis: UInt64 = 0xcbf2_9ce4_8422_2325, prime: UInt64 = 0x100_0000_01b3
        var wordStart = 0, partStart = 0
        var wordHash = basis, partHash = basis
        var partCount = 0
        var firstPart: (hash: UInt64, range: Range<Int>) = (0, 0..<0)
        var partNegative: Range<Int>?
        var partFlags: UInt8 = 0
        func visitPart(_ hash: UInt64, _ range: Range<Int>) {
            let flags = wordFlags.value(hash)
            if flags & Self.negativeFlag != 0, partNegative == nil { partNegative = range }
            partFlags |= flags
        }
        func closePart(at end: Int) {
            guard end > partStart else { return }
            partCount += 1
            if partCount == 1 {
                firstPart = (partHash, partStart..<end)
                return
            }
            if partCount == 2 { visitPart(firstPart.hash, firstPart.range) }
            visitPart(partHash, partStart..<end)
        }
        for index in 0...bytes.count {
            if index == bytes.count || bytes[index] == 0x20 {
                closePart(at: index)
                if index > wordStart {
                    visit(hash: wordHash, wordStart..<index, whole: true)
                    if partFlags & Self.negativeFlag != 0 {
                        anyNegative = true
                        if firstNegative == nil { firstNegative = partNegative }
                    }
                    if partFlags & Self.positiveFlag != 0 { anyPositive = true }
                    if partFlags & Self.unlikelyFlag != 0 { anyUnlikely = true }
                }
                wordStart = index + 1
                partStart = index + 1
                wordHash = basis
                partHash = basis
                partCount = 0
                partNegative = nil
                partFlags = 0
                continue
            }
            let byte = bytes[index]
            wordHash = (wordHash ^ UInt64(byte)) &* prime
            if isSeparator(byte) {
                closePart(at: index)
                partStart = index + 1
                partHash = basis
            } else {
                partHash = (partHash ^ UInt64(byte)) &* prime
            }
        }
        var summary = Summary()
        // A whole class word that names content ("content", "article") wins over a part that
        // names boilerplate; a part does not ("post-share" is a share bar).
        if !wholePositive, let firstNegative {
            summary.boilerplateToken = Int32(firstNegative.lowerBound)..<Int32(firstNegative.upperBound)
        }
        summary.unlikely = anyUnlikely && !anyPositive
        if anyNegative { summary.weight -= 25 }
        if anyPositive { summary.weight += 25 }
        return summary
    }

    /// ASCII punctuation splits a class word into parts; non-ASCII bytes count as letters.
    /// A bit per ASCII byte (this runs on every byte of every class attribute).
    @inline(__always)
    private static func isSeparator(_ byte: UInt8) -> Bool {
        // Bits set for 0x00-0x2F, 0x3A-0x40 (low word) and 0x5B-0x60, 0x7B-0x7F (high word).
        let low: UInt64 = 0xFC00_FFFF_FFFF_FFFF, high: UInt64 = 0xF800_0001_F800_0001
        return byte < 0x40 ? low >> UInt64(byte) & 1 != 0 : byte < 0x80 && high >> UInt64(byte - 0x40) & 1 != 0
    }

    private static let negativeFlag: UInt8 = 1, positiveFlag: UInt8 = 2, unlikelyFlag: UInt8 = 4

    /// Every listed word's hash with its lists as flags.
    private static let wordFlags = HashedNames(
        negative.map { (CName.hash($0), negativeFlag) } + positive.map { (CName.hash($0), positiveFlag) }
            + unlikely.map { (CName.hash($0), unlikelyFlag) }
    )

    /// Tokens that mark a block as certainly not the article (comments, sidebars, related lists,
    /// ads), used to keep such blocks from voting when the content root is chosen.
    static let unlikely: Set<String> = [
        "comment", "comments", "commentform", "respond", "replies", "discussion", "disqus", "sidebar",
        "footer", "related", "sponsor", "sponsored", "social", "share", "sharing", "menu", "nav", "navbar",
        "navigation", "breadcrumb", "breadcrumbs", "pagination", "pager", "popup", "modal", "banner",
        "cookie", "consent", "gdpr", "newsletter", "ad", "ads", "advert", "advertisement", "outbrain",
        "taboola", "widget", "widgets", "trending", "popular", "recommended", "more-stories", "readnext",
    ]
}

/// Whitespace normalisation shared by the extractor.
public enum Whitespace {
    /// Collapses runs of whitespace (including no-break spaces) to one space and trims.
    public static func collapse(_ text: String) -> String {
        var text = text
        // Fast paths: text that is already collapsed (the usual title or description) is
        // returned as it is, and other ASCII text needs no Unicode properties.
        enum Shape { case collapsed, ascii, unicode }
        let shape: Shape = text.withUTF8 { bytes in
            var irregular = false
            var previous: UInt8 = 0x20  // a leading space is irregular too
            for byte in bytes {
                if byte >= 0x80 { return .unicode }
                let isSpace = byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
                if isSpace && (byte != 0x20 || previous == 0x20) { irregular = true }
                previous = isSpace ? 0x20 : byte
            }
            return bytes.isEmpty || !irregular && previous != 0x20 ? .collapsed : .ascii
        }
        switch shape {
        case .collapsed:
            return text
        case .ascii:
            var out: [UInt8] = []
            out.reserveCapacity(text.utf8.count)
            var pendingSpace = false
            for byte in text.utf8 {
                if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                    pendingSpace = !out.isEmpty
                } else {
                    if pendingSpace { out.append(0x20) }
                    pendingSpace = false
                    out.append(byte)
                }
            }
            return String(decoding: out, as: UTF8.self)
        case .unicode:
            break
        }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace || scalar == "\u{00A0}" {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.unicodeScalars.append(" ") }
                pendingSpace = false
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
