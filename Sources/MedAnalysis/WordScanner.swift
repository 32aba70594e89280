/// Splits UTF-8 text into words and a word into its parts (the pieces of a compound), applying
/// the analyzer's domain rules as it goes. ASCII bytes are classified by a table; other
/// characters are decoded and classified by their Unicode properties.
///
/// For each word, ``next()`` fills ``parts`` and ``buffer``: each part's characters with ASCII
/// lowercased, acronym dots, digit-group commas and ignorable characters left out.
struct WordScanner: ~Copyable {
    let text: UnsafeBufferPointer<UInt8>
    /// Where the next scan starts (the analyzer moves it past words it scanned itself).
    var index = 0
    /// ``asciiKinds``, held here so that classifying a byte does not go through the lazy global.
    private let kinds = WordScanner.asciiKinds
    /// The current word's normalised bytes, all parts back to back.
    private(set) var buffer: ScratchBuffer<UInt8>
    /// The current word's parts.
    private(set) var parts: ScratchBuffer<Part>

    /// Parts longer than this many bytes are not emitted as terms (they are never words).
    static let maxTermBytes = 100

    struct Part {
        /// The part's bytes in ``WordScanner/buffer``.
        var bytes: Range<Int>
        /// The part's bytes in the source text.
        var source: Range<Int>
        var hasNonASCII = false
        var hasLetter = false
        var hasDigit = false
        var hasLowercase = false

        /// Letters (and apostrophes) only: these are stemmed.
        var isLettersOnly: Bool { hasLetter && !hasDigit }
        /// All letters are capitals ("IT", "OR").
        var isAllCaps: Bool { hasLetter && !hasLowercase && !hasNonASCII }
    }

    struct Word {
        var range: Range<Int>
        var isCJK: Bool
    }

    /// A scanner over `text` that collects words in `buffer` and `parts`.
    init(text: UnsafeBufferPointer<UInt8>, buffer: consuming ScratchBuffer<UInt8>, parts: consuming ScratchBuffer<Part>) {
        self.text = text
        self.buffer = buffer
        self.parts = parts
    }

    enum Kind: UInt8 {
        case separator, letter, upper, digit, hyphen, apostrophe, dot, comma, slash, ignorable, cjk
    }

