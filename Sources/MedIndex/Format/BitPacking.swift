/// Fixed-width bit packing for blocks of 128 unsigned 32-bit integers: the block codec of the
/// postings file (doc-id deltas, term frequencies). It does the job of Lucene's `ForUtil` and
/// tantivy's `bitpacker`, with a plain sequential layout.
///
/// ## Byte layout
///
/// A block packed at `width` bits (0...32) is exactly `width * 16` bytes, with no header and no
/// padding; the caller stores the width.
///
/// - The 128 values form one little-endian bit stream of `128 * width` bits: value `i` occupies
///   stream bits `i * width ..< (i + 1) * width`, least significant bit first.
/// - Stream bit `k` is bit `k % 8` (the `1 << (k % 8)` bit) of byte `k / 8`.
/// - Equivalently, the block is `2 * width` little-endian `UInt64` words, and value `i` starts at
///   bit `(i * width) % 64` of word `(i * width) / 64`, running on into the next word's low bits
///   when it doesn't fit. Every 8 values end on a byte boundary.
/// - Width 0 takes no bytes and decodes to 128 zeros.
///
/// Example: width 3, values 0, 1, 2, ..., 7 repeating, is the 3 bytes `88 C6 FA` repeated 16
/// times; width 12, values `0xABC, 0x123, ...`, starts `BC 3A 12`.
///
/// Changing this layout changes the postings file: it requires re-indexing and a format version
/// bump.
///
/// ## Speed
///
/// `unpack` switches once on the width to a kernel specialised for it: the width is a type
/// (`Width1` ... `Width32`), so the specialised code sees it as a constant, and the kernel is
/// unrolled by hand to straight-line code with a constant offset, shift and mask per value.
/// About 30 ns a block (4 G values/s) on a 2.4 GHz AMD EPYC, for every width. `pack` is one
/// generic loop (about 1 G values/s); the writer spends its time elsewhere.
package enum BitPacking {
    /// Values in a block.
    package static let blockSize = 128

    /// Bits needed to store the largest of the values: 0 when all are 0, up to 32.
    package static func bitWidth(_ values: UnsafeBufferPointer<UInt32>) -> Int {
        // OR-ing first lets the loop vectorise; the highest set bit of the OR is the answer.
        var union: UInt32 = 0
        for value in values { union |= value }
        return UInt32.bitWidth - union.leadingZeroBitCount
    }

    /// Bytes a packed block of 128 values takes at `width` bits: `width * 16`.
    package static func packedSize(width: Int) -> Int {
        precondition((0...32).contains(width), "bit width \(width) is outside 0...32")
        return width * (blockSize / 8)
    }

    /// Appends exactly 128 values from `values` (which must hold 128), packed at `width` bits,
    /// to `output`: `packedSize(width:)` more bytes.
    ///
    /// Bits of a value above `width` are dropped (debug builds assert there are none), so choose
    /// `width` with ``bitWidth(_:)``.
    package static func pack(_ values: UnsafePointer<UInt32>, width: Int, into output: inout [UInt8]) {
        let byteCount = packedSize(width: width)
        assert(
            bitWidth(UnsafeBufferPointer(start: values, count: blockSize)) <= width,
            "a value needs more than \(width) bits"
        )
        guard byteCount > 0 else { return }
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: byteCount))
        output.withUnsafeMutableBytes { bytes in
            packWords(values, width: width, into: bytes.baseAddress! + start)
        }
    }

    /// Unpacks 128 values packed at `width` bits from `input` (at least `packedSize(width:)`
    /// readable bytes, any alignment) into `values` (room for 128).
    ///
    /// Reads exactly the block's `packedSize(width:)` bytes, never a byte past them, so a block
    /// can end a mapped file.
    package static func unpack(_ input: UnsafeRawPointer, width: Int, into values: UnsafeMutablePointer<UInt32>) {
        switch width {
        case 0: values.update(repeating: 0, count: blockSize)
        case 1: unpackFixed(input, Width1.self, values)
        case 2: unpackFixed(input, Width2.self, values)
        case 3: unpackFixed(input, Width3.self, values)
        case 4: unpackFixed(input, Width4.self, values)
        case 5: unpackFixed(input, Width5.self, values)
        case 6: unpackFixed(input, Width6.self, values)
        case 7: unpackFixed(input, Width7.self, values)
        case 8: unpackFixed(input, Width8.self, values)
        case 9: unpackFixed(input, Width9.self, values)
        case 10: unpackFixed(input, Width10.self, values)
        case 11: unpackFixed(input, Width11.self, values)
        case 12: unpackFixed(input, Width12.self, values)
        case 13: unpackFixed(input, Width13.self, values)
        case 14: unpackFixed(input, Width14.self, values)
        case 15: unpackFixed(input, Width15.self, values)
        case 16: unpackFixed(input, Width16.self, values)
        case 17: unpackFixed(input, Width17.self, values)
        case 18: unpackFixed(input, Width18.self, values)
        case 19: unpackFixed(input, Width19.self, values)
        case 20: unpackFixed(input, Width20.self, values)
        case 21: unpackFixed(input, Width21.self, values)
        case 22: unpackFixed(input, Width22.self, values)
        case 23: unpackFixed(input, Width23.self, values)
        case 24: unpackFixed(input, Width24.self, values)
        case 25: unpackFixed(input, Width25.self, values)
        case 26: unpackFixed(input, Width26.self, values)
        case 27: unpackFixed(input, Width27.self, values)
        case 28: unpackFixed(input, Width28.self, values)
        case 29: unpackFixed(input, Width29.self, values)
        case 30: unpackFixed(input, Width30.self, values)
        case 31: unpackFixed(input, Width31.self, values)
        case 32: unpackFixed(input, Width32.self, values)
        default: preconditionFailure("bit width \(width) is outside 0...32")
        }
    }
}

