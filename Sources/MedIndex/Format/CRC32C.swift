import CCRC32C
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum in every file footer —
/// the same polynomial as ext4, iSCSI and tantivy's footers. With the CPU's instruction when it
/// has one (x86-64 SSE4.2, 64-bit Arm), else table-driven, 8 bytes a step ("slicing-by-8").
enum CRC32C {
    private static let tables: [[UInt32]] = {
        var tables = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 8)
        for n in 0..<256 {
            var crc = UInt32(n)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            tables[0][n] = crc
        }
        for n in 0..<256 {
            for k in 1..<8 {
                let previous = tables[k - 1][n]
                tables[k][n] = (previous >> 8) ^ tables[0][Int(previous & 0xFF)]
            }
        }
        return tables
    }()

    /// Whether the CPU's CRC-32C instruction is used (checked once).
    static let usesHardware = medsearch_crc32c_hardware_available() != 0

    static func checksum(_ data: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        if usesHardware, let base = data.baseAddress {
            return ~medsearch_crc32c_hardware(~seed, base.assumingMemoryBound(to: UInt8.self), data.count)
        }
        return softwareChecksum(data, seed: seed)
    }

    /// The table-driven computation (CPUs without the instruction, and the tests' reference).
    static func softwareChecksum(_ data: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        var crc = ~seed
        var i = 0
        let n = data.count
        tables.withUnsafeBufferPointer { t in
            let t0 = t[0], t1 = t[1], t2 = t[2], t3 = t[3], t4 = t[4], t5 = t[5], t6 = t[6], t7 = t[7]
            while i + 8 <= n {
                let word = UInt64(littleEndian: data.loadUnaligned(fromByteOffset: i, as: UInt64.self)) ^ UInt64(crc)
                crc = t7[Int(word & 0xFF)] ^ t6[Int((word >> 8) & 0xFF)] ^ t5[Int((word >> 16) & 0xFF)]
                    ^ t4[Int((word >> 24) & 0xFF)] ^ t3[Int((word >> 32) & 0xFF)] ^ t2[Int((word >> 40) & 0xFF)]
                    ^ t1[Int((word >> 48) & 0xFF)] ^ t0[Int(word >> 56)]
                i += 8
            }
            while i < n {
                crc = t0[Int((crc ^ UInt32(data[i])) & 0xFF)] ^ (crc >> 8)
                i += 1
            }
        }
        return ~crc
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }
}
