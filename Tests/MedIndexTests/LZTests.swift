import MedTestSupport
import Testing

@testable import MedIndex

@Suite struct LZTests {
    // MARK: - Helpers

    /// Bytes that an output array already holds before a decompression: the block must neither
    /// reference nor disturb them.
    private static let earlierOutput: [UInt8] = [0xAB, 0xCD, 0xEF]

    private func compressed(_ bytes: [UInt8]) -> [UInt8] {
        var stream: [UInt8] = []
        bytes.withUnsafeBytes { LZ.compress($0, into: &stream) }
        return stream
    }

    /// Decompresses after ``earlierOutput``; returns the block's bytes, or nil when `decompress`
    /// returns false. Checks the contract either way: true means exactly `count` bytes were
    /// appended, false means the output array is untouched.
    private func decompressed(_ stream: [UInt8], count: Int) -> [UInt8]? {
        var output = Self.earlierOutput
        let succeeded = stream.withUnsafeBytes {
            LZ.decompress($0, decompressedCount: count, into: &output)
        }
        #expect(Array(output.prefix(Self.earlierOutput.count)) == Self.earlierOutput)
        guard succeeded else {
            #expect(output == Self.earlierOutput, "a failed decompression must leave the output as it was")
            return nil
        }
        #expect(output.count == Self.earlierOutput.count + count)
        return Array(output.dropFirst(Self.earlierOutput.count))
    }

    private func expectRoundTrip(
        _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let stream = compressed(bytes)
        let bound = LZ.maximumCompressedCount(forInputCount: bytes.count)
        #expect(stream.count <= bound, sourceLocation: sourceLocation)
        #expect(decompressed(stream, count: bytes.count) == bytes, sourceLocation: sourceLocation)
    }