// MARK: - Kernels

extension BitPacking {
    /// Unpacking at one width. Specialised per `W`, where `W.bits` is a constant, and unrolled by
    /// hand (16 × ``unpack8(_:_:_:_:)`` × 8 × ``unpackOne(_:_:_:_:)``, both always inlined), so
    /// every offset, shift and mask is a constant in the machine code. LLVM does not fully unroll
    /// a 128-step loop by itself, and with a run-time width a block takes about 3× as long.
    private static func unpackFixed<W: FixedWidth>(_ input: UnsafeRawPointer, _: W.Type, _ values: UnsafeMutablePointer<UInt32>) {
        let width = W.bits
        unpack8(input, width, 0, values)
        unpack8(input, width, 8, values)
        unpack8(input, width, 16, values)
        unpack8(input, width, 24, values)
        unpack8(input, width, 32, values)
        unpack8(input, width, 40, values)
        unpack8(input, width, 48, values)
        unpack8(input, width, 56, values)
        unpack8(input, width, 64, values)
        unpack8(input, width, 72, values)
        unpack8(input, width, 80, values)
        unpack8(input, width, 88, values)
        unpack8(input, width, 96, values)
        unpack8(input, width, 104, values)
        unpack8(input, width, 112, values)
        unpack8(input, width, 120, values)
    }

    /// Values `first ..< first + 8`.
    @inline(__always)
    private static func unpack8(_ input: UnsafeRawPointer, _ width: Int, _ first: Int, _ values: UnsafeMutablePointer<UInt32>) {
        unpackOne(input, width, first, values)
        unpackOne(input, width, first + 1, values)
        unpackOne(input, width, first + 2, values)
        unpackOne(input, width, first + 3, values)
        unpackOne(input, width, first + 4, values)
        unpackOne(input, width, first + 5, values)
        unpackOne(input, width, first + 6, values)
        unpackOne(input, width, first + 7, values)
    }

