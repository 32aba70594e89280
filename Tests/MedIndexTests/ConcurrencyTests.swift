import Foundation
import Testing
import MedAnalysis
import MedDocument
@testable import MedIndex

/// Readers and writers at the same time, in one process. The multi-process version (searcher
/// processes while `medsearch index` commits, two `index` runs at once) is
/// `Reliability/concurrency.py`.
@Suite("Index concurrency")
struct ConcurrencyTests {
    /// Generation `g`'s documents: a different mix of documents and words each time.
    static func documents(_ g: Int) -> [IndexedDocument] {
        let words = ["mri", "ct", "nurse", "dose", "exam", "salary", "shift", "airway", "contrast", "license"]
        return (0..<(8 + g % 5)).map { d in
            let text = (0..<12).map { words[($0 * 3 + d + g) % words.count] }.joined(separator: " ")
            return document("doc\(d + g).html", "Title \(d) \(g)", [text, "\(words[g % words.count]) \(g)"])
        }
    }

    /// Collects what reader threads saw.
    final class Observations: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var reads = 0
        private(set) var failures: [String] = []
        private(set) var generations = Set<Int>()
        private var stopped = false

        var isStopped: Bool { lock.withLock { stopped } }
        func stop() { lock.withLock { stopped = true } }
        func record(generation: Int?, failure: String?) {
            lock.withLock {
                reads += 1
                if let generation { generations.insert(generation) }
                if let failure, failures.count < 10 { failures.append(failure) }
            }
        }
    }

    @Test("readers opening the index while a writer commits see one whole commit, never an error")
    func readersDuringCommits() throws {
        let commits = 20
        // What each commit holds, from a separate folder per commit.
        var known: [String: Int] = [:]
        var terms = Set<String>()
        for g in 0...commits {
            let folder = temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            try IndexWriter(folder: folder, analyzer: .standard).commit(documents: Self.documents(g), corpus: "c", corpusFormat: "html")
            terms.formUnion(try IndexReader(at: folder).terms(withPrefix: ""))
        }
        let allTerms = terms.sorted()
        for g in 0...commits {
            let folder = temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            try IndexWriter(folder: folder, analyzer: .standard).commit(documents: Self.documents(g), corpus: "c", corpusFormat: "html")
            known[try CorruptionTests.contents(folder, terms: allTerms)] = g
        }

        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try IndexWriter(folder: folder, analyzer: .standard).commit(documents: Self.documents(0), corpus: "c", corpusFormat: "html")
        let observations = Observations()
        let finished = DispatchGroup()
        let lookup = known
        for _ in 0..<2 {
            finished.enter()
            Thread.detachNewThread {
                while !observations.isStopped {
                    do {
                        let seen = try CorruptionTests.contents(folder, terms: allTerms)
                        let generation = lookup[seen]
                        observations.record(generation: generation, failure: generation == nil ? "contents of no commit" : nil)
                    } catch {
                        observations.record(generation: nil, failure: "\(error)")
                    }
                }
                finished.leave()
            }
        }
        for g in 1...commits {
            try IndexWriter(folder: folder, analyzer: .standard).commit(documents: Self.documents(g), corpus: "c", corpusFormat: "html")
        }
        observations.stop()
        finished.wait()
        #expect(observations.failures.isEmpty, "\(observations.failures.count) of \(observations.reads) reads failed: \(observations.failures)")
        #expect(observations.generations.count > 1, "readers saw only \(observations.generations)")
    }

    @Test("a second writer is refused at once with the holder's pid; the first commits undisturbed")
    func secondWriter() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try IndexWriter(folder: folder, analyzer: .standard)
        #expect(throws: IndexError.locked(path: folder.path, holder: "pid \(getpid())")) {
            _ = try IndexWriter(folder: folder, analyzer: .standard)
        }
        try first.commit(documents: Self.documents(1), corpus: "c", corpusFormat: "html")
        _ = try IndexReader(at: folder).check()
    }
}