    /// ASCII classes.
    private static let asciiKinds: [Kind] = {
        var table = [Kind](repeating: .separator, count: 128)
        for c in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(c)] = .letter }
        for c in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(c)] = .upper }
        for c in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(c)] = .digit }
        table[Int(UInt8(ascii: "-"))] = .hyphen
        table[Int(UInt8(ascii: "'"))] = .apostrophe
        table[Int(UInt8(ascii: "."))] = .dot
        table[Int(UInt8(ascii: ","))] = .comma
        table[Int(UInt8(ascii: "/"))] = .slash
        return table
    }()

    /// The class and byte length of the character at `i` (`.separator`, 1 for invalid UTF-8).
    @inline(__always)
    private func classify(_ i: Int) -> (kind: Kind, length: Int) {
        let byte = text[i]
        if byte < 0x80 { return (kinds[Int(byte)], 1) }
        return Self.classifyScalar(text, i)
    }

    private static func classifyScalar(_ text: UnsafeBufferPointer<UInt8>, _ i: Int) -> (kind: Kind, length: Int) {
        let b0 = UInt32(text[i])
        var length = 0
        var value: UInt32 = 0
        if b0 & 0xE0 == 0xC0 { length = 2; value = b0 & 0x1F }
        else if b0 & 0xF0 == 0xE0 { length = 3; value = b0 & 0x0F }
        else if b0 & 0xF8 == 0xF0 { length = 4; value = b0 & 0x07 }
        else { return (.separator, 1) }
        guard i + length <= text.count else { return (.separator, 1) }
        for k in 1..<length {
            let b = UInt32(text[i + k])
            guard b & 0xC0 == 0x80 else { return (.separator, 1) }
            value = value << 6 | (b & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value) else { return (.separator, length) }
        switch value {
        case 0x00AD, 0x200B...0x200D, 0x2060, 0xFEFF, 0x034F:
            return (.ignorable, length)
        case 0x2010, 0x2011:
            return (.hyphen, length)
        case 0x2019, 0x02BC:
            return (.apostrophe, length)
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FFFF:
            return (.cjk, length)
        default:
            break
        }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark:
            return (.letter, length)
        case .decimalNumber, .letterNumber, .otherNumber:
            return (.digit, length)
        default:
            return (.separator, length)
        }
    }

    /// Whether the character at `i` starts a word character (letter or digit).
    @inline(__always)
    private func isWordStart(_ i: Int) -> Bool {
        guard i < text.count else { return false }
        let kind = classify(i).kind
        return kind == .letter || kind == .upper || kind == .digit
    }

    @inline(__always)
    private func kindAt(_ i: Int) -> Kind {
        i < text.count ? classify(i).kind : .separator
    }

    /// Scans the next word; nil at the end of the text.
    mutating func next() -> Word? {
        buffer.removeAll()
        parts.removeAll()
        let n = text.count
        // Skip to a word start.
        var start = index
        while start < n {
            let (kind, length) = classify(start)
            if kind == .letter || kind == .upper || kind == .digit { break }
            if kind == .cjk {
                index = start + length
                parts.append(Part(bytes: 0..<0, source: start..<(start + length), hasNonASCII: true, hasLetter: true))
                return Word(range: start..<(start + length), isCJK: true)
            }
            start += length
        }
        guard start < n else {
            index = n
            return nil
        }

        var part = Part(bytes: 0..<0, source: start..<start)
        var i = start
        var previous: Kind = .separator
        var letterRun = 0          // letters since the part start or the last acronym dot
        var inAcronym = false
        var lastWordByte = start   // one past the last byte that belongs to the word
        scan: while i < n {
            let (kind, length) = classify(i)
            switch kind {
            case .letter, .upper, .digit:
                if length == 1 {
                    i = scanASCIIRun(from: i, into: &part, letterRun: &letterRun, previous: &previous)
                } else {
                    buffer.append(contentsOf: UnsafeBufferPointer(rebasing: text[i..<(i + length)]))
                    part.hasNonASCII = true
                    if kind == .digit { part.hasDigit = true } else { part.hasLetter = true }
                    letterRun = kind == .digit ? 0 : letterRun + 1
                    previous = kind
                    i += length
                }
                lastWordByte = i
            case .ignorable:
                i += length
            case .hyphen:
                guard previous == .letter || previous == .digit, isWordStart(i + length) else { break scan }
                closePart(&part, end: lastWordByte)
                part = Part(bytes: buffer.count..<buffer.count, source: (i + length)..<(i + length))
                previous = .separator
                letterRun = 0
                i += length
            case .apostrophe:
                let nextKind = kindAt(i + length)
                guard previous == .letter, nextKind == .letter || nextKind == .upper else { break scan }
                buffer.append(UInt8(ascii: "'"))
                previous = .apostrophe
                i += length
            case .dot:
                let nextKind = kindAt(i + 1)
                if previous == .digit, nextKind == .digit {
                    buffer.append(UInt8(ascii: "."))
                    previous = .dot
                    i += 1
                } else if letterRun == 1, nextKind == .letter || nextKind == .upper,
                          kindAt(i + 2) == .dot, !part.hasDigit {
                    // "R.N." — an acronym written with dots: drop the dot, keep going.
                    inAcronym = true
                    letterRun = 0
                    previous = .dot
                    i += 1
                } else {
                    _ = inAcronym
                    break scan
                }
            case .comma:
                guard previous == .digit, kindAt(i + 1) == .digit else { break scan }
                previous = .comma  // "1,000" → "1000"
                i += 1
            case .slash:
                guard previous == .digit, kindAt(i + 1) == .digit else { break scan }
                buffer.append(UInt8(ascii: "/"))
                previous = .slash
                i += 1
            case .separator, .cjk:
                break scan
            }
        }
        closePart(&part, end: lastWordByte)
        index = max(i, start + 1)
        // Drop overlong parts (never words); the positions they would take stay reserved.
        for k in 0..<parts.count where parts[k].bytes.count > Self.maxTermBytes {
            parts[k].bytes = parts[k].bytes.lowerBound..<parts[k].bytes.lowerBound
        }
        return Word(range: start..<lastWordByte, isCJK: false)
    }

    /// Consumes the run of ASCII letters and digits starting at `start` (at least one), exactly
    /// as one step of the scan loop per byte would: lowercased into ``buffer``, flags, letter run
    /// and previous class updated. Returns the index after the run.
    @inline(__always)
    private mutating func scanASCIIRun(from start: Int, into part: inout Part, letterRun: inout Int, previous: inout Kind) -> Int {
        var i = start
        while i < text.count {
            let byte = text[i]
            if byte &- UInt8(ascii: "a") < 26 {
                buffer.append(byte)
                part.hasLetter = true
                part.hasLowercase = true
                letterRun += 1
                previous = .letter
            } else if byte &- UInt8(ascii: "A") < 26 {
                buffer.append(byte | 0x20)
                part.hasLetter = true
                letterRun += 1
                previous = .letter
            } else if byte &- UInt8(ascii: "0") < 10 {
                buffer.append(byte)
                part.hasDigit = true
                letterRun = 0
                previous = .digit
            } else {
                break
            }
            i += 1
        }
        return i
    }

    private mutating func closePart(_ part: inout Part, end: Int) {
        part.bytes = part.bytes.lowerBound..<buffer.count
        part.source = part.source.lowerBound..<max(end, part.source.lowerBound)
        parts.append(part)
    }
}
