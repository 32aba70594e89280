/// A small byte-oriented LZ77 compressor for stored article text (one block at a time, 4–64 KiB
/// typical), tuned for fast decompression.
///
/// ## Byte format
///
/// A compressed block is a series of *sequences* and nothing else: no header, no length, no
/// checksum (the caller stores the decompressed size and checks the bytes). Each sequence is:
///
/// ```
/// ┌───────┬─────────────────┬──────────┬────────────┬─────────────────┐
/// │ token │ literal-length+ │ literals │ offset     │ match-length+   │
/// │ u8    │ (optional)      │ L bytes  │ u16 LE     │ (optional)      │
/// └───────┴─────────────────┴──────────┴────────────┴─────────────────┘
/// ```
///
/// - `token`: high 4 bits = literal count L (0–14, or 15 = "15 plus an extension"); low 4 bits =
///   match length minus 4 (0–14, or 15 = "19 plus an extension").
/// - Extension (`literal-length+`, `match-length+`): bytes added to the nibble's value; each byte
///   0–255 is added, and a byte of 255 means another byte follows. So 15 + 255 + 3 = 273 is
///   `0xF_`, `0xFF`, `0x03`, and exactly 15 is `0xF_`, `0x00`.
/// - `literals`: L bytes copied to the output as they are.
/// - `offset`: little-endian, 1–65,535: the match starts `offset` bytes before the current end of
///   this block's output (never before the block's first byte). The match length M ≥ 4 may exceed
///   the offset; the copy then repeats the last `offset` bytes (byte-by-byte semantics).
/// - The last sequence may stop after its literals: if the input ends right after the literals,
///   the token's low nibble must be 0 and L must be at least 1. Every other sequence has a match.
///   The empty block compresses to zero bytes.
/// - A block is valid only if it expands to exactly the stored decompressed size and every input
///   byte is used; anything else (truncation, offset 0 or too far back, a length past the end,
///   trailing bytes) is corruption.
///
/// The compressor is deterministic: the same input always gives the same bytes (it uses a hash
/// chain of bounded depth with one-step lazy matching). Changing the compressor's parsing changes
/// the bytes but not the format; changing the format requires a format version bump.
///
/// - Complexity: compression is O(n · ``searchDepth``); decompression is O(n).
package enum LZ {
    /// The shortest match worth encoding: a match costs at least 3 bytes (token + offset).
    static let minimumMatchLength = 4
    /// The farthest back a match may start (the offset field is 16 bits; 0 is invalid).
    static let maximumOffset = 65_535
    /// The value of a full 4-bit length field, meaning "an extension follows".
    static let nibbleExtensionMarker = 15
    /// An extension byte with this value is followed by another extension byte.
    static let extensionContinueByte = 255
    /// How many earlier positions with the same hash the compressor compares at each position.
    static let searchDepth = 12
    /// The search depth when checking whether the next position has a longer match.
    static let lazySearchDepth = 4
    /// A match at least this long is taken at once, without searching further or trying the
    /// next position (long matches gain little from more searching and cost time to compare).
    static let goodEnoughMatchLength = 64
    /// Knuth's multiplicative-hash constant (2³² divided by the golden ratio): spreads 4-byte
    /// words over the hash table's top bits.
    static let hashMultiplier: UInt32 = 2_654_435_761
    /// Extra bytes the decompressor may write past the end of the block (wide copies), trimmed
    /// before returning.
    static let decoderSlackCount = 32
    /// The largest number of output bytes one input byte can stand for (an extension byte of
    /// 255 adds 255 bytes of match). A claimed size above `255 × input.count` is rejected before
    /// allocating anything.
    static let maximumExpansionRatio = 255

    // MARK: - Compression

    /// Appends the compressed form of `input` to `output`. Deterministic: same input → same bytes.
    ///
    /// - Precondition: `input.count <= Int32.max` (positions are kept as 32-bit integers; stored
    ///   blocks are far smaller).
    package static func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        precondition(input.count <= Int(Int32.max), "LZ: a block must be smaller than 2 GiB")
        guard let source = input.baseAddress, input.count > 0 else { return }
        let capacity = maximumCompressedCount(forInputCount: input.count)
        let destination = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { destination.deallocate() }
        var compressor = Compressor(
            source: source.assumingMemoryBound(to: UInt8.self), count: input.count
        )
        defer { compressor.deallocate() }
        let written = compressor.compress(into: destination)
        precondition(written <= capacity, "LZ: compressed size bound exceeded")
        output.append(contentsOf: UnsafeBufferPointer(start: destination, count: written))
    }

    /// An upper bound on the compressed size of `inputCount` bytes: all literals, one token, and
    /// one extension byte per 255 literals, plus a margin.
    static func maximumCompressedCount(forInputCount inputCount: Int) -> Int {
        inputCount + inputCount / extensionContinueByte + 16
    }

    // MARK: - Decompression

    /// Decompresses `input`, which must expand to exactly `decompressedCount` bytes, appending them
    /// to `output`.
    ///
    /// Returns false, leaving `output` as it was, on any malformed input: a truncated sequence, a
    /// match offset of 0 or reaching before this block's first output byte (bytes already in
    /// `output` are never referenced), a length past `decompressedCount`, a size other than
    /// `decompressedCount`, or trailing bytes. It never traps, never reads or writes out of bounds,
    /// and always terminates (each step consumes at least one input byte).
    package static func decompress(
        _ input: UnsafeRawBufferPointer,
        decompressedCount: Int,
        into output: inout [UInt8]
    ) -> Bool {
        guard decompressedCount >= 0 else { return false }
        let (limit, overflow) = input.count.multipliedReportingOverflow(by: maximumExpansionRatio)
        guard !overflow, decompressedCount <= limit else { return false }
        guard decompressedCount > 0 else { return input.isEmpty }
        guard let source = input.baseAddress else { return false }

        let start = output.count
        output.append(contentsOf: repeatElement(0, count: decompressedCount + decoderSlackCount))
        let succeeded = output.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            var decoder = Decoder(
                input: source.assumingMemoryBound(to: UInt8.self),
                inputEnd: source.assumingMemoryBound(to: UInt8.self) + input.count,
                blockStart: base + start,
                outputEnd: base + start + decompressedCount
            )
            return decoder.run()
        }
        output.removeLast(succeeded ? decoderSlackCount : decompressedCount + decoderSlackCount)
        return succeeded
    }
}

