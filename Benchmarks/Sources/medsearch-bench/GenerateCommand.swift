// `medsearch-bench generate`: a deterministic synthetic collection of healthcare career articles.
//
// The text model
// - Vocabulary: 50,000 word types ranked for a Zipf law (weight of rank r ∝ 1/r^1.05). The top
//   ranks are English function words; below them common career-writing words and healthcare-career
//   terms (single words and short phrases such as "medical assistant") are interleaved, so both are
//   frequent; the long tail is synthetic words built from syllables with a fixed seed (the
//   vocabulary is the same for every --seed). Lists live in GeneratorVocabulary.swift.
// - Documents: each is about one career (sometimes two). Its length is log-normal with mean 600
//   words (σ = 0.5, clamped to 80…5,000). It has an intro paragraph and 2–6 sections with a
//   heading, paragraphs of sentences (8–25 words, a few commas, capitalised, ending with a period),
//   sometimes a bulleted list and sometimes a small table. About 8% of words come from the career's
//   own terms rather than the Zipf draw, and about one sentence in eight has a healthcare phrase
//   inserted intact, so phrase queries find real matches. Titles have 4–9 words and always name a
//   career or credential.
// - Pages: the same article rendered into one of five site templates with the boilerplate a
//   main-content extractor must drop (menu, cookie banner, sponsored listings, ad slot, related
//   articles, comment form, footer). corpus.jsonl carries the article text alone.
// - Queries: drawn after generation from word types whose document frequency is known to be
//   non-zero: career terms with aspects ("mri technologist salary"), healthcare words, common
//   words, rare long-tail words; 15% of queries (rounded) are quoted phrases.
//
// Determinism: every random choice comes from xoshiro256** seeded through SplitMix64 by
// (--seed, stream, document id), so a document depends only on the seed and its id, never on
// thread scheduling or output format; lists are iterated in order, never through a Dictionary.
// The same arguments give byte-identical output.
//
// Usage: generate --docs N --out DIR [--seed S] [--format html|jsonl|both] [--queries Q]
//        [--threads T]   (T only changes speed, never the output)
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct GenerateCommand {
    enum OutputFormat: String {
        case html, jsonl, both
        var writesHTML: Bool { self != .jsonl }
        var writesJSONL: Bool { self != .html }
    }

    var documentCount: Int
    var outputPath: String
    var seed: UInt64
    var outputFormat: OutputFormat
    var queryCount: Int
    /// Worker threads; any value gives the same output.
    var threads: Int

    init(arguments: [String]) throws {
        let options = try Options(arguments)
        let known: Set<String> = ["docs", "out", "seed", "format", "queries", "threads"]
        if let unknown = options.values.keys.sorted().first(where: { !known.contains($0) }) {
            throw BenchError("generate: unknown option --\(unknown)")
        }
        guard options.positional.isEmpty else {
            throw BenchError("generate: unexpected argument '\(options.positional[0])'")
        }
        guard options.values["docs"] != nil else { throw BenchError("generate: --docs N is required") }
        documentCount = try options.int("docs", default: 0)
        guard (1...1_000_000).contains(documentCount) else { throw BenchError("generate: --docs must be between 1 and 1000000") }
        guard let out = options.values["out"], !out.isEmpty else { throw BenchError("generate: --out DIR is required") }
        outputPath = out
        seed = UInt64(try options.int("seed", default: 42))
        let formatName = options.string("format", default: "both")
        guard let format = OutputFormat(rawValue: formatName) else {
            throw BenchError("generate: --format must be html, jsonl or both, got '\(formatName)'")
        }
        outputFormat = format
        queryCount = try options.int("queries", default: 200)
        guard queryCount <= 100_000 else { throw BenchError("generate: --queries must be at most 100000") }
        threads = max(1, try options.int("threads", default: ProcessInfo.processInfo.activeProcessorCount))
    }

    func run() throws {
        let started = DispatchTime.now().uptimeNanoseconds
        try prepareOutputFolder()
        let lexicon = Lexicon()
        let collection = CollectionGenerator(
            lexicon: lexicon, seed: seed, documentCount: documentCount, outputFormat: outputFormat, root: outputPath, threads: threads
        )
        let stats = try collection.run()

        var queryMaker = QueryGenerator(lexicon: lexicon, documentFrequency: stats.documentFrequency, documentCount: documentCount, seed: seed)
        let queries = queryMaker.make(count: queryCount)
        let queryBytes = try writeQueries(queries)
        let manifest = manifestText(stats: stats, lexicon: lexicon, queryBytes: queryBytes, queries: queries.count)
        try writeWholeFile(path: outputPath + "/MANIFEST.txt", bytes: Array(manifest.utf8))

        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        print("generated \(documentCount) documents (\(stats.words) words) in \(format(seconds, 2)) s: \(format(Double(documentCount) / seconds, 0)) docs/s")
        if outputFormat.writesHTML { print("  html/: \(format(megabytes(stats.htmlBytes), 1)) MB") }
        if outputFormat.writesJSONL { print("  corpus.jsonl: \(format(megabytes(stats.jsonlBytes), 1)) MB") }
        print("  queries.tsv: \(queries.count) queries")
        print("  peak memory: \(format(peakMemoryMiB())) MiB")
    }

    /// Creates the output folder; refuses one that already holds files.
    private func prepareOutputFolder() throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: outputPath, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw BenchError("generate: \(outputPath) exists and is not a folder") }
            let contents = try manager.contentsOfDirectory(atPath: outputPath)
            guard contents.isEmpty else { throw BenchError("generate: \(outputPath) is not empty; choose a new folder") }
        }
        try manager.createDirectory(atPath: outputPath, withIntermediateDirectories: true)
    }

    private func writeQueries(_ queries: [String]) throws -> Int {
        let width = max(3, String(queries.count).count)
        var text = ""
        for (number, query) in queries.enumerated() {
            text += "q" + zeroPadded(number + 1, width: width) + "\t" + query + "\n"
        }
        let bytes = Array(text.utf8)
        try writeWholeFile(path: outputPath + "/queries.tsv", bytes: bytes)
        return bytes.count
    }

    private func manifestText(stats: CollectionStats, lexicon: Lexicon, queryBytes: Int, queries: Int) -> String {
        var lines = [
            "MedSearch synthetic collection",
            "generator: \(GeneratorVocabulary.version)",
            "docs: \(documentCount)",
            "seed: \(seed)",
            "format: \(outputFormat.rawValue)",
            "queries: \(queries)",
            "vocabulary: \(lexicon.count) word types, Zipf exponent \(Lexicon.zipfExponent)",
            "document length: log-normal, mean \(ArticleComposer.meanLength) words, sigma \(ArticleComposer.lengthSigma), clamped to \(ArticleComposer.lengthRange.lowerBound)...\(ArticleComposer.lengthRange.upperBound)",
            "words: \(stats.words)",
        ]
        for (index, site) in SiteTemplate.all.enumerated() {
            lines.append("template \(site.key): \(stats.templateCounts[index]) documents")
        }
        if outputFormat.writesHTML { lines.append("html: \(documentCount) files, \(stats.htmlBytes) bytes") }
        if outputFormat.writesJSONL { lines.append("jsonl: corpus.jsonl, \(stats.jsonlBytes) bytes") }
        lines.append("queries.tsv: \(queries) queries, \(queryBytes) bytes")
        return lines.joined(separator: "\n") + "\n"
    }
}

// MARK: - Random numbers


/// The independent random streams of a collection; a document's streams depend only on the seed
/// and its id.
private enum RandomStream: UInt64 {
    case header = 1, body, page, queries, vocabulary
}

/// xoshiro256** with the few draws the generator needs. Deliberately not a
/// `RandomNumberGenerator`, so no standard-library algorithm (whose output may change between
/// Swift releases) can consume it.
private struct Xoshiro {
    private var s0, s1, s2, s3: UInt64

