import Foundation
import Testing
import MedTestSupport
@testable import MedExtract

// Hostile pages and corpus folders (issue #9): entity bombs, external entities, shapes that made
// extraction quadratic, broken encodings, odd file names and folder layouts. Each test runs in
// well under a second on a debug build; the time limits are 5–10× what the code needs, so they
// only fail on a complexity regression (the old code took 10 s to minutes on these inputs).

private func extract(_ html: String) throws -> ExtractionResult {
    try ArticleExtractor().extract(html: Array(html.utf8), path: "hostile.html")
}

/// Runs `body` and returns its wall time in seconds.
private func seconds(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let elapsed = try clock.measure(body)
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// A fresh temporary folder, removed by the caller.
private func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("medsearch-hostile-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite("Hostile pages")
struct HostilePageTests {
    @Test("billion laughs: internal entities are never expanded")
    func billionLaughs() throws {
        var doctype = "<!DOCTYPE html [\n<!ENTITY lol \"lol\">\n"
        for level in 1...9 {
            let previous = level == 1 ? "lol" : "lol\(level - 1)"
            doctype += "<!ENTITY lol\(level) \"\(String(repeating: "&\(previous);", count: 10))\">\n"
        }
        doctype += "]>\n"
        let html = doctype + "<html><head><title>Laughs &lol9;</title></head><body><article><h1>Nursing</h1><p>Billion &lol9; laughs.</p></article></body></html>"
        var text = ""
        let time = try seconds {
            let article = try extract(html).article
            text = article.title + " " + article.bodyText
        }
        #expect(!text.contains("lollol"))
        #expect(text.contains("laughs"))
        #expect(text.utf8.count < 1_000)
        #expect(time < 5)
    }

    @Test("external entities (XXE): no file is read, no URL fetched")
    func externalEntities() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let marker = "XXE-MARKER-\(UUID().uuidString)"
        let secret = folder.appendingPathComponent("secret.txt")
        try Data(marker.utf8).write(to: secret)
        let html = """
        <?xml version="1.0"?>
        <!DOCTYPE html [
        <!ENTITY xxe SYSTEM "file://\(secret.path)">
        <!ENTITY rel SYSTEM "secret.txt">
        <!ENTITY % param SYSTEM "file://\(secret.path)">
        %param;
        <!ENTITY net SYSTEM "http://127.0.0.1:9/\(marker)">
        ]>
        <html><head><title>T &xxe;</title></head><body><article><h1>Nursing &xxe;</h1>
        <p>Body &xxe; and &rel; and &net; text.</p><img src="file://\(secret.path)"><iframe src="file://\(secret.path)"></iframe>
        <object data="file://\(secret.path)"></object></article></body></html>
        """
        let result = try ArticleExtractor(options: ExtractionOptions(recordRemovals: true)).extract(html: Array(html.utf8), path: folder.appendingPathComponent("page.html").path)
        let everything = [result.article.title, result.article.bodyText, result.article.description ?? ""].joined() + result.removals.map(\.preview).joined()
        #expect(!everything.contains(marker))
        #expect(result.article.bodyText.contains("Body"))
    }

    @Test("deep unclosed nesting of mixed tags stays linear (was minutes at 100,000)")
    func deepMixedNesting() throws {
        let unit = "<span><b><i><u><em><p><li><table><tr><td><ul><blockquote><section><h2>x</h2>"
        let html = "<html><body>" + String(repeating: unit, count: 2_000) + "unclosed nursing text"
        var text = ""
        let time = try seconds { text = try extract(html).article.bodyText }
        #expect(text.contains("unclosed nursing text"))
        #expect(time < 5)
        // Nested <header>s and inline runs around a link: the two other subtree scans.
        let headers = "<html><body>" + String(repeating: "<header><h2>h</h2>", count: 5_000) + "<p>" + String(repeating: "text ", count: 500) + "</p>"
        let inline = "<html><body>" + String(repeating: "<b>", count: 10_000) + "<a href=x>Home</a> y" + "<div><p>" + String(repeating: "text ", count: 500) + "</p></div>"
        #expect(try seconds { _ = try extract(headers) } < 5)
        #expect(try seconds { _ = try extract(inline) } < 5)
    }

    @Test("a tag with 60,000 attributes is capped, not parsed in quadratic time")
    func attributeFlood() throws {
        let attributes = (0..<60_000).map { "a\($0)=\"x\"" }.joined(separator: " ")
        let html = "<html><body><div class=\"content\" \(attributes)><p>Text after the flood.</p></div></body></html>"
        var text = ""
        let time = try seconds { text = try extract(html).article.bodyText }
        #expect(text == "Text after the flood.")
        #expect(time < 5)
    }

    @Test("the attribute cap leaves ordinary tags alone and keeps tag boundaries")
    func attributeCapSyntax() {
        let page = Array("<p class=\"a>b\" id='c' data-x=1 hidden>t</p><!-- <a b=1> --> 1 < 2".utf8)
        #expect(AttributeLimit.capped(page) == page)
        let flood = "<div " + (0..<1_005).map { "a\($0)='>'" }.joined(separator: " ") + " >after"
        let capped = String(decoding: AttributeLimit.capped(Array(flood.utf8)), as: UTF8.self)
        #expect(capped.contains("a999='>'"))
        #expect(!capped.contains("a1000="))
        #expect(capped.hasSuffix(" >after"))
        #expect(capped.utf8.count == flood.utf8.count)
    }

    @Test("a 200 KB <title> holding a 100 KB <h1> candidate: no quadratic substring search")
    func hugeTitle() throws {
        let html = "<html><head><title>" + String(repeating: "a ", count: 100_000) + "</title></head><body><h1>"
            + String(repeating: "a ", count: 50_000) + "b</h1><p>Body.</p></body></html>"
        var title = ""
        let time = try seconds { title = try extract(html).article.title }
        #expect(title.hasPrefix("a a a"))
        #expect(time < 5)
    }

    @Test("broken encodings: truncated, overlong and surrogate UTF-8, odd-length UTF-16, random bytes")
    func brokenEncodings() throws {
        let samples: [[UInt8]] = [
            Array("<p>cut at the end ".utf8) + [0xE2, 0x82],
            Array("<p>overlong ".utf8) + [0xC0, 0xAF, 0xE0, 0x80, 0xAF] + Array(" slash</p>".utf8),
            Array("<p>surrogate ".utf8) + [0xED, 0xA0, 0x80] + Array(" half</p>".utf8),
            Array("<p>lone continuation ".utf8) + [0x80, 0xBF] + Array(" bytes</p>".utf8),
            [0xFF, 0xFE] + Array("<\u{0}p\u{0}>\u{0}x\u{0}".utf8) + [0x3C],  // UTF-16LE, odd length
            [0xFE, 0xFF, 0xD8, 0x00, 0x00, 0x41],  // UTF-16BE with an unpaired surrogate
        ]
        for bytes in samples {
            let article = try ArticleExtractor().extract(html: bytes).article
            let text = article.title + article.bodyText
            #expect(String(decoding: Array(text.utf8), as: UTF8.self) == text)
        }
        // Seeded random bytes: refused as binary, or extracted as text; never a crash.
        for length in [1, 7, 100, 5_000] {
            let bytes = pseudoRandomBytes(length, seed: 9)
            do {
                _ = try ArticleExtractor().extract(html: bytes)
            } catch {
                #expect(!error.reason.isEmpty)
            }
        }
    }
}

/// `count` deterministic pseudo-random bytes (tests must not depend on the system RNG).
private func pseudoRandomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var random = SplitMix(seed: seed)
    return (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
}

@Suite("Hostile corpus folders")
struct HostileCorpusTests {
    @Test("file names with spaces, newlines and non-UTF-8 bytes are listed and readable")
    func oddNames() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("<p>spaces</p>".utf8).write(to: folder.appendingPathComponent("with spaces.html"))
        try Data("<p>newline</p>".utf8).write(to: folder.appendingPathComponent("new\nline.html"))
        try Data("<p>escape</p>".utf8).write(to: folder.appendingPathComponent("esc\u{1B}[31m.html"))
        // A Latin-1 byte in the name (not valid UTF-8), created through the C API.
        let latin1Name = Array(folder.path.utf8) + Array("/caf".utf8) + [0xE9] + Array(".html".utf8) + [0]
        let fd = latin1Name.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { open($0, O_WRONLY | O_CREAT, 0o644) }
        }
        #expect(fd >= 0)
        _ = "<p>latin</p>".withCString { write(fd, $0, 12) }
        close(fd)

        let (files, warnings) = try CorpusWalker().files(under: folder)
        #expect(files.contains { $0.relativePath == "with spaces.html" })
        #expect(files.contains { $0.relativePath == "new\nline.html" })
        #expect(files.contains { $0.relativePath.hasPrefix("esc") })
        // Foundation may list the Latin-1 name or skip it; either way the walk goes on and
        // every listed file reads back.
        for file in files {
            #expect(try !CorpusWalker.read(file).isEmpty, "\(file.relativePath.debugDescription)")
        }
        #expect(files.count >= 3)
        _ = warnings
    }

    @Test("a symbolic link loop and a broken link do not hang or fail the walk")
    func symlinkLoop() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sub = folder.appendingPathComponent("a/b")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try Data("<p>real</p>".utf8).write(to: sub.appendingPathComponent("page.html"))
        try FileManager.default.createSymbolicLink(atPath: sub.appendingPathComponent("loop").path, withDestinationPath: folder.path)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("self").path, withDestinationPath: "self")
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("gone.html").path, withDestinationPath: "missing.html")
        let (files, warnings) = try CorpusWalker().files(under: folder)
        #expect(files.map(\.relativePath) == ["a/b/page.html"])
        #expect(warnings.contains { $0.path == "gone.html" && $0.reason == "broken symbolic link" })
    }

    // Root reads every folder whatever its mode, so the permission check cannot be provoked
    // when the tests run as root (as on the project machine); it runs for ordinary users.
    @Test("an unreadable folder is a warning, not a failure", .enabled(if: getuid() != 0, "running as root: root can read any folder"))
    func unreadableFolder() throws {
        let folder = try temporaryFolder()
        defer {
            chmod(folder.appendingPathComponent("locked").path, 0o755)
            try? FileManager.default.removeItem(at: folder)
        }
        let locked = folder.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
        try Data("<p>x</p>".utf8).write(to: locked.appendingPathComponent("x.html"))
        try Data("<p>y</p>".utf8).write(to: folder.appendingPathComponent("y.html"))
        chmod(locked.path, 0)
        let (files, warnings) = try CorpusWalker().files(under: folder)
        #expect(files.map(\.relativePath) == ["y.html"])
        #expect(warnings.contains { $0.path == "locked" && $0.reason.contains("cannot read folder") })
    }

    @Test("a PNG and random bytes named .html are skipped with a reason")
    func binaryWithHTMLName() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 7, count: 64)).write(to: folder.appendingPathComponent("image.html"))
        try Data(pseudoRandomBytes(4096, seed: 42).map { $0 % 32 }).write(to: folder.appendingPathComponent("noise.html"))
        let (files, _) = try CorpusWalker().files(under: folder)
        #expect(files.count == 2)
        for file in files {
            #expect {
                try ArticleExtractor().extract(html: try CorpusWalker.read(file), path: file.relativePath)
            } throws: { error in
                guard let error = error as? ExtractError, case .binary = error else { return false }
                return error.description.hasPrefix(file.relativePath + ": binary file (")
            }
        }
    }

    @Test("a file that vanishes between listing and reading is an 'unreadable' error naming it")
    func vanishedFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("<p>soon gone</p>".utf8).write(to: folder.appendingPathComponent("gone.html"))
        let (files, _) = try CorpusWalker().files(under: folder)
        try FileManager.default.removeItem(at: folder)
        #expect(throws: ExtractError.unreadable(path: "gone.html", reason: "No such file or directory")) {
            try CorpusWalker.read(files[0])
        }
        #expect(throws: CorpusError.missing(path: folder.path)) { try CorpusWalker().files(under: folder) }
    }
}
