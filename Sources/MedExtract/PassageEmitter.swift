import MedDocument

/// Walks the kept part of an ``HTMLTree`` in document order and cuts it into sections and
/// passages: headings open sections, block elements end passages, inline elements join text
/// without inventing spaces, table cells join into one row passage, and `<br>` outside a
/// paragraph ends a passage (pages that separate text with line breaks instead of `<p>`).
struct PassageEmitter {
    let tree: HTMLTree
    let removed: UnsafeBufferPointer<Bool>

    /// The text of the first `<h1>` met, if any.
    private(set) var firstH1: String?

    private var sections: [Section] = [Section(heading: "", level: 0, path: [])]
    /// Open headings by level, to build section paths.
    private var headingStack: [(level: Int, text: String)] = []
    private var buffer = TextBuffer()
    /// The passage kind of each open block element (innermost last).
    private var kinds: [Passage.Kind] = []
    private var headingDepth = 0
    private var headingBuffer = TextBuffer()
    private var preDepth = 0

    init(tree: HTMLTree, removed: UnsafeBufferPointer<Bool>) {
        self.tree = tree
        self.removed = removed
    }

    mutating func walk(from root: Int) {
        guard root < tree.nodes.count else { return }
        var index = root
        while true {
            let firstChild = Int(tree.nodes[index].firstChild)
            if enter(index), firstChild >= 0 {
                index = firstChild
                continue
            }
            if !removed[index] { leave(index) }
            // Climb until a node with a next sibling, leaving each parent on the way.
            while index != root, tree.nodes[index].nextSibling < 0 {
                index = Int(tree.nodes[index].parent)
                leave(index)
            }
            if index == root {
                flush()
                return
            }
            index = Int(tree.nodes[index].nextSibling)
        }
    }

    /// Handles a node's start; returns whether to visit its children.
    private mutating func enter(_ index: Int) -> Bool {
        let node = tree.nodes[index]
        // Whitespace the tree keeps as a flag (a removed node's is still there in the page).
        if node.spaceBefore {
            if headingDepth > 0 { headingBuffer.appendSpace() } else { buffer.appendSpace() }
        }
        if removed[index] { return false }
        if node.tag == .text {
            let bytes = tree.textBytes(of: index)
            if headingDepth > 0 {
                headingBuffer.append(bytes, preserve: false, regular: !node.irregular)
            } else {
                buffer.append(bytes, preserve: preDepth > 0, regular: !node.irregular)
            }
            return false
        }
        if node.tag.headingLevel != nil {
            if headingDepth == 0 { flush() }
            headingDepth += 1
            return true
        }
        if headingDepth > 0 { return true }
        switch node.tag {
        case .br:
            if preDepth > 0 {
                buffer.appendNewline()
            } else if inParagraphLike {
                buffer.appendSpace()
            } else {
                flush()
            }
        case .td, .th:
            buffer.appendSeparator(" | ")
        case .img:
            break
        default:
            if node.tag.isBlock { flush() }
        }
        if let kind = Self.kind(for: node.tag) { kinds.append(kind) }
        if node.tag == .pre { preDepth += 1 }
        return true
    }

    private mutating func leave(_ index: Int) {
        let node = tree.nodes[index]
        guard node.tag != .text else { return }
        if let level = node.tag.headingLevel {
            headingDepth -= 1
            if headingDepth == 0 { openSection(level: level) }
            return
        }
        if headingDepth > 0 { return }
        if node.tag.isBlock { flush() }
        if Self.kind(for: node.tag) != nil { kinds.removeLast() }
        if node.tag == .pre { preDepth -= 1 }
    }

    /// Whether the innermost block is a paragraph-like element, where `<br>` is a line break
    /// inside the passage rather than the end of one.
    private var inParagraphLike: Bool {
        guard let kind = kinds.last else { return false }
        return kind != .preformatted
    }

    private static func kind(for tag: HTMLTag) -> Passage.Kind? {
        switch tag {
        case .p, .address: .paragraph
        case .li: .listItem
        case .tr: .tableRow
        case .pre: .preformatted
        case .blockquote: .quote
        case .figcaption, .caption: .caption
        case .dd, .dt: .definition
        default: nil
        }
    }