    init(seed: UInt64, stream: RandomStream, index: UInt64 = 0) {
        // Chained SplitMix64 steps: injective in (stream, index) for a given seed.
        var outer = SplitMix64(seed: seed)
        var middle = SplitMix64(seed: outer.next() ^ stream.rawValue)
        var inner = SplitMix64(seed: middle.next() ^ index)
        s0 = inner.next()
        s1 = inner.next()
        s2 = inner.next()
        s3 = inner.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A whole number in 0..<bound (bound > 0), by multiply-shift.
    @inline(__always)
    mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: UInt64(bound).multipliedFullWidth(by: next()).high)
    }

    /// A whole number in the closed range.
    mutating func between(_ low: Int, _ high: Int) -> Int { low + below(high - low + 1) }

    /// A double in [0, 1).
    @inline(__always)
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    @inline(__always)
    mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    /// A standard normal deviate (Box–Muller).
    mutating func normal() -> Double {
        let u1 = max(unit(), 0x1p-60)
        let u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// `count` distinct indices of 0..<total, in random order (partial Fisher–Yates).
    mutating func distinctIndices(_ count: Int, of total: Int) -> [Int] {
        var indices = Array(0..<total)
        let taken = min(count, total)
        for slot in 0..<taken {
            indices.swapAt(slot, slot + below(total - slot))
        }
        return Array(indices[0..<taken])
    }
}

/// Vose's alias method: O(1) draws from a fixed discrete distribution.
private struct AliasTable: Sendable {
    private let threshold: [UInt32]
    private let alias: [Int32]

    init(weights: [Double]) {
        let count = weights.count
        let total = weights.reduce(0, +)
        var scaled = weights.map { $0 * Double(count) / total }
        var thresholdValues = [UInt32](repeating: UInt32.max, count: count)
        var aliasValues = (0..<count).map { Int32($0) }
        var small: [Int] = []
        var large: [Int] = []
        for index in 0..<count {
            if scaled[index] < 1 { small.append(index) } else { large.append(index) }
        }
        while let less = small.popLast(), let more = large.last {
            thresholdValues[less] = UInt32(min(scaled[less] * 4_294_967_296, 4_294_967_295))
            aliasValues[less] = Int32(more)
            scaled[more] -= 1 - scaled[less]
            if scaled[more] < 1 {
                large.removeLast()
                small.append(more)
            }
        }
        threshold = thresholdValues
        alias = aliasValues
    }

    @inline(__always)
    func sample(_ random: inout Xoshiro) -> Int {
        let bits = random.next()
        let column = Int(truncatingIfNeeded: ((bits >> 32) &* UInt64(threshold.count)) >> 32)
        return UInt32(truncatingIfNeeded: bits) < threshold[column] ? column : Int(alias[column])
    }
}

// MARK: - Vocabulary

/// The ranked vocabulary: every word type (or multi-word term) as UTF-8 bytes, its kind, its
/// Zipf sampler, and the index lists the composer and query generator use.
private final class Lexicon: Sendable {
    enum Kind: UInt8, Sendable { case function, common, healthcare, synthetic }

    /// A career with its terms resolved to entry numbers.
    struct CareerTopic: Sendable {
        let career: GeneratorVocabulary.Career
        let nameEntry: Int
        let termEntries: [Int]
    }

    static let typeCount = 50_000
    static let zipfExponent = 1.05
    /// Function words that keep the very top ranks before healthcare terms start interleaving.
    private static let leadingFunctionWords = 30

    private let bytes: [UInt8]
    /// Entry `i` is `bytes[starts[i] ..< starts[i + 1]]`.
    private let starts: [Int32]
    let kinds: [Kind]
    let wordCounts: [UInt8]
    let zipf: AliasTable
    let phraseEntries: [Int]
    let careers: [CareerTopic]
    /// Career popularity for picking topics (a few careers are written about far more often).
    private let careerSampler: AliasTable

    var count: Int { kinds.count }

    init() {
        var seen = Set<String>()
        func fresh(_ words: [String]) -> [String] { words.filter { seen.insert($0).inserted } }

        let function = fresh(GeneratorVocabulary.functionWords)
        let common = fresh(GeneratorVocabulary.commonWords)
        let careerWords = GeneratorVocabulary.careers.flatMap { [$0.name] + $0.terms }
        let healthcare = fresh(GeneratorVocabulary.healthcareTerms + careerWords + GeneratorVocabulary.insertedPhrases)

        var ranked: [(String, Kind)] = function.prefix(Self.leadingFunctionWords).map { ($0, .function) }
        let general: [(String, Kind)] = function.dropFirst(Self.leadingFunctionWords).map { ($0, .function) } + common.map { ($0, .common) }
        ranked += Self.interleave(general, healthcare.map { ($0, .healthcare) })
        for word in Self.syntheticWords(count: Self.typeCount - ranked.count, avoiding: &seen) {
            ranked.append((word, .synthetic))
        }

        var bytes: [UInt8] = []
        var starts: [Int32] = []
        var numbers: [String: Int] = [:]
        for (index, (text, _)) in ranked.enumerated() {
            starts.append(Int32(bytes.count))
            bytes.append(contentsOf: text.utf8)
            numbers[text] = index
        }
        starts.append(Int32(bytes.count))
        self.bytes = bytes
        self.starts = starts
        kinds = ranked.map(\.1)
        wordCounts = ranked.map { UInt8($0.0.split(separator: " ").count) }
        zipf = AliasTable(weights: (0..<ranked.count).map { 1 / pow(Double($0 + 1), Self.zipfExponent) })
        phraseEntries = GeneratorVocabulary.insertedPhrases.map { numbers[$0]! }
        careers = GeneratorVocabulary.careers.map { career in
            CareerTopic(career: career, nameEntry: numbers[career.name]!, termEntries: career.terms.map { numbers[$0]! })
        }
        careerSampler = AliasTable(weights: (0..<GeneratorVocabulary.careers.count).map { 1 / pow(Double($0 + 3), 0.8) })
    }

    /// Merges two ranked lists so that each keeps its order and both spread evenly over the
    /// combined ranks.
    private static func interleave<T>(_ first: [T], _ second: [T]) -> [T] {
        var result: [T] = []
        result.reserveCapacity(first.count + second.count)
        var i = 0
        var j = 0
        while i < first.count || j < second.count {
            // Take from `second` while it is behind `first` in proportion.
            let secondBehind = j < second.count && (i >= first.count || (j + 1) * first.count <= (i + 1) * second.count)
            if secondBehind {
                result.append(second[j])
                j += 1
            } else {
                result.append(first[i])
                i += 1
            }
        }
        return result
    }

    /// Pronounceable made-up words ("lithar", "bralgrand", "riotolment") for the long tail, from a fixed
    /// seed: the vocabulary does not change with --seed.
    private static func syntheticWords(count: Int, avoiding seen: inout Set<String>) -> [String] {
        var random = Xoshiro(seed: 0x4D45_4453_4541_5243, stream: .vocabulary)
        var words: [String] = []
        words.reserveCapacity(count)
        while words.count < count {
            var word = ""
            // Mostly two syllables, sometimes three, rarely one.
            let syllables = [1, 2, 2, 2, 2, 2, 3, 3, 3, 4][random.below(10)]
            for _ in 0..<syllables {
                word += random.pick(GeneratorVocabulary.syllableOnsets)
                word += random.pick(GeneratorVocabulary.syllableVowels)
                word += random.pick(GeneratorVocabulary.syllableCodas)
            }
            word += random.pick(GeneratorVocabulary.wordEndings)
            if word.utf8.count >= 4, seen.insert(word).inserted { words.append(word) }
        }
        return words
    }

