internal import CLibXML2
import Foundation
import MedDocument

/// The HTML element names the extractor distinguishes; everything else is `.other`.
enum HTMLTag: UInt8, Sendable {
    case text, other
    case html, head, body, title, meta, link, base
    case script, style, noscript, template, iframe, svg, math, object, embed, canvas, video, audio
    case form, button, select, option, textarea, input, label, fieldset, legend
    case nav, header, footer, aside, main, article, section, div, span, p, br, hr
    case h1, h2, h3, h4, h5, h6
    case ul, ol, li, dl, dt, dd, menu
    case table, thead, tbody, tfoot, tr, td, th, caption
    case pre, code, blockquote, figure, figcaption, address, center, details, summary, dialog, marquee
    case a, img

    /// Tags with their (lowercase ASCII) names, for the lookup by name hash (see ``CName``).
    /// The names are literals: interpolating the cases (`"\(tag)"`) goes through runtime
    /// reflection, which cost about 4 M instructions the first time a page was parsed. A test
    /// checks each literal against its case name.
    static let all: [(tag: HTMLTag, name: StaticString)] = [
        (.html, "html"), (.head, "head"), (.body, "body"), (.title, "title"), (.meta, "meta"),
        (.link, "link"), (.base, "base"), (.script, "script"), (.style, "style"), (.noscript, "noscript"),
        (.template, "template"), (.iframe, "iframe"), (.svg, "svg"), (.math, "math"), (.object, "object"),
        (.embed, "embed"), (.canvas, "canvas"), (.video, "video"), (.audio, "audio"), (.form, "form"),
        (.button, "button"), (.select, "select"), (.option, "option"), (.textarea, "textarea"),
        (.input, "input"), (.label, "label"), (.fieldset, "fieldset"), (.legend, "legend"), (.nav, "nav"),
        (.header, "header"), (.footer, "footer"), (.aside, "aside"), (.main, "main"), (.article, "article"),
        (.section, "section"), (.div, "div"), (.span, "span"), (.p, "p"), (.br, "br"), (.hr, "hr"),
        (.h1, "h1"), (.h2, "h2"), (.h3, "h3"), (.h4, "h4"), (.h5, "h5"), (.h6, "h6"), (.ul, "ul"),
        (.ol, "ol"), (.li, "li"), (.dl, "dl"), (.dt, "dt"), (.dd, "dd"), (.menu, "menu"), (.table, "table"),
        (.thead, "thead"), (.tbody, "tbody"), (.tfoot, "tfoot"), (.tr, "tr"), (.td, "td"), (.th, "th"),
        (.caption, "caption"), (.pre, "pre"), (.code, "code"), (.blockquote, "blockquote"),
        (.figure, "figure"), (.figcaption, "figcaption"), (.address, "address"), (.center, "center"),
        (.details, "details"), (.summary, "summary"), (.dialog, "dialog"), (.marquee, "marquee"), (.a, "a"),
        (.img, "img"),
    ]
    /// Name lookup; the tree builder keeps a copy for the whole parse (a `static let` costs a
    /// lazy-initialisation check on every access, and this runs for every tag).
    struct Lookup: Sendable {
        private let table = HashedNames(all.enumerated().map { offset, entry in
            (entry.name.withUTF8Buffer { ContentHash.fnv1a64($0) }, UInt8(offset + 1))
        })
        private let tags = all.map(\.tag)

        /// The tag whose name hashes to `hash`, or `.other`.
        func tag(hash: UInt64) -> HTMLTag {
            let value = table.value(hash)
            return value == 0 ? .other : tags[Int(value) - 1]
        }
    }

    static let lookup = Lookup()

    /// The heading level for h1–h6, else nil.
    var headingLevel: Int? {
        switch self {
        case .h1: 1
        case .h2: 2
        case .h3: 3
        case .h4: 4
        case .h5: 5
        case .h6: 6
        default: nil
        }
    }

    /// Elements whose content a reader never sees as article text, whatever the page.
    var isNeverContent: Bool {
        switch self {
        case .head, .script, .style, .noscript, .template, .iframe, .svg, .math, .object, .embed, .canvas,
             .video, .audio, .select, .option, .textarea, .input, .button, .title, .meta, .link, .base:
            true
        default:
            false
        }
    }

    /// Elements that start a new block of text (a passage boundary) when they open or close.
    var isBlock: Bool {
        switch self {
        case .html, .body, .nav, .header, .footer, .aside, .main, .article, .section, .div, .p, .hr,
             .h1, .h2, .h3, .h4, .h5, .h6, .ul, .ol, .li, .dl, .dt, .dd, .menu, .table, .thead, .tbody,
             .tfoot, .tr, .caption, .pre, .blockquote, .figure, .figcaption, .address, .center, .details,
             .summary, .dialog, .marquee, .form, .fieldset, .legend:
            true
        default:
            false
        }
    }
}

/// The attributes the extractor reads, kept only for elements that have any of them: byte ranges
/// of ``HTMLTree/attributeText`` rather than Strings, so the tree builder makes no per-element
/// heap allocation and the attribute array holds plain values (no reference counting).
struct HTMLAttributes: Sendable {
    /// `class` and `id` values, lowercased, joined by a space.
    var classAndID: Range<Int32>
    /// The last `role` value, lowercased.
    var role: Range<Int32>
}