// MARK: - Compressor

extension LZ {
    /// A match found by the compressor: its length in bytes and how far back it starts.
    private struct Match {
        var byteCount: Int
        var offset: Int
    }

    /// Hash-chain match finder and sequence writer for one block. Owns its tables; call
    /// ``deallocate()`` when done.
    private struct Compressor {
        let source: UnsafePointer<UInt8>
        let count: Int
        /// Hash of 4 bytes → most recent position with that hash, or -1.
        let head: UnsafeMutablePointer<Int32>
        /// 32 minus the hash's bit count: the multiplicative hash keeps the product's top bits.
        let hashShift: UInt32
        /// For position p (at index p & chainMask): distance back to the previous position with
        /// the same hash, or 0 if none within the window.
        let chain: UnsafeMutablePointer<UInt16>
        let chainMask = 0xFFFF
        /// Positions below this are in the hash chains.
        var nextToInsert = 0

        init(source: UnsafePointer<UInt8>, count: Int) {
            self.source = source
            self.count = count
            // Smaller tables for small blocks: less to clear. The size depends only on `count`,
            // so the output stays deterministic.
            var bits = 10
            while bits < 16, (1 << bits) < count { bits += 1 }
            hashShift = UInt32(32 - bits)
            head = .allocate(capacity: 1 << bits)
            head.initialize(repeating: -1, count: 1 << bits)
            let chainCount = Swift.min(count, 0x1_0000)
            chain = .allocate(capacity: chainCount)
            chain.initialize(repeating: 0, count: chainCount)
        }

        func deallocate() {
            head.deallocate()
            chain.deallocate()
        }

        /// Reads 4 bytes at `position` (the caller guarantees `position + 4 <= count`).
        @inline(__always)
        func word(at position: Int) -> UInt32 {
            UnsafeRawPointer(source + position).loadUnaligned(as: UInt32.self)
        }

        @inline(__always)
        func hash(at position: Int) -> Int {
            let product = UInt32(littleEndian: word(at: position)) &* LZ.hashMultiplier
            return Int(truncatingIfNeeded: product >> hashShift)
        }

        /// Adds every position below `position` to the hash chains.
        @inline(__always)
        mutating func insert(upTo position: Int) {
            while nextToInsert < position {
                let h = hash(at: nextToInsert)
                let previous = Int(head[h])
                let distance = previous < 0 ? 0 : nextToInsert &- previous
                let link = distance <= LZ.maximumOffset ? UInt16(truncatingIfNeeded: distance) : 0
                chain[nextToInsert & chainMask] = link
                head[h] = Int32(truncatingIfNeeded: nextToInsert)
                nextToInsert &+= 1
            }
        }

