#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A per-thread, fixed-size cache of Porter2 stems, so a frequent word is stemmed once per
/// thread rather than at every occurrence.
///
/// Keys are the folded word bytes (up to ``maxWordBytes``); the stem is a pure function of them,
/// so one cache serves every ``Analyzer`` on the thread. Each thread has its own table (created on
/// first use, freed when the thread exits), so nothing is shared between threads and no locking
/// is needed.
///
/// Layout: 4096 sets of one 64-byte cache line each (256 KiB, so the table stays in a core's L2
/// cache), each holding three 20-byte entries: the word (16 bytes, zero-padded) and its stem as
/// an edit of the word (4 bytes: the length of the prefix the stem keeps and a tail of at most
/// two bytes; Porter2 stems are a prefix plus at most two bytes for the whole Snowball
/// vocabulary, e.g. "happy" → "happ" + "i"). Stems that are not are simply not cached.
///
/// Entries in a set are kept most recently used first. A new word goes in second place, so a
/// word seen once cannot push out the set's most used word; a hit moves its entry to the front.
struct StemCache {
    /// Longest word (in bytes) the cache holds; longer words are stemmed every time.
    static let maxWordBytes = 16
    /// Bytes the word buffer handed to ``stem(_:count:stemmer:)`` must be readable and writable for.
    static var paddedBytes: Int { 24 }
    /// Number of sets (a power of two).
    static let setCount = 1 << setBits
    private static let setBits = 12
    private static let lineBytes = 64
    private static let entryBytes = 20
    private static let waysPerSet = 3

    /// One entry, unpacked: the word and the edit that makes its stem (bits 0–4 the word's
    /// length, 0 for an empty entry; 5–9 the kept prefix's length; 10–11 the tail's length;
    /// 16–31 the tail's bytes).
    private struct Entry {
        var key: (UInt64, UInt64)
        var edit: UInt32
    }

    /// `setCount` lines of `lineBytes` bytes.
    private let lines: UnsafeMutableRawPointer

    private init(lines: UnsafeMutableRawPointer) {
        self.lines = lines
    }

