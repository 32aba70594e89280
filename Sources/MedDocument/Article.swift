/// A clean, structured article: what extraction produces from one HTML page and what the index
/// stores and searches.
///
/// Invariants: every string is valid UTF-8 with whitespace normalised (no leading/trailing
/// whitespace, no runs of spaces) except `Passage.Kind.preformatted` text, which keeps its lines.
/// Sections are in document order; a section may have no passages (a heading followed directly by
/// a sub-heading).
public struct Article: Sendable, Hashable, Codable {
    /// The article's title (from `<title>`, `<h1>` or `og:title`); may be empty.
    public var title: String
    /// The page's meta description, if it declares one.
    public var description: String?
    /// The canonical URL, if the page declares one.
    public var url: String?
    /// The language from `<html lang>`, if declared (e.g. `en`, `en-US`).
    public var language: String?
    /// The article body as sections of passages, in document order.
    public var sections: [Section]

    public init(
        title: String,
        description: String? = nil,
        url: String? = nil,
        language: String? = nil,
        sections: [Section] = []
    ) {
        self.title = title
        self.description = description
        self.url = url
        self.language = language
        self.sections = sections
    }

    /// Every passage in document order, with the section it belongs to.
    public var passages: [Passage] { sections.flatMap(\.passages) }

    /// The article body as plain text: each section heading (other than the title) and each
    /// passage on a line of its own, title excluded.
    public var bodyText: String {
        var lines: [String] = []
        for section in sections {
            if !section.heading.isEmpty, section.level > 1 || section.heading != title {
                lines.append(section.heading)
            }
            lines.append(contentsOf: section.passages.map(\.text))
        }
        return lines.joined(separator: "\n")
    }

    /// The number of passages over all sections.
    public var passageCount: Int { sections.reduce(0) { $0 + $1.passages.count } }
}

/// A run of passages under one heading.
public struct Section: Sendable, Hashable, Codable {
    /// The heading text; empty for the passages that come before the first heading.
    public var heading: String
    /// The heading level, 1–6 for `<h1>`–`<h6>`, 0 for the untitled lead section.
    public var level: Int
    /// The headings from the outermost section down to this one, excluding the article title,
    /// e.g. `["Certification", "ARRT"]`. Display it with ``Section/pathSeparator``.
    public var path: [String]
    /// The passages of this section, in document order.
    public var passages: [Passage]

    /// The separator used to display a section path: "Certification › ARRT".
    public static let pathSeparator = " › "

    public init(heading: String, level: Int, path: [String], passages: [Passage] = []) {
        self.heading = heading
        self.level = level
        self.path = path
        self.passages = passages
    }

    /// The section path joined for display, e.g. "Certification › ARRT"; empty for the lead.
    public var displayPath: String { path.joined(separator: Self.pathSeparator) }
}

/// The unit a reader would quote: a paragraph, list item, table row, quote, caption or
/// preformatted block.
public struct Passage: Sendable, Hashable, Codable {
    /// What kind of block the passage came from.
    public enum Kind: UInt8, Sendable, Hashable, Codable, CaseIterable {
        case paragraph = 0
        case listItem = 1
        case tableRow = 2
        case preformatted = 3
        case quote = 4
        case caption = 5
        case definition = 6

        /// A short lowercase name for output ("paragraph", "list-item", ...).
        public var name: String {
            switch self {
            case .paragraph: "paragraph"
            case .listItem: "list-item"
            case .tableRow: "table-row"
            case .preformatted: "preformatted"
            case .quote: "quote"
            case .caption: "caption"
            case .definition: "definition"
            }
        }
    }

    public var kind: Kind
    /// The passage text, whitespace-normalised (preformatted passages keep their line breaks).
    public var text: String

    public init(kind: Kind, text: String) {
        self.kind = kind
        self.text = text
    }
}
