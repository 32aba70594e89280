import Foundation
import MedAnalysis
import MedExtract

/// Analysis throughput (tokenize + fold + stopwords + Porter2), single-threaded, on the text the
/// indexer analyses: the extracted body text of HTML pages and/or generated English article text.
///
/// For each text it reports the full analyzer in one call over all the bytes and line by line (the
/// indexer calls the analyzer once per passage), then a breakdown: without stemming, without
/// stemming and stopwords (tokenize + fold only), and `EnglishStemmer` alone, uncached, on the
/// same words. A checksum of every token (term, position, byte range, joined flag) is printed so
/// that two builds can be compared for identical output.
///
/// Options besides those in the usage text: `--seed S` (generated text, default 42) and
/// `--save-text FILE` (writes the analysed text, e.g. to feed another analyzer the same bytes).
struct AnalyzeBenchmark {
    var paths: [String]
    var generateMB: Int
    var seed: UInt64
    var repeats: Int
    /// Where to write the analysed text (for feeding other analyzers the same bytes).
    var saveText: String?

    init(arguments: [String]) throws {
        let options = try Options(arguments)
        paths = options.positional
        generateMB = try options.int("generate-mb", default: 0)
        seed = UInt64(try options.int("seed", default: 42))
        repeats = try options.int("repeat", default: 3)
        saveText = options.values["save-text"]
        guard !paths.isEmpty || generateMB > 0 else {
            throw BenchError("analyze: give HTML files or folders, or --generate-mb M")
        }
    }

    func run() throws {
        var texts: [(label: String, bytes: [UInt8])] = []
        if !paths.isEmpty {
            let (bytes, pages) = try extractedText()
            texts.append(("extracted text of \(pages) pages", bytes))
        }
        if generateMB > 0 {
            var generator = ArticleTextGenerator(seed: seed)
            texts.append(("generated text, \(generateMB) MB, seed \(seed)", generator.text(bytes: generateMB * 1_000_000)))
        }
        if let saveText {
            let all = texts.reduce(into: [UInt8]()) { $0 += $1.bytes + [UInt8(ascii: "\n")] }
            try Data(all).write(to: URL(fileURLWithPath: saveText))
        }
        for (label, bytes) in texts {
            print("== \(label)")
            bytes.withUnsafeBufferPointer { benchmark($0) }
        }
        print("peak memory: \(format(peakMemoryMiB())) MiB")
    }

    /// The body text of every page the extractor accepts, one page after another.
    private func extractedText() throws -> (bytes: [UInt8], pages: Int) {
        let files = try htmlFiles(under: paths)
        guard !files.isEmpty else { throw BenchError("analyze: no HTML files under \(paths.joined(separator: ", "))") }
        let extractor = ArticleExtractor()
        var text: [UInt8] = []
        var pages = 0
        for file in files {
            let html = try [UInt8](Data(contentsOf: file))
            guard let article = try? extractor.extract(html: html).article else { continue }
            text += article.bodyText.utf8
            text.append(UInt8(ascii: "\n"))
            pages += 1
        }
        return (text, pages)
    }

    // MARK: Measurements

    private func benchmark(_ text: UnsafeBufferPointer<UInt8>) {
        let lines = lineRanges(text)
        let standard = Analyzer.standard
        let noStemming = Analyzer(stemming: false)
        let bare = Analyzer(stopWords: .none, stopWordsName: "none", stemming: false)

        let tokens = countTokens(standard, text)
        print("bytes: \(text.count) (\(format(megabytes(text.count), 2)) MB), lines: \(lines.count), tokens: \(tokens)")
        print("token checksum: \(String(checksum(standard, text), radix: 16))")

        let full = best(of: repeats) { _ = countTokens(standard, text) }
        let perLine = best(of: repeats) { _ = countTokens(standard, text, lines: lines) }
        let unstemmed = best(of: repeats) { _ = countTokens(noStemming, text) }
        let scanOnly = best(of: repeats) { _ = countTokens(bare, text) }

        let words = stemmableWords(noStemming, text)
        let stemmer = EnglishStemmer()
        let stemOnly = best(of: repeats) {
            var buffer: [UInt8] = []
            buffer.reserveCapacity(128)
            var total = 0
            var start = 0
            for end in words.ends {
                buffer.removeAll(keepingCapacity: true)
                buffer.append(contentsOf: words.bytes[start..<end])
                stemmer.stem(&buffer)
                total &+= buffer.count
                start = end
            }
            blackHole(total)
        }

        report("analyze, one call, 1 thread", seconds: full, bytes: text.count, tokens: tokens)
        report("analyze, one call per line", seconds: perLine, bytes: text.count, tokens: tokens)
        report("without stemming", seconds: unstemmed, bytes: text.count, tokens: tokens)
        report("tokenize + fold only", seconds: scanOnly, bytes: text.count, tokens: countTokens(bare, text))
        print("stemming share (full − without stemming): \(format(max(full - unstemmed, 0) / full * 100))% of analysis time")
        print("stopword share (without stemming − tokenize + fold): \(format(max(unstemmed - scanOnly, 0) / full * 100))% of analysis time")
        print("EnglishStemmer alone, uncached, on the \(words.ends.count) letter-only words: \(format(stemOnly * 1000)) ms"
            + " (\(format(Double(words.ends.count) / stemOnly / 1e6, 2)) M words/s; \(format(stemOnly / full * 100))% of the full analysis time)")
    }

