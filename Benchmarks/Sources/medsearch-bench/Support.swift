import Foundation

/// A usage or input error, printed as `medsearch-bench: error: …`.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Minimal option parsing: `--name value` pairs and positional arguments.
struct Options {
    var positional: [String] = []
    var values: [String: String] = [:]
    var flags: Set<String> = []

    init(_ arguments: [String], flags known: Set<String> = []) throws {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument.hasPrefix("--") {
                let name = String(argument.dropFirst(2))
                if known.contains(name) {
                    flags.insert(name)
                } else {
                    guard index + 1 < arguments.count else { throw BenchError("option --\(name) needs a value") }
                    values[name] = arguments[index + 1]
                    index += 1
                }
            } else {
                positional.append(argument)
            }
            index += 1
        }
    }

    func int(_ name: String, default value: Int) throws -> Int {
        guard let text = values[name] else { return value }
        guard let number = Int(text), number >= 0 else { throw BenchError("--\(name) expects a whole number, got '\(text)'") }
        return number
    }

    func string(_ name: String, default value: String) -> String { values[name] ?? value }
}

/// HTML files under the given paths (files as given, folders recursively), sorted.
func htmlFiles(under paths: [String]) throws -> [URL] {
    var result: [URL] = []
    let extensions: Set<String> = ["html", "htm", "xhtml"]
    for path in paths {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw BenchError("\(path): no such file or folder")
        }
        let url = URL(fileURLWithPath: path)
        if !isDirectory.boolValue {
            result.append(url)
            continue
        }
        let enumerator = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil)
        while let file = enumerator?.nextObject() as? URL {
            if extensions.contains(file.pathExtension.lowercased()) { result.append(file) }
        }
    }
    return result.sorted { $0.path < $1.path }
}

/// Seconds taken by `body`.
func measure(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// The best (smallest) time of `repeats` runs after one warm-up run.
func best(of repeats: Int, _ body: () throws -> Void) rethrows -> Double {
    try body()
    var result = Double.infinity
    for _ in 0..<max(repeats, 1) { result = min(result, try measure(body)) }
    return result
}

/// The best times of two bodies measured in alternation (one warm-up each, then `repeats`
/// rounds of a then b): on a shared machine whose speed drifts, both sides see the same
/// stretches of time, so their ratio is steadier than that of two separate best-of runs.
func bestInterleaved(of repeats: Int, _ a: () throws -> Void, _ b: () throws -> Void) rethrows -> (Double, Double) {
    try a()
    try b()
    var bestA = Double.infinity, bestB = Double.infinity
    for _ in 0..<max(repeats, 1) {
        bestA = min(bestA, try measure(a))
        bestB = min(bestB, try measure(b))
    }
    return (bestA, bestB)
}

/// Runs `body(index)` for every index below `count` on `threads` threads, each thread taking
/// the next index when it finishes one (as ingestion does), and waits for all.
func parallelEach(count: Int, threads: Int, _ body: @escaping @Sendable (Int) -> Void) {
    final class Next: @unchecked Sendable {
        let lock = NSLock()
        var value = 0
        func take() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value - 1
        }
    }
    let next = Next()
    parallel(threads: threads) { _ in
        while true {
            let index = next.take()
            guard index < count else { return }
            body(index)
        }
    }
}

/// Runs `body(worker)` on `threads` threads and waits for all.
func parallel(threads: Int, _ body: @escaping @Sendable (Int) -> Void) {
    if threads <= 1 {
        body(0)
        return
    }
    DispatchQueue.concurrentPerform(iterations: threads) { body($0) }
}

func megabytes(_ bytes: Int) -> Double { Double(bytes) / 1_000_000 }

func format(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

/// Peak resident memory of this process so far, in MiB (from /proc/self/status VmHWM).
func peakMemoryMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kilobytes / 1024
    }
    return 0
}

/// SplitMix64: a small, fast, seedable generator, so generated text is the same on every machine.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in 0..<bound.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// A uniform Double in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
