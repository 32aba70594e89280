// fuzz-index: a small valid index, built once; each input damages one of its files, then the
// index is opened, checked and searched. Thrown errors are fine (they are what a damaged index
// must give); a crash, a hang or an out-of-bounds read (ASan) is a finding.
//
// Input layout: byte 0 picks the file (manifest.json, then each segment's .terms, .postings, .docs,
// .store, then the deletion file), byte 1
// the damage, the rest is the payload:
//   damage % 3 == 0  flips: payload is (offset lo, offset hi, xor) triples applied to the file;
//   damage % 3 == 1  body: the payload replaces the file's body (between the 12-byte header and
//                    the 8-byte footer), or the whole manifest;
//   damage % 3 == 2  splice: the file is cut at the offset in the payload's first two bytes and
//                    the rest of the payload appended.
// With damage & 4 the footer's CRC-32C is recomputed (so `check` gets past the checksum into the
// decoders); with damage & 8 the manifest's recorded size is not updated (the size check then
// catches truncation, which is tested too).
import Foundation
import FuzzSupport
import MedIndex
import MedSearch

let folder = SampleIndex.build()
SampleIndex.removeAtExit(folder)

/// The index's files and their pristine bytes, manifest first.
let pristine: [(name: String, bytes: [UInt8])] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    let segmentFiles = names.filter { $0.hasPrefix("seg-") }.sorted { order($0) < order($1) }
    return (["manifest.json"] + segmentFiles).map { name in
        (name, Array(FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) ?? Data()))
    }
}()

func order(_ name: String) -> Int {
    (["terms", "postings", "docs", "store", "del"].firstIndex { name.hasSuffix("." + $0) } ?? 9) * 10
        + (name.hasPrefix("seg-000001") ? 0 : 1)
}

precondition(pristine.count == 10, "the sample index should have a manifest, two segments and a deletion file, found \(pristine.map(\.name))")

let queries = [
    "mri", "\"magnetic resonance\"", "radiolog*", "sonografer~", "title:ct OR body:dose", "+nurse -salary",
    "(rn OR nurse) AND exam", "\"cumulative dose\"~3", "ardms^2 certification", "cafe naive",
]

func write(_ bytes: [UInt8], _ name: String) {
    let path = folder.appendingPathComponent(name).path
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    precondition(fd >= 0, "cannot write \(path)")
    _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    close(fd)
}

func reframe(_ bytes: inout [UInt8]) {
    guard bytes.count >= 8 else { return }
    let crc = FuzzCRC32C.checksum(bytes[..<(bytes.count - 8)])
    for k in 0..<4 { bytes[bytes.count - 8 + k] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(k))) }
}

/// The manifest with `name`'s recorded size set to `size`.
func manifest(recording size: Int, for name: String) -> [UInt8] {
    guard var manifest = try? JSONDecoder().decode(Manifest.self, from: Data(pristine[0].bytes)),
          let dot = name.lastIndex(of: ".") else { return pristine[0].bytes }
    let ext = String(name[name.index(after: dot)...])
    for k in manifest.segments.indices where name.hasPrefix(manifest.segments[k].name) {
        if ext == "del" {
            manifest.segments[k].deletions?.bytes = size
        } else if name.hasPrefix(manifest.segments[k].name + ".") {
            manifest.segments[k].files[ext]?.bytes = size
        }
    }
    return Array((try? JSONEncoder().encode(manifest)) ?? Data())
}

func exercise() {
    guard let reader = try? IndexReader(at: folder) else { return }
    _ = try? reader.check()
    for doc in reader.liveDocuments.prefix(16) {
        _ = try? reader.storedDocument(doc)
    }
    _ = try? reader.terms(withPrefix: "r", limit: 20)
    _ = try? reader.documentFrequency("mri")
    try? reader.forEachTerm { _, _ in }
    let searcher = Searcher(reader: reader)
    var options = SearchOptions()
    options.explain = true
    for query in queries {
        _ = try? searcher.search(query, options: options)
    }
}

FuzzDriver.main { data in
    guard data.count >= 2 else { return }
    let fileIndex = Int(data[0]) % pristine.count
    let damage = data[1]
    let payload = Array(data.dropFirst(2))
    let (name, original) = pristine[fileIndex]
    var bytes = original
    switch damage % 3 {
    case 0:
        var k = 0
        while k + 2 < payload.count {
            let offset = (Int(payload[k]) | Int(payload[k + 1]) << 8) % bytes.count
            bytes[offset] ^= payload[k + 2] == 0 ? 0xFF : payload[k + 2]
            k += 3
        }
    case 1:
        if fileIndex == 0 || bytes.count < 20 {
            bytes = payload
        } else {
            bytes = Array(original[..<12]) + payload + Array(original[(original.count - 8)...])
        }
    default:
        let cut = payload.count >= 2 ? (Int(payload[0]) | Int(payload[1]) << 8) % (bytes.count + 1) : bytes.count / 2
        bytes = Array(bytes[..<cut]) + payload.dropFirst(2)
    }
    if fileIndex > 0, damage & 4 != 0 { reframe(&bytes) }
    write(bytes, name)
    let sizeChanged = fileIndex > 0 && bytes.count != original.count && damage & 8 == 0
    if sizeChanged { write(manifest(recording: bytes.count, for: name), pristine[0].name) }

    exercise()

    write(original, name)
    if sizeChanged { write(pristine[0].bytes, pristine[0].name) }
}