    @inline(__always)
    func append(_ entry: Int, to out: inout [UInt8]) {
        let start = Int(starts[entry])
        let end = Int(starts[entry + 1])
        bytes.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    func text(_ entry: Int) -> String {
        String(decoding: bytes[Int(starts[entry])..<Int(starts[entry + 1])], as: UTF8.self)
    }

    func pickCareer(_ random: inout Xoshiro) -> Int { careerSampler.sample(&random) }
}

// MARK: - Document header (title and topic)

/// What identifies a document and can be computed on its own from (seed, id): its site
/// template, topic and title. Related-article links use it to show other documents' real titles.
private struct DocumentHeader {
    let id: Int
    let template: Int
    let career: Int
    let secondCareer: Int
    let state: String
    let title: String

    init(id: Int, seed: UInt64, lexicon: Lexicon) {
        var random = Xoshiro(seed: seed, stream: .header, index: UInt64(id))
        self.id = id
        template = random.below(SiteTemplate.all.count)
        career = lexicon.pickCareer(&random)
        var other = lexicon.pickCareer(&random)
        if other == career { other = (career + 1 + random.below(lexicon.careers.count - 1)) % lexicon.careers.count }
        secondCareer = other
        state = random.pick(GeneratorVocabulary.states)
        title = Self.makeTitle(random: &random, career: lexicon.careers[career].career, other: lexicon.careers[other].career, state: state)
    }

    var idString: String { Self.idString(id) }

    static func idString(_ id: Int) -> String { "doc" + zeroPadded(id, width: 7) }

    /// A title of 4–9 words from the patterns; falls back to a plain one.
    private static func makeTitle(
        random: inout Xoshiro, career: GeneratorVocabulary.Career, other: GeneratorVocabulary.Career, state: String
    ) -> String {
        for _ in 0..<8 {
            let pattern = random.pick(GeneratorVocabulary.titlePatterns)
            let firstTerm = random.pick(career.terms)
            var secondTerm = random.pick(career.terms)
            if secondTerm == firstTerm { secondTerm = career.terms[(career.terms.firstIndex(of: firstTerm)! + 1) % career.terms.count] }
            let number = String(random.between(3, 12))
            let title = titleCase(fill(pattern) { key in
                switch key {
                case "C": career.name
                case "aC": withArticle(career.name)
                case "C2": other.name
                case "X": career.credential
                case "S": state
                case "N": number
                case "H": firstTerm
                case "H2": secondTerm
                default: key
                }
            })
            if (4...9).contains(title.split(separator: " ").count) { return title }
        }
        return titleCase(career.name + " career guide and salary")
    }
}

// MARK: - Article composition

/// One block of an article section.
private enum ArticleBlock {
    case paragraph([UInt8])
    case list([[UInt8]])
    case table(header: [String], rows: [[String]])
}

private struct ArticleSection {
    var heading: String
    var blocks: [ArticleBlock] = []
}

private struct ComposedArticle {
    var intro: [UInt8]
    var sections: [ArticleSection]
    var wordCount: Int
}

/// Per-worker document frequencies of entries (raw pointers: no copy-on-write, no exclusivity
/// checks in the hot loop).
private final class TermUsage: @unchecked Sendable {
    let count: Int
    let documentFrequency: UnsafeMutablePointer<Int32>
    private let lastDocument: UnsafeMutablePointer<Int32>

    init(count: Int) {
        self.count = count
        documentFrequency = .allocate(capacity: count)
        documentFrequency.initialize(repeating: 0, count: count)
        lastDocument = .allocate(capacity: count)
        lastDocument.initialize(repeating: -1, count: count)
    }

    deinit {
        documentFrequency.deallocate()
        lastDocument.deallocate()
    }

    @inline(__always)
    func record(_ entry: Int, document: Int32) {
        if lastDocument[entry] != document {
            lastDocument[entry] = document
            documentFrequency[entry] += 1
        }
    }
}

/// Writes one document's article text from its body stream.
private struct ArticleComposer {
    static let meanLength = 600
    static let lengthSigma = 0.5
    static let lengthRange = 80...5_000

    private let lexicon: Lexicon
    private let header: DocumentHeader
    private let usage: TermUsage
    private var random: Xoshiro
    private let document: Int32
    private let topicShare: Double
    private let usesSecondCareer: Bool
    private var tables = 0
    /// Words written so far (headings and table cells are not counted).
    private var words = 0

    init(lexicon: Lexicon, header: DocumentHeader, seed: UInt64, usage: TermUsage) {
        self.lexicon = lexicon
        self.header = header
        self.usage = usage
        document = Int32(header.id)
        random = Xoshiro(seed: seed, stream: .body, index: UInt64(header.id))
        topicShare = 0.05 + random.unit() * 0.06
        usesSecondCareer = random.chance(0.35)
    }

    private var career: GeneratorVocabulary.Career { lexicon.careers[header.career].career }

    mutating func compose() -> ComposedArticle {
        let length = documentLength()
        let introLength = min(max(length / 8, 30), 120)
        var intro: [UInt8] = []
        appendParagraph(words: introLength, into: &intro)

        let remaining = max(length - introLength, 40)
        let sectionCount = min(random.between(2, 6), max(2, remaining / 50))
        let weights = (0..<sectionCount).map { _ in 0.6 + random.unit() * 0.8 }
        let weightSum = weights.reduce(0, +)
        let headingChoices = random.distinctIndices(sectionCount, of: GeneratorVocabulary.headingPatterns.count)
        var sections: [ArticleSection] = []
        for index in 0..<sectionCount {
            let budget = max(20, Int(Double(remaining) * weights[index] / weightSum))
            sections.append(composeSection(heading: GeneratorVocabulary.headingPatterns[headingChoices[index]], words: budget))
        }
        return ComposedArticle(intro: intro, sections: sections, wordCount: words)
    }

    /// Log-normal with the configured mean: mu = ln(mean) − σ²/2.
    private mutating func documentLength() -> Int {
        let mu = log(Double(Self.meanLength)) - Self.lengthSigma * Self.lengthSigma / 2
        let words = exp(mu + Self.lengthSigma * random.normal())
        return min(max(Int(words.rounded()), Self.lengthRange.lowerBound), Self.lengthRange.upperBound)
    }

    private mutating func composeSection(heading pattern: String, words budget: Int) -> ArticleSection {
        var section = ArticleSection(heading: fillCareerPattern(pattern))
        let wantsList = budget >= 60 && random.chance(0.3)
        let wantsTable = tables < 2 && budget >= 60 && random.chance(0.12)
        var tableDone = !wantsTable
        var left = budget
        var paragraphs = 0
        while left > 0 {
            var size = min(left, random.between(35, 125))
            if left - size < 25 { size = left }
            var text: [UInt8] = []
            appendParagraph(words: size, into: &text)
            section.blocks.append(.paragraph(text))
            left -= size
            paragraphs += 1
            if paragraphs == 1, wantsList {
                section.blocks.append(.list(makeList()))
            }
            if !tableDone, paragraphs >= 2 || left <= 0 {
                section.blocks.append(makeTable())
                tables += 1
                tableDone = true
            }
        }
        return section
    }

    // MARK: Sentences

    /// Sentences of 8–25 words (a shorter one only when the paragraph itself is shorter).
    private mutating func appendParagraph(words: Int, into out: inout [UInt8]) {
        var left = words
        while left > 0 {
            var size = min(left, 8 + (random.below(18) + random.below(18)) / 2)
            if left - size < 8 { size = left <= 25 ? left : left - 8 }
            if !out.isEmpty { out.append(0x20) }
            appendWords(size, into: &out, phrases: true)
            out.append(UInt8(ascii: "."))
            left -= size
        }
    }

