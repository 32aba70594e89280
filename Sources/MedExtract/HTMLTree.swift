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

    /// Tags by the hash of their (lowercase ASCII) name; see ``CName``. The payload is the tag's
    /// index in `all` plus one (0 means "not a tag we know").
    private static let all: [HTMLTag] = [
        .html, .head, .body, .title, .meta, .link, .base, .script, .style, .noscript, .template, .iframe,
        .svg, .math, .object, .embed, .canvas, .video, .audio, .form, .button, .select, .option, .textarea,
        .input, .label, .fieldset, .legend, .nav, .header, .footer, .aside, .main, .article, .section, .div,
        .span, .p, .br, .hr, .h1, .h2, .h3, .h4, .h5, .h6, .ul, .ol, .li, .dl, .dt, .dd, .menu, .table,
        .thead, .tbody, .tfoot, .tr, .td, .th, .caption, .pre, .code, .blockquote, .figure, .figcaption,
        .address, .center, .details, .summary, .dialog, .marquee, .a, .img,
    ]
    /// Name lookup; the tree builder keeps a copy for the whole parse (a `static let` costs a
    /// lazy-initialisation check on every access, and this runs for every tag).
    struct Lookup: Sendable {
        private let table = HashedNames(all.enumerated().map { (CName.hash("\($0.element)"), UInt8($0.offset + 1)) })
        private let tags = all

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

/// The attributes the extractor reads, kept only for elements that have any of them.
struct HTMLAttributes: Sendable {
    /// `class` and `id` values, lowercased, joined by a space.
    var classAndID = ""
    var role = ""
    var itemprop = ""
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

    static func hash(_ name: String) -> UInt64 {
        ContentHash.fnv1a64(name.utf8.lazy.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 })
    }

    /// The value as a String with ASCII letters lowercased (non-ASCII bytes kept; invalid UTF-8
    /// repaired), built in one pass.
    static func lowercased(_ value: UnsafePointer<UInt8>) -> String {
        let count = strlen(UnsafeRawPointer(value).assumingMemoryBound(to: CChar.self))
        let bytes = UnsafeBufferPointer(start: value, count: count)
        if bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self).lowercased() }
        return String(unsafeUninitializedCapacity: count) { buffer in
            for (offset, byte) in bytes.enumerated() { buffer[offset] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
            return count
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
struct HTMLTree: Sendable {
    struct Node: Sendable {
        var tag: HTMLTag
        var parent: Int32
        var firstChild: Int32 = -1
        var lastChild: Int32 = -1
        var nextSibling: Int32 = -1
        /// For text nodes: the byte range in `text`. For elements: an index into `attributes`, or -1.
        var start: Int32 = 0
        var end: Int32 = 0
        /// Hidden by the `hidden` attribute, `aria-hidden="true"` or an inline `display:none`.
        var hidden = false
        /// For text nodes: how many of its bytes are not ASCII whitespace or control characters
        /// (counted while parsing, so the extractor's text statistics need no second pass).
        var visible: Int32 = 0
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

    var nodes: [Node] = []
    var text: [UInt8] = []
    var attributes: [HTMLAttributes] = []

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

    func textBytes(of index: Int) -> ArraySlice<UInt8> {
        let node = nodes[index]
        return text[Int(node.start)..<Int(node.end)]
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

    static func parse(utf8 bytes: [UInt8]) -> HTMLTree {
        initialize()
        medsearch_xml_silence()  // error handlers are per thread in libxml2 2.9
        // The builder is a struct behind a pointer, not a class: libxml2 holds an opaque pointer
        // to it, and a struct's mutations need no dynamic exclusivity checks (those cost ~8%).
        let builder = UnsafeMutablePointer<TreeBuilder>.allocate(capacity: 1)
        builder.initialize(to: TreeBuilder())
        defer { builder.deinitialize(count: 1); builder.deallocate() }
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
        return builder.pointee.tree
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
private struct TreeBuilder {
    var tree = HTMLTree()
    /// The open element; -1 before `<html>`.
    private var current: Int32 = -1
    /// > 0 while inside an element whose text is never content (script, style, ...).
    private var skipDepth = 0
    private var inTitle = false
    /// The tag of each open element, to track `skipDepth` on close.
    private var openTags: [HTMLTag] = []
    private let tagLookup = HTMLTag.lookup

    mutating func start(_ name: UnsafePointer<xmlChar>, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        let tag = tagLookup.tag(hash: CName.hash(name))
        var node = HTMLTree.Node(tag: tag, parent: current, start: -1)
        var attrs = HTMLAttributes()
        var hasAttrs = false
        var metaName = "", metaContent = "", linkRel = ""
        let isHead = tag == .meta || tag == .link || tag == .html
        if var cursor = attributes {
            while let keyPointer = cursor.pointee {
                let valuePointer = cursor.advanced(by: 1).pointee
                cursor = cursor.advanced(by: 2)
                let key = CName.hash(keyPointer)
                func value() -> String { valuePointer.map { String(cString: $0) } ?? "" }
                switch key {
                case CName.class, CName.id:
                    guard let valuePointer, valuePointer.pointee != 0 else { continue }
                    let lowered = CName.lowercased(valuePointer)
                    attrs.classAndID += attrs.classAndID.isEmpty ? lowered : " " + lowered
                    hasAttrs = true
                case CName.role:
                    attrs.role = value().lowercased()
                    hasAttrs = true
                    if attrs.role == "main" { node.landmarks.insert(.main) }
                    if HTMLTree.Landmarks.boilerplateRoles.contains(attrs.role) { node.landmarks.insert(.boilerplateRole) }
                case CName.itemprop:
                    attrs.itemprop = value().lowercased()
                    hasAttrs = true
                    if attrs.itemprop == "articlebody" { node.landmarks.insert(.articleBody) }
                case CName.hidden:
                    node.hidden = true
                case CName.ariaHidden:
                    if value().lowercased() == "true" { node.hidden = true }
                case CName.style:
                    if let valuePointer, CName.hidesElement(style: valuePointer) { node.hidden = true }
                case CName.lang where tag == .html:
                    let language = value()
                    if !language.isEmpty { tree.language = language }
                case CName.name where isHead, CName.property where isHead:
                    metaName = value().lowercased()
                case CName.content where isHead:
                    metaContent = value()
                case CName.href where tag == .link:
                    metaContent = value()
                case CName.rel where isHead:
                    linkRel = value().lowercased()
                default:
                    break
                }
            }
        }
        switch tag {
        case .meta:
            if metaName == "description", tree.metaDescription == nil { tree.metaDescription = metaContent }
            if metaName == "og:title", tree.ogTitle == nil { tree.ogTitle = metaContent }
            if metaName == "og:description", tree.metaDescription == nil { tree.metaDescription = metaContent }
        case .link:
            if linkRel.split(separator: " ").contains("canonical"), tree.canonicalURL == nil, !metaContent.isEmpty {
                tree.canonicalURL = metaContent
            }
        case .title:
            inTitle = tree.titleText.isEmpty
        default:
            break
        }
        if hasAttrs {
            node.start = Int32(tree.attributes.count)
            tree.attributes.append(attrs)
        }
        let index = Int32(tree.nodes.count)
        link(index)
        tree.nodes.append(node)
        current = index
        openTags.append(tag)
        if tag.isNeverContent { skipDepth += 1 }
    }

    mutating func end() {
        guard current >= 0, let tag = openTags.popLast() else { return }
        if tag.isNeverContent { skipDepth -= 1 }
        if tag == .title { inTitle = false }
        current = tree.nodes[Int(current)].parent
    }

    mutating func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        if inTitle {
            tree.titleText.append(contentsOf: bytes)
            return
        }
        guard skipDepth == 0, current >= 0 else { return }
        // Merge with a preceding text sibling.
        let last = tree.nodes[Int(current)].lastChild
        var visible: Int32 = 0
        for byte in bytes where byte > 0x20 { visible += 1 }
        if last >= 0, tree.nodes[Int(last)].tag == .text, Int(tree.nodes[Int(last)].end) == tree.text.count {
            tree.text.append(contentsOf: bytes)
            tree.nodes[Int(last)].end = Int32(tree.text.count)
            tree.nodes[Int(last)].visible += visible
            return
        }
        let start = Int32(tree.text.count)
        tree.text.append(contentsOf: bytes)
        let index = Int32(tree.nodes.count)
        link(index)
        tree.nodes.append(HTMLTree.Node(tag: .text, parent: current, start: start, end: Int32(tree.text.count), visible: visible))
    }

    /// Appends `index` as the last child of the open element.
    private mutating func link(_ index: Int32) {
        guard current >= 0 else { return }
        let parent = Int(current)
        let last = tree.nodes[parent].lastChild
        if last >= 0 {
            tree.nodes[Int(last)].nextSibling = index
        } else {
            tree.nodes[parent].firstChild = index
        }
        tree.nodes[parent].lastChild = index
    }
}
