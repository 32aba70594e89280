/// A small, fixed, open-addressed table from 64-bit name hashes (``CName``) to a byte of
/// payload. The extractor looks up every tag name and every class/id word of a page; Swift's
/// `Dictionary` and `Set` hash their keys again with SipHash, which showed up at ~3% of
/// extraction, while the keys here are already well-mixed FNV-1a hashes.
struct HashedNames: Sendable {
    private var keys: [UInt64]
    private var values: [UInt8]
    private let mask: Int

    /// A table holding `entries`; a later entry with the same hash ORs its value in.
    init(_ entries: [(hash: UInt64, value: UInt8)]) {
        var capacity = 16
        while capacity < entries.count * 4 { capacity <<= 1 }
        keys = Array(repeating: 0, count: capacity)
        values = Array(repeating: 0, count: capacity)
        mask = capacity - 1
        for entry in entries {
            var slot = Self.slot(entry.hash, mask)
            while keys[slot] != 0, keys[slot] != entry.hash { slot = (slot + 1) & mask }
            keys[slot] = entry.hash
            values[slot] |= entry.value
        }
    }

    /// The payload for `hash`, or 0 when absent. (Hash 0 is never stored: FNV-1a of a
    /// non-empty name is vanishingly unlikely to be 0, and the table treats 0 as empty.)
    func value(_ hash: UInt64) -> UInt8 {
        var slot = Self.slot(hash, mask)
        while true {
            let key = keys[slot]
            if key == hash { return values[slot] }
            if key == 0 { return 0 }
            slot = (slot + 1) & mask
        }
    }

    private static func slot(_ hash: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (hash ^ (hash >> 29)) & UInt64(mask))
    }
}