    /// `target` words (a multi-word term may overshoot by a few), the first capitalised.
    private mutating func appendWords(_ target: Int, into out: inout [UInt8], phrases: Bool) {
        let start = out.count
        let phraseSlot = phrases && target > 4 && random.chance(0.12) ? random.below(target - 2) : -1
        var written = 0
        var slot = 0
        while written < target {
            if slot > 0 {
                if written < target - 2, random.chance(0.07) { out.append(UInt8(ascii: ",")) }
                out.append(0x20)
            }
            if slot == phraseSlot {
                written += appendPhrase(into: &out, quoted: slot > 0 && random.chance(0.15))
            } else if random.chance(0.006) {
                appendNumber(into: &out)
                written += 1
            } else {
                let entry = nextEntry()
                lexicon.append(entry, to: &out)
                usage.record(entry, document: document)
                written += Int(lexicon.wordCounts[entry])
            }
            slot += 1
        }
        words += written
        if out[start] >= UInt8(ascii: "a"), out[start] <= UInt8(ascii: "z") { out[start] -= 32 }
    }

    /// A career term (the document's topic) or a Zipf draw.
    @inline(__always)
    private mutating func nextEntry() -> Int {
        guard random.chance(topicShare) else { return lexicon.zipf.sample(&random) }
        let topic = lexicon.careers[usesSecondCareer && random.chance(0.25) ? header.secondCareer : header.career]
        let pick = random.below(topic.termEntries.count + 1)
        return pick == topic.termEntries.count ? topic.nameEntry : topic.termEntries[pick]
    }

    private mutating func appendPhrase(into out: inout [UInt8], quoted: Bool) -> Int {
        let entry = random.pick(lexicon.phraseEntries)
        if quoted { out.append(UInt8(ascii: "\"")) }
        lexicon.append(entry, to: &out)
        if quoted { out.append(UInt8(ascii: "\"")) }
        usage.record(entry, document: document)
        return Int(lexicon.wordCounts[entry])
    }

    private mutating func appendNumber(into out: inout [UInt8]) {
        switch random.below(3) {
        case 0: out.append(contentsOf: String(random.between(2, 60)).utf8)
        case 1: out.append(contentsOf: ("$" + grouped(random.between(30, 120) * 1_000 + random.below(100) * 10)).utf8)
        default: out.append(contentsOf: (String(random.between(3, 40)) + "%").utf8)
        }
    }

    // MARK: Lists and tables

    /// 3–6 items, half ready-made steps, half generated phrases. Their words are not taken from
    /// the section's budget: lists make a section a little longer, as they do in real articles.
    private mutating func makeList() -> [[UInt8]] {
        var items: [[UInt8]] = []
        let steps = random.distinctIndices(6, of: GeneratorVocabulary.listItemPatterns.count)
        for number in 0..<random.between(3, 6) {
            var item: [UInt8] = []
            if random.chance(0.5) {
                item.append(contentsOf: fillCareerPattern(GeneratorVocabulary.listItemPatterns[steps[number]]).utf8)
                words += item.reduce(1) { $0 + ($1 == 0x20 ? 1 : 0) }
            } else {
                let topic = lexicon.careers[header.career]
                let lead = random.pick(topic.termEntries)
                lexicon.append(lead, to: &item)
                usage.record(lead, document: document)
                words += Int(lexicon.wordCounts[lead])
                item.append(contentsOf: ": ".utf8)
                appendWords(random.between(3, 8), into: &item, phrases: false)
                if item[0] >= UInt8(ascii: "a"), item[0] <= UInt8(ascii: "z") { item[0] -= 32 }
            }
            items.append(item)
        }
        return items
    }

    private mutating func makeTable() -> ArticleBlock {
        switch random.below(3) {
        case 0:
            let rows = random.distinctIndices(random.between(3, 5), of: GeneratorVocabulary.states.count).map { state -> [String] in
                let salary = Int(Double(career.salary) * (0.8 + random.unit() * 0.45)) / 10 * 10
                return [GeneratorVocabulary.states[state], "$" + grouped(salary), grouped(random.between(15, 2_500) * 10)]
            }
            return .table(header: ["State", "Median Salary", "Employment"], rows: rows)
        case 1:
            let rows = [
                ["Certificate & Diploma", "< 1 year to 18 months", career.credential + " eligible"],
                ["Associate degree", "2 years", career.credential + " eligible"],
                ["Bachelor's degree", "4 years", career.credential + " + postprimary options"],
            ]
            return .table(header: ["Program", "Length", "Credential"], rows: Array(rows.prefix(random.between(2, 3))))
        default:
            let rows = [
                ["Awarded by", career.agency],
                ["Questions", String(random.between(10, 22) * 10)],
                ["Time limit", String(random.between(2, 4)) + " hours"],
                ["Fee", "$" + String(random.between(10, 45) * 5)],
                ["Renewal", "Every " + String(random.between(1, 3)) + " years"],
            ]
            return .table(header: ["Exam Detail", career.credential], rows: rows)
        }
    }

    private mutating func fillCareerPattern(_ pattern: String) -> String {
        let topic = lexicon.careers[header.career]
        let term = lexicon.text(random.pick(topic.termEntries))
        let career = self.career
        let state = header.state
        let credits = String(random.between(12, 48))
        let hours = grouped(random.between(4, 16) * 100)
        return fill(pattern) { key in
            switch key {
            case "C": titleCase(career.name)
            case "aC": withArticle(titleCase(career.name))
            case "X": career.credential
            case "A": career.agency
            case "P": career.program
            case "S": state
            case "H": titleCase(term)
            case "N": credits
            case "Hours": hours
            default: key
            }
        }
    }
}

// MARK: - Page rendering

/// A site template: names and the class/id vocabulary of one made-up career site.
private struct SiteTemplate: Sendable {
    let key: String
    let name: String
    let host: String
    let menu: [String]

    /// The host that serves the site's ads ("ads.radtechpathways.example").
    var adHost: String { "ads." + (host.hasPrefix("www.") ? String(host.dropFirst(4)) : host) }

    static let all: [SiteTemplate] = [
        SiteTemplate(key: "radtech-pathways", name: "RadTech Pathways", host: "www.radtechpathways.example",
                     menu: ["Home", "Imaging Careers", "Nursing", "Certification", "Schools", "Salary Guide", "About"]),
        SiteTemplate(key: "allied-health-compass", name: "Allied Health Compass", host: "alliedhealthcompass.example",
                     menu: ["Careers", "Programs", "Exams", "Salaries", "Resources", "Contact"]),
        SiteTemplate(key: "scrubs-to-careers", name: "Scrubs to Careers", host: "scrubstocareers.example",
                     menu: ["Home", "Medical Assisting", "Radiology", "Sonography", "Nursing", "Blog"]),
        SiteTemplate(key: "imaging-careers-journal", name: "Imaging Careers Journal", host: "www.imagingcareersjournal.example",
                     menu: ["News", "Careers", "Modalities", "Education", "Jobs", "Subscribe"]),
        SiteTemplate(key: "medcareer-notes", name: "MedCareer Notes", host: "medcareernotes.example",
                     menu: ["Start Here", "Career Guides", "Certifications", "School Finder", "About Us"]),
    ]
}

/// Renders a document as a complete HTML page in its site's template.
private struct PageRenderer {
    private let lexicon: Lexicon
    private let header: DocumentHeader
    private let article: ComposedArticle
    private let site: SiteTemplate
    private let seed: UInt64
    private let documentCount: Int
    private var random: Xoshiro
    private var out: [UInt8] = []

    init(lexicon: Lexicon, header: DocumentHeader, article: ComposedArticle, seed: UInt64, documentCount: Int) {
        self.lexicon = lexicon
        self.header = header
        self.article = article
        self.seed = seed
        self.documentCount = documentCount
        site = SiteTemplate.all[header.template]
        random = Xoshiro(seed: seed, stream: .page, index: UInt64(header.id))
        out.reserveCapacity(16_384)
    }

    private var career: GeneratorVocabulary.Career { lexicon.careers[header.career].career }

    mutating func render() -> [UInt8] {
        appendHead()
        switch header.template {
        case 0: renderArticleTemplate()
        case 1: renderMainTemplate()
        case 2: renderPostBodyTemplate()
        case 3: renderItempropTemplate()
        default: renderPlainTemplate()
        }
        raw("</body>\n</html>\n")
        return out
    }