        /// The number of equal bytes at `a` and `b` (a < b), not reading at or past `limit`.
        @inline(__always)
        func commonLength(_ a: Int, _ b: Int, limit: Int) -> Int {
            var length = 0
            let maximum = limit - b
            while length + 8 <= maximum {
                let x = UnsafeRawPointer(source + a + length).loadUnaligned(as: UInt64.self)
                let y = UnsafeRawPointer(source + b + length).loadUnaligned(as: UInt64.self)
                let difference = UInt64(littleEndian: x ^ y)
                if difference != 0 { return length + difference.trailingZeroBitCount / 8 }
                length += 8
            }
            while length < maximum, source[a + length] == source[b + length] { length += 1 }
            return length
        }

        /// The longest match for `position` among the last `depth` positions with the same hash,
        /// if one is longer than `floor` bytes (the nearest wins ties, so offsets stay small).
        /// Requires `position + 4 <= count`.
        mutating func longestMatch(at position: Int, depth: Int, longerThan floor: Int) -> Match? {
            insert(upTo: position)
            // Locals, so the loop keeps them in registers (stores through `chain` could
            // otherwise alias `self`).
            let source = self.source, chain = self.chain, count = self.count, chainMask = self.chainMask
            var bestCount = floor
            var bestOffset = 0
            let target = word(at: position)
            var candidate = Int(head[hash(at: position)])
            var remaining = depth
            while candidate >= 0, remaining > 0 {
                let offset = position &- candidate
                if offset > LZ.maximumOffset { break }
                remaining &-= 1
                // Cheap rejections first: the byte that would make this match longer than the
                // best, then the first four bytes.
                if position &+ bestCount < count,
                   source[candidate &+ bestCount] == source[position &+ bestCount],
                   UnsafeRawPointer(source + candidate).loadUnaligned(as: UInt32.self) == target {
                    let length = commonLength(candidate, position, limit: count)
                    if length > bestCount {
                        bestCount = length
                        bestOffset = offset
                        if length >= LZ.goodEnoughMatchLength { break }
                    }
                }
                let step = Int(chain[candidate & chainMask])
                if step == 0 { break }
                candidate &-= step
            }
            return bestOffset != 0 ? Match(byteCount: bestCount, offset: bestOffset) : nil
        }

        /// Writes all sequences to `destination`; returns the number of bytes written.
        mutating func compress(into destination: UnsafeMutablePointer<UInt8>) -> Int {
            var writer = SequenceWriter(destination: destination)
            var literalStart = 0
            var position = 0
            let lastMatchStart = count - LZ.minimumMatchLength
            while position <= lastMatchStart {
                guard var match = longestMatch(
                    at: position, depth: LZ.searchDepth, longerThan: LZ.minimumMatchLength - 1
                ) else {
                    position += 1
                    continue
                }
                // Lazy matching: if the next position starts a longer match, emit this byte as a
                // literal and take that one instead (a shallower search: it pays off less often).
                while match.byteCount < LZ.goodEnoughMatchLength, position + 1 <= lastMatchStart,
                      let next = longestMatch(
                          at: position + 1, depth: LZ.lazySearchDepth, longerThan: match.byteCount
                      ) {
                    position += 1
                    match = next
                }
                writer.writeSequence(
                    literals: source + literalStart, literalCount: position - literalStart, match: match
                )
                position += match.byteCount
                literalStart = position
            }
            if literalStart < count {
                writer.writeFinalLiterals(source + literalStart, count: count - literalStart)
            }
            return writer.position - destination
        }
    }

    /// Appends encoded sequences to a buffer of ``maximumCompressedCount(forInputCount:)`` bytes.
    private struct SequenceWriter {
        var position: UnsafeMutablePointer<UInt8>

        init(destination: UnsafeMutablePointer<UInt8>) { position = destination }

        @inline(__always)
        mutating func writeByte(_ byte: UInt8) {
            position.pointee = byte
            position += 1
        }

        /// Writes the part of a length that did not fit its nibble (`value` ≥ 0).
        @inline(__always)
        mutating func writeExtension(_ value: Int) {
            var rest = value
            while rest >= LZ.extensionContinueByte {
                writeByte(UInt8(LZ.extensionContinueByte))
                rest -= LZ.extensionContinueByte
            }
            writeByte(UInt8(rest))
        }

        @inline(__always)
        static func nibble(_ value: Int) -> UInt8 {
            UInt8(Swift.min(value, LZ.nibbleExtensionMarker))
        }

        @inline(__always)
        mutating func writeLiterals(_ literals: UnsafePointer<UInt8>, count: Int) {
            if count >= LZ.nibbleExtensionMarker { writeExtension(count - LZ.nibbleExtensionMarker) }
            position.update(from: literals, count: count)
            position += count
        }