/// NUL-terminated names from libxml2, hashed without making Strings (this runs for every tag and
/// attribute of every page). ASCII letters are folded to lowercase; 64-bit FNV-1a.
enum CName {
    static func hash(_ name: UnsafePointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var cursor = name
        while cursor.pointee != 0 {
            var byte = cursor.pointee
            if byte >= 0x41, byte <= 0x5A { byte |= 0x20 }
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            cursor += 1
        }
        return hash
    }

    /// ``hash(_:)`` for names that can be one the extractor knows (at most 12 bytes, the longest
    /// being "aria-hidden"); longer names, such as `data-…` attributes, stop early and return 0,
    /// which no table entry or attribute constant equals.
    @inline(__always)
    static func shortHash(_ name: UnsafePointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var cursor = name
        var count = 0
        while cursor.pointee != 0 {
            if count == 12 { return 0 }
            var byte = cursor.pointee
            if byte >= 0x41, byte <= 0x5A { byte |= 0x20 }
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            cursor += 1
            count += 1
        }
        return hash
    }

    static func hash(_ name: String) -> UInt64 {
        ContentHash.fnv1a64(name.utf8.lazy.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 })
    }

    /// Appends the value with ASCII letters lowercased (non-ASCII values are lowercased as a
    /// String, with invalid UTF-8 repaired), without making a String for the common ASCII case.
    static func appendLowercased(_ value: UnsafePointer<UInt8>, to out: inout GrowableBuffer<UInt8>) {
        let count = strlen(UnsafeRawPointer(value).assumingMemoryBound(to: CChar.self))
        let bytes = UnsafeBufferPointer(start: value, count: count)
        if bytes.contains(where: { $0 >= 0x80 }) {
            out.append(contentsOf: Array(String(decoding: bytes, as: UTF8.self).lowercased().utf8))
            return
        }
        for byte in bytes { out.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) }
    }

    /// Whether the value, lowercased as a String would be, equals `lowercase` (ASCII). ASCII
    /// values are compared byte by byte; others go through `String.lowercased()`, as before.
    static func lowercasedEquals(_ value: UnsafePointer<UInt8>?, _ lowercase: StaticString) -> Bool {
        guard let value else { return lowercase.utf8CodeUnitCount == 0 }
        return lowercase.withUTF8Buffer { expected in
            var cursor = value
            var offset = 0
            while cursor.pointee != 0 {
                var byte = cursor.pointee
                if byte >= 0x80 {
                    return String(cString: value).lowercased() == String(decoding: expected, as: UTF8.self)
                }
                if byte >= 0x41, byte <= 0x5A { byte |= 0x20 }
                if offset == expected.count || expected[offset] != byte {
                    // A later non-ASCII byte could still lowercase to a match only if lowercasing
                    // changed the length; check the rest for non-ASCII before answering.
                    while cursor.pointee != 0 {
                        if cursor.pointee >= 0x80 {
                            return String(cString: value).lowercased() == String(decoding: expected, as: UTF8.self)
                        }
                        cursor += 1
                    }
                    return false
                }
                offset += 1
                cursor += 1
            }
            return offset == expected.count
        }
    }

    /// Whether the value, lowercased and split at spaces, has the word `lowercase` (ASCII), as in
    /// `rel="Canonical alternate"`. Non-ASCII values go through `String.lowercased()`.
    static func hasWord(_ value: UnsafePointer<UInt8>, _ lowercase: StaticString) -> Bool {
        var cursor = value
        while cursor.pointee != 0 {
            if cursor.pointee >= 0x80 {
                return String(cString: value).lowercased().split(separator: " ").contains { $0 == lowercase.description }
            }
            cursor += 1
        }
        return lowercase.withUTF8Buffer { word in
            var start = value
            while true {
                var end = start
                while end.pointee != 0, end.pointee != 0x20 { end += 1 }
                let length = start.distance(to: end)
                if length == word.count {
                    var same = true
                    for offset in 0..<length {
                        var byte = start[offset]
                        if byte >= 0x41, byte <= 0x5A { byte |= 0x20 }
                        if byte != word[offset] { same = false; break }
                    }
                    if same { return true }
                }
                if end.pointee == 0 { return false }
                start = end + 1
            }
        }
    }

    // The attributes the tree builder reads: their hashes as literals, so the per-tag code needs
    // no lazy-global check (`static let`s cost a `swift_once` call on every access). A test
    // checks each literal against `hash(_:)`.
    static let `class`: UInt64 = 0xd11655952fcbab9f  // "class"
    static let id: UInt64 = 0x08b72e07b55c3ac0  // "id"
    static let role: UInt64 = 0xa358ec1ff0c833b9  // "role"
    static let itemprop: UInt64 = 0x5f1009f6a5c3c107  // "itemprop"
    static let hidden: UInt64 = 0xa000c4df231528b9  // "hidden"
    static let ariaHidden: UInt64 = 0x2b023dd92ea5077f  // "aria-hidden"
    static let style: UInt64 = 0xbf7282adbc7013f6  // "style"
    static let lang: UInt64 = 0x0460dfad9060b275  // "lang"
    static let name: UInt64 = 0xc4bcadba8e631b86  // "name"
    static let property: UInt64 = 0x58da6b1ccd7c4488  // "property"
    static let content: UInt64 = 0x420c75b526b35282  // "content"
    static let rel: UInt64 = 0x89e9c61960f4cfb4  // "rel"
    static let href: UInt64 = 0x9ab8edcc20799138  // "href"

    /// Whether an inline style hides the element (`display:none`, `visibility:hidden`, any case
    /// and spacing).
    static func hidesElement(style: UnsafePointer<UInt8>) -> Bool {
        var compact: [UInt8] = []
        var cursor = style
        while cursor.pointee != 0 {
            var byte = cursor.pointee
            cursor += 1
            if byte <= 0x20 { continue }
            if byte >= 0x41, byte <= 0x5A { byte |= 0x20 }
            compact.append(byte)
        }
        return contains(compact, "display:none") || contains(compact, "visibility:hidden")
    }

    private static func contains(_ haystack: [UInt8], _ needle: StaticString) -> Bool {
        let count = needle.utf8CodeUnitCount
        guard haystack.count >= count else { return false }
        return needle.withUTF8Buffer { needle in
            for start in 0...(haystack.count - count) where haystack[start] == needle[0] {
                if (1..<count).allSatisfy({ haystack[start + $0] == needle[$0] }) { return true }
            }
            return false
        }
    }
}

