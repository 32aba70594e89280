import Foundation
import MedDocument
import Testing
@testable import MedExtract

/// `<package root>/../shared/data/extraction/article-extraction-benchmark`.
private let benchmarkDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // MedExtractTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()  // package root
    .deletingLastPathComponent()
    .appendingPathComponent("shared/data/extraction/article-extraction-benchmark", isDirectory: true)

private let groundTruthURL = benchmarkDirectory.appendingPathComponent("ground-truth.json")

/// The article-extraction benchmark's scoring, as its data folder describes it (and as
/// `Benchmarks/extraction/score.py` implements it for the command line): word tokens, multisets of
/// 4-token shingles, per-page counts normalised to sum to one, precision and recall averaged over
/// pages.
enum ShingleScore {
    /// Word tokens as Python's Unicode `\w+` finds them: letters, numbers and the underscore.
    static func words(_ text: String) -> [Substring] {
        var result: [Substring] = []
        var start: String.Index?
        var index = text.startIndex
        for scalar in text.unicodeScalars {
            let next = text.unicodeScalars.index(after: index)
            if isWordScalar(scalar) {
                if start == nil { start = index }
            } else if let wordStart = start {
                result.append(text[wordStart..<index])
                start = nil
            }
            index = next
        }
        if let wordStart = start { result.append(text[wordStart..<text.endIndex]) }
        return result
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            true
        default:
            scalar == "_"
        }
    }

    static func shingles(_ text: String) -> [String: Int] {
        let tokens = words(text)
        var counts: [String: Int] = [:]
        if tokens.isEmpty { return counts }
        if tokens.count < 4 {
            counts[tokens.joined(separator: " "), default: 0] += 1
            return counts
        }
        for start in 0...(tokens.count - 4) {
            counts[tokens[start..<start + 4].joined(separator: " "), default: 0] += 1
        }
        return counts
    }

    /// Precision and recall of one page (nil where undefined).
    static func page(truth: String, prediction: String) -> (precision: Double?, recall: Double?) {
        let expected = shingles(truth), predicted = shingles(prediction)
        var tp = 0
        for (shingle, count) in predicted { tp += min(count, expected[shingle] ?? 0) }
        let fp = predicted.values.reduce(0, +) - tp
        let fn = expected.values.reduce(0, +) - tp
        if fp == 0, fn == 0 { return (1, 1) }
        return (tp + fp > 0 ? Double(tp) / Double(tp + fp) : nil, tp + fn > 0 ? Double(tp) / Double(tp + fn) : nil)
    }
}

@Suite("Extraction benchmark (article-extraction-benchmark, 181 real pages)")
struct ExtractionBenchmarkTests {
    @Test("the shingle score matches the benchmark's definition on small cases")
    func scoring() {
        #expect(ShingleScore.words("X-ray tech's 1.5T (MRI)_ok") == ["X", "ray", "tech", "s", "1", "5T", "MRI", "_ok"])
        #expect(ShingleScore.page(truth: "a b c d e", prediction: "a b c d e") == (1, 1))
        let partial = ShingleScore.page(truth: "a b c d e f", prediction: "a b c d e x y")
        #expect(partial.precision == 2.0 / 4.0 && partial.recall == 2.0 / 3.0)
        #expect(ShingleScore.page(truth: "one two", prediction: "").recall == 0)
    }

    @Test(
        "token-level F1 on the benchmark's pages is at least 0.93",
        .enabled(
            if: FileManager.default.fileExists(atPath: groundTruthURL.path),
            "article-extraction-benchmark not found at ../shared/data/extraction; skipping"
        )
    )
    func f1() throws {
        let truth = try JSONSerialization.jsonObject(with: Data(contentsOf: groundTruthURL)) as! [String: [String: Any]]
        #expect(truth.count == 181)
        let extractor = ArticleExtractor()
        var precisions: [Double] = [], recalls: [Double] = []
        for (id, entry) in truth.sorted(by: { $0.key < $1.key }) {
            let page = benchmarkDirectory.appendingPathComponent("html/\(id).html")
            let body = (try? extractor.extract(html: [UInt8](Data(contentsOf: page))).article.bodyText) ?? ""
            let score = ShingleScore.page(truth: entry["articleBody"] as? String ?? "", prediction: body)
            if let precision = score.precision { precisions.append(precision) }
            if let recall = score.recall { recalls.append(recall) }
        }
        let precision = precisions.reduce(0, +) / Double(precisions.count)
        let recall = recalls.reduce(0, +) / Double(recalls.count)
        let f1 = 2 * precision * recall / (precision + recall)
        print("article-extraction-benchmark: P \(precision) R \(recall) F1 \(f1)")
        #expect(f1 >= 0.93, "F1 \(f1) (P \(precision), R \(recall)) is below the 0.93 target")
    }
}