    /// A new, empty cache owned by the caller, who must ``deallocate()`` it. For tests; the
    /// analyzer uses ``forCurrentThread()``.
    static func allocate() -> StemCache {
        let bytes = setCount * lineBytes
        let lines = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: lineBytes)
        lines.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        return StemCache(lines: lines)
    }

    /// Frees the table.
    func deallocate() {
        lines.deallocate()
    }

    /// This thread's cache, created on first use; nil only if the platform has no thread-local
    /// storage key left (the analyzer then stems without a cache).
    static func forCurrentThread() -> StemCache? {
        guard let key = threadKey else { return nil }
        if let existing = pthread_getspecific(key) {
            return StemCache(lines: existing)
        }
        let cache = allocate()
        guard pthread_setspecific(key, UnsafeRawPointer(cache.lines)) == 0 else {
            cache.deallocate()
            return nil
        }
        return cache
    }

    /// The thread-local storage key whose destructor frees a thread's table when it exits.
    private static let threadKey: pthread_key_t? = {
        var key = pthread_key_t()
        return pthread_key_create(&key, releaseThreadCache) == 0 ? key : nil
    }()

    /// Stems the `count` bytes at `word` in place (as ``EnglishStemmer`` does) and returns the
    /// stem's length. `word` must be readable and writable for at least ``paddedBytes`` bytes;
    /// bytes past the result are unspecified.
    @inline(__always)
    func stem(_ word: UnsafeMutablePointer<UInt8>, count: Int, stemmer: EnglishStemmer) -> Int {
        guard count > 2, count <= Self.maxWordBytes else { return stemmer.stem(word, count: count) }
        let key = Self.load(word, count: count)
        let line = lines + Self.lineBytes * Self.setIndex(key, count: count)
        for way in 0..<Self.waysPerSet {
            let entry = Self.entry(line, way)
            if entry.edit & 0x1F == UInt32(count), entry.key == key {
                if way > 0 { Self.moveToFront(line, way) }
                return Self.apply(entry.edit, to: word)
            }
        }
        let length = stemmer.stem(word, count: count)
        if let edit = Self.edit(word: key, count: count, stem: word, length: length) {
            // Second place: the last entry goes.
            Self.store(Self.entry(line, 1), line, 2)
            Self.store(Entry(key: key, edit: edit), line, 1)
        }
        return length
    }

    @inline(__always)
    private static func entry(_ line: UnsafeMutableRawPointer, _ way: Int) -> Entry {
        let offset = way * entryBytes
        return Entry(
            key: (line.loadUnaligned(fromByteOffset: offset, as: UInt64.self),
                  line.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)),
            edit: line.loadUnaligned(fromByteOffset: offset + 16, as: UInt32.self)
        )
    }

    @inline(__always)
    private static func store(_ entry: Entry, _ line: UnsafeMutableRawPointer, _ way: Int) {
        let offset = way * entryBytes
        line.storeBytes(of: entry.key.0, toByteOffset: offset, as: UInt64.self)
        line.storeBytes(of: entry.key.1, toByteOffset: offset + 8, as: UInt64.self)
        line.storeBytes(of: entry.edit, toByteOffset: offset + 16, as: UInt32.self)
    }

    /// Moves entry `way` to the front of its set, the ones before it back by one.
    @inline(__always)
    private static func moveToFront(_ line: UnsafeMutableRawPointer, _ way: Int) {
        let hit = entry(line, way)
        var k = way
        while k > 0 {
            store(entry(line, k - 1), line, k)
            k -= 1
        }
        store(hit, line, 0)
    }

    /// Writes the stem an edit describes over its word (which `word` holds) and returns its length.
    @inline(__always)
    private static func apply(_ edit: UInt32, to word: UnsafeMutablePointer<UInt8>) -> Int {
        let prefix = Int(truncatingIfNeeded: (edit >> 5) & 0x1F)
        let tail = Int(truncatingIfNeeded: (edit >> 10) & 0x3)
        word[prefix] = UInt8(truncatingIfNeeded: edit >> 16)
        word[prefix + 1] = UInt8(truncatingIfNeeded: edit >> 24)
        return prefix + tail
    }

    /// The edit turning the word (`key`, `count` bytes) into the stem at `stem` (`length`
    /// bytes), or nil when the stem's tail after the common prefix is longer than two bytes.
    @inline(__always)
    private static func edit(word key: (UInt64, UInt64), count: Int, stem: UnsafeMutablePointer<UInt8>, length: Int) -> UInt32? {
        var prefix = 0
        while prefix < length, stem[prefix] == byte(prefix, of: key) { prefix += 1 }
        let tail = length - prefix
        guard tail <= 2 else { return nil }
        let first = tail > 0 ? UInt32(stem[prefix]) : 0
        let second = tail > 1 ? UInt32(stem[prefix + 1]) : 0
        return UInt32(count) | UInt32(prefix) << 5 | UInt32(tail) << 10 | first << 16 | second << 24
    }

    /// The first `count` (≤ 16) bytes at `bytes` as two words, zero-padded (little-endian
    /// order: byte 0 is the low byte of the first word).
    @inline(__always)
    private static func load(_ bytes: UnsafeMutablePointer<UInt8>, count: Int) -> (UInt64, UInt64) {
        let raw = UnsafeRawPointer(bytes)
        return (
            UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)) & mask(count),
            UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) & mask(count - 8)
        )
    }

    /// Byte `index` (< 16) of a key made by ``load(_:count:)``.
    @inline(__always)
    private static func byte(_ index: Int, of key: (UInt64, UInt64)) -> UInt8 {
        let word = index < 8 ? key.0 : key.1
        return UInt8(truncatingIfNeeded: word >> UInt64(8 * (index & 7)))
    }

    /// A mask keeping the first `bytes` bytes of a little-endian word (all if ≥ 8, none if ≤ 0).
    @inline(__always)
    private static func mask(_ bytes: Int) -> UInt64 {
        if bytes >= 8 { return ~0 }
        if bytes <= 0 { return 0 }
        return (1 << UInt64(bytes * 8)) &- 1
    }

    @inline(__always)
    private static func setIndex(_ key: (UInt64, UInt64), count: Int) -> Int {
        var hash = (key.0 &* 0x9E37_79B9_7F4A_7C15) ^ (key.1 &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(count)
        hash = (hash ^ (hash >> 31)) &* 0xBF58_476D_1CE4_E5B9
        return Int(truncatingIfNeeded: hash >> UInt64(64 - setBits))
    }
}

/// Frees a thread's stem cache when the thread exits (the thread-local key's destructor).
#if canImport(Darwin)
private func releaseThreadCache(_ pointer: UnsafeMutableRawPointer) {
    pointer.deallocate()
}
#else
private func releaseThreadCache(_ pointer: UnsafeMutableRawPointer?) {
    pointer?.deallocate()
}
#endif