/// A compact HTML tree built from libxml2's SAX events: nodes in one array (document order,
/// parents before children), text in one byte buffer. It has no depth limit (a DOM has, at 256
/// levels) and costs far less than libxml2's own tree.
struct HTMLTree {
    struct Node: Sendable {
        // Int32 fields first, then the bytes: 34 bytes, so the node array stays dense.
        var parent: Int32
        var firstChild: Int32 = -1
        var lastChild: Int32 = -1
        var nextSibling: Int32 = -1
        /// For text nodes: the byte range in `text`. For elements: an index into `attributes`, or -1.
        var start: Int32 = 0
        var end: Int32 = 0
        /// One past the last node of this node's subtree (nodes are in document order, so a
        /// subtree is a contiguous run). Set by the builder when the element closes, which is
        /// free there and saves the extractor a pass over every node.
        var subtreeEnd: Int32 = 0
        /// For text nodes: how many of its bytes are not ASCII whitespace or control characters
        /// (counted while parsing, so the extractor's text statistics need no second pass).
        var visible: Int32 = 0
        /// For text nodes: how many commas it holds (counted with `visible`).
        var commas: Int32 = 0
        var tag: HTMLTag
        /// For text nodes: whether the text has irregular whitespace (see ``TextStatistics``).
        var irregular = false
        /// Whitespace came just before this node, where the builder kept no text node for it
        /// (see ``TreeBuilder``); a reader joining text puts a space here.
        var spaceBefore = false
        /// For elements: a block element or table cell is somewhere below (set when the element
        /// closes, so the repeated-block rule needs no pass of its own to find innermost blocks).
        var holdsBlock = false
        /// Hidden by the `hidden` attribute, `aria-hidden="true"` or an inline `display:none`.
        var hidden = false
        /// Landmark facts read from `role` and `itemprop`, so the extractor tests a bit instead of
        /// comparing strings on every node.
        var landmarks: Landmarks = []
    }

    /// What an element's `role` or `itemprop` says about it.
    struct Landmarks: OptionSet, Sendable {
        let rawValue: UInt8
        /// `role="main"`.
        static let main = Landmarks(rawValue: 1)
        /// A role that is never the article: navigation, banner, contentinfo, complementary,
        /// search, dialog, alertdialog, menu, menubar.
        static let boilerplateRole = Landmarks(rawValue: 2)
        /// `itemprop="articleBody"`.
        static let articleBody = Landmarks(rawValue: 4)

        static let boilerplateRoles: Set<String> = [
            "navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog", "menu", "menubar",
        ]
    }

    // The tree's arrays live in the builder's per-thread storage (``BuilderStorage``), so a
    // tree is only valid inside ``HTMLParser/withTree(utf8:_:)``'s closure.
    var nodes = UnsafeBufferPointer<Node>(start: nil, count: 0)
    var text = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    var attributes = UnsafeBufferPointer<HTMLAttributes>(start: nil, count: 0)
    /// The bytes that ``HTMLAttributes`` ranges point into.
    var attributeText = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    /// Zeroed per-node room for the extractor's own arrays (see ``ExtractionScratch``).
    var scratch = ExtractionScratch()

    // Page metadata collected while parsing.
    var titleText: [UInt8] = []
    var metaDescription: String?
    var ogTitle: String?
    var canonicalURL: String?
    var language: String?

    func attributes(of index: Int) -> HTMLAttributes? {
        let node = nodes[index]
        return node.tag == .text || node.start < 0 ? nil : attributes[Int(node.start)]
    }

    /// An element's lowercased `class` and `id` words, or nil when it has none.
    func classAndID(of index: Int) -> UnsafeBufferPointer<UInt8>? {
        attributes(of: index).map { UnsafeBufferPointer(rebasing: attributeText[Int($0.classAndID.lowerBound)..<Int($0.classAndID.upperBound)]) }
    }

