// fuzz-extract: arbitrary bytes as an HTML page → ArticleExtractor → the analyzer.
// Errors (empty, binary, too large) are fine; a crash, a hang or a broken invariant is a finding.
import FuzzSupport
import MedAnalysis
import MedDocument
import MedExtract

let extractors = [
    ArticleExtractor(options: ExtractionOptions(maxFileSize: 1 << 20, recordRemovals: true)),
    ArticleExtractor(options: ExtractionOptions(keepBoilerplate: true, maxFileSize: 1 << 20)),
]
let analyzer = Analyzer.standard

/// Analyzes `text` and checks what every consumer of tokens relies on: byte ranges inside the
/// text and on scalar boundaries, positions at or after `start` (a compound's joined form shares
/// its first part's position, so positions may step back within a word), non-empty terms.
func analyze(_ text: String, start: Int) -> Int {
    let utf8 = Array(text.utf8)
    var last = start
    let tokens = analyzer.tokens(in: text, startPosition: start)
    for token in tokens {
        precondition(!token.term.isEmpty, "empty term from \(text.debugDescription)")
        precondition(token.utf8Range.lowerBound >= 0 && token.utf8Range.upperBound <= utf8.count && !token.utf8Range.isEmpty,
                     "token \(token) outside the text (\(utf8.count) bytes)")
        precondition(utf8[token.utf8Range.lowerBound] & 0xC0 != 0x80, "token \(token) starts inside a UTF-8 sequence")
        precondition(token.utf8Range.upperBound == utf8.count || utf8[token.utf8Range.upperBound] & 0xC0 != 0x80,
                     "token \(token) ends inside a UTF-8 sequence")
        precondition(token.position >= start, "position \(token) before the start \(start)")
        last = max(last, token.position)
    }
    return last + 1
}

FuzzDriver.main { data in
    let bytes = Array(data)
    // Both modes on small inputs; the pruned mode only on big ones (keeps runs/s up).
    let modes = bytes.count < 4096 ? extractors : [extractors[bytes.count & 1]]
    for extractor in modes {
        guard let result = try? extractor.extract(html: bytes, path: "fuzz.html") else { continue }
        let article = result.article
        var position = analyze(article.title, start: 0)
        for section in article.sections {
            position = analyze(section.heading, start: position)
            for passage in section.passages {
                precondition(!passage.text.isEmpty, "empty passage")
                position = analyze(passage.text, start: position)
            }
        }
        _ = article.bodyText
    }
}
