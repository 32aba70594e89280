import Foundation
import Testing
@testable import MedAnalysis

/// `<package root>/../shared/data/stemmer`, where the package root is three levels
/// above this file (`<root>/Tests/MedAnalysisTests/EnglishStemmerTests.swift`).
private let snowballDataDirectory: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // MedAnalysisTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()  // package root
    .deletingLastPathComponent()
    .appendingPathComponent("shared/data/stemmer", isDirectory: true)
    .path

private let vocabularyPath = snowballDataDirectory + "/english-voc.txt"
private let expectedOutputPath = snowballDataDirectory + "/english-output.txt"

/// Splits a file into lines on LF, keeping empty lines (a trailing newline does
/// not produce an extra line).
private func readLines(_ path: String) throws -> [[UInt8]] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    var lines = [UInt8](data).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    if lines.last?.isEmpty == true {
        lines.removeLast()
    }
    return lines.map { Array($0) }
}

@Suite("EnglishStemmer")
struct EnglishStemmerTests {
    let stemmer = EnglishStemmer()

    @Test(
        "Full Snowball English vocabulary (42,649 words) matches english-output.txt",
        .enabled(
            if: FileManager.default.fileExists(atPath: vocabularyPath)
                && FileManager.default.fileExists(atPath: expectedOutputPath),
            "Snowball vocabulary not found at ../shared/data/stemmer; skipping"
        )
    )
    func fullVocabulary() throws {
        let words = try readLines(vocabularyPath)
        let expected = try readLines(expectedOutputPath)
        #expect(words.count == 42_649)
        try #require(words.count == expected.count, "voc has \(words.count) lines, output has \(expected.count)")

        var mismatches = 0
        var examples: [String] = []
        var buffer: [UInt8] = []
        for (word, stem) in zip(words, expected) {
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: word)
            stemmer.stem(&buffer)
            if buffer != stem {
                mismatches += 1
                if examples.count < 10 {
                    let w = String(decoding: word, as: UTF8.self)
                    let got = String(decoding: buffer, as: UTF8.self)
                    let want = String(decoding: stem, as: UTF8.self)
                    examples.append("\(w) -> \(got) (expected \(want))")
                }
            }
        }
        #expect(mismatches == 0, "\(mismatches) mismatches, first: \(examples.joined(separator: "; "))")
    }

    /// Expected stems taken from the Snowball reference output / PyStemmer 3.1.0.
    @Test(
        "Well-known stems, including healthcare vocabulary",
        arguments: [
            ("technologist", "technolog"),
            ("technologists", "technolog"),
            ("radiology", "radiolog"),
            ("radiologic", "radiolog"),
            ("radiologist", "radiolog"),
            ("sonographer", "sonograph"),
            ("sonography", "sonographi"),
            ("certification", "certif"),
            ("certified", "certifi"),
            ("imaging", "imag"),
            ("nursing", "nurs"),
            ("generously", "generous"),
            ("consolidated", "consolid"),
            ("hospitalization", "hospit"),
            ("cardiology", "cardiolog"),
            ("oncologist", "oncolog"),
            ("patients", "patient"),
            ("clinical", "clinic"),
            ("diagnoses", "diagnos"),
            ("pharmacy", "pharmaci"),
            ("caresses", "caress"),
            ("ponies", "poni"),
            ("ties", "tie"),
            ("cried", "cri"),
            ("hopping", "hop"),
            ("hoped", "hope"),
            ("playing", "play"),
            ("there's", "there"),
            ("'yes", "yes"),
        ]
    )
    func knownStems(word: String, expected: String) {
        #expect(stemmer.stem(word) == expected)
    }

    /// Cases whose stem changed in Snowball 3 (classic Porter2 gave the value in the comment).
    @Test(
        "Snowball 3 changes relative to classic Porter2",
        arguments: [
            ("added", "add"),                 // ad
            ("erred", "err"),                 // er
            ("offing", "off"),                // of
            ("emergency", "emergenc"),        // emerg
            ("emergencies", "emergenc"),      // emerg
            ("geologist", "geolog"),          // geologist
            ("evening", "evening"),           // even
            ("evenings", "evening"),          // even
            ("paste", "paste"),               // past
            ("pasted", "paste"),              // past
            ("university", "universiti"),     // univers
            ("universal", "universal"),       // univers
            ("lateral", "lateral"),           // later
            ("organization", "organiz"),      // organ
            ("international", "internat"),    // intern
            ("internal", "internal"),         // intern
            ("interval", "interval"),         // interv
        ]
    )
    func snowball3Changes(word: String, expected: String) {
        #expect(stemmer.stem(word) == expected)
    }

    @Test("Exceptional forms and short words")
    func exceptionsAndShortWords() {
        let cases: [(String, String)] = [
            ("skies", "sky"), ("skis", "ski"), ("sky", "sky"), ("news", "news"),
            ("dying", "die"), ("vying", "vie"), ("only", "onli"), ("gently", "gentl"),
            ("inning", "inning"), ("herrings", "herring"),
            ("proceed", "proceed"), ("succeeded", "succeed"),
            ("as", "as"), ("is", "is"), ("'s", "'s"), ("a", "a"), ("", ""),
        ]
        for (word, expected) in cases {
            #expect(stemmer.stem(word) == expected, "\(word)")
        }
    }

    @Test("Byte API stems in place and never grows the word")
    func byteAPI() {
        var word = Array("generously".utf8)
        stemmer.stem(&word)
        #expect(word == Array("generous".utf8))

        var empty: [UInt8] = []
        stemmer.stem(&empty)
        #expect(empty.isEmpty)
    }
}