    /// The word at `range` of an element's class/id words (see ``classAndID(of:)``).
    func classToken(of index: Int, _ range: Range<Int32>) -> String {
        guard let words = classAndID(of: index) else { return "" }
        return String(decoding: words[Int(range.lowerBound)..<Int(range.upperBound)], as: UTF8.self)
    }

    /// An element's lowercased `role`, or nil when it has none.
    func role(of index: Int) -> String? {
        attributes(of: index).map { String(decoding: attributeText[Int($0.role.lowerBound)..<Int($0.role.upperBound)], as: UTF8.self) }
    }

    func textBytes(of index: Int) -> UnsafeBufferPointer<UInt8> {
        let node = nodes[index]
        return UnsafeBufferPointer(rebasing: text[Int(node.start)..<Int(node.end)])
    }
}

/// Parses HTML (already valid UTF-8, see ``TextDecoding``) with libxml2's SAX push parser into an
/// ``HTMLTree``. This is the only type that talks to libxml2.
enum HTMLParser {
    /// Prepares libxml2 for use from any thread. Idempotent; call before starting worker threads.
    static func initialize() {
        _ = initialized
    }

    private static let initialized: Bool = {
        xmlInitParser()
        medsearch_xml_silence()
        return true
    }()

    /// The libxml2 version compiled in, e.g. "2.9.14".
    static var libxml2Version: String { String(cString: medsearch_xml_version()) }

    /// Parses the page and calls `body` with its tree, which is valid only during the call (its
    /// arrays are the thread's reused builder storage).
    static func withTree<Result>(utf8 bytes: [UInt8], _ body: (HTMLTree) throws -> Result) rethrows -> Result {
        initialize()
        medsearch_xml_silence()  // error handlers are per thread in libxml2 2.9
        // The builder is a struct behind a pointer, not a class: libxml2 holds an opaque pointer
        // to it, and a struct's mutations need no dynamic exclusivity checks (those cost ~8%).
        let builder = UnsafeMutablePointer<TreeBuilder>.allocate(capacity: 1)
        builder.initialize(to: TreeBuilder(pageSize: bytes.count))
        defer { builder.pointee.release(); builder.deinitialize(count: 1); builder.deallocate() }
        var handler = htmlSAXHandler()
        handler.startElement = { context, name, attributes in
            guard let context, let name else { return }
            context.assumingMemoryBound(to: TreeBuilder.self).pointee.start(name, attributes)
        }
        handler.endElement = { context, _ in
            guard let context else { return }
            context.assumingMemoryBound(to: TreeBuilder.self).pointee.end()
        }
        let characters: charactersSAXFunc = { context, bytes, count in
            guard let context, let bytes, count > 0 else { return }
            context.assumingMemoryBound(to: TreeBuilder.self).pointee
                .characters(UnsafeBufferPointer(start: bytes, count: Int(count)))
        }
        handler.characters = characters
        handler.ignorableWhitespace = characters
        handler.cdataBlock = characters

        feed(bytes, handler: &handler, context: UnsafeMutableRawPointer(builder))
        return try body(builder.pointee.finish())
    }

    /// Parses with the same options and chunking as ``parse(utf8:)`` but no-op callbacks and no
    /// tree: libxml2's own cost, the floor that extraction throughput is measured against.
    static func parseOnly(utf8 bytes: [UInt8]) {
        initialize()
        medsearch_xml_silence()
        var handler = htmlSAXHandler()
        handler.startElement = { _, _, _ in }
        handler.endElement = { _, _ in }
        let characters: charactersSAXFunc = { _, _, _ in }
        handler.characters = characters
        handler.ignorableWhitespace = characters
        handler.cdataBlock = characters
        feed(bytes, handler: &handler, context: nil)
    }

    private static let options = Int32(
        HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue | HTML_PARSE_NOBLANKS.rawValue
            | HTML_PARSE_IGNORE_ENC.rawValue
    ) | Int32(XML_PARSE_HUGE.rawValue)

    /// Runs the push parser over `bytes` in 1 MiB chunks, so a huge page never needs one giant
    /// parser input buffer.
    private static func feed(_ bytes: [UInt8], handler: inout htmlSAXHandler, context: UnsafeMutableRawPointer?) {
        guard let parser = htmlCreatePushParserCtxt(&handler, context, nil, 0, nil, XML_CHAR_ENCODING_UTF8) else {
            return
        }
        defer { htmlFreeParserCtxt(parser) }
        _ = htmlCtxtUseOptions(parser, options)
        bytes.withUnsafeBufferPointer { buffer in
            let chunk = 1 << 20
            var offset = 0
            repeat {
                let length = min(chunk, buffer.count - offset)
                let pointer = buffer.baseAddress.map { UnsafeRawPointer($0 + offset).assumingMemoryBound(to: CChar.self) }
                let terminate: Int32 = offset + length >= buffer.count ? 1 : 0
                _ = htmlParseChunk(parser, pointer, Int32(length), terminate)
                offset += length
            } while offset < buffer.count
        }
    }
}

