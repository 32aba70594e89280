import Testing
import MedTestSupport
@testable import MedIndex

/// The 128-value block codec of the postings file: round trips at every width, the exact byte
/// layout (FORMAT.md), and reads that stay inside the block.
@Suite struct BitPackingTests {
    /// The largest value that fits in `width` bits.
    private static func maxValue(width: Int) -> UInt32 {
        width == 32 ? .max : (1 << UInt32(width)) - 1
    }

    /// `values` (128 of them) packed at `width`, after a 3-byte prefix that must survive.
    private static func packed(_ values: [UInt32], width: Int) -> [UInt8] {
        var output: [UInt8] = [0xA1, 0xA2, 0xA3]
        values.withUnsafeBufferPointer { BitPacking.pack($0.baseAddress!, width: width, into: &output) }
        #expect(output.count == 3 + BitPacking.packedSize(width: width))
        #expect(output.prefix(3).elementsEqual([0xA1, 0xA2, 0xA3]))
        return Array(output.dropFirst(3))
    }

    /// Unpacks `bytes` from a fresh allocation exactly `bytes.count` long, starting `misalignment`
    /// bytes into it, so a read past the block or a misaligned load would show (under
    /// `-sanitize=address` a one-byte overread is a crash). The output starts as junk.
    private static func unpacked(_ bytes: [UInt8], width: Int, misalignment: Int = 0) -> [UInt32] {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes.count + misalignment, alignment: 8)
        defer { buffer.deallocate() }
        let block = buffer + misalignment
        if !bytes.isEmpty {
            bytes.withUnsafeBytes { block.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        }
        var values = [UInt32](repeating: 0xDEAD_BEEF, count: BitPacking.blockSize)
        values.withUnsafeMutableBufferPointer {
            BitPacking.unpack(UnsafeRawPointer(block), width: width, into: $0.baseAddress!)
        }
        return values
    }

    /// Packs, checks the size, then unpacks at offsets 0 and 1 (exact-length buffers).
    private static func expectRoundTrip(_ values: [UInt32], width: Int, _ note: String) {
        let bytes = packed(values, width: width)
        #expect(bytes.count == BitPacking.packedSize(width: width), "\(note)")
        #expect(unpacked(bytes, width: width) == values, "\(note)")
        #expect(unpacked(bytes, width: width, misalignment: 1) == values, "\(note), misaligned")
    }

    @Test("seeded random values round-trip at every width", arguments: 0...32)
    func randomRoundTrip(width: Int) {
        let mask = Self.maxValue(width: width)
        for seed in UInt64(1)...20 {
            var random = SplitMix(seed: seed &* 0x1000 &+ UInt64(width))
            var values = (0..<BitPacking.blockSize).map { _ in UInt32(truncatingIfNeeded: random.next()) & mask }
            if width > 0 { values[Int(random.next() % 128)] = mask }  // so bitWidth is exactly `width`
            let measured = values.withUnsafeBufferPointer { BitPacking.bitWidth($0) }
            #expect(measured == width, "seed \(seed)")
            Self.expectRoundTrip(values, width: width, "width \(width), seed \(seed)")
        }
    }

    @Test("every value at its maximum round-trips, and sets every bit", arguments: 0...32)
    func allMaxRoundTrip(width: Int) {
        let values = [UInt32](repeating: Self.maxValue(width: width), count: BitPacking.blockSize)
        Self.expectRoundTrip(values, width: width, "width \(width), all max")
        #expect(Self.packed(values, width: width).allSatisfy { $0 == 0xFF })
    }

    @Test("one value at the maximum among zeros lands in its own bits", arguments: [1, 3, 7, 13, 31, 32])
    func singleValueRoundTrip(width: Int) {
        for index in [0, 1, 7, 8, 63, 64, 120, 126, 127] {
            var values = [UInt32](repeating: 0, count: BitPacking.blockSize)
            values[index] = Self.maxValue(width: width)
            Self.expectRoundTrip(values, width: width, "width \(width), index \(index)")
            // Exactly bits index * width ..< (index + 1) * width of the stream are set.
            let bytes = Self.packed(values, width: width)
            let setBits = (0..<(bytes.count * 8)).filter { bytes[$0 / 8] & (1 << UInt8($0 % 8)) != 0 }
            #expect(setBits == Array((index * width)..<((index + 1) * width)), "width \(width), index \(index)")
        }
    }