    private func report(_ label: String, seconds: Double, bytes: Int, tokens: Int) {
        let rate = megabytes(bytes) / seconds
        let tokenRate = Double(tokens) / seconds / 1e6
        print("\(label.padding(toLength: 34, withPad: " ", startingAt: 0)) \(format(rate)) MB/s  \(format(tokenRate, 2)) M tokens/s  (\(format(seconds * 1000)) ms)")
    }

    /// Runs `analyzer` over `text` (or over each of `lines`), returning the number of tokens;
    /// the term bytes are summed too so the work cannot be optimised away.
    private func countTokens(_ analyzer: Analyzer, _ text: UnsafeBufferPointer<UInt8>, lines: [Range<Int>]? = nil) -> Int {
        var count = 0
        var termBytes = 0
        // Closure literals (not a stored closure) so the captured counters stay on the stack.
        if let lines {
            var position = 0
            for line in lines {
                position = analyzer.analyze(UnsafeBufferPointer(rebasing: text[line]), startPosition: position) { token in
                    count += 1
                    termBytes &+= token.term.count
                }
            }
        } else {
            analyzer.analyze(text) { token in
                count += 1
                termBytes &+= token.term.count
            }
        }
        blackHole(termBytes)
        return count
    }

    /// FNV-1a 64 over every token's term, position, byte range and joined-form flag.
    private func checksum(_ analyzer: Analyzer, _ text: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ value: UInt64) {
            hash ^= value
            hash &*= 0x0000_0100_0000_01b3
        }
        analyzer.analyze(text) { token in
            for byte in token.term { mix(UInt64(byte)) }
            mix(UInt64(token.position))
            mix(UInt64(token.utf8Range.lowerBound))
            mix(UInt64(token.utf8Range.upperBound))
            mix(token.isJoinedForm ? 1 : 0)
        }
        return hash
    }

    /// The unstemmed terms made only of letters (what the analyzer would stem), in text order,
    /// back to back in `bytes`, each ending at the corresponding entry of `ends`.
    private func stemmableWords(_ analyzer: Analyzer, _ text: UnsafeBufferPointer<UInt8>) -> (bytes: [UInt8], ends: [Int]) {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        analyzer.analyze(text) { token in
            let isWord = !token.term.contains { ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "/") }
            if isWord {
                bytes.append(contentsOf: token.term)
                ends.append(bytes.count)
            }
        }
        return (bytes, ends)
    }

    /// The byte ranges of the text's lines (newline excluded, empty lines skipped).
    private func lineRanges(_ text: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for (index, byte) in text.enumerated() where byte == UInt8(ascii: "\n") {
            if index > start { ranges.append(start..<index) }
            start = index + 1
        }
        if start < text.count { ranges.append(start..<text.count) }
        return ranges
    }
}

/// Keeps a value alive so the computation producing it is not removed.
@inline(never)
func blackHole(_ value: Int) {
    if value == Int.min { print("", terminator: "") }
}

// MARK: - Generated text