/// Receives SAX events and appends nodes.
///
/// It runs for every tag and text run of every page, so it appends to ``GrowableBuffer``s (no
/// copy-on-write or bounds checks, sized from the page up front) and hands the finished arrays to
/// an ``HTMLTree`` at the end.
private struct TreeBuilder {
    /// The page metadata; its arrays are set by ``finish()``.
    private var tree = HTMLTree()
    private var nodes: GrowableBuffer<HTMLTree.Node>
    private var text: GrowableBuffer<UInt8>
    private var attributes: GrowableBuffer<HTMLAttributes>
    private var attributeText: GrowableBuffer<UInt8>
    private var titleText: [UInt8] = []
    /// The open element; -1 before `<html>`. Its tag is `nodes[current].tag`, so no separate
    /// stack of open tags is kept.
    private var current: Int32 = -1
    /// > 0 while inside an element whose text is never content (script, style, ...).
    private var skipDepth = 0
    private var inTitle = false
    private let tagLookup = HTMLTag.lookup
    /// Open headings and `<pre>` elements, where whitespace is kept as it came (a heading's text
    /// is joined without the passage rules, and `<pre>` keeps its line breaks).
    private var literalDepth = 0
    /// A run of whitespace arrived where no text node was open to take it. Half the text runs of
    /// a page are such runs (the line breaks between tags); instead of a node each, the run
    /// becomes a space in front of whatever comes next at this level (``HTMLTree/Node/spaceBefore``
    /// or a leading space of the next text), and is dropped when a block element closes first,
    /// where it could never join two pieces of text.
    private var pendingSpace = false

    /// Name hashes by the name's address. libxml2 interns element and attribute names in its
    /// per-parse dictionary (and passes static strings for the elements it implies), so within
    /// one parse an address always holds the same name: a direct-mapped cache of 128 slots
    /// answers most lookups without hashing the name's bytes again.
    private let nameCache: UnsafeMutablePointer<(address: UInt, hash: UInt64)>
    /// Where the buffers came from and go back to.
    private let storage: BuilderStorage

    /// Buffers for a page of `pageSize` bytes, from this thread's ``BuilderStorage`` (sized for
    /// about one node per 32 bytes of markup and half of it text; they grow when a page has more).
    init(pageSize: Int) {
        storage = BuilderStorage.take()
        nodes = storage.nodes
        text = storage.text
        attributes = storage.attributes
        attributeText = storage.attributeText
        nodes.removeAll(reservingCapacity: max(64, pageSize / 32))
        text.removeAll(reservingCapacity: max(256, pageSize / 2))
        attributes.removeAll(reservingCapacity: max(16, pageSize / 256))
        attributeText.removeAll(reservingCapacity: max(256, pageSize / 16))
        // Addresses in the cache belong to the previous page's dictionary.
        nameCache = storage.nameCache
        nameCache.update(repeating: (0, 0), count: BuilderStorage.nameCacheSlots)
    }

    /// Hands the buffers back for the thread's next page (the tree from ``finish()`` is no
    /// longer used).
    mutating func release() {
        storage.nodes = nodes
        storage.text = text
        storage.attributes = attributes
        storage.attributeText = attributeText
        BuilderStorage.giveBack(storage)
    }

    /// ``CName/shortHash(_:)`` of a name libxml2 passed, through ``nameCache``.
    @inline(__always)
    private func nameHash(_ name: UnsafePointer<UInt8>) -> UInt64 {
        let address = UInt(bitPattern: name)
        let slot = Int(truncatingIfNeeded: (UInt64(address) &* 0x9E37_79B9_7F4A_7C15) >> 57)  // 7 bits: 128 slots
        if nameCache[slot].address == address { return nameCache[slot].hash }
        let hash = CName.shortHash(name)
        nameCache[slot] = (address, hash)
        return hash
    }