    // MARK: Templates

    /// `<article class="post">` with `<section>`s; an ad inside the article.
    private mutating func renderArticleTemplate() {
        raw("<body class=\"single-post\">\n<header class=\"site-header\">\n<a class=\"logo\" href=\"/\">\(site.name)</a>\n")
        appendNav(open: "<nav class=\"main-nav\" aria-label=\"Main menu\">")
        raw("</header>\n")
        appendCookieBanner(open: "<div class=\"cookie-banner\" id=\"cookie-notice\">")
        raw("<div class=\"breadcrumbs\"><a href=\"/\">Home</a> › <a href=\"/careers/\">Careers</a> › ")
        text(titleCase(career.name))
        raw("</div>\n<div class=\"layout\">\n<article class=\"post\">\n")
        appendHeadline(tag: "<h1 class=\"post-title\">")
        appendByline(open: "<p class=\"byline\">")
        appendBody(wrapSections: true, tableClass: "data-table", adAfter: 0, adOpen: "<div class=\"ad-slot ad-inline\">")
        raw("</article>\n")
        appendSponsored(open: "<aside class=\"sidebar\">\n<div class=\"sponsored\">", close: "</div>\n</aside>\n")
        raw("</div>\n")
        appendRelated(open: "<div class=\"related-articles\">", heading: "<h3>Related Articles</h3>")
        appendCommentForm(open: "<section class=\"comments\" id=\"comments\">", close: "</section>\n")
        appendFooter(open: "<footer class=\"site-footer\">")
    }

    /// `<main>` holding the article, an ad, related posts and the comment form.
    private mutating func renderMainTemplate() {
        raw("<body>\n<header id=\"top\">\n<div class=\"brand\"><a href=\"/\">\(site.name)</a></div>\n")
        appendNav(open: "<nav aria-label=\"Primary\">")
        raw("</header>\n")
        appendCookieBanner(open: "<div class=\"cookie-banner cookie-banner--bottom\" aria-live=\"polite\">")
        raw("<main id=\"main-content\" class=\"page-main\">\n")
        appendHeadline(tag: "<h1>")
        appendByline(open: "<div class=\"article-meta\">")
        appendBody(wrapSections: false, tableClass: "compare", adAfter: nil, adOpen: "")
        appendAd(open: "<div class=\"ad-slot\" data-slot=\"in-content\">")
        appendRelated(open: "<div class=\"related-posts\">", heading: "<h2>You Might Also Like</h2>")
        appendCommentForm(open: "<div class=\"comment-box\">", close: "</div>\n")
        raw("</main>\n")
        appendSponsored(open: "<aside class=\"sidebar\" aria-label=\"Sponsored\">", close: "</aside>\n")
        appendFooter(open: "<footer>")
    }

    /// `<div class="post-body">` with the headline outside it and an ad in the middle.
    private mutating func renderPostBodyTemplate() {
        raw("<body class=\"blog\">\n<header class=\"masthead\">\n<div class=\"site-title\">\(site.name)</div>\n")
        appendNav(open: "<nav class=\"menu\">")
        raw("</header>\n")
        appendCookieBanner(open: "<div class=\"cookie-banner\">")
        raw("<div id=\"page\" class=\"container\">\n<div class=\"content-area\">\n")
        appendHeadline(tag: "<h1 class=\"entry-title\">")
        appendByline(open: "<div class=\"entry-meta byline\">")
        raw("<div class=\"post-body\">\n")
        let middle = max(0, article.sections.count / 2 - 1)
        appendBody(wrapSections: false, tableClass: "wp-table", adAfter: middle, adOpen: "<div class=\"ad-slot\">")
        raw("</div>\n")
        appendRelated(open: "<div class=\"related\">", heading: "<h4>Related Posts</h4>")
        appendCommentForm(open: "<div id=\"comments\" class=\"comments-area\">", close: "</div>\n")
        raw("</div>\n")
        appendSponsored(open: "<aside class=\"widget-area\">\n<div class=\"widget sponsored-listings\">", close: "</div>\n</aside>\n")
        raw("</div>\n")
        appendFooter(open: "<footer class=\"site-footer\">")
    }

    /// schema.org markup: `<div itemprop="articleBody">`.
    private mutating func renderItempropTemplate() {
        raw("<body>\n<header class=\"topbar\">\n")
        appendNav(open: "<nav class=\"navbar\">")
        raw("</header>\n")
        appendCookieBanner(open: "<div class=\"cookie-banner\" data-consent=\"pending\">")
        raw("<div class=\"wrapper\">\n<div class=\"story\" itemscope itemtype=\"https://schema.org/Article\">\n")
        appendHeadline(tag: "<h1 itemprop=\"headline\">")
        appendByline(open: "<div class=\"byline\" itemprop=\"author\">")
        raw("<div itemprop=\"articleBody\">\n")
        appendBody(wrapSections: false, tableClass: "facts", adAfter: nil, adOpen: "")
        raw("</div>\n")
        appendAd(open: "<div class=\"ad-slot\">")
        appendRelated(open: "<div class=\"read-next\">", heading: "<h3>Read Next</h3>")
        raw("</div>\n")
        appendSponsored(open: "<aside class=\"rail\">", close: "</aside>\n")
        raw("</div>\n")
        appendCommentForm(open: "<section class=\"comments\">", close: "</section>\n")
        appendFooter(open: "<footer class=\"footer\">")
    }

    /// No content markers at all: the extractor must score its way to `#content`. The ad appears
    /// above and below the article.
    private mutating func renderPlainTemplate() {
        raw("<body class=\"page\">\n<header>\n<div class=\"logo\">\(site.name)</div>\n")
        appendNav(open: "<nav>")
        raw("</header>\n")
        appendCookieBanner(open: "<div class=\"cookie-banner\" style=\"position:fixed;bottom:0\">")
        appendAd(open: "<div class=\"ad-slot ad-leaderboard\">")
        raw("<div class=\"columns\">\n<div id=\"content\" class=\"entry-content\">\n")
        appendHeadline(tag: "<h1>")
        appendBody(wrapSections: false, tableClass: "", adAfter: nil, adOpen: "")
        raw("</div>\n")
        appendSponsored(open: "<aside id=\"secondary\">", close: "</aside>\n")
        raw("</div>\n")
        appendAd(open: "<div class=\"ad-slot ad-footer\">")
        appendRelated(open: "<div class=\"related-links\">", heading: "<h3>More Career Guides</h3>")
        appendCommentForm(open: "<div class=\"respond\">", close: "</div>\n")
        appendFooter(open: "<footer id=\"colophon\">")
    }

    // MARK: Shared pieces

    private mutating func appendHead() {
        raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
        text(header.title + " | " + site.name)
        raw("</title>\n<meta name=\"description\" content=\"")
        text(description())
        raw("\">\n<link rel=\"canonical\" href=\"https://\(site.host)/careers/\(header.idString)/\">\n")
        raw("<link rel=\"stylesheet\" href=\"/assets/\(site.key).css\">\n")
        raw("<script>window.dataLayer = window.dataLayer || []; dataLayer.push({page: \"article\"});</script>\n</head>\n")
    }

    private mutating func description() -> String {
        let name = career.name
        switch random.below(3) {
        case 0: return "Everything you need to know about becoming \(withArticle(name)): training, \(career.credential) certification, salary and job outlook."
        case 1: return "A practical guide for the aspiring \(name), from accredited programs to the \(career.credential) exam."
        default: return "What \(withArticle(name)) does, what the job pays and how to get started in \(header.state)."
        }
    }

    private mutating func appendNav(open: String) {
        raw(open)
        raw("\n<ul>\n")
        for label in site.menu {
            raw("<li><a href=\"/\(slug(label))/\">")
            text(label)
            raw("</a></li>\n")
        }
        raw("</ul>\n</nav>\n")
    }