    private func randomBytes(_ count: Int, _ random: inout SplitMix) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }

    /// Sentences drawn from a small vocabulary: prose-like, with the repetition real text has.
    private func englishLikeText(byteCount: Int, seed: UInt64) -> [UInt8] {
        let words = [
            "the", "nurse", "practitioner", "patients", "clinical", "hours", "of", "and", "in",
            "radiologic", "technologist", "program", "certification", "exam", "requires", "a",
            "degree", "salary", "median", "annual", "with", "experience", "hospital", "care",
            "students", "complete", "training", "before", "licensure", "state", "board", "to",
        ]
        var random = SplitMix(seed: seed)
        var text = ""
        while text.utf8.count < byteCount {
            let sentenceLength = 6 + random.below(12)
            var sentence = (0..<sentenceLength).map { _ in words[random.below(words.count)] }
            sentence[0] = sentence[0].prefix(1).uppercased() + sentence[0].dropFirst()
            text += sentence.joined(separator: " ") + (random.below(5) == 0 ? ".\n\n" : ". ")
        }
        return Array(text.utf8.prefix(byteCount))
    }

    /// A mix of random runs, copies of earlier content (near and far), byte runs and prose.
    private func mixedContent(byteCount: Int, _ random: inout SplitMix) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(byteCount)
        while bytes.count < byteCount {
            switch random.below(4) {
            case 0:
                bytes += randomBytes(random.below(64), &random)
            case 1 where !bytes.isEmpty:
                let distance = 1 + random.below(Swift.min(bytes.count, 70_000))
                for _ in 0..<random.below(400) { bytes.append(bytes[bytes.count - distance]) }
            case 2:
                bytes += repeatElement(UInt8(random.below(256)), count: random.below(300))
            default:
                bytes += englishLikeText(byteCount: random.below(2_000), seed: random.next())
            }
        }
        return Array(bytes.prefix(byteCount))
    }

    // MARK: - Round trips

    @Test func emptyInputCompressesToNothing() {
        #expect(compressed([]).isEmpty)
        #expect(decompressed([], count: 0) == [])
        #expect(decompressed([], count: 1) == nil)
        #expect(decompressed([0x00], count: 0) == nil)
    }

    @Test func singleByteIsOneLiteral() {
        #expect(compressed([0x41]) == [0x10, 0x41])
        expectRoundTrip([0x41])
    }

    @Test func fifteenLiteralsUseALengthExtension() {
        let bytes = Array(UInt8(0)..<15)
        #expect(compressed(bytes) == [0xF0, 0x00] + bytes)
        expectRoundTrip(bytes)
    }

    @Test func aMillionEqualBytesBecomeOneLongMatch() {
        let bytes = [UInt8](repeating: 0x61, count: 1_000_000)
        let stream = compressed(bytes)
        // One literal, then one match whose length takes about 1,000,000 / 255 extension bytes.
        #expect(stream.count < 4_200)
        expectRoundTrip(bytes)
    }

    @Test func randomBytesRoundTripWithinTheBound() {
        var random = SplitMix(seed: 0x5EED)
        let bytes = randomBytes(100_000, &random)
        let stream = compressed(bytes)
        #expect(stream.count >= bytes.count)  // nothing to find
        expectRoundTrip(bytes)
    }

    @Test(arguments: [4_096, 16_384, 65_536])
    func englishLikeTextCompresses(byteCount: Int) {
        let text = englishLikeText(byteCount: byteCount, seed: UInt64(byteCount))
        let stream = compressed(text)
        #expect(Double(text.count) / Double(stream.count) > 2.0)
        expectRoundTrip(text)
    }

    @Test(arguments: 0..<40)
    func seededMixedContentRoundTrips(seed: Int) {
        var random = SplitMix(seed: UInt64(seed))
        for _ in 0..<4 {
            let byteCount = random.below(4) == 0 ? random.below(100) : random.below(70_001)
            expectRoundTrip(mixedContent(byteCount: byteCount, &random))
        }
    }

    @Test func compressionIsDeterministicAndAppends() {
        var random = SplitMix(seed: 7)
        let bytes = mixedContent(byteCount: 50_000, &random)
        let first = compressed(bytes)
        #expect(compressed(bytes) == first)
        var output: [UInt8] = [1, 2, 3]
        bytes.withUnsafeBytes { LZ.compress($0, into: &output) }
        #expect(output == [1, 2, 3] + first)
    }

    // MARK: - Hand-made streams

    @Test func overlappingMatchRepeatsThePattern() {
        // "ab", then a 7-byte match at offset 2: "ababababa".
        let stream: [UInt8] = [0x23, 0x61, 0x62, 0x02, 0x00]
        #expect(decompressed(stream, count: 9) == Array("ababababa".utf8))
    }

    @Test(arguments: [
        ([0x00, 0x01, 0x00] as [UInt8], "match before the block's first byte (earlier output)"),
        ([0x10, 0x61, 0x00, 0x00], "offset 0"),
        ([0x10, 0x61, 0x02, 0x00], "offset past the block's start"),
        ([0x11, 0x61], "final literals with a match length"),
        ([0x10, 0x61, 0x01], "offset cut short"),
        ([0xF0, 0xFF, 0xFF], "literal length extension cut short"),
        ([0x20, 0x61], "fewer literals than the token says"),
    ])
    func malformedStreamIsRejected(stream: [UInt8], reason: String) {
        for count in 0...8 {
            #expect(decompressed(stream, count: count) == nil, "\(reason), count \(count)")
        }
    }

    @Test func hugeLengthExtensionIsRejected() {
        let stream: [UInt8] = [0x1F, 0x61, 0x01, 0x00] + [UInt8](repeating: 0xFF, count: 1_000) + [0x00]
        // One literal, then a match of 4 + 15 + 255 × 1,000 bytes.
        let count = 1 + 19 + 255 * 1_000
        #expect(decompressed(stream, count: count) != nil)
        #expect(decompressed(stream, count: count - 1) == nil)
        #expect(decompressed(stream, count: count + 1) == nil)
        #expect(decompressed(stream, count: Int.max) == nil)
        #expect(decompressed(stream, count: -1) == nil)
    }

    // MARK: - Corruption

    @Test func trailingBytesAreRejected() {
        let text = englishLikeText(byteCount: 3_000, seed: 1)
        let stream = compressed(text)
        #expect(decompressed(stream, count: text.count) == text)
        #expect(decompressed(stream + [0x00], count: text.count) == nil)
        #expect(decompressed(stream + [0x10, 0x61], count: text.count) == nil)
    }

    @Test func wrongDecompressedCountIsRejected() {
        var random = SplitMix(seed: 3)
        for byteCount in [1, 2, 5, 100, 4_096, 40_000] {
            let bytes = mixedContent(byteCount: byteCount, &random)
            let stream = compressed(bytes)
            #expect(decompressed(stream, count: byteCount) == bytes)
            #expect(decompressed(stream, count: byteCount - 1) == nil)
            #expect(decompressed(stream, count: byteCount + 1) == nil)
        }
    }

    @Test func everyTruncationIsRejected() {
        var random = SplitMix(seed: 11)
        let bytes = englishLikeText(byteCount: 1_500, seed: 2) + mixedContent(byteCount: 1_500, &random)
        let stream = compressed(bytes)
        for cut in 0..<stream.count {
            #expect(decompressed(Array(stream.prefix(cut)), count: bytes.count) == nil, "cut at \(cut)")
        }
    }

    @Test func randomByteChangesNeverCrashOrMiscount() {
        var random = SplitMix(seed: 0xF11F)
        let bytes = englishLikeText(byteCount: 1_000, seed: 5) + mixedContent(byteCount: 1_000, &random)
        let stream = compressed(bytes)
        var rejected = 0
        for _ in 0..<2_000 {
            var damaged = stream
            let index = random.below(damaged.count)
            damaged[index] ^= UInt8(1 + random.below(255))
            // A change may still decode to some bytes; `decompressed` checks that success
            // always means exactly `count` bytes.
            if decompressed(damaged, count: bytes.count) == nil { rejected += 1 }
        }
        // Most damage shows: a changed token, offset or length breaks the exact-size check.
        #expect(rejected > 200)
    }
}