    /// Value `index`: one little-endian 8-byte load from the byte holding its first bit, then a
    /// shift right by `bit % 8` (7 + 32 bits fit in 64). Where those 8 bytes would run past the
    /// end of the block, the load takes the block's last 8 bytes instead, and the shift grows to
    /// match: a value that starts that late lies wholly inside them (the block is ≥ 16 bytes).
    @inline(__always)
    private static func unpackOne(_ input: UnsafeRawPointer, _ width: Int, _ index: Int, _ values: UnsafeMutablePointer<UInt32>) {
        let mask: UInt64 = width == 32 ? 0xFFFF_FFFF : (1 &<< UInt64(width)) &- 1
        let bit = index &* width
        let byteOffset = min(bit &>> 3, width &* 16 &- 8)
        let bytes = UInt64(littleEndian: input.loadUnaligned(fromByteOffset: byteOffset, as: UInt64.self))
        values[index] = UInt32(truncatingIfNeeded: (bytes &>> UInt64(bit &- byteOffset &* 8)) & mask)
    }

    /// Packs at any width into `output` (exactly `width * 16` writable bytes), a word at a time.
    private static func packWords(_ values: UnsafePointer<UInt32>, width: Int, into output: UnsafeMutableRawPointer) {
        let mask: UInt64 = width == 32 ? 0xFFFF_FFFF : (1 &<< UInt64(width)) &- 1
        var accumulator: UInt64 = 0
        var filled = 0  // bits of `accumulator` in use
        var wordIndex = 0
        for i in 0..<blockSize {
            let value = UInt64(values[i]) & mask
            accumulator |= value &<< UInt64(filled)
            filled &+= width
            if filled >= 64 {
                output.storeBytes(of: accumulator.littleEndian, toByteOffset: wordIndex &* 8, as: UInt64.self)
                wordIndex &+= 1
                filled &-= 64
                // The bits of `value` that didn't fit (none when it ended exactly on the word).
                accumulator = filled == 0 ? 0 : value &>> UInt64(width &- filled)
            }
        }
    }
}

// MARK: - Widths as types

/// A bit width known at compile time: code specialised for a `FixedWidth` type sees `bits` as a
/// constant. (A value generic, `<let width: Int>`, would say this more briefly, but needs a recent
/// runtime on Apple platforms.)
private protocol FixedWidth { static var bits: Int { get } }

private enum Width1: FixedWidth { static var bits: Int { 1 } }
private enum Width2: FixedWidth { static var bits: Int { 2 } }
private enum Width3: FixedWidth { static var bits: Int { 3 } }
private enum Width4: FixedWidth { static var bits: Int { 4 } }
private enum Width5: FixedWidth { static var bits: Int { 5 } }
private enum Width6: FixedWidth { static var bits: Int { 6 } }
private enum Width7: FixedWidth { static var bits: Int { 7 } }
private enum Width8: FixedWidth { static var bits: Int { 8 } }
private enum Width9: FixedWidth { static var bits: Int { 9 } }
private enum Width10: FixedWidth { static var bits: Int { 10 } }
private enum Width11: FixedWidth { static var bits: Int { 11 } }
private enum Width12: FixedWidth { static var bits: Int { 12 } }
private enum Width13: FixedWidth { static var bits: Int { 13 } }
private enum Width14: FixedWidth { static var bits: Int { 14 } }
private enum Width15: FixedWidth { static var bits: Int { 15 } }
private enum Width16: FixedWidth { static var bits: Int { 16 } }
private enum Width17: FixedWidth { static var bits: Int { 17 } }
private enum Width18: FixedWidth { static var bits: Int { 18 } }
private enum Width19: FixedWidth { static var bits: Int { 19 } }
private enum Width20: FixedWidth { static var bits: Int { 20 } }
private enum Width21: FixedWidth { static var bits: Int { 21 } }
private enum Width22: FixedWidth { static var bits: Int { 22 } }
private enum Width23: FixedWidth { static var bits: Int { 23 } }
private enum Width24: FixedWidth { static var bits: Int { 24 } }
private enum Width25: FixedWidth { static var bits: Int { 25 } }
private enum Width26: FixedWidth { static var bits: Int { 26 } }
private enum Width27: FixedWidth { static var bits: Int { 27 } }
private enum Width28: FixedWidth { static var bits: Int { 28 } }
private enum Width29: FixedWidth { static var bits: Int { 29 } }
private enum Width30: FixedWidth { static var bits: Int { 30 } }
private enum Width31: FixedWidth { static var bits: Int { 31 } }
private enum Width32: FixedWidth { static var bits: Int { 32 } }
