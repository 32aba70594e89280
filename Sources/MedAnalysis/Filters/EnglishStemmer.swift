/// English (Porter2 / Snowball 3) stemmer.
///
/// Implements the Snowball `english` algorithm as shipped with Snowball 3.x
/// (libstemmer 3.x, PyStemmer 3.1): Martin Porter's "Porter2" stemmer plus the
/// Snowball 3.0 revisions. It reproduces the current reference vocabulary
/// `snowball-data/english/voc.txt` -> `output.txt` (42,649 words) exactly.
///
/// The algorithm, in the order applied (each step is one method of `Porter2Word`):
/// 1. `exception1` — a few whole words map directly (`skies`→`sky`, `only`→`onli`,
///    `news`/`atlas`/`bias`… stay as they are).
/// 2. Words shorter than 3 bytes are returned unchanged.
/// 3. `prelude` — drop one leading apostrophe; mark a `y` that acts as a consonant
///    (word-initial, or after a vowel) as `Y`.
/// 4. `markRegions` — R1 starts after the first non-vowel that follows a vowel
///    (or right after one of the fixed prefixes `gener`, `commun`, `arsen`, `past`,
///    `univers`, `later`, `emerg`, `organ`, `inter`); R2 is the same rule applied
///    again inside R1.
/// 5. `step0` — strip a possessive `'s'`, `'s` or `'`.
/// 6. `step1a` — plurals: `sses`→`ss`, `ied`/`ies`→`i`/`ie`, drop `s`.
/// 7. `step1b` — `eed(ly)`→`ee` in R1; drop `ed(ly)`/`ing(ly)` after a vowel,
///    then restore an `e` or undouble a final consonant.
/// 8. `step1c` — final `y` → `i` after a non-initial consonant.
/// 9. `step2`, `step3`, `step4` — derivational suffixes (R1, R1, R2).
/// 10. `step5` — final `e` and `ll`.
/// 11. `postlude` — `Y` back to `y`.
///
/// Snowball 3.0 changes relative to the classic 2006 Porter2 description:
/// no undoubling when the word is exactly a/e/o plus a double (`added`→`add`,
/// `erred`→`err`, `offing`→`off`); `ogist`→`og` in step 2 (`geologist`→`geolog`);
/// the -ing and -eed exceptions live inside step 1b (any consonant + `ying` → `ie`,
/// e.g. `vying`→`vie`; `evening` joins inning/outing/canning/herring/earring;
/// proceed/exceed/succeed), so they also apply after step 1a removed an `s`
/// (`evenings`→`evening`); more fixed-R1 prefixes
/// (`past`, `univers`, `later`, `emerg`, `organ`, `inter`), with `past` also
/// counting as a short syllable (`pasted`→`paste`).
///
/// The stemmer works on raw bytes. Lowercase ASCII letters and the apostrophe have
/// their usual meaning; every other byte is an ordinary non-vowel letter. (For
/// non-ASCII UTF-8 input this counts bytes where Snowball counts characters, so
/// rules that look at a fixed number of letters — the 3-letter minimum, short
/// syllables, `ies` after one letter — can give a different stem on such words.)
public struct EnglishStemmer: Sendable {
    public init() {}

    /// Stems `word` in place. `word` holds lowercase bytes (ASCII letters and
    /// apostrophes typically; any other byte is treated as a non-vowel letter, as
    /// Snowball does for non-ASCII input). Words of 2 bytes or fewer are returned
    /// unchanged (after the apostrophe handling Snowball does).
    public func stem(_ word: inout [UInt8]) {
        let length = word.count
        guard length > 2 else { return }
        let stemLength = word.withUnsafeMutableBufferPointer { buffer -> Int in
            // A non-empty buffer always has a base address.
            stem(buffer.baseAddress!, count: length)
        }
        // Every rule shortens the word or keeps its length. Trimming byte by byte
        // (usually 0-4 bytes) is much cheaper than the generic `removeLast(_:)`.
        for _ in stemLength..<length {
            word.removeLast()
        }
    }