        mutating func writeSequence(literals: UnsafePointer<UInt8>, literalCount: Int, match: Match) {
            let matchCode = match.byteCount - LZ.minimumMatchLength
            writeByte(Self.nibble(literalCount) << 4 | Self.nibble(matchCode))
            writeLiterals(literals, count: literalCount)
            writeByte(UInt8(truncatingIfNeeded: match.offset))
            writeByte(UInt8(truncatingIfNeeded: match.offset >> 8))
            if matchCode >= LZ.nibbleExtensionMarker { writeExtension(matchCode - LZ.nibbleExtensionMarker) }
        }

        mutating func writeFinalLiterals(_ literals: UnsafePointer<UInt8>, count: Int) {
            writeByte(Self.nibble(count) << 4)
            writeLiterals(literals, count: count)
        }
    }
}

// MARK: - Decoder

extension LZ {
    /// Decodes one block into memory that has ``decoderSlackCount`` writable bytes past
    /// `outputEnd`. Every length and offset is checked against the input and output bounds
    /// before any byte is copied.
    private struct Decoder {
        var input: UnsafePointer<UInt8>
        let inputEnd: UnsafePointer<UInt8>
        let blockStart: UnsafeMutablePointer<UInt8>
        var output: UnsafeMutablePointer<UInt8>
        let outputEnd: UnsafeMutablePointer<UInt8>

        init(
            input: UnsafePointer<UInt8>, inputEnd: UnsafePointer<UInt8>,
            blockStart: UnsafeMutablePointer<UInt8>, outputEnd: UnsafeMutablePointer<UInt8>
        ) {
            self.input = input
            self.inputEnd = inputEnd
            self.blockStart = blockStart
            self.output = blockStart
            self.outputEnd = outputEnd
        }

        /// Decodes every sequence; true only if the input is used up exactly as the output
        /// reaches `outputEnd`.
        mutating func run() -> Bool {
            while input < inputEnd {
                let token = Int(input.pointee)
                input += 1
                guard let literalCount = readLength(nibble: token >> 4, base: 0),
                      copyLiterals(count: literalCount)
                else { return false }
                if input == inputEnd {
                    // The final, literal-only sequence.
                    return token & 0x0F == 0 && literalCount > 0 && output == outputEnd
                }
                guard inputEnd - input >= 2 else { return false }
                let offset = Int(input[0]) | Int(input[1]) << 8
                input += 2
                guard let matchCount = readLength(nibble: token & 0x0F, base: LZ.minimumMatchLength),
                      copyMatch(offset: offset, count: matchCount)
                else { return false }
            }
            return output == outputEnd
        }

        /// `base + nibble`, plus the extension bytes when the nibble is full; nil if the
        /// extension is truncated or the length passes the end of the output (which also rules
        /// out arithmetic overflow).
        @inline(__always)
        mutating func readLength(nibble: Int, base: Int) -> Int? {
            var length = base + nibble
            guard nibble == LZ.nibbleExtensionMarker else { return length }
            let limit = outputEnd - output
            while true {
                guard input < inputEnd else { return nil }
                let byte = Int(input.pointee)
                input += 1
                length += byte
                guard length <= limit else { return nil }
                if byte != LZ.extensionContinueByte { return length }
            }
        }

        @inline(__always)
        mutating func copyLiterals(count: Int) -> Bool {
            guard count <= inputEnd - input, count <= outputEnd - output else { return false }
            let wideCopyCount = 16
            if count <= wideCopyCount, inputEnd - input >= wideCopyCount {
                // Copy 16 bytes whatever `count` is: the slack absorbs the excess.
                copy8(from: input, to: output)
                copy8(from: input + 8, to: output + 8)
            } else {
                output.update(from: input, count: count)
            }
            input += count
            output += count
            return true
        }

        @inline(__always)
        mutating func copyMatch(offset: Int, count: Int) -> Bool {
            guard offset > 0, offset <= output - blockStart, count <= outputEnd - output else {
                return false
            }
            var from = UnsafePointer(output - offset)
            let end = output + count
            let wordSize = 8
            if offset >= wordSize {
                // Each 8-byte load reads only bytes already written; may run up to 7 bytes past
                // `end`, into the slack or into bytes the next sequence overwrites.
                while output < end {
                    copy8(from: from, to: output)
                    from += wordSize
                    output += wordSize
                }
                output = end
            } else {
                // Overlapping copy of a short period: byte by byte repeats the pattern.
                while output < end {
                    output.pointee = from.pointee
                    from += 1
                    output += 1
                }
            }
            return true
        }

        @inline(__always)
        func copy8(from source: UnsafePointer<UInt8>, to destination: UnsafeMutablePointer<UInt8>) {
            UnsafeMutableRawPointer(destination).storeBytes(
                of: UnsafeRawPointer(source).loadUnaligned(as: UInt64.self), as: UInt64.self
            )
        }
    }
}