    @Test("bitWidth: all zero, a single 1, powers of two, UInt32.max")
    func bitWidthEdges() {
        func width(_ values: [UInt32]) -> Int { values.withUnsafeBufferPointer { BitPacking.bitWidth($0) } }
        var values = [UInt32](repeating: 0, count: BitPacking.blockSize)
        #expect(width(values) == 0)
        values[77] = 1
        #expect(width(values) == 1)
        for bit in 0..<32 {
            values[127] = 1 << UInt32(bit)
            #expect(width(values) == bit + 1)
        }
        values[127] = 0
        values[0] = .max
        #expect(width(values) == 32)
        values[0] = 0x7FFF_FFFF
        #expect(width(values) == 31)
        #expect(width([]) == 0)
    }

    @Test("packedSize is width * 16 bytes")
    func packedSizes() {
        for width in 0...32 {
            #expect(BitPacking.packedSize(width: width) == width * 16)
        }
        #expect(BitPacking.blockSize == 128)
    }

    /// Worked by hand from the layout in FORMAT.md. Width 3, values 0...7: value i sits at stream
    /// bits 3i ..< 3i + 3, so
    /// byte 0 = 0 | 1 << 3 | (2 & 0b11) << 6          = 0x88,
    /// byte 1 = 2 >> 2 | 3 << 1 | 4 << 4 | (5 & 1) << 7 = 0xC6,
    /// byte 2 = 5 >> 1 | 6 << 2 | 7 << 5               = 0xFA,
    /// and 8 values take exactly 3 bytes, so the pattern repeats.
    @Test("golden bytes: width 3, values 0...7 repeating")
    func goldenWidth3() {
        let values = (0..<BitPacking.blockSize).map { UInt32($0 % 8) }
        let expected = Array([[UInt8]](repeating: [0x88, 0xC6, 0xFA], count: 16).joined())
        #expect(Self.packed(values, width: 3) == expected)
        #expect(Self.unpacked(expected, width: 3) == values)
    }

    /// Width 12, values 0xABC, 0x123 repeating: two values are the 24-bit little-endian number
    /// 0x123ABC, bytes BC 3A 12. Width 1, values 1, 0, 0, 1 repeating: bits 0 and 3 of each
    /// nibble, so every byte is 0b1001_1001.
    @Test("golden bytes: width 12 and width 1")
    func goldenWidths12And1() {
        let values12 = (0..<BitPacking.blockSize).map { $0 % 2 == 0 ? UInt32(0xABC) : 0x123 }
        let expected12 = Array([[UInt8]](repeating: [0xBC, 0x3A, 0x12], count: 64).joined())
        #expect(Self.packed(values12, width: 12) == expected12)
        #expect(Self.unpacked(expected12, width: 12) == values12)

        let values1 = (0..<BitPacking.blockSize).map { [1, 0, 0, 1][$0 % 4] as UInt32 }
        let expected1 = [UInt8](repeating: 0x99, count: 16)
        #expect(Self.packed(values1, width: 1) == expected1)
        #expect(Self.unpacked(expected1, width: 1) == values1)
    }

    @Test("width 0 writes nothing and unpacks to zeros, reading no input")
    func widthZero() {
        let values = [UInt32](repeating: 0, count: BitPacking.blockSize)
        #expect(Self.packed(values, width: 0).isEmpty)
        #expect(Self.unpacked([], width: 0) == values)
    }

    @Test("blocks appended one after another unpack from their own offsets")
    func consecutiveBlocks() {
        var random = SplitMix(seed: 99)
        var output: [UInt8] = []
        var blocks: [(width: Int, values: [UInt32])] = []
        for width in [5, 0, 32, 1, 17, 9] {
            let mask = Self.maxValue(width: width)
            let values = (0..<BitPacking.blockSize).map { _ in UInt32(truncatingIfNeeded: random.next()) & mask }
            values.withUnsafeBufferPointer { BitPacking.pack($0.baseAddress!, width: width, into: &output) }
            blocks.append((width, values))
        }
        #expect(output.count == blocks.reduce(0) { $0 + BitPacking.packedSize(width: $1.width) })
        var offset = 0
        for block in blocks {
            let size = BitPacking.packedSize(width: block.width)
            #expect(Self.unpacked(Array(output[offset..<(offset + size)]), width: block.width) == block.values)
            offset += size
        }
    }
}