    private mutating func appendCookieBanner(open: String) {
        raw(open)
        raw("\n<p>We use cookies to improve your experience and to show relevant school ads. By continuing to browse, you agree to our <a href=\"/privacy/\">Privacy Policy</a>.</p>\n")
        raw("<button type=\"button\" class=\"accept\">Accept all</button> <button type=\"button\">Manage preferences</button>\n</div>\n")
    }

    private mutating func appendHeadline(tag: String) {
        raw(tag)
        text(header.title)
        raw("</h1>\n")
    }

    private mutating func appendByline(open: String) {
        let author = random.pick(GeneratorVocabulary.authors)
        let month = random.pick(GeneratorVocabulary.months)
        let date = "\(month) \(random.between(1, 28)), \(random.between(2019, 2025))"
        raw(open)
        raw("By ")
        text(author)
        raw(" · Updated ")
        text(date)
        let closing = open.hasPrefix("<p") ? "</p>\n" : "</div>\n"
        raw(closing)
    }

    /// The article: intro, then sections; an ad block may follow section `adAfter`.
    private mutating func appendBody(wrapSections: Bool, tableClass: String, adAfter: Int?, adOpen: String) {
        paragraph(article.intro)
        for (index, section) in article.sections.enumerated() {
            if wrapSections { raw("<section>\n") }
            raw("<h2>")
            text(section.heading)
            raw("</h2>\n")
            for block in section.blocks {
                switch block {
                case .paragraph(let bytes): paragraph(bytes)
                case .list(let items):
                    raw("<ul>\n")
                    for item in items {
                        raw("<li>")
                        text(item)
                        raw("</li>\n")
                    }
                    raw("</ul>\n")
                case .table(let header, let rows): appendTable(header: header, rows: rows, tableClass: tableClass)
                }
            }
            if wrapSections { raw("</section>\n") }
            if index == adAfter { appendAd(open: adOpen) }
        }
    }

    private mutating func paragraph(_ bytes: [UInt8]) {
        raw("<p>")
        text(bytes)
        raw("</p>\n")
    }

    private mutating func appendTable(header: [String], rows: [[String]], tableClass: String) {
        raw(tableClass.isEmpty ? "<table>\n" : "<table class=\"\(tableClass)\">\n")
        raw("<thead><tr>")
        for cell in header {
            raw("<th>")
            text(cell)
            raw("</th>")
        }
        raw("</tr></thead>\n<tbody>\n")
        for row in rows {
            raw("<tr>")
            for cell in row {
                raw("<td>")
                text(cell)
                raw("</td>")
            }
            raw("</tr>\n")
        }
        raw("</tbody>\n</table>\n")
    }

    private mutating func appendAd(open: String) {
        let headline = fill(random.pick(GeneratorVocabulary.adHeadlines)) { $0 == "P" ? career.program : $0 }
        raw(open)
        raw("\n<span class=\"ad-label\">Advertisement</span>\n<h3>")
        text(headline)
        raw("</h3>\n<p>Compare ")
        text(career.program)
        raw(" programs from accredited schools &amp; request free information today.</p>\n")
        raw("<a class=\"ad-button\" href=\"https://\(site.adHost)/match?program=\(slug(career.program))\" rel=\"sponsored\">Search Schools</a>\n</div>\n")
    }

    private mutating func appendSponsored(open: String, close: String) {
        raw(open)
        raw("\n<h3>Sponsored listings</h3>\n<ul>\n")
        for _ in 0..<random.between(3, 5) {
            let school = random.pick(GeneratorVocabulary.schoolPlaces) + " " + random.pick(GeneratorVocabulary.schoolKinds)
            let program = lexicon.careers[lexicon.pickCareer(&random)].career.program + " " + random.pick(GeneratorVocabulary.credentialsOffered)
            raw("<li><a href=\"https://\(site.adHost)/click?school=\(slug(school))\" rel=\"sponsored nofollow\">")
            text(school)
            raw("</a> <span class=\"program\">")
            text(program)
            raw("</span> <span class=\"format\">Online &amp; Campus</span></li>\n")
        }
        raw("</ul>\n")
        raw(close)
    }

    /// 2–4 other documents (with their real titles) and one evergreen page.
    private mutating func appendRelated(open: String, heading: String) {
        raw(open)
        raw("\n")
        raw(heading)
        raw("\n<ul>\n")
        var chosen: [Int] = []
        if documentCount > 1 {
            for _ in 0..<random.between(2, 4) {
                let other = random.below(documentCount)
                if other != header.id, !chosen.contains(other) { chosen.append(other) }
            }
        }
        for other in chosen {
            let title = DocumentHeader(id: other, seed: seed, lexicon: lexicon).title
            raw("<li><a href=\"/careers/\(DocumentHeader.idString(other))/\">")
            text(title)
            raw("</a></li>\n")
        }
        raw("<li><a href=\"/guides/choosing-a-program/\">")
        text(random.pick(GeneratorVocabulary.evergreenTitles))
        raw("</a></li>\n</ul>\n</div>\n")
    }

    private mutating func appendCommentForm(open: String, close: String) {
        raw(open)
        raw("\n<h3>Leave a Comment</h3>\n<form class=\"comment-form\" action=\"/comments/\" method=\"post\">\n")
        raw("<p><label for=\"author\">Name</label> <input id=\"author\" name=\"author\" type=\"text\"></p>\n")
        raw("<p><label for=\"comment\">Comment</label> <textarea id=\"comment\" name=\"comment\" rows=\"6\" placeholder=\"Share your experience with clinical rotations or the certification exam\"></textarea></p>\n")
        raw("<p><button type=\"submit\">Post Comment</button></p>\n</form>\n")
        raw(close)
    }

    private mutating func appendFooter(open: String) {
        raw(open)
        raw("\n<ul class=\"footer-links\">\n")
        for label in ["About Us", "Privacy Policy", "Terms of Use", "Advertise", "Contact"] {
            raw("<li><a href=\"/\(slug(label))/\">\(label)</a></li>\n")
        }
        raw("</ul>\n<p>Salary figures are estimates and do not guarantee earnings. School listings are paid advertisements.</p>\n")
        raw("<p class=\"copyright\">&copy; 2025 ")
        text(site.name)
        raw(". All rights reserved.</p>\n</footer>\n<script src=\"/assets/analytics.js\" async></script>\n")
    }

    // MARK: Output

    @inline(__always)
    private mutating func raw(_ string: String) { out.append(contentsOf: string.utf8) }

    private mutating func text(_ string: String) { appendEscapedHTML(string.utf8, to: &out) }

    private mutating func text(_ bytes: [UInt8]) { appendEscapedHTML(bytes, to: &out) }
}

/// `{"id":"…","title":"…","text":"…"}` with the article text (intro, headings, paragraphs, list
/// items, table rows as "a | b | c") as blocks joined by blank lines.
private func jsonLine(header: DocumentHeader, article: ComposedArticle) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(article.wordCount * 8 + 256)
    out.append(contentsOf: "{\"id\":\"".utf8)
    out.append(contentsOf: header.idString.utf8)
    out.append(contentsOf: "\",\"title\":\"".utf8)
    appendEscapedJSON(header.title.utf8, to: &out)
    out.append(contentsOf: "\",\"text\":\"".utf8)
    var first = true
    func block<S: Sequence<UInt8>>(_ bytes: S) {
        if !first { out.append(contentsOf: "\\n\\n".utf8) }
        first = false
        appendEscapedJSON(bytes, to: &out)
    }
    block(article.intro)
    for section in article.sections {
        block(section.heading.utf8)
        for item in section.blocks {
            switch item {
            case .paragraph(let bytes): block(bytes)
            case .list(let items): for entry in items { block(entry) }
            case .table(let header, let rows):
                block(header.joined(separator: " | ").utf8)
                for row in rows { block(row.joined(separator: " | ").utf8) }
            }
        }
    }
    out.append(contentsOf: "\"}\n".utf8)
    return out
}