    private mutating func flush() {
        let text = buffer.take()
        // A block of only invisible or decorative characters (a zero-width space used as a
        // spacer, "•", "***") is not a passage.
        // An ASCII letter or digit answers at once; only text without one needs the Unicode
        // properties.
        let hasASCIIAlphanumeric = text.utf8.contains { byte in
            (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
        guard hasASCIIAlphanumeric
            || text.unicodeScalars.contains(where: { $0.properties.isAlphabetic || $0.properties.numericType != nil })
        else { return }
        let kind = kinds.last ?? .paragraph
        sections[sections.count - 1].passages.append(Passage(kind: kind, text: text))
    }

    private mutating func openSection(level: Int) {
        let text = headingBuffer.take()
        guard !text.isEmpty else { return }
        if level == 1, firstH1 == nil { firstH1 = text }
        while let last = headingStack.last, last.level >= level { headingStack.removeLast() }
        headingStack.append((level, text))
        let path = headingStack.filter { $0.level > 1 }.map(\.text)
        let current = sections[sections.count - 1]
        if current.passages.isEmpty, current.heading.isEmpty, current.level == 0, sections.count == 1 {
            sections[0] = Section(heading: text, level: level, path: path)
        } else {
            sections.append(Section(heading: text, level: level, path: path))
        }
    }

    /// The sections, dropping empty ones at the end and the untitled lead when it is empty.
    mutating func finish(title: String) -> [Section] {
        flush()
        var result = sections
        while let last = result.last, last.passages.isEmpty, result.count > 1 { result.removeLast() }
        if result.count == 1, result[0].passages.isEmpty, result[0].heading.isEmpty { return [] }
        return result
    }
}

/// Accumulates text with whitespace collapsed: runs of whitespace become one space, emitted only
/// between non-space content, so inline elements join exactly as a browser renders them.
struct TextBuffer {
    private var bytes: [UInt8] = []
    private var pendingSpace = false

    /// Appends text, collapsing its whitespace unless `preserve` (inside `<pre>`). `regular`
    /// says the text is known to hold no irregular whitespace (``TextStatistics``), so the scan
    /// for it is skipped.
    mutating func append(_ text: UnsafeBufferPointer<UInt8>, preserve: Bool, regular: Bool = false) {
        if preserve {
            if pendingSpace, !bytes.isEmpty { bytes.append(0x20) }
            pendingSpace = false
            for byte in text where byte != 0x0D { bytes.append(byte) }
            return
        }
        // Fast path: text that is already normalised inside (single spaces only, no tabs,
        // newlines or no-break spaces) is copied in one go; only its ends need care.
        var first = 0, last = text.count
        while first < last, text[first] == 0x20 { first += 1 }
        while last > first, text[last - 1] == 0x20 { last -= 1 }
        var clean = first < last
        if clean, !regular {
            var previous: UInt8 = 0
            for offset in first..<last {
                let byte = text[offset]
                if (byte >= 0x09 && byte <= 0x0D) || (byte == 0x20 && previous == 0x20) || byte == 0xC2 {
                    clean = false
                    break
                }
                previous = byte
            }
        }
        if clean {
            if first > 0 { pendingSpace = true }
            if pendingSpace, !bytes.isEmpty { bytes.append(0x20) }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[first..<last]))
            pendingSpace = last < text.count
            return
        }
        var index = 0
        let end = text.count
        while index < end {
            let byte = text[index]
            if byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C {
                pendingSpace = true
                index += 1
            } else if byte == 0xC2, index + 1 < end, text[index + 1] == 0xA0 {
                pendingSpace = true  // no-break space
                index += 2
            } else {
                if pendingSpace, !bytes.isEmpty { bytes.append(0x20) }
                pendingSpace = false
                // Copy the whole run up to the next space at once.
                var runEnd = index + 1
                while runEnd < end {
                    let next = text[runEnd]
                    if next <= 0x20 || next == 0xC2 { break }
                    runEnd += 1
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[index..<runEnd]))
                index = runEnd
            }
        }
    }

    mutating func appendSpace() { pendingSpace = true }

    mutating func appendNewline() {
        bytes.append(0x0A)
        pendingSpace = false
    }

    /// Adds a separator between table cells, only when the row already has text.
    mutating func appendSeparator(_ separator: String) {
        guard !bytes.isEmpty else { return }
        bytes.append(contentsOf: separator.utf8)
        pendingSpace = false
    }

    /// Returns the text so far (trimmed, valid UTF-8) and empties the buffer.
    mutating func take() -> String {
        defer {
            bytes.removeAll(keepingCapacity: true)
            pendingSpace = false
        }
        var slice = bytes[...]
        while let first = slice.first, first == 0x20 || first == 0x0A || first == UInt8(ascii: "|") { slice = slice.dropFirst() }
        while let last = slice.last, last == 0x20 || last == 0x0A || last == UInt8(ascii: "|") { slice = slice.dropLast() }
        // The decoder repairs any invalid sequence libxml2 let through (PLATFORM-NOTES).
        return String(decoding: slice, as: UTF8.self)
    }
}