    mutating func start(_ name: UnsafePointer<xmlChar>, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        let tag = tagLookup.tag(hash: nameHash(name))
        let index = Int32(nodes.count)
        var node = HTMLTree.Node(parent: current, start: -1, subtreeEnd: index + 1, tag: tag)
        if pendingSpace {
            node.spaceBefore = true
            pendingSpace = false
        }
        if tag.headingLevel != nil || tag == .pre { literalDepth += 1 }
        // Values that need a String are remembered as pointers (valid for this call) and only
        // turned into Strings for the few elements that use them. The outer optional says
        // whether the attribute was seen (the last one wins), the inner one is libxml2's value.
        var role: String?
        var metaName: UnsafePointer<xmlChar>?? = nil
        var metaContent: UnsafePointer<xmlChar>?? = nil
        var linkRel: UnsafePointer<xmlChar>?? = nil
        var hasAttrs = false
        let classStart = Int32(attributeText.count)
        var hasClass = false
        let isHead = tag == .meta || tag == .link || tag == .html
        if var cursor = attributes {
            while let keyPointer = cursor.pointee {
                let valuePointer = cursor.advanced(by: 1).pointee
                cursor = cursor.advanced(by: 2)
                switch nameHash(keyPointer) {
                case CName.class, CName.id:
                    guard let valuePointer, valuePointer.pointee != 0 else { continue }
                    if hasClass { attributeText.append(0x20) }
                    CName.appendLowercased(valuePointer, to: &attributeText)
                    hasClass = true
                    hasAttrs = true
                case CName.role:
                    let value = (valuePointer.map { String(cString: $0) } ?? "").lowercased()
                    role = value
                    hasAttrs = true
                    if value == "main" { node.landmarks.insert(.main) }
                    if HTMLTree.Landmarks.boilerplateRoles.contains(value) { node.landmarks.insert(.boilerplateRole) }
                case CName.itemprop:
                    hasAttrs = true
                    if CName.lowercasedEquals(valuePointer, "articlebody") { node.landmarks.insert(.articleBody) }
                case CName.hidden:
                    node.hidden = true
                case CName.ariaHidden:
                    if CName.lowercasedEquals(valuePointer, "true") { node.hidden = true }
                case CName.style:
                    if let valuePointer, CName.hidesElement(style: valuePointer) { node.hidden = true }
                case CName.lang where tag == .html:
                    let language = valuePointer.map { String(cString: $0) } ?? ""
                    if !language.isEmpty { tree.language = language }
                case CName.name where isHead, CName.property where isHead:
                    metaName = .some(valuePointer)
                case CName.content where isHead:
                    metaContent = .some(valuePointer)
                case CName.href where tag == .link:
                    metaContent = .some(valuePointer)
                case CName.rel where isHead:
                    linkRel = .some(valuePointer)
                default:
                    break
                }
            }
        }
        switch tag {
        case .meta:
            // Names are compared in place; only a wanted value becomes a String.
            let name = metaName.flatMap { $0 }
            if tree.metaDescription == nil, CName.lowercasedEquals(name, "description") || CName.lowercasedEquals(name, "og:description") {
                tree.metaDescription = Self.string(metaContent)
            } else if tree.ogTitle == nil, CName.lowercasedEquals(name, "og:title") {
                tree.ogTitle = Self.string(metaContent)
            }
        case .link:
            if tree.canonicalURL == nil, let rel = linkRel.flatMap({ $0 }), CName.hasWord(rel, "canonical") {
                let content = Self.string(metaContent)
                if !content.isEmpty { tree.canonicalURL = content }
            }
        case .title:
            inTitle = titleText.isEmpty
        default:
            break
        }
        if hasAttrs {
            let classEnd = Int32(attributeText.count)
            if let role { attributeText.append(contentsOf: Array(role.utf8)) }
            node.start = Int32(self.attributes.count)
            self.attributes.append(HTMLAttributes(classAndID: classStart..<classEnd, role: classEnd..<Int32(attributeText.count)))
        }
        link(index)
        nodes.append(node)
        current = index
        if tag.isNeverContent { skipDepth += 1 }
    }

    /// A remembered attribute value as a String ("" when absent or valueless).
    private static func string(_ value: UnsafePointer<xmlChar>??) -> String {
        guard let value, let value else { return "" }
        return String(cString: value)
    }

    mutating func end() {
        guard current >= 0 else { return }
        let open = Int(current)
        let tag = nodes[open].tag
        if tag.isNeverContent { skipDepth -= 1 }
        if tag.headingLevel != nil || tag == .pre { literalDepth -= 1 }
        // Whitespace just before a block's end joins nothing: the block ends the passage. Before
        // an inline element's end it stays pending, as a space before what follows it.
        if pendingSpace, tag.isBlock { pendingSpace = false }
        if tag == .title { inTitle = false }
        closeCurrent()
    }

    /// Ends the open element's subtree, tells its parent whether it holds a block, and makes
    /// the parent the open element.
    private mutating func closeCurrent() {
        let open = Int(current)
        let tag = nodes[open].tag
        nodes[open].subtreeEnd = Int32(nodes.count)
        current = nodes[open].parent
        if current >= 0, tag.isBlock || tag == .td || nodes[open].holdsBlock { nodes[Int(current)].holdsBlock = true }
    }

    /// Closes the elements libxml2 left open at the end of the page (their subtrees end there)
    /// and returns the tree.
    mutating func finish() -> HTMLTree {
        while current >= 0 { closeCurrent() }
        var tree = self.tree
        tree.nodes = nodes.buffer
        tree.text = text.buffer
        tree.attributes = attributes.buffer
        tree.attributeText = attributeText.buffer
        tree.titleText = titleText
        tree.scratch = ExtractionScratch(words: storage.scratch.zeroed(count: ExtractionScratch.words(nodes: nodes.count)), nodes: nodes.count)
        return tree
    }

