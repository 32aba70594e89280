import Foundation
import Testing
@testable import MedExtract

private func extract(_ html: String, keepBoilerplate: Bool = false) throws -> ExtractionResult {
    try ArticleExtractor(options: ExtractionOptions(keepBoilerplate: keepBoilerplate)).extract(html: Array(html.utf8))
}

/// Extracts `html` and checks that each of `keeps` is in the body text and none of `drops` is.
private func expectExtraction(_ html: String, keeps: [String], drops: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
    let text = try extract(html).article.bodyText
    for phrase in keeps { #expect(text.contains(phrase), "lost '\(phrase)'", sourceLocation: sourceLocation) }
    for phrase in drops { #expect(!text.contains(phrase), "kept '\(phrase)'", sourceLocation: sourceLocation) }
}

private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Suite("Extraction")
struct ExtractionTests {
    @Test("title, sections, passages and block boundaries")
    func structure() throws {
        let html = """
        <html lang="en"><head><title>RN Careers | Site</title><meta name="description" content="About RNs">
        <link rel="canonical" href="https://x.example/rn"></head><body>
        <nav><a href="/">Home</a> <a href="/a">Menu item</a></nav>
        <article><h1>RN Careers</h1><p>Registered nurses work in <b>hospitals</b>, clinics and homes.</p>
        <h2>Certification</h2><h3>NCLEX</h3><p>The NCLEX-RN is required.</p>
        <ul><li>RN to NP</li><li>Pay</li></ul><table><tr><td>RN</td><td>ADN</td></tr></table></article>
        <footer>Copyright</footer></body></html>
        """
        let article = try extract(html).article
        #expect(article.title == "RN Careers")
        #expect(article.description == "About RNs")
        #expect(article.url == "https://x.example/rn")
        #expect(article.language == "en")
        let texts = article.passages.map(\.text)
        #expect(texts == ["Registered nurses work in hospitals, clinics and homes.", "The NCLEX-RN is required.", "RN to NP", "Pay", "RN | ADN"])
        let nclex = try #require(article.sections.first { $0.heading == "NCLEX" })
        #expect(nclex.path == ["Certification", "NCLEX"])
        #expect(nclex.displayPath == "Certification › NCLEX")
        #expect(!article.bodyText.contains("Menu item"))
        #expect(!article.bodyText.contains("Copyright"))
    }

    @Test("inline elements join without spurious spaces; entities decode")
    func inlineAndEntities() throws {
        let article = try extract("<p>X-<b>ray</b> &amp; CT&nbsp;scans&mdash;safe &#233; &bogus; &#0; &#xD800;</p>").article
        let text = try #require(article.passages.first?.text)
        #expect(text.hasPrefix("X-ray & CT scans—safe é"))
        #expect(text.utf8.allSatisfy { $0 != 0 })
    }

    @Test("hidden elements, scripts and boilerplate classes are dropped; --keep-boilerplate keeps menus")
    func boilerplate() throws {
        let html = """
        <body><div class="sidebar"><p>Sponsored Listings: Lakeshore Institute</p></div>
        <div class="content"><p>Sonographers use ultrasound to image organs, and they need good hand-eye coordination to do it well.</p>
        <p hidden>Secret</p><p style="display: none">Gone</p><script>var x = 1;</script>
        <div class="share-buttons"><a href="#">Share</a></div></div></body>
        """
        let text = try extract(html).article.bodyText
        #expect(text.contains("Sonographers use ultrasound"))
        for gone in ["Sponsored", "Secret", "Gone", "var x", "Share"] { #expect(!text.contains(gone)) }
        let kept = try extract(html, keepBoilerplate: true).article.bodyText
        #expect(kept.contains("Sponsored Listings"))
        #expect(!kept.contains("var x"))
    }

    @Test("a block repeated on the page is dropped")
    func repeatedBlocks() throws {
        let ad = "<div class=\"box\"><p>Find Accredited Programs Near You today</p></div>"
        let html = "<body>\(ad)<div class=\"article-body\" itemprop=\"articleBody\"><p>First paragraph about radiography programs and the exams graduates take.</p>\(ad)<p>Second paragraph about clinical rotations in hospitals and imaging centers.</p></div>\(ad)</body>"
        let text = try extract(html).article.bodyText
        #expect(text.contains("First paragraph"))
        #expect(text.contains("Second paragraph"))
        #expect(!text.contains("Find Accredited Programs"))
    }

    @Test("attribute-name hash literals match the hash function, and tag names resolve")
    func nameHashes() {
        let literals: [(UInt64, String)] = [
            (CName.class, "class"), (CName.id, "id"), (CName.role, "role"), (CName.itemprop, "itemprop"),
            (CName.hidden, "hidden"), (CName.ariaHidden, "aria-hidden"), (CName.style, "style"), (CName.lang, "lang"),
            (CName.name, "name"), (CName.property, "property"), (CName.content, "content"), (CName.rel, "rel"), (CName.href, "href"),
        ]
        for (literal, name) in literals { #expect(literal == CName.hash(name), "\(name)") }
        #expect(HTMLTag.lookup.tag(hash: CName.hash("BLOCKQUOTE")) == .blockquote)
        #expect(HTMLTag.lookup.tag(hash: CName.hash("custom-element")) == .other)
        for entry in HTMLTag.all {
            #expect("\(entry.tag)" == entry.name.description, "\(entry.name)")
            #expect(HTMLTag.lookup.tag(hash: CName.hash(entry.name.description.uppercased())) == entry.tag)
        }
        // Names longer than any known one stop hashing early and match nothing.
        #expect(CName.shortHash("aria-hidden") == CName.ariaHidden)
        #expect(CName.shortHash("data-very-long-attribute") == 0)
    }

    @Test("text statistics count visible bytes, commas and irregular whitespace as a byte loop would")
    func textStatistics() {
        var generator = SystemRandomNumberGenerator()
        let alphabets: [[UInt8]] = [
            [0x20, 0x0A, 0x2C, 0x41, 0xC2, 0xA0, 0x00, 0x21, 0x1F, 0x80, 0xFF],
            [0x20, 0x2C, 0x41, 0x61, 0x2E, 0xC3, 0xA9],  // mostly regular: irregular only by double spaces
            [0x41, 0x62, 0x2C, 0x20],
        ]
        for alphabet in alphabets {
            for length in [0, 1, 2, 7, 8, 9, 15, 16, 17, 18, 31, 32, 33, 64, 1000, 5000] {
                for _ in 0..<20 {
                    var bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
                    // Often no double space at all, so both answers are exercised.
                    if Bool.random(using: &generator) {
                        for index in bytes.indices.dropFirst() where bytes[index] == 0x20 && bytes[index - 1] == 0x20 { bytes[index] = 0x41 }
                    }
                    let counts = bytes.withUnsafeBufferPointer { TextStatistics.count($0) }
                    #expect(Int(counts.visible) == bytes.filter { $0 > 0x20 }.count)
                    #expect(Int(counts.commas) == bytes.filter { $0 == 0x2C }.count)
                    let irregular = bytes.indices.contains { index in
                        bytes[index] < 0x20 || bytes[index] == 0xC2 || (index > 0 && bytes[index] == 0x20 && bytes[index - 1] == 0x20)
                    }
                    #expect(counts.irregular == irregular, "\(bytes)")
                }
            }
        }
    }

    @Test("whitespace between tags joins inline text as a browser shows it, whatever is removed")
    func whitespaceBetweenTags() throws {
        // The builder keeps no node for a blank run; the space must still come out.
        let cases: [(html: String, passages: [String])] = [
            ("<body><div><p><b>Radiologic</b>\n  <i>technologist</i></p></div></body>", ["Radiologic technologist"]),
            ("<body><div><p><b>CT</b><i>scan</i></p></div></body>", ["CTscan"]),
            // A removed element between two inline runs: the blank after it still separates them.
            ("<body><div><p>Sonographer<nav>Menu</nav>\n<b>pay</b></p></div></body>", ["Sonographer pay"]),
            ("<body><div><p>Sonographer<script>x()</script> <b>pay</b></p></div></body>", ["Sonographer pay"]),
            // Blank after an inline element's last text, before its end: a space before what follows.
            ("<body><div><p><span>MRI \n</span>safety</p></div></body>", ["MRI safety"]),
            ("<body><div><p><span>MRI</span>\n\n</p><p>Next</p></div></body>", ["MRI", "Next"]),
            // Blocks end passages; blanks between them make no empty passage.
            ("<body><div>\n<p>One</p>\n\n<p>Two</p>\n</div></body>", ["One", "Two"]),
            // A blank run split from the text that follows it by the parser's chunking.
            ("<body><div><p><b>Nuclear</b>" + String(repeating: " ", count: 3000) + "medicine</p></div></body>", ["Nuclear medicine"]),
        ]
        for (html, passages) in cases {
            #expect(try extract(html).article.passages.map(\.text) == passages, "\(html.prefix(80))")
        }
        // Inside headings and <pre> whitespace is kept as it came.
        let heading = try extract("<body><div><h2><span>Pay</span>\n<span>ranges</span></h2><p>Text of the section.</p></div></body>")
        #expect(heading.article.sections.first?.heading == "Pay ranges")
        let pre = try extract("<body><div><pre><b>a</b>\n  <b>b</b></pre></div></body>")
        #expect(pre.article.passages.map(\.text) == ["a\n  b"])
        let title = try extract("<html><body><h1><b>PET</b>\n<b>Imaging</b></h1><p>About positron emission tomography.</p></body></html>")
        #expect(title.article.title == "PET Imaging")
    }

    @Test("a removal's preview skips indentation (a block whose first 400 bytes were blanks went unlisted)")
    func removalPreviewSkipsIndentation() throws {
        let indent = String(repeating: " ", count: 120)
        let items = (1...6).map { "\(indent)<li><a href=\"/\($0)\">Link \($0)</a></li>\n" }.joined()
        let paragraph = "<p>" + String(repeating: "CT technologists train for two years and then sit the registry exam. ", count: 8) + "</p>"
        let html = "<body><article>\(paragraph)<div class=\"sidebar\">\(indent)\n\(indent)<ul>\n\(items)</ul></div>\(paragraph)</article></body>"
        let result = try ArticleExtractor(options: ExtractionOptions(recordRemovals: true)).extract(html: Array(html.utf8))
        let removal = try #require(result.removals.first { $0.element == "div.sidebar" })
        #expect(removal.preview.hasPrefix("Link 1 Link 2"))
    }

    @Test("title and <h1> compare case-insensitively, by bytes for ASCII as a String search would")
    func titleContainsHeadline() {
        let pairs: [(String, String)] = [
            ("CT Technologist Career Guide | CareerScope", "ct technologist career guide"),
            ("CT Technologist Career Guide | CareerScope", "MRI"),
            ("abc", "abcd"), ("aaab", "aab"), ("x", "x"),
            ("Échographie et IRM", "irm"), ("Straße", "STRASSE"), ("e\u{301}cole", "e"),
            ("Ultraschall\r\nKurs", "\nkurs"),
        ]
        for (text, part) in pairs {
            #expect(TextMatching.containsIgnoringCase(text, part) == text.lowercased().contains(part.lowercased()), "\(text) / \(part)")
        }
    }

    @Test("whitespace collapsing returns already-clean text unchanged and cleans the rest")
    func collapse() {
        #expect(Whitespace.collapse("Radiology careers") == "Radiology careers")
        #expect(Whitespace.collapse("  Radiology\t\n careers ") == "Radiology careers")
        #expect(Whitespace.collapse("a  b") == "a b")
        #expect(Whitespace.collapse(" ") == "")
        #expect(Whitespace.collapse("") == "")
        #expect(Whitespace.collapse("IRM\u{00A0} et\u{2003}scanner") == "IRM et scanner")
    }

    @Test("canonical links and meta names are matched without case, by word")
    func metadataNames() throws {
        let html = """
            <html><head><meta NAME="Description" content="About MRI."><meta property="og:title" content="OG">
            <link rel="alternate" href="https://a.example/x"><link REL="Canonical alternate" href="https://a.example/mri">
            </head><body><p>Text about magnetic resonance imaging for technologists.</p></body></html>
            """
        let article = try extract(html).article
        #expect(article.description == "About MRI.")
        #expect(article.url == "https://a.example/mri")
        "alternate canonical".withCString { pointer in
            pointer.withMemoryRebound(to: UInt8.self, capacity: 20) { bytes in
                #expect(CName.hasWord(bytes, "canonical"))
                #expect(!CName.hasWord(bytes, "canon"))
            }
        }
    }

    @Test("class/id summaries in one pass equal the word-by-word, part-by-part reading")
    func classHintsOnePass() {
        func isSeparator(_ byte: UInt8) -> Bool {
            byte < 0x30 || (0x3A...0x40).contains(byte) || (0x5B...0x60).contains(byte) || (0x7B...0x7F).contains(byte)
        }
        /// The reading the one-pass code replaced: words at spaces, then parts at punctuation.
        func reference(_ text: String) -> ClassHints.Summary {
            let bytes = Array(text.utf8)
            var summary = ClassHints.Summary()
            var firstNegative: Range<Int>?
            var anyNegative = false, anyPositive = false, wholePositive = false, anyUnlikely = false
            func visit(_ range: Range<Int>, whole: Bool) {
                let word = String(decoding: bytes[range], as: UTF8.self)
                if ClassHints.negative.contains(word) {
                    anyNegative = true
                    if firstNegative == nil { firstNegative = range }
                }
                if ClassHints.positive.contains(word) {
                    anyPositive = true
                    if whole { wholePositive = true }
                }
                if ClassHints.unlikely.contains(word) { anyUnlikely = true }
            }
            var start = 0
            for end in 0...bytes.count where end == bytes.count || bytes[end] == 0x20 {
                defer { start = end + 1 }
                guard end > start else { continue }
                visit(start..<end, whole: true)
                var parts: [Range<Int>] = []
                var partStart = start
                for index in start...end where index == end || isSeparator(bytes[index]) {
                    if index > partStart { parts.append(partStart..<index) }
                    partStart = index + 1
                }
                if parts.count > 1 { parts.forEach { visit($0, whole: false) } }
            }
            if !wholePositive, let firstNegative { summary.boilerplateToken = Int32(firstNegative.lowerBound)..<Int32(firstNegative.upperBound) }
            summary.unlikely = anyUnlikely && !anyPositive
            summary.weight = (anyNegative ? -25 : 0) + (anyPositive ? 25 : 0)
            return summary
        }
        var generator = SystemRandomNumberGenerator()
        let pieces = ["nav", "comment", "comments", "article", "content", "share", "post", "x", "sidebar", "main", "é", "ad", "--", "_", ".", "related", "body", "9"]
        var cases = ["", " ", "nav", "post-share", "article-body sidebar-aware", "a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-nav",
                     "x-" + String(repeating: "ad-", count: 20) + "content", "  comment  ", "content sidebar"]
        for _ in 0..<2_000 {
            let words = (0..<Int.random(in: 1...4, using: &generator)).map { _ in
                (0..<Int.random(in: 1...20, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined(separator: ["-", "_", "", "."].randomElement(using: &generator)!)
            }
            cases.append(words.joined(separator: [" ", "  "].randomElement(using: &generator)!))
        }
        for text in cases {
            let expected = reference(text)
            let summary = Array(text.utf8).withUnsafeBufferPointer { ClassHints.summarize(bytes: $0) }
            #expect(summary.boilerplateToken == expected.boilerplateToken && summary.unlikely == expected.unlikely
                && summary.weight == expected.weight, "\(text)")
        }
    }

    @Test("<br> outside paragraphs separates passages")
    func lineBreaks() throws {
        let article = try extract("<body><div><h2>CT</h2>Uses X-rays.<br>Fast scans.<br><br>Contrast often used.</div></body>").article
        #expect(article.passages.map(\.text) == ["Uses X-rays.", "Fast scans.", "Contrast often used."])
    }

    @Test("no <title>: the <h1> is the title")
    func h1Title() throws {
        #expect(try extract("<body><h1>PET Imaging</h1><p>Text about positron emission tomography.</p></body>").article.title == "PET Imaging")
    }

    // MARK: Bad input

    @Test("empty and whitespace-only files are refused")
    func empty() {
        #expect(throws: ExtractError.empty(path: "<memory>")) { try ArticleExtractor().extract(html: []) }
        #expect(throws: ExtractError.self) { try ArticleExtractor().extract(html: Array("  \n ".utf8)) }
    }

    @Test("binary files are refused with a reason")
    func binary() {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0, count: 100)
        #expect(throws: ExtractError.binary(path: "<memory>", kind: "PNG image")) { try ArticleExtractor().extract(html: png) }
    }

    @Test("files over the size cap are refused")
    func tooLarge() {
        let extractor = ArticleExtractor(options: ExtractionOptions(maxFileSize: 10))
        #expect(throws: ExtractError.self) { try extractor.extract(html: Array("<p>more than ten bytes</p>".utf8)) }
    }

    @Test("invalid UTF-8 mid-page does not turn the rest into mojibake")
    func invalidUTF8() throws {
        var bytes = Array("<p>café before</p><p>".utf8)
        bytes.append(0xFF)
        bytes += Array("</p><p>naïve after</p>".utf8)
        let text = try ArticleExtractor().extract(html: bytes).article.bodyText
        #expect(text.contains("café before"))
        #expect(text.contains("naïve after"))
    }

    @Test("windows-1252 and Latin-1 pages declared by meta charset")
    func legacyEncodings() throws {
        var page = Array("<html><head><meta charset=\"windows-1252\"></head><body><p>".utf8)
        page += [0x93, 0x52, 0xE9, 0x73, 0x75, 0x6D, 0xE9, 0x94, 0x20, 0x96, 0x20, 0x6F, 0x6B]  // “Résumé” – ok
        page += Array("</p></body></html>".utf8)
        let result = try ArticleExtractor().extract(html: page)
        #expect(result.article.bodyText == "\u{201C}Résumé\u{201D} \u{2013} ok")
        #expect(result.sourceEncoding == "windows-1252")
        var latin = Array("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"><p>".utf8)
        latin += [0xBD, 0x20, 0xB0, 0x43]  // ½ °C
        latin += Array("</p>".utf8)
        #expect(try ArticleExtractor().extract(html: latin).article.bodyText == "½ °C")
    }

    @Test("a UTF-8 BOM is not text")
    func bom() throws {
        let page: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("<title>Tést</title><p>Body text</p>".utf8)
        let article = try ArticleExtractor().extract(html: page).article
        #expect(article.title == "Tést")
        #expect(article.bodyText == "Body text")
    }

    @Test("NUL bytes do not end the parse")
    func nul() throws {
        let page = Array("<p>before</p>".utf8) + [0] + Array("<p>after the NUL</p>".utf8)
        #expect(try ArticleExtractor().extract(html: page).article.bodyText.contains("after the NUL"))
    }

    @Test("10,000 levels of unclosed nesting")
    func deepNesting() throws {
        let html = String(repeating: "<div>", count: 10_000) + "<p>Deep text survives nesting.</p>"
        #expect(try extract(html).article.bodyText.contains("Deep text survives"))
    }

    @Test("a 10 MB single text node")
    func hugeTextNode() throws {
        let html = "<p>" + String(repeating: "a", count: 10 << 20) + " end</p>"
        let text = try extract(html).article.bodyText
        #expect(text.hasSuffix(" end"))
        #expect(text.utf8.count > 10 << 20)
    }

    @Test("a 50 MB page is refused by the default cap and extracted when the cap allows it")
    func fiftyMegabytePage() throws {
        let paragraph = "<p>Radiologic technologists position patients and run the imaging equipment safely.</p>\n"
        let count = (50 << 20) / paragraph.utf8.count + 1
        let bytes = Array(("<html><body><article>" + String(repeating: paragraph, count: count) + "</article></body></html>").utf8)
        #expect(bytes.count > 50 << 20)
        #expect(throws: ExtractError.tooLarge(path: "big.html", size: bytes.count, limit: 32 << 20)) {
            try ArticleExtractor().extract(html: bytes, path: "big.html")
        }
        let article = try ArticleExtractor(options: ExtractionOptions(maxFileSize: 64 << 20)).extract(html: bytes).article
        #expect(article.passages.count == count)
    }

    @Test("entity edge cases: unknown names stay literal, NUL and surrogate references become U+FFFD or nothing")
    func entityEdgeCases() throws {
        let text = try extract("<p>a &bogus; b &#0; c &#xD800; d &#x110000; e &amp;amp; f &lt;g&gt;</p>").article.bodyText
        #expect(text.hasPrefix("a &bogus; b"))
        #expect(text.contains("e &amp; f <g>"))
        #expect(!text.unicodeScalars.contains { $0.value == 0 || (0xD800...0xDFFF).contains($0.value) })
        #expect(String(decoding: Array(text.utf8), as: UTF8.self) == text)
    }

    @Test("a page wrapped in one <form> (ASP.NET style) keeps its article; a comment form is dropped")
    func pageWideForm() throws {
        let article = String(repeating: "<p>Sonographers use sound waves to image organs, and many hold the RDMS credential.</p>", count: 6)
        let html = "<body><form id=\"aspnetForm\"><nav><a href=\"/\">Home</a></nav><article>\(article)</article><form class=\"reply\"><p>Leave a reply: your name and email address are required here.</p></form></form></body>"
        try expectExtraction(html, keeps: ["RDMS credential"], drops: ["Leave a reply"])
    }

    @Test("comments rendered as <article> elements do not become the article")
    func commentArticles() throws {
        let comment = "<li class=\"comment\"><article class=\"comment-body\"><p>Great post, thanks, I am starting my MRI program next fall and this helped a lot with planning.</p></article></li>"
        let html = "<body><div class=\"entry\"><h1>How to become an MRI technologist</h1><p>MRI technologists complete an accredited program, then sit the ARRT exam in magnetic resonance imaging.</p><p>Most programs take two years, and clinical hours are part of every one of them.</p></div><div id=\"comments\"><ol>\(String(repeating: comment, count: 8))</ol></div></body>"
        try expectExtraction(html, keeps: ["sit the ARRT exam"], drops: ["Great post"])
    }

    @Test("of several <article> elements, the one holding the page's <h1> is the article")
    func headlineArticle() throws {
        let teaser = "<article class=\"teaser\"><h3>Another story</h3><p>\(String(repeating: "A teaser paragraph about some other career path entirely. ", count: 6))</p></article>"
        let html = "<body><article class=\"post\"><h1>Phlebotomy basics</h1><p>\(String(repeating: "Phlebotomists draw blood for tests, transfusions and donations. ", count: 8))</p></article><section class=\"more\">\(String(repeating: teaser, count: 5))</section></body>"
        try expectExtraction(html, keeps: ["Phlebotomists draw blood"], drops: ["teaser paragraph"])
    }

    @Test("text repeated only inside the article is structure and is kept")
    func repeatedInsideArticle() throws {
        let meal = { (name: String) in "<h3>\(name)</h3><p>Eat every 2 to 3 hours</p><p>\(name) is planned around shift work in the hospital.</p>" }
        let html = "<body><article><h1>Meal planning for night-shift nurses</h1>\(meal("Breakfast"))\(meal("Lunch"))\(meal("Dinner"))</article></body>"
        let passages = try extract(html).article.passages.map(\.text)
        #expect(passages.filter { $0 == "Eat every 2 to 3 hours" }.count == 3)
    }

    @Test("a breadcrumb trail inside the article column is dropped; prose that mentions home is kept")
    func breadcrumbs() throws {
        let html = """
        <body><td class="maincol"><font size=1><a href="/">Home</a> &gt; <a href="/compare/">Compare Careers</a> &gt; Sonographer vs. MRI Tech</font>
        <h1>Sonographer vs. MRI Technologist</h1><p>Sonography and MRI are the two big imaging careers without ionizing radiation, and many students weigh one against the other.</p>
        <p>Home health aides visit patients at home; see the <a href="/aide">aide guide</a> for details.</p></td></body>
        """
        try expectExtraction(html, keeps: ["Sonography and MRI", "Home health aides"], drops: ["Compare Careers"])
    }

    @Test("blocks of only invisible or decorative characters are not passages")
    func invisiblePassages() throws {
        let passages = try extract("<article><p>\u{200B}</p><p>Real text about CT scanners.</p><p>***</p><p>\u{00A0}</p></article>").article.passages
        #expect(passages.map(\.text) == ["Real text about CT scanners."])
    }

    @Test("a page with no body text gives an empty article")
    func noText() throws {
        #expect(try extract("<html><head><title>Only a title</title></head><body><script>x()</script></body></html>").article.passages.isEmpty)
    }

    @Test("external entities are never fetched or expanded")
    func externalEntities() throws {
        let html = "<!DOCTYPE html [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><p>a &xxe; b</p>"
        #expect(try !extract(html).article.bodyText.contains("root:"))
    }

    // MARK: The bundled corpus

    @Test("every Corpus page keeps its article and drops its boilerplate")
    func corpusExpectations() throws {
        let fixture = Bundle.module.url(forResource: "corpus-expectations", withExtension: "tsv", subdirectory: "Fixtures")!
        let rows = try String(contentsOf: fixture, encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(rows.count >= 48)
        let extractor = ArticleExtractor()
        func normalize(_ text: String) -> String { text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        for row in rows {
            let fields = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let url = packageRoot.appendingPathComponent("Corpus").appendingPathComponent(fields[0])
            let text = normalize(try extractor.extract(html: Array(try Data(contentsOf: url))).article.bodyText)
            #expect(text.contains(normalize(fields[1])), "\(fields[0]): first sentence missing")
            #expect(text.contains(normalize(fields[2])), "\(fields[0]): last sentence missing")
            for phrase in fields[3].split(separator: "|") where !phrase.isEmpty {
                #expect(!text.contains(normalize(String(phrase))), "\(fields[0]): boilerplate '\(phrase)' kept")
            }
        }
    }
}

@Suite("Corpus walking")
struct CorpusWalkerTests {
    @Test("broken links are reported with their path and the walk goes on")
    func brokenLink() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("walk-broken-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data("<p>x</p>".utf8).write(to: root.appendingPathComponent("good.html"))
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("gone.html").path, withDestinationPath: "/nonexistent/page.html")
        let (files, warnings) = try CorpusWalker().files(under: root)
        #expect(files.map(\.relativePath) == ["good.html"])
        #expect(warnings.map(\.path) == ["gone.html"])
    }

    @Test(
        "unreadable files and folders are reported as warnings with their paths",
        .enabled(if: getuid() != 0, "running as root, where permissions do not deny reads; skipping")
    )
    func unreadable() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("walk-denied-\(UUID().uuidString)")
        let manager = FileManager.default
        try manager.createDirectory(at: root.appendingPathComponent("locked"), withIntermediateDirectories: true)
        try Data("<p>x</p>".utf8).write(to: root.appendingPathComponent("secret.html"))
        try Data("<p>x</p>".utf8).write(to: root.appendingPathComponent("open.html"))
        chmod(root.appendingPathComponent("secret.html").path, 0)
        chmod(root.appendingPathComponent("locked").path, 0)
        defer {
            chmod(root.appendingPathComponent("locked").path, 0o755)
            try? manager.removeItem(at: root)
        }
        let (files, warnings) = try CorpusWalker().files(under: root)
        #expect(files.map(\.relativePath) == ["open.html"])
        #expect(Set(warnings.map(\.path)) == ["locked", "secret.html"])
        #expect(warnings.contains { $0.reason == "permission denied" })
    }

    @Test("sorted, recursive, skips hidden files, other extensions and folder symlinks")
    func walk() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("walk-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let manager = FileManager.default
        try manager.createDirectory(at: root.appendingPathComponent("b/.hidden"), withIntermediateDirectories: true)
        try manager.createDirectory(at: root.appendingPathComponent("a"), withIntermediateDirectories: true)
        for path in ["b/z.html", "a/y.htm", "a/x.xhtml", "b/.hidden/h.html", ".dot.html", "notes.txt", "b/with space.html"] {
            try Data("<p>x</p>".utf8).write(to: root.appendingPathComponent(path))
        }
        try manager.createSymbolicLink(at: root.appendingPathComponent("a/loop"), withDestinationURL: root)
        let (files, warnings) = try CorpusWalker().files(under: root)
        #expect(files.map(\.relativePath) == ["a/x.xhtml", "a/y.htm", "b/with space.html", "b/z.html"])
        #expect(warnings.isEmpty)
        #expect(try CorpusWalker(exclude: ["*.htm"]).files(under: root).files.count == 3)
        #expect(throws: CorpusError.missing(path: root.appendingPathComponent("nope").path)) {
            try CorpusWalker().files(under: root.appendingPathComponent("nope"))
        }
    }
}