// MARK: - Generating the collection

private struct CollectionStats {
    var words = 0
    var htmlBytes = 0
    var jsonlBytes = 0
    var templateCounts = [Int](repeating: 0, count: SiteTemplate.all.count)
    var documentFrequency: [Int32] = []
}

/// One worker's counters and term usage; touched only by its own thread.
private final class WorkerState: @unchecked Sendable {
    let usage: TermUsage
    var words = 0
    var htmlBytes = 0
    var templateCounts = [Int](repeating: 0, count: SiteTemplate.all.count)

    init(vocabularySize: Int) { usage = TermUsage(count: vocabularySize) }
}

/// Slots that workers fill at distinct indices, read after they finish.
private final class LineSlots: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<[UInt8]>
    let count: Int

    init(count: Int) {
        self.count = count
        storage = .allocate(capacity: max(count, 1))
        storage.initialize(repeating: [], count: count)
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    subscript(index: Int) -> [UInt8] {
        get { storage[index] }
        set { storage[index] = newValue }
    }
}

private final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var error: (any Error)?

    func record(_ error: any Error) {
        lock.lock()
        defer { lock.unlock() }
        if self.error == nil { self.error = error }
    }
}

/// Generates documents in batches: workers compose documents (and write HTML pages) in
/// parallel; JSONL lines are appended in id order after each batch. Memory stays bounded by the
/// batch size whatever the collection size.
private struct CollectionGenerator: Sendable {
    let lexicon: Lexicon
    let seed: UInt64
    let documentCount: Int
    let outputFormat: GenerateCommand.OutputFormat
    let root: String
    let threads: Int

    func run() throws -> CollectionStats {
        if outputFormat.writesHTML { try createBuckets() }
        let jsonl = outputFormat.writesJSONL ? try OutputFile(path: root + "/corpus.jsonl") : nil
        let workers = (0..<threads).map { _ in WorkerState(vocabularySize: lexicon.count) }
        let batchSize = 256 * threads
        let failure = FirstError()
        let started = DispatchTime.now().uptimeNanoseconds
        var nextReport = documentCount / 10

        for batchStart in stride(from: 0, to: documentCount, by: batchSize) {
            let batchCount = min(batchSize, documentCount - batchStart)
            let lines = LineSlots(count: outputFormat.writesJSONL ? batchCount : 0)
            let threads = self.threads
            let generator = self
            parallel(threads: threads) { worker in
                let state = workers[worker]
                for offset in stride(from: worker, to: batchCount, by: threads) {
                    do {
                        if let line = try generator.produce(id: batchStart + offset, state: state) { lines[offset] = line }
                    } catch {
                        failure.record(error)
                        return
                    }
                }
            }
            if let error = failure.error { throw error }
            if let jsonl {
                for offset in 0..<batchCount { try jsonl.write(lines[offset]) }
            }
            let done = batchStart + batchCount
            if documentCount >= 20_000, done >= nextReport, done < documentCount {
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                FileHandle.standardError.write(Data("generate: \(done)/\(documentCount) documents, \(format(Double(done) / seconds, 0)) docs/s\n".utf8))
                nextReport += documentCount / 10
            }
        }

        var stats = CollectionStats()
        if let jsonl {
            try jsonl.close()
            stats.jsonlBytes = jsonl.bytesWritten
        }
        stats.documentFrequency = [Int32](repeating: 0, count: lexicon.count)
        for state in workers {
            stats.words += state.words
            stats.htmlBytes += state.htmlBytes
            for index in stats.templateCounts.indices { stats.templateCounts[index] += state.templateCounts[index] }
            for entry in 0..<lexicon.count { stats.documentFrequency[entry] += state.usage.documentFrequency[entry] }
        }
        return stats
    }

    /// Composes document `id`, writes its page if HTML is wanted, and returns its JSONL line if
    /// JSONL is wanted.
    private func produce(id: Int, state: WorkerState) throws -> [UInt8]? {
        let header = DocumentHeader(id: id, seed: seed, lexicon: lexicon)
        var composer = ArticleComposer(lexicon: lexicon, header: header, seed: seed, usage: state.usage)
        let article = composer.compose()
        state.words += article.wordCount
        state.templateCounts[header.template] += 1
        if outputFormat.writesHTML {
            var renderer = PageRenderer(lexicon: lexicon, header: header, article: article, seed: seed, documentCount: documentCount)
            let page = renderer.render()
            try writeWholeFile(path: root + "/html/" + bucketName(id) + "/" + header.idString + ".html", bytes: page)
            state.htmlBytes += page.count
        }
        return outputFormat.writesJSONL ? jsonLine(header: header, article: article) : nil
    }

    private func createBuckets() throws {
        for bucket in 0...((documentCount - 1) / 1_000) {
            try FileManager.default.createDirectory(atPath: root + "/html/" + zeroPadded(bucket, width: 3), withIntermediateDirectories: true)
        }
    }

    private func bucketName(_ id: Int) -> String { zeroPadded(id / 1_000, width: 3) }
}

// MARK: - Queries

/// Queries drawn from entries that occur in the collection, in fixed shapes: quoted phrases,
/// career + aspect, healthcare words, rare long-tail words, and common words.
private struct QueryGenerator {
    private let lexicon: Lexicon
    private var random: Xoshiro
    private let healthcareWords: [Int]
    private let commonWords: [Int]
    private let rareWords: [Int]
    private let middleWords: [Int]
    private let phrases: [Int]
    private let careerTerms: [[Int]]
    private let aspects: [Int]
    private let anyWords: [Int]

    init(lexicon: Lexicon, documentFrequency df: [Int32], documentCount: Int, seed: UInt64) {
        self.lexicon = lexicon
        random = Xoshiro(seed: seed, stream: .queries)
        let texts = (0..<lexicon.count).map { Self.queryText(lexicon.text($0)) }
        func usable(_ entry: Int) -> Bool { df[entry] > 0 && texts[entry] != nil && lexicon.kinds[entry] != .function }
        let singles = (0..<lexicon.count).filter { usable($0) && lexicon.wordCounts[$0] == 1 }
        healthcareWords = singles.filter { lexicon.kinds[$0] == .healthcare }
        commonWords = singles.filter { lexicon.kinds[$0] == .common }
        let byFrequency = singles.sorted { df[$0] != df[$1] ? df[$0] < df[$1] : $0 < $1 }
        rareWords = Array(byFrequency.prefix(max(1, min(1_000, byFrequency.count / 10))))
        middleWords = Array(byFrequency[(byFrequency.count * 2 / 5)..<(byFrequency.count * 7 / 10)])
        phrases = (0..<lexicon.count).filter { usable($0) && (2...4).contains(lexicon.wordCounts[$0]) && lexicon.kinds[$0] == .healthcare }
        careerTerms = lexicon.careers.map { topic in ([topic.nameEntry] + topic.termEntries).filter(usable) }
        aspects = GeneratorVocabulary.queryAspects.compactMap { word in singles.first { texts[$0] == word } }
        anyWords = singles
        self.texts = texts
    }

    private let texts: [String?]