    mutating func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        if inTitle {
            titleText.append(contentsOf: bytes)
            return
        }
        guard skipDepth == 0, current >= 0 else { return }
        let last = nodes[Int(current)].lastChild
        let merges = last >= 0 && nodes[Int(last)].tag == .text && Int(nodes[Int(last)].end) == text.count
        if !merges, literalDepth == 0, Self.isBlank(bytes) {
            pendingSpace = true
            return
        }
        var (visible, commas, irregular) = TextStatistics.count(bytes)
        // Merge with a preceding text sibling.
        if merges {
            // Two spaces can meet where the pieces join.
            let seam = text.last == 0x20 && bytes.first == 0x20
            text.append(contentsOf: bytes)
            nodes[Int(last)].end = Int32(text.count)
            nodes[Int(last)].visible += visible
            nodes[Int(last)].commas += commas
            if irregular || seam { nodes[Int(last)].irregular = true }
            return
        }
        let start = Int32(text.count)
        if pendingSpace {
            // The whitespace run that came before, as one space (the text's own start may be a
            // space too, so the node takes the careful path in ``TextBuffer``).
            text.append(0x20)
            irregular = true
            pendingSpace = false
        }
        text.append(contentsOf: bytes)
        let index = Int32(nodes.count)
        link(index)
        nodes.append(HTMLTree.Node(
            parent: current, start: start, end: Int32(text.count), subtreeEnd: index + 1,
            visible: visible, commas: commas, tag: .text, irregular: irregular
        ))
    }

    /// Whether the run is only the whitespace ``TextBuffer`` collapses (space, tab, line feed,
    /// form feed, carriage return); such runs are short, so a byte loop does.
    private static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes where !(byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C) {
            return false
        }
        return true
    }

    /// Appends `index` as the last child of the open element.
    private mutating func link(_ index: Int32) {
        guard current >= 0 else { return }
        let parent = Int(current)
        let last = nodes[parent].lastChild
        if last >= 0 {
            nodes[Int(last)].nextSibling = index
        } else {
            nodes[parent].firstChild = index
        }
        nodes[parent].lastChild = index
    }
}

/// The tree builder's buffers, kept per thread from one page to the next: a page's buffers are
/// large (a node per 30-odd bytes of markup) and fresh ones cost malloc time and page faults on
/// every page. A thread keeps at most one set, and none past ``retainLimit`` bytes (a huge
/// page's buffers are freed after it).
final class BuilderStorage {
    static let nameCacheSlots = 128
    static let retainLimit = 16 << 20

    var nodes = GrowableBuffer<HTMLTree.Node>(capacity: 64)
    var text = GrowableBuffer<UInt8>(capacity: 256)
    var attributes = GrowableBuffer<HTMLAttributes>(capacity: 16)
    var attributeText = GrowableBuffer<UInt8>(capacity: 256)
    var scratch = GrowableBuffer<UInt64>(capacity: 256)
    let nameCache = UnsafeMutablePointer<(address: UInt, hash: UInt64)>.allocate(capacity: nameCacheSlots)

    deinit {
        nodes.deallocate()
        text.deallocate()
        attributes.deallocate()
        attributeText.deallocate()
        scratch.deallocate()
        nameCache.deallocate()
    }

    private var retainedBytes: Int {
        nodes.capacity * MemoryLayout<HTMLTree.Node>.stride + text.capacity
            + attributes.capacity * MemoryLayout<HTMLAttributes>.stride + attributeText.capacity + scratch.capacity * 8
    }

    /// The thread's storage, or a new one.
    static func take() -> BuilderStorage {
        if let kept = pthread_getspecific(key) {
            pthread_setspecific(key, nil)
            return Unmanaged<BuilderStorage>.fromOpaque(kept).takeRetainedValue()
        }
        return BuilderStorage()
    }

    /// Keeps `storage` for the thread's next page, unless it grew past ``retainLimit``.
    static func giveBack(_ storage: BuilderStorage) {
        guard storage.retainedBytes <= retainLimit, pthread_getspecific(key) == nil else { return }
        pthread_setspecific(key, Unmanaged.passRetained(storage).toOpaque())
    }

    /// The thread-specific slot; a thread's storage is released when the thread ends.
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { kept in
            guard let kept else { return }
            Unmanaged<BuilderStorage>.fromOpaque(kept).release()
        }
        return key
    }()
}

/// The extractor's per-node arrays (text, link and comma counts, removal marks), carved from
/// one zeroed block of the thread's ``BuilderStorage``: no allocation per page, and no
/// bounds or uniqueness checks on the passes that read and write them for every node.
struct ExtractionScratch {
    var textLength = UnsafeMutableBufferPointer<Int32>(start: nil, count: 0)
    var linkLength = UnsafeMutableBufferPointer<Int32>(start: nil, count: 0)
    var commaCount = UnsafeMutableBufferPointer<Int32>(start: nil, count: 0)
    var removed = UnsafeMutableBufferPointer<Bool>(start: nil, count: 0)

    init() {}

    /// 64-bit words needed for `nodes` nodes: three Int32 arrays and one Bool array.
    static func words(nodes: Int) -> Int { max(1, (nodes * 13 + 7) / 8) }

    init(words: UnsafeMutableBufferPointer<UInt64>, nodes: Int) {
        let raw = UnsafeMutableRawPointer(words.baseAddress!)
        textLength = UnsafeMutableBufferPointer(start: raw.bindMemory(to: Int32.self, capacity: nodes), count: nodes)
        linkLength = UnsafeMutableBufferPointer(start: (raw + 4 * nodes).bindMemory(to: Int32.self, capacity: nodes), count: nodes)
        commaCount = UnsafeMutableBufferPointer(start: (raw + 8 * nodes).bindMemory(to: Int32.self, capacity: nodes), count: nodes)
        removed = UnsafeMutableBufferPointer(start: (raw + 12 * nodes).bindMemory(to: Bool.self, capacity: nodes), count: nodes)
    }
}