/// Deterministic English-like career-article text: paragraphs of sentences drawn from a Zipf-like
/// distribution over common English words and healthcare-career terms, with a long tail of
/// made-up derived words (so a stem cache cannot hold every word), numbers and the forms the
/// analyzer treats specially ("X-ray", "R.N.", "1.5T", "24/7", "1,200", possessives).
struct ArticleTextGenerator {
    private var random: SplitMix64
    private let vocabulary: [String]
    /// Cumulative Zipf weights over `vocabulary`, for binary-search sampling.
    private let cumulative: [Double]

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
        vocabulary = Self.words
        var total = 0.0
        cumulative = vocabulary.indices.map { rank in
            total += 1 / pow(Double(rank) + 2.7, 1.0)
            return total
        }
    }

    /// At least `bytes` bytes of text: paragraphs of 3–7 sentences, one per line.
    mutating func text(bytes: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes + 4096)
        while out.count < bytes {
            for sentence in 0..<(3 + random.below(5)) {
                if sentence > 0 { out.append(UInt8(ascii: " ")) }
                appendSentence(to: &out)
            }
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    private mutating func appendSentence(to out: inout [UInt8]) {
        let length = 6 + random.below(20)
        for index in 0..<length {
            if index > 0 {
                out += random.below(14) == 0 ? Array(", ".utf8) : [UInt8(ascii: " ")]
            }
            var word = nextWord()
            if index == 0, let first = word.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z") {
                word[0] = first - 0x20
            }
            out += word
        }
        out += random.below(8) == 0 ? Array("?".utf8) : Array(".".utf8)
    }

    private mutating func nextWord() -> [UInt8] {
        switch random.below(100) {
        case 0..<3: return number()
        case 3..<12: return madeUpWord()
        case 12..<14:
            // Possessives of content words ("technologist's", "nurses'").
            var word = pick()
            while word.count < 4 { word = pick() }
            return Array((word + (random.below(2) == 0 ? "'s" : "s'")).utf8)
        default: return Array(pick().utf8)
        }
    }

    /// A Zipf-distributed word of the vocabulary.
    private mutating func pick() -> String {
        let target = random.unit() * cumulative[cumulative.count - 1]
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < target { low = middle + 1 } else { high = middle }
        }
        return vocabulary[low]
    }

    /// A pronounceable word from syllables plus an English suffix: the long tail.
    private mutating func madeUpWord() -> [UInt8] {
        var word = ""
        for _ in 0..<(1 + random.below(3)) { word += Self.syllables[random.below(Self.syllables.count)] }
        word += Self.suffixes[random.below(Self.suffixes.count)]
        return Array(word.utf8)
    }

    private mutating func number() -> [UInt8] {
        let text: String
        switch random.below(7) {
        case 0: text = String(1990 + random.below(40))
        case 1: text = "\(1 + random.below(99)),\(String(format: "%03d", random.below(1000)))"
        case 2: text = "\(random.below(10)).\(random.below(10))"
        case 3: text = "\(1 + random.below(3)).\(random.below(10))T"
        case 4: text = "24/7"
        case 5: text = "\(2 + random.below(20))-week"
        default: text = String(1 + random.below(500))
        }
        return Array(text.utf8)
    }

    private static let syllables = [
        "ra", "di", "o", "lo", "gic", "so", "no", "gra", "phy", "car", "tho", "pe", "neu", "ro", "cy",
        "to", "path", "ven", "tri", "cu", "lar", "ther", "a", "pul", "mo", "nar", "der", "ma", "gas",
        "tro", "en", "ter", "hem", "at", "ol", "im", "mun", "nol", "bi", "ol", "on", "co", "ped", "i",
    ]

    private static let suffixes = [
        "", "s", "ing", "ed", "ation", "ations", "al", "ally", "ist", "ists", "ism", "ness", "ment",
        "ments", "ive", "ity", "ize", "ized", "izing", "er", "ers", "ous", "ful", "ically", "ability",
    ]

    /// Most frequent first.
    private static let words: [String] = """
        the of and to a in is for that as with on are be this or by it from at you an will can your have \
        their not they which more most these may also has was all one about other who some many if but \
        patients technologist technologists radiologic imaging MRI X-ray certification ARRT sonography \
        program programs students education training clinical hospital hospitals work working career careers \
        exam exams degree associate bachelor's registered credential credentials R.N. nurse nurses nursing \
        CT ultrasound sonographer sonographers diagnostic medical healthcare health care job jobs salary \
        salaries year years state states license licensure requirements required requires require employers \
        employer experience hours patient radiation safety equipment images scan scans physician physicians \
        radiologist radiologists department departments role roles often usually typically generally \
        accredited accreditation JRCERT ARDMS CAAHEP RDMS RT(R) RT(CT) mammography fluoroscopy positioning \
        procedures procedure continuing credits CE renewal biennial registry exam-based specialty specialties \
        vascular cardiac abdominal obstetric echocardiography nuclear medicine therapy therapists therapist \
        radiation-therapy shifts shift night weekend on-call 24/7 full-time part-time per-diem outpatient \
        inpatient clinics clinic imaging-center centers center facility facilities level levels entry entry-level \
        advanced advancement opportunities opportunity growth outlook projected median annual pay wage wages \
        BLS bureau labor statistics percent faster average employment demand aging population \
        technology technologies digital computed tomography magnetic resonance 1.5T 3T scanner scanners \
        contrast agents gadolinium iodine allergies screening screenings protocols protocol quality \
        assurance competency competencies didactic coursework anatomy physiology pathology terminology \
        ethics communication skills skill teamwork attention detail physically demanding standing lifting \
        transferring wheelchair stretcher gowns lead aprons dosimeter badge ALARA principle exposure \
        understanding understand learn learning learned graduates graduate graduated graduating \
        certifying certified certify passing passed pass score scores eligible eligibility apply applying \
        application applications interview interviews resume hiring hired hire staffing travel traveling \
        travelers contract contracts benefits benefit insurance retirement tuition reimbursement \
        difference differences between both each such only than then there when where while what how \
        should would could must need needs needed do does did done make makes made making take takes \
        first second new different important best better good well high higher low lower long short \
        day days week weeks month months time times people person way ways part parts number numbers
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
}