    /// Stems the `count` bytes at `word` in place and returns the stem's length (never more
    /// than `count`). The analyzer's allocation-free entry point.
    @inline(__always)
    func stem(_ word: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        guard count > 2 else { return count }
        var state = Porter2Word(bytes: word, count: count)
        state.run()
        return state.n
    }

    /// Convenience for Strings (lowercase input).
    public func stem(_ word: String) -> String {
        var bytes = Array(word.utf8)
        stem(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

// MARK: - Character classes

/// `a e i o u y` (Snowball grouping `v`). Note that the marker `Y` is not a vowel.
@inline(__always)
private func isVowel(_ c: UInt8) -> Bool {
    let i = c &- UInt8(ascii: "a")
    // Bits a=0 e=4 i=8 o=14 u=20 y=24.
    return i < 25 && (UInt32(0x0110_4111) >> UInt32(i)) & 1 != 0
}

/// Vowels plus `w`, `x` and `Y` (grouping `v_WXY`, used by the short-syllable test).
@inline(__always)
private func isVowelOrWXY(_ c: UInt8) -> Bool {
    if c == UInt8(ascii: "Y") { return true }
    let i = c &- UInt8(ascii: "a")
    // Vowel bits plus w=22 x=23.
    return i < 25 && (UInt32(0x01D0_4111) >> UInt32(i)) & 1 != 0
}

/// Letters that may precede a removable `li`: `c d e g h k m n r t`.
@inline(__always)
private func isValidLiEnding(_ c: UInt8) -> Bool {
    let i = c &- UInt8(ascii: "a")
    // Bits c=2 d=3 e=4 g=6 h=7 k=10 m=12 n=13 r=17 t=19.
    return i < 26 && (UInt32(0x000A_34DC) >> UInt32(i)) & 1 != 0
}

/// Letters whose doubling is undone after removing -ed/-ing: `b d f g m n p r t`.
@inline(__always)
private func isUndoublable(_ c: UInt8) -> Bool {
    let i = c &- UInt8(ascii: "a")
    // Bits b=1 d=3 f=5 g=6 m=12 n=13 p=15 r=17 t=19.
    return i < 26 && (UInt32(0x000A_B06A) >> UInt32(i)) & 1 != 0
}

/// `a e o` (grouping `aeo`).
@inline(__always)
private func isAEO(_ c: UInt8) -> Bool {
    c == UInt8(ascii: "a") || c == UInt8(ascii: "e") || c == UInt8(ascii: "o")
}

// MARK: - Working state

/// One word being stemmed: a pointer into the caller's array, the current length
/// (Snowball's `limit`; the word only ever shrinks) and the region starts.
/// Byte positions are absolute, so `p1`/`p2` stay valid as suffixes are removed.
private struct Porter2Word {
    let p: UnsafeMutablePointer<UInt8>
    /// Current length of the word.
    var n: Int
    /// Start of region R1 / R2 (equal to the length when the region is empty).
    var p1 = 0
    var p2 = 0
    /// Whether the prelude turned some `y` into `Y`.
    var yFound = false

    init(bytes: UnsafeMutablePointer<UInt8>, count: Int) {
        p = bytes
        n = count
    }

    /// Runs the whole algorithm; the result is `p[0..<n]`.
    mutating func run() {
        if exception1() { return }
        prelude()
        markRegions()
        step0()
        step1a()
        step1b()
        step1c()
        step2()
        step3()
        step4()
        step5()
        postlude()
    }

    // MARK: Byte helpers

    /// Whether the word is exactly `s`.
    @inline(__always)
    func isWord(_ s: StaticString) -> Bool {
        n == s.utf8CodeUnitCount && hasPrefix(s)
    }

    /// Whether the word starts with `s`.
    @inline(__always)
    func hasPrefix(_ s: StaticString) -> Bool {
        let k = s.utf8CodeUnitCount
        guard k <= n else { return false }
        let q = s.utf8Start
        for i in 0..<k where p[i] != q[i] { return false }
        return true
    }

    /// Whether the word ends with `s`.
    @inline(__always)
    func hasSuffix(_ s: StaticString) -> Bool {
        let k = s.utf8CodeUnitCount
        guard k <= n else { return false }
        let q = s.utf8Start
        let base = n - k
        for i in 0..<k where p[base + i] != q[i] { return false }
        return true
    }

    /// Replaces the last `length` bytes by `s`, which is never longer than `length`.
    @inline(__always)
    mutating func replaceSuffix(_ length: Int, with s: StaticString) {
        let k = s.utf8CodeUnitCount
        let base = n - length
        let q = s.utf8Start
        for i in 0..<k { p[base + i] = q[i] }
        n = base + k
    }

    /// Replaces the whole word by `s`, which is never longer than the word.
    @inline(__always)
    mutating func setWord(_ s: StaticString) {
        replaceSuffix(n, with: s)
    }

    /// Appends `e`; only called right after removing a longer suffix, so there is room.
    @inline(__always)
    mutating func appendE() {
        p[n] = UInt8(ascii: "e")
        n += 1
    }

    /// Whether any vowel occurs in `p[0..<end]`.
    @inline(__always)
    func hasVowel(before end: Int) -> Bool {
        var i = 0
        while i < end {
            if isVowel(p[i]) { return true }
            i += 1
        }
        return false
    }

    /// `gopast v gopast non-v` starting at `start`: the index just after the first
    /// non-vowel that follows a vowel, or the word length if there is none.
    @inline(__always)
    func regionStart(from start: Int) -> Int {
        var i = start
        while i < n && !isVowel(p[i]) { i += 1 }
        i += 1
        while i < n && isVowel(p[i]) { i += 1 }
        return i < n ? i + 1 : n
    }

    /// Snowball `shortv` at position `end`: the bytes before `end` form a short
    /// syllable — non-vowel, vowel, non-vowel other than w/x/Y; or a vowel then a
    /// non-vowel at the very start of the word; or (Snowball 3) `past`.
    @inline(__always)
    func endsInShortSyllable(at end: Int) -> Bool {
        if end >= 3 && !isVowelOrWXY(p[end - 1]) && isVowel(p[end - 2]) && !isVowel(p[end - 3]) {
            return true
        }
        if end == 2 && !isVowel(p[1]) && isVowel(p[0]) {
            return true
        }
        return end >= 4
            && p[end - 4] == UInt8(ascii: "p") && p[end - 3] == UInt8(ascii: "a")
            && p[end - 2] == UInt8(ascii: "s") && p[end - 1] == UInt8(ascii: "t")
    }

    // MARK: Steps

    /// exception1: whole words with a fixed stem (returns true when the word was one
    /// of them and stemming is complete).
    mutating func exception1() -> Bool {
        switch n {
        case 3:
            return isWord("sky")
        case 4:
            switch p[0] {
            case UInt8(ascii: "s"): if isWord("skis") { setWord("ski"); return true }
            case UInt8(ascii: "i"): if isWord("idly") { setWord("idl"); return true }
            case UInt8(ascii: "u"): if isWord("ugly") { setWord("ugli"); return true }
            case UInt8(ascii: "o"): if isWord("only") { setWord("onli"); return true }
            case UInt8(ascii: "n"): return isWord("news")
            case UInt8(ascii: "h"): return isWord("howe")
            case UInt8(ascii: "b"): return isWord("bias")
            default: break
            }
        case 5:
            switch p[0] {
            case UInt8(ascii: "s"): if isWord("skies") { setWord("sky"); return true }
            case UInt8(ascii: "e"): if isWord("early") { setWord("earli"); return true }
            case UInt8(ascii: "a"): return isWord("atlas") || isWord("andes")
            default: break
            }
        case 6:
            switch p[0] {
            case UInt8(ascii: "g"): if isWord("gently") { setWord("gentl"); return true }
            case UInt8(ascii: "s"): if isWord("singly") { setWord("singl"); return true }
            case UInt8(ascii: "c"): return isWord("cosmos")
            default: break
            }
        default:
            break
        }
        return false
    }

    /// prelude: remove one leading apostrophe, then turn a `y` at the start of the
    /// word or after a vowel into `Y` so that it counts as a consonant.
    mutating func prelude() {
        if p[0] == UInt8(ascii: "'") {
            for i in 1..<n { p[i - 1] = p[i] }
            n -= 1
        }
        guard n > 0 else { return }
        if p[0] == UInt8(ascii: "y") {
            p[0] = UInt8(ascii: "Y")
            yFound = true
        }
        // Left to right, so in "ayy" only the first y follows a vowel.
        var i = 1
        while i < n {
            if p[i] == UInt8(ascii: "y") && isVowel(p[i - 1]) {
                p[i] = UInt8(ascii: "Y")
                yFound = true
            }
            i += 1
        }
    }

    /// markRegions: compute R1 and R2. A few prefixes fix R1 to start right after
    /// them, to keep e.g. general/generous or universe/university apart.
    mutating func markRegions() {
        p1 = fixedR1Prefix() ?? regionStart(from: 0)
        p2 = regionStart(from: p1)
    }

    /// Length of the fixed-R1 prefix the word starts with, if any.
    func fixedR1Prefix() -> Int? {
        guard n >= 4 else { return nil }
        let prefix: StaticString
        switch p[0] {
        case UInt8(ascii: "g"): prefix = "gener"
        case UInt8(ascii: "c"): prefix = "commun"
        case UInt8(ascii: "a"): prefix = "arsen"
        case UInt8(ascii: "p"): prefix = "past"
        case UInt8(ascii: "u"): prefix = "univers"
        case UInt8(ascii: "l"): prefix = "later"
        case UInt8(ascii: "e"): prefix = "emerg"
        case UInt8(ascii: "o"): prefix = "organ"
        case UInt8(ascii: "i"): prefix = "inter"
        default: return nil
        }
        return hasPrefix(prefix) ? prefix.utf8CodeUnitCount : nil
    }

    /// Step 0 (the first part of Snowball's Step_1a): remove the longest of the
    /// possessive endings `'s'`, `'s`, `'`.
    mutating func step0() {
        guard n >= 1 else { return }
        let apostrophe = UInt8(ascii: "'")
        if p[n - 1] == apostrophe {
            if n >= 3 && p[n - 2] == UInt8(ascii: "s") && p[n - 3] == apostrophe {
                n -= 3
            } else {
                n -= 1
            }
        } else if n >= 2 && p[n - 1] == UInt8(ascii: "s") && p[n - 2] == apostrophe {
            n -= 2
        }
    }

    /// Step 1a: plural endings. `sses`→`ss`; `ied`/`ies`→`i` after two or more
    /// letters, else `ie`; `us` and `ss` stay; otherwise a final `s` is removed when
    /// a vowel occurs before the letter preceding it (gas, this keep it; gaps loses it).
    mutating func step1a() {
        guard n >= 2 else { return }
        switch p[n - 1] {
        case UInt8(ascii: "s"):
            if hasSuffix("sses") {
                n -= 2
            } else if hasSuffix("ies") {
                replaceIesOrIed()
            } else if p[n - 2] == UInt8(ascii: "s") || p[n - 2] == UInt8(ascii: "u") {
                return  // -ss, -us
            } else if hasVowel(before: n - 2) {
                n -= 1
            }
        case UInt8(ascii: "d"):
            if hasSuffix("ied") { replaceIesOrIed() }
        default:
            return
        }
    }

    /// `ies`/`ied` → `i` if at least two letters precede it (cries→cri), else `ie` (ties→tie).
    @inline(__always)
    mutating func replaceIesOrIed() {
        if n - 3 >= 2 {
            replaceSuffix(3, with: "i")
        } else {
            replaceSuffix(3, with: "ie")
        }
    }

    /// Step 1b: verbal endings. `eed`/`eedly` → `ee` in R1 (proceed, exceed, succeed
    /// are left alone); `ed`/`edly`/`ing`/`ingly` are removed when a vowel precedes
    /// them, then the stem is repaired. `ing` exceptions: consonant+`ying` → `ie`
    /// (dying→die), and inning/outing/canning/herring/earring/evening are kept.
    mutating func step1b() {
        guard n >= 2 else { return }
        switch p[n - 1] {
        case UInt8(ascii: "d"):
            if hasSuffix("eed") {
                replaceEed(3)
            } else if hasSuffix("ed") {
                removeVerbalEnding(2)
            }
        case UInt8(ascii: "y"):
            if hasSuffix("eedly") {
                replaceEed(5)
            } else if hasSuffix("edly") {
                removeVerbalEnding(4)
            } else if hasSuffix("ingly") {
                removeVerbalEnding(5)
            }
        case UInt8(ascii: "g"):
            if hasSuffix("ing") { removeIng() }
        default:
            return
        }
    }

    /// `eed`/`eedly` (of `length` bytes) → `ee` when in R1, unless the word is
    /// proceed/exceed/succeed (+ly).
    @inline(__always)
    mutating func replaceEed(_ length: Int) {
        let start = n - length
        guard start >= p1 else { return }
        let isException = (start == 4 && (hasPrefix("proc") || hasPrefix("succ")))
            || (start == 3 && hasPrefix("exc"))
        if !isException {
            n = start + 2  // keep the "ee"
        }
    }

    /// The plain `ing` case of step 1b, with its Snowball 3 exceptions.
    @inline(__always)
    mutating func removeIng() {
        let start = n - 3
        // Consonant + "ying" (dying, lying, tying, vying) → consonant + "ie".
        if start == 2 && p[1] == UInt8(ascii: "y") && !isVowel(p[0]) {
            p[1] = UInt8(ascii: "i")
            p[2] = UInt8(ascii: "e")
            n = 3
            return
        }
        // Words that only look like -ing forms.
        switch start {
        case 3:
            if hasPrefix("inn") || hasPrefix("out") { return }
        case 4:
            if hasPrefix("cann") || hasPrefix("herr") || hasPrefix("earr") || hasPrefix("even") { return }
        default:
            break
        }
        removeVerbalEnding(3)
    }

    /// Removes an `ed`/`edly`/`ing`/`ingly` ending of `length` bytes if a vowel
    /// precedes it, then: `at`/`bl`/`iz` get an `e` (luxuriat→luxuriate); a final
    /// double b/d/f/g/m/n/p/r/t is undoubled unless the word is exactly a/e/o plus
    /// the double (hopp→hop, but add, egg, err stay); a short word gets an `e`
    /// (hop→hope).
    mutating func removeVerbalEnding(_ length: Int) {
        let start = n - length
        guard hasVowel(before: start) else { return }
        n = start
        if n >= 2 {
            let a = p[n - 2]
            let b = p[n - 1]
            if (a == UInt8(ascii: "a") && b == UInt8(ascii: "t"))
                || (a == UInt8(ascii: "b") && b == UInt8(ascii: "l"))
                || (a == UInt8(ascii: "i") && b == UInt8(ascii: "z")) {
                appendE()
                return
            }
            if a == b && isUndoublable(b) {
                if !(n == 3 && isAEO(p[0])) {
                    n -= 1
                }
                return
            }
        }
        if n == p1 && endsInShortSyllable(at: n) {
            appendE()
        }
    }

    /// Step 1c: a final `y`/`Y` becomes `i` when preceded by a non-vowel that is not
    /// the first letter (cry→cri, by→by, say→say).
    mutating func step1c() {
        guard n >= 3 else { return }
        let last = p[n - 1]
        if (last == UInt8(ascii: "y") || last == UInt8(ascii: "Y")) && !isVowel(p[n - 2]) {
            p[n - 1] = UInt8(ascii: "i")
        }
    }

    /// Applies `replacement` to the suffix of `length` bytes if it lies in R1.
    @inline(__always)
    mutating func replaceInR1(_ length: Int, with replacement: StaticString) {
        if n - length >= p1 { replaceSuffix(length, with: replacement) }
    }

    /// Step 2: the longest of the derivational suffixes below is replaced when it
    /// lies in R1 (a longer match that is not in R1 blocks shorter ones).
    mutating func step2() {
        guard n >= 3 else { return }
        switch p[n - 1] {
        case UInt8(ascii: "l"):
            if hasSuffix("ational") {
                replaceInR1(7, with: "ate")
            } else if hasSuffix("tional") {
                replaceInR1(6, with: "tion")
            }
        case UInt8(ascii: "i"):
            step2EndingInI()
        case UInt8(ascii: "r"):
            if hasSuffix("izer") {
                replaceInR1(4, with: "ize")
            } else if hasSuffix("ator") {
                replaceInR1(4, with: "ate")
            }
        case UInt8(ascii: "n"):
            if hasSuffix("ization") {
                replaceInR1(7, with: "ize")
            } else if hasSuffix("ation") {
                replaceInR1(5, with: "ate")
            }
        case UInt8(ascii: "m"):
            if hasSuffix("alism") { replaceInR1(5, with: "al") }
        case UInt8(ascii: "s"):
            if hasSuffix("fulness") {
                replaceInR1(7, with: "ful")
            } else if hasSuffix("ousness") {
                replaceInR1(7, with: "ous")
            } else if hasSuffix("iveness") {
                replaceInR1(7, with: "ive")
            }
        case UInt8(ascii: "t"):
            if hasSuffix("ogist") { replaceInR1(5, with: "og") }
        default:
            return
        }
    }

    /// Step 2 suffixes ending in `i`, grouped by the letter before it.
    @inline(__always)
    mutating func step2EndingInI() {
        switch p[n - 2] {
        case UInt8(ascii: "l"):
            if hasSuffix("lessli") {
                replaceInR1(6, with: "less")
            } else if hasSuffix("entli") {
                replaceInR1(5, with: "ent")
            } else if hasSuffix("fulli") {
                replaceInR1(5, with: "ful")
            } else if hasSuffix("ousli") {
                replaceInR1(5, with: "ous")
            } else if hasSuffix("abli") {
                replaceInR1(4, with: "able")
            } else if hasSuffix("alli") {
                replaceInR1(4, with: "al")
            } else if hasSuffix("bli") {
                replaceInR1(3, with: "ble")
            } else if n - 2 >= p1 && isValidLiEnding(p[n - 3]) {
                n -= 2  // -li after c d e g h k m n r t
            }
        case UInt8(ascii: "t"):
            if hasSuffix("biliti") {
                replaceInR1(6, with: "ble")
            } else if hasSuffix("aliti") {
                replaceInR1(5, with: "al")
            } else if hasSuffix("iviti") {
                replaceInR1(5, with: "ive")
            }
        case UInt8(ascii: "c"):
            if hasSuffix("enci") {
                replaceInR1(4, with: "ence")
            } else if hasSuffix("anci") {
                replaceInR1(4, with: "ance")
            }
        case UInt8(ascii: "g"):
            // -logi → -log
            if hasSuffix("logi") && n - 3 >= p1 { n -= 1 }
        default:
            return
        }
    }

    /// Step 3: further derivational suffixes, replaced when in R1 (`ative` is
    /// removed only when in R2).
    mutating func step3() {
        guard n >= 3 else { return }
        switch p[n - 1] {
        case UInt8(ascii: "l"):
            if hasSuffix("ational") {
                replaceInR1(7, with: "ate")
            } else if hasSuffix("tional") {
                replaceInR1(6, with: "tion")
            } else if hasSuffix("ical") {
                replaceInR1(4, with: "ic")
            } else if hasSuffix("ful") {
                replaceInR1(3, with: "")
            }
        case UInt8(ascii: "e"):
            if hasSuffix("alize") {
                replaceInR1(5, with: "al")
            } else if hasSuffix("icate") {
                replaceInR1(5, with: "ic")
            } else if hasSuffix("ative") {
                if n - 5 >= p2 { n -= 5 }  // R2 implies R1
            }
        case UInt8(ascii: "i"):
            if hasSuffix("iciti") { replaceInR1(5, with: "ic") }
        case UInt8(ascii: "s"):
            if hasSuffix("ness") { replaceInR1(4, with: "") }
        default:
            return
        }
    }

    /// Removes the suffix of `length` bytes if it lies in R2.
    @inline(__always)
    mutating func deleteInR2(_ length: Int) {
        if n - length >= p2 { n -= length }
    }

    /// Step 4: the longest of the residual suffixes is removed when it lies in R2;
    /// `ion` only after `s` or `t`.
    mutating func step4() {
        guard n >= 2 else { return }
        switch p[n - 1] {
        case UInt8(ascii: "l"):
            if p[n - 2] == UInt8(ascii: "a") { deleteInR2(2) }  // al
        case UInt8(ascii: "e"):
            if hasSuffix("ance") || hasSuffix("ence") || hasSuffix("able") || hasSuffix("ible") {
                deleteInR2(4)
            } else if hasSuffix("ate") || hasSuffix("ive") || hasSuffix("ize") {
                deleteInR2(3)
            }
        case UInt8(ascii: "r"):
            if p[n - 2] == UInt8(ascii: "e") { deleteInR2(2) }  // er
        case UInt8(ascii: "c"):
            if p[n - 2] == UInt8(ascii: "i") { deleteInR2(2) }  // ic
        case UInt8(ascii: "t"):
            if hasSuffix("ement") {
                deleteInR2(5)
            } else if hasSuffix("ment") {
                deleteInR2(4)
            } else if hasSuffix("ent") || hasSuffix("ant") {
                deleteInR2(3)
            }
        case UInt8(ascii: "m"):
            if hasSuffix("ism") { deleteInR2(3) }
        case UInt8(ascii: "i"):
            if hasSuffix("iti") { deleteInR2(3) }
        case UInt8(ascii: "s"):
            if hasSuffix("ous") { deleteInR2(3) }
        case UInt8(ascii: "n"):
            if hasSuffix("ion") && n - 3 >= p2 && n >= 4
                && (p[n - 4] == UInt8(ascii: "s") || p[n - 4] == UInt8(ascii: "t")) {
                n -= 3
            }
        default:
            return
        }
    }

    /// Step 5: a final `e` goes when in R2, or in R1 and not after a short syllable;
    /// a final `l` goes when in R2 and after another `l`.
    mutating func step5() {
        guard n >= 1 else { return }
        let end = n - 1
        switch p[end] {
        case UInt8(ascii: "e"):
            if end >= p2 || (end >= p1 && !endsInShortSyllable(at: end)) {
                n = end
            }
        case UInt8(ascii: "l"):
            if end >= p2 && end >= 1 && p[end - 1] == UInt8(ascii: "l") {
                n = end
            }
        default:
            return
        }
    }

    /// postlude: turn the `Y` markers back into `y`.
    mutating func postlude() {
        guard yFound else { return }
        for i in 0..<n where p[i] == UInt8(ascii: "Y") {
            p[i] = UInt8(ascii: "y")
        }
    }
}