/// An append-only buffer of plain values (no references) for the tree builder: unlike an
/// array, an append is a capacity test and a store, with no uniqueness or bounds checks. The
/// owner frees it with ``deallocate()``; indices are the owner's to keep in range.
struct GrowableBuffer<Element> {
    private var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    mutating func deallocate() {
        base.deallocate()
        capacity = 0
        count = 0
    }

    /// Empties the buffer, keeping room for at least `minimumCapacity` elements.
    mutating func removeAll(reservingCapacity minimumCapacity: Int) {
        count = 0
        if capacity < minimumCapacity {
            base.deallocate()
            capacity = minimumCapacity
            base = .allocate(capacity: capacity)
        }
    }

    var last: Element? { count > 0 ? base[count - 1] : nil }

    subscript(index: Int) -> Element {
        get {
            assert(index >= 0 && index < count)
            return base[index]
        }
        nonmutating _modify {
            assert(index >= 0 && index < count)
            yield &base[index]
        }
    }

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity { grow(to: count + 1) }
        (base + count).initialize(to: element)
        count += 1
    }

    @inline(__always)
    mutating func append(contentsOf elements: UnsafeBufferPointer<Element>) {
        guard let source = elements.baseAddress, !elements.isEmpty else { return }
        if count + elements.count > capacity { grow(to: count + elements.count) }
        (base + count).initialize(from: source, count: elements.count)
        count += elements.count
    }

    mutating func append(contentsOf elements: [Element]) {
        elements.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    private mutating func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// Sets the count to `count` zeroed elements (of a plain integer type) and returns them
    /// for writing; valid until the buffer next changes or is freed.
    mutating func zeroed(count newCount: Int) -> UnsafeMutableBufferPointer<Element> {
        removeAll(reservingCapacity: newCount)
        UnsafeMutableRawPointer(base).initializeMemory(as: UInt8.self, repeating: 0, count: newCount * MemoryLayout<Element>.stride)
        count = newCount
        return UnsafeMutableBufferPointer(start: base, count: newCount)
    }

    /// The elements, valid until the buffer next changes or is freed.
    var buffer: UnsafeBufferPointer<Element> {
        UnsafeBufferPointer(start: base, count: count)
    }
}

/// Per-byte text statistics, counted while the text streams in (every text byte of every page
/// passes through here, so it works 16 bytes at a time).
enum TextStatistics {
    /// How many bytes are visible (above 0x20, non-ASCII included), how many are commas, and
    /// whether the whitespace is irregular: a control byte (tab, newline ...), a lead byte 0xC2
    /// (as in a no-break space) or two spaces in a row. Text without irregular whitespace needs
    /// no normalising beyond trimming its ends (``TextBuffer``).
    @inline(__always)
    static func count(_ bytes: UnsafeBufferPointer<UInt8>) -> (visible: Int32, commas: Int32, irregular: Bool) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return (0, 0, false) }
        let count = bytes.count
        let space = SIMD16<UInt8>(repeating: 0x20)
        let comma = SIMD16<UInt8>(repeating: 0x2C)
        let leadC2 = SIMD16<UInt8>(repeating: 0xC2)
        // Lane counters hold at most 255, so they are added up every 255 blocks.
        var visibleLanes = SIMD16<UInt8>(), commaLanes = SIMD16<UInt8>()
        var odd = SIMDMask<SIMD16<Int8>>()
        var visible = 0, commas = 0
        var blocks = 0
        var offset = 0
        while offset + 17 <= count {
            let block = UnsafeRawPointer(base + offset).loadUnaligned(as: SIMD16<UInt8>.self)
            let next = UnsafeRawPointer(base + offset + 1).loadUnaligned(as: SIMD16<UInt8>.self)
            // A true lane is all ones, so subtracting a mask adds one per true lane.
            visibleLanes &-= unsafeBitCast(block .> space, to: SIMD16<UInt8>.self)
            commaLanes &-= unsafeBitCast(block .== comma, to: SIMD16<UInt8>.self)
            odd = odd .| (block .< space) .| (block .== leadC2) .| ((block .== space) .& (next .== space))
            offset += 16
            blocks += 1
            if blocks == 255 {
                visible += Int(SIMD16<UInt16>(truncatingIfNeeded: visibleLanes).wrappedSum())
                commas += Int(SIMD16<UInt16>(truncatingIfNeeded: commaLanes).wrappedSum())
                visibleLanes = SIMD16()
                commaLanes = SIMD16()
                blocks = 0
            }
        }
        if offset > 0 {
            visible += Int(SIMD16<UInt16>(truncatingIfNeeded: visibleLanes).wrappedSum())
            commas += Int(SIMD16<UInt16>(truncatingIfNeeded: commaLanes).wrappedSum())
        }
        // The last bytes, and short runs: a byte loop.
        var irregular = offset > 0 && any(odd)
        var previous: UInt8 = offset > 0 ? base[offset - 1] : 0
        while offset < count {
            let byte = base[offset]
            visible &+= byte > 0x20 ? 1 : 0
            commas &+= byte == 0x2C ? 1 : 0
            if byte < 0x20 || byte == 0xC2 || (byte == 0x20 && previous == 0x20) { irregular = true }
            previous = byte
            offset += 1
        }
        return (Int32(truncatingIfNeeded: visible), Int32(truncatingIfNeeded: commas), irregular)
    }
}