    /// The lowercase form of an entry if a query can use it verbatim (letters, digits, inner
    /// hyphens and spaces only), else nil.
    private static func queryText(_ text: String) -> String? {
        let lower = text.lowercased()
        let allowed = lower.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == " " }
        guard allowed, !lower.hasPrefix("-"), !lower.hasSuffix("-") else { return nil }
        return lower
    }

    mutating func make(count: Int) -> [String] {
        var queries: [String] = []
        var seen = Set<String>()
        guard !anyWords.isEmpty else { return [] }
        // Exactly 15% phrase queries (when phrases occur at all), at random positions.
        let phrasePositions = Set(phrases.isEmpty ? [] : random.distinctIndices(Int((Double(count) * 0.15).rounded()), of: count))
        for position in 0..<count {
            let wantsPhrase = phrasePositions.contains(position)
            var query = makeOne(phrase: wantsPhrase)
            for _ in 0..<30 where seen.contains(query) { query = makeOne(phrase: wantsPhrase) }
            seen.insert(query)
            queries.append(query)
        }
        return queries
    }

    private mutating func makeOne(phrase: Bool) -> String {
        if phrase {
            var words = Words()
            let phrase = texts[random.pick(phrases)]!
            words.addPhrase(phrase)
            if random.chance(0.45) { words.add(pickText(aspects)) }
            if random.chance(0.15) { words.add(pickText(healthcareWords)) }
            return words.query
        }
        var words = Words()
        let shape = random.unit()
        if shape < 0.40 {
            let terms = careerTerms[lexicon.pickCareer(&random)]
            words.add(pickText(terms.isEmpty ? healthcareWords : terms))
            for _ in 0..<random.between(0, 2) { words.add(pickText(aspects)) }
        } else if shape < 0.67 {
            for _ in 0..<random.between(1, 3) { words.add(pickText(healthcareWords)) }
            if random.chance(0.3) { words.add(pickText(commonWords)) }
        } else if shape < 0.85 {
            words.add(pickText(rareWords))
            for _ in 0..<random.between(0, 2) { words.add(pickText(random.chance(0.5) ? healthcareWords : commonWords)) }
        } else {
            for _ in 0..<random.between(2, 4) { words.add(pickText(random.chance(0.6) ? commonWords : middleWords)) }
        }
        if words.isEmpty { words.add(pickText(anyWords)) }
        return words.query
    }

    private mutating func pickText(_ pool: [Int]) -> String? {
        let source = pool.isEmpty ? anyWords : pool
        return texts[random.pick(source)]
    }

    /// A query under construction: at most 5 words, no word twice, a phrase kept in quotes.
    private struct Words {
        private var parts: [String] = []
        private var used: [String] = []
        var isEmpty: Bool { parts.isEmpty }
        var query: String { parts.joined(separator: " ") }

        mutating func addPhrase(_ phrase: String) {
            let split = phrase.split(separator: " ").map(String.init)
            parts.append("\"" + phrase + "\"")
            used += split
        }

        mutating func add(_ text: String?) {
            guard let text else { return }
            let split = text.split(separator: " ").map(String.init)
            guard used.count + split.count <= 5, !split.contains(where: used.contains) else { return }
            parts.append(text)
            used += split
        }
    }
}

// MARK: - Text helpers

/// Replaces `{key}` placeholders using `value`.
private func fill(_ pattern: String, _ value: (String) -> String) -> String {
    var result = ""
    var key = ""
    var inKey = false
    for character in pattern {
        if inKey {
            if character == "}" {
                result += value(key)
                key = ""
                inKey = false
            } else {
                key.append(character)
            }
        } else if character == "{" {
            inKey = true
        } else {
            result.append(character)
        }
    }
    return result
}

/// Headline capitalisation: lowercase words get a capital except short joining words; words
/// that already hold capitals (MRI, NCLEX-RN) are left alone.
private func titleCase(_ text: String) -> String {
    let minor: Set<Substring> = ["a", "an", "the", "of", "and", "or", "in", "on", "for", "to", "at", "by", "vs.", "with", "from"]
    var words: [String] = []
    for (index, word) in text.split(separator: " ").enumerated() {
        if word.contains(where: \.isUppercase) || (index > 0 && minor.contains(word)) {
            words.append(String(word))
        } else {
            words.append(word.prefix(1).uppercased() + word.dropFirst())
        }
    }
    return words.joined(separator: " ")
}

/// "a CT technologist", "an MRI technologist", "an echocardiographer", "an LPN".
private func withArticle(_ noun: String) -> String {
    guard let first = noun.first else { return noun }
    let firstWord = noun.split(separator: " ").first ?? ""
    let isAcronym = firstWord.count > 1 && firstWord.allSatisfy { $0.isUppercase || $0 == "-" }
    let vowelSound = isAcronym ? "AEFHILMNORSX".contains(first) : "aeiouAEIOU".contains(first)
    return (vowelSound ? "an " : "a ") + noun
}

private func slug(_ text: String) -> String {
    var result = ""
    var pendingDash = false
    for scalar in text.lowercased().unicodeScalars {
        if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
            if pendingDash, !result.isEmpty { result.append("-") }
            pendingDash = false
            result.unicodeScalars.append(scalar)
        } else {
            pendingDash = true
        }
    }
    return result
}

private func zeroPadded(_ number: Int, width: Int) -> String {
    let digits = String(number)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

/// 52340 → "52,340" (no locale involved).
private func grouped(_ number: Int) -> String {
    let digits = Array(String(number))
    var result = ""
    for (index, digit) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
        result.append(digit)
    }
    return result
}

/// Appends `bytes`, replacing each byte that `escape` maps to a replacement; unchanged runs are
/// copied in bulk.
@inline(__always)
private func appendEscaped<S: Sequence<UInt8>>(_ bytes: S, to out: inout [UInt8], _ escape: (UInt8) -> String?) {
    let handled: Void? = bytes.withContiguousStorageIfAvailable { buffer in
        var runStart = 0
        for index in 0..<buffer.count {
            guard let replacement = escape(buffer[index]) else { continue }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart..<index]))
            out.append(contentsOf: replacement.utf8)
            runStart = index + 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart..<buffer.count]))
    }
    if handled == nil {
        for byte in bytes {
            if let replacement = escape(byte) { out.append(contentsOf: replacement.utf8) } else { out.append(byte) }
        }
    }
}

/// Text and attribute values: & < > ".
private func appendEscapedHTML<S: Sequence<UInt8>>(_ bytes: S, to out: inout [UInt8]) {
    appendEscaped(bytes, to: &out) { byte in
        switch byte {
        case UInt8(ascii: "&"): "&amp;"
        case UInt8(ascii: "<"): "&lt;"
        case UInt8(ascii: ">"): "&gt;"
        case UInt8(ascii: "\""): "&quot;"
        default: nil
        }
    }
}

/// A JSON string body: quote, backslash and control characters.
private func appendEscapedJSON<S: Sequence<UInt8>>(_ bytes: S, to out: inout [UInt8]) {
    appendEscaped(bytes, to: &out) { byte in
        switch byte {
        case UInt8(ascii: "\""): "\\\""
        case UInt8(ascii: "\\"): "\\\\"
        case 0x0A: "\\n"
        case 0x09: "\\t"
        case 0x0D: "\\r"
        case 0..<0x20: "\\u00" + String(byte >> 4, radix: 16) + String(byte & 15, radix: 16)
        default: nil
        }
    }
}

// MARK: - Files

/// An append-only file with a 1 MiB buffer.
private final class OutputFile {
    private let descriptor: Int32
    private let path: String
    private var buffer: [UInt8] = []
    private(set) var bytesWritten = 0

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw BenchError("\(path): cannot create (\(String(cString: strerror(errno))))") }
        buffer.reserveCapacity(1 << 20)
    }

    func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        bytesWritten += bytes.count
        if buffer.count >= 1 << 20 { try flush() }
    }

    func flush() throws {
        try writeAll(descriptor, buffer, path: path)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        guard Glibc.close(descriptor) == 0 else { throw BenchError("\(path): close failed (\(String(cString: strerror(errno))))") }
    }
}

private func writeWholeFile(path: String, bytes: [UInt8]) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw BenchError("\(path): cannot create (\(String(cString: strerror(errno))))") }
    defer { close(descriptor) }
    try writeAll(descriptor, bytes, path: path)
}

private func writeAll(_ descriptor: Int32, _ bytes: [UInt8], path: String) throws {
    try bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw BenchError("\(path): write failed (\(String(cString: strerror(errno))))")
            }
            offset += written
        }
    }
}
