import MedIndex

/// A hit before it is shown: document and score.
struct ScoredDocument: Equatable {
    var doc: Int32
    var score: Double

    /// The ranking order: higher score first, then lower document id (deterministic ties).
    @inline(__always)
    func ranksAbove(_ other: ScoredDocument) -> Bool {
        score != other.score ? score > other.score : doc < other.doc
    }
}

/// The best `k` documents seen so far: a binary min-heap whose root is the weakest kept hit, so
/// a new candidate is compared with one value and the collection costs O(n log k), not a sort of
/// every match.
struct TopKCollector {
    let k: Int
    private(set) var heap: [ScoredDocument] = []

    init(k: Int) {
        self.k = max(0, k)
        heap.reserveCapacity(min(self.k, 4096))
    }

    var isFull: Bool { heap.count >= k }

    /// The score a candidate must beat once the collector is full (ties lose: candidates arrive in
    /// ascending document order, so every kept hit has a lower id). `-infinity` until full.
    var threshold: Double { isFull && k > 0 ? heap[0].score : -.infinity }

    /// Offers a hit; returns whether it was kept.
    @discardableResult
    mutating func offer(_ candidate: ScoredDocument) -> Bool {
        guard k > 0 else { return false }
        if heap.count < k {
            heap.append(candidate)
            siftUp(heap.count - 1)
            return true
        }
        guard candidate.ranksAbove(heap[0]) else { return false }
        heap[0] = candidate
        siftDown(0)
        return true
    }

    /// The kept hits, best first.
    func sorted() -> [ScoredDocument] {
        heap.sorted { $0.ranksAbove($1) }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[parent].ranksAbove(heap[child]) else { return }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let count = heap.count
        while true {
            let left = 2 * parent + 1
            guard left < count else { return }
            var weakest = left
            let right = left + 1
            if right < count, heap[left].ranksAbove(heap[right]) { weakest = right }
            guard heap[parent].ranksAbove(heap[weakest]) else { return }
            heap.swapAt(parent, weakest)
            parent = weakest
        }
    }
}

/// The BM25F score of one term leaf in one document, without allocating. The one place the
/// formula lives: ``TermScore/compute`` (explain) is built from the same functions, so explain and
/// the pruned and exhaustive evaluations agree bit for bit. A field length of 0 with a non-zero tf
/// (a compound whose parts are all stopwords, e.g. "to-do" → "todo") counts as 1, so b = 1 never
/// divides by zero.
struct TermScorer {
    let idf: Double
    let boost: Double
    let field: Field?
    let k1: Double
    let b: Double
    let weights: (Double, Double, Double)
    let averages: (Double, Double, Double)

    init(idf: Double, boost: Double, field: Field?, parameters: RankingParameters, statistics: CollectionStatistics) {
        self.idf = idf
        self.boost = boost
        self.field = field
        k1 = parameters.k1
        b = parameters.b
        weights = (parameters.fieldWeights[0], parameters.fieldWeights[1], parameters.fieldWeights[2])
        averages = (statistics.averageLengths[0], statistics.averageLengths[1], statistics.averageLengths[2])
    }

    @inline(__always)
    func score(tf: (UInt32, UInt32, UInt32), lengths: (title: UInt32, heading: UInt32, body: UInt32)) -> Double {
        var pseudo = 0.0
        if tf.0 > 0, field == nil || field == .title { pseudo += contribution(.title, tf: tf.0, length: lengths.title) }
        if tf.1 > 0, field == nil || field == .heading { pseudo += contribution(.heading, tf: tf.1, length: lengths.heading) }
        if tf.2 > 0, field == nil || field == .body { pseudo += contribution(.body, tf: tf.2, length: lengths.body) }
        return saturated(pseudo)
    }

    /// One field's share of the pseudo-frequency: weight × tf / length normalisation.
    @inline(__always)
    func contribution(_ field: Field, tf: UInt32, length: UInt32) -> Double {
        let (weight, average) = switch field {
        case .title: (weights.0, averages.0)
        case .heading: (weights.1, averages.1)
        case .body: (weights.2, averages.2)
        }
        let norm = 1 - b + b * Double(max(length, 1)) / average
        return weight * Double(tf) / norm
    }

    /// The score of a pseudo-frequency: boost × idf × tf̃ (k1 + 1) / (k1 + tf̃).
    @inline(__always)
    func saturated(_ pseudo: Double) -> Double {
        pseudo > 0 ? boost * idf * pseudo * (k1 + 1) / (k1 + pseudo) : 0
    }

    /// Whether a posting counts at all (a field-scoped term needs a hit in that field).
    @inline(__always)
    func matches(tf: (UInt32, UInt32, UInt32)) -> Bool {
        switch field {
        case nil: true
        case .title?: tf.0 > 0
        case .heading?: tf.1 > 0
        case .body?: tf.2 > 0
        }
    }

    /// An upper bound of the score over a posting list, from its blocks' largest tfs and shortest
    /// fields (BM25F grows with tf and shrinks with length, field by field).
    func upperBound(_ blocks: [PostingBlockMax]) -> Double {
        var best = 0.0
        for block in blocks {
            best = max(best, score(tf: block.maxTf, lengths: block.minLength))
        }
        return best
    }
}

/// One optional clause of a top-level disjunction, walked document at a time: either a term's
/// postings, scored on the fly, or a sub-query evaluated up front into sorted (doc, score) pairs.
///
/// The cursor's columns live in one allocation of its own (ids, then title, heading and body tf,
/// or the scores), reached through raw pointers: the hot loop then neither copies nor retains,
/// which Swift arrays inside an array of structs did. ``release()`` frees it; the evaluator owns
/// its cursors and releases them when done.
struct ClauseCursor {
    private let docs: UnsafeMutablePointer<UInt32>
    private let titleTf: UnsafeMutablePointer<UInt32>
    private let headingTf: UnsafeMutablePointer<UInt32>
    private let bodyTf: UnsafeMutablePointer<UInt32>
    /// Precomputed scores (a sub-query), or nil (a term, scored on the fly).
    private let scores: UnsafeMutablePointer<Double>?
    private let scorer: TermScorer?
    let count: Int
    /// No document scores more than this in this clause.
    let upperBound: Double
    private(set) var index = 0

    init(term postings: PostingList, scorer: TermScorer) {
        let count = postings.count
        let storage = UnsafeMutablePointer<UInt32>.allocate(capacity: 4 * max(count, 1))
        for (k, values) in [postings.docs, postings.titleTf, postings.headingTf, postings.bodyTf].enumerated() where count > 0 {
            values.withUnsafeBufferPointer { (storage + k * count).update(from: $0.baseAddress!, count: count) }
        }
        self.count = count
        docs = storage
        titleTf = storage + count
        headingTf = storage + 2 * count
        bodyTf = storage + 3 * count
        scores = nil
        self.scorer = scorer
        upperBound = scorer.upperBound(postings.blocks)
    }

    init(scored matches: Matches) {
        count = matches.count
        docs = .allocate(capacity: max(count, 1))
        for i in 0..<count { docs[i] = UInt32(bitPattern: matches.docs[i]) }
        titleTf = docs; headingTf = docs; bodyTf = docs  // unused without a scorer
        let scores = UnsafeMutablePointer<Double>.allocate(capacity: max(count, 1))
        for i in 0..<count { scores[i] = matches.scores[i] }
        self.scores = scores
        scorer = nil
        upperBound = matches.scores.max() ?? 0
    }

    func release() {
        docs.deallocate()
        scores?.deallocate()
    }

    /// The current document, or `UInt32.max` when exhausted.
    @inline(__always)
    var doc: UInt32 { index < count ? docs[index] : .max }

    /// The current document's score in this clause, or nil if the posting does not count (a
    /// field-scoped term absent from that field).
    @inline(__always)
    func score(reader: IndexReader) -> Double? {
        guard let scorer else { return scores![index] }
        let tf = (titleTf[index], headingTf[index], bodyTf[index])
        guard scorer.matches(tf: tf) else { return nil }
        return scorer.score(tf: tf, lengths: reader.fieldLengths(Int(docs[index])))
    }

    @inline(__always)
    mutating func next() { index += 1 }

    /// Moves to the first document `>= target` (galloping, then binary search).
    mutating func advance(to target: UInt32) {
        index = gallop(UnsafeBufferPointer(start: docs, count: count), from: index, to: target)
    }

    /// Every document of the clause that counts (for the exact total-hits count).
    func forEachMatchingDocument(_ body: (UInt32) -> Void) {
        for i in 0..<count {
            if let scorer, !scorer.matches(tf: (titleTf[i], headingTf[i], bodyTf[i])) { continue }
            body(docs[i])
        }
    }
}

/// Top-k over a disjunction of clauses with MaxScore (Turtle & Flood, 1995): clauses are ordered
/// by their score upper bounds; once the k-th best score θ exceeds the summed bounds of the
/// weakest clauses, those clauses become non-essential — no document matching only them can
/// enter the top k — so candidates come from the other clauses alone, and the non-essential ones
/// are only probed (skipping by binary search) for those candidates, strongest first, stopping as
/// soon as the bound proves the candidate cannot make it.
///
/// The result equals exhaustive evaluation exactly: a kept document's score is the sum of its
/// clause scores in clause order (as the exhaustive union adds them), bounds carry a small slack
/// against rounding, and a candidate is dropped only when its bound cannot beat θ (a tie would
/// lose anyway: it has a higher document id than every kept hit).
struct MaxScoreEvaluator {
    /// Owned: released by ``run(k:documentCount:)``.
    let cursors: [ClauseCursor]
    /// Sorted document ids that must not match (`-excluded`, `NOT`).
    let excluded: [UInt32]
    let reader: IndexReader

    /// The top `k` and the exact number of matching documents; frees the cursors.
    consuming func run(k: Int, documentCount: Int) -> (hits: [ScoredDocument], total: Int) {
        defer { for cursor in cursors { cursor.release() } }
        return (topK(k), matchingCount(documentCount: documentCount))
    }

    private func topK(_ k: Int) -> [ScoredDocument] {
        var collector = TopKCollector(k: k)
        guard k > 0, !cursors.isEmpty else { return [] }
        var cursors = self.cursors
        let n = cursors.count
        // Clause positions by ascending bound; bounds[i] = summed bounds of order[0...i], with
        // slack so that rounding in a different summation order never makes a bound too small.
        let order = (0..<n).sorted { cursors[$0].upperBound != cursors[$1].upperBound ? cursors[$0].upperBound < cursors[$1].upperBound : $0 < $1 }
        var bounds = [Double](repeating: 0, count: n)
        var running = 0.0
        for (i, clause) in order.enumerated() {
            running += cursors[clause].upperBound
            bounds[i] = running * (1 + 1e-9) + 1e-12
        }
        var firstEssential = 0
        var contributions = [Double](repeating: 0, count: n)
        var present = [Bool](repeating: false, count: n)
        var excludedIndex = 0

        while firstEssential < n {
            // The next candidate: the smallest current document among the essential clauses.
            var doc = UInt32.max
            for i in firstEssential..<n { doc = min(doc, cursors[order[i]].doc) }
            if doc == .max { break }
            while excludedIndex < excluded.count, excluded[excludedIndex] < doc { excludedIndex += 1 }
            let isExcluded = excludedIndex < excluded.count && excluded[excludedIndex] == doc

            var partial = 0.0
            var matched = false
            for i in firstEssential..<n {
                let clause = order[i]
                guard cursors[clause].doc == doc else { continue }
                if !isExcluded, let score = cursors[clause].score(reader: reader) {
                    contributions[clause] = score
                    present[clause] = true
                    partial += score
                    matched = true
                }
                cursors[clause].next()
            }
            if isExcluded || !matched { clear(&present); continue }

            // Probe the non-essential clauses, strongest first, while the bound still allows it.
            var possible = true
            var i = firstEssential - 1
            while i >= 0 {
                if partial + bounds[i] <= collector.threshold { possible = false; break }
                let clause = order[i]
                cursors[clause].advance(to: doc)
                if cursors[clause].doc == doc, let score = cursors[clause].score(reader: reader) {
                    contributions[clause] = score
                    present[clause] = true
                    partial += score
                }
                i -= 1
            }
            if possible {
                // The exact score decides (the partial sum's order can differ in the last bit).
                var exact = 0.0
                for clause in 0..<n where present[clause] { exact += contributions[clause] }
                if collector.offer(ScoredDocument(doc: Int32(bitPattern: doc), score: exact)), collector.isFull {
                    let theta = collector.threshold
                    while firstEssential < n, bounds[firstEssential] <= theta { firstEssential += 1 }
                }
            }
            clear(&present)
        }
        return collector.sorted()
    }

    @inline(__always)
    private func clear(_ present: inout [Bool]) {
        for i in present.indices { present[i] = false }
    }

    /// How many documents match at least one clause and are not excluded: a bitset union.
    private func matchingCount(documentCount: Int) -> Int {
        var bits = [UInt64](repeating: 0, count: (documentCount + 63) / 64)
        bits.withUnsafeMutableBufferPointer { bits in
            for cursor in cursors {
                cursor.forEachMatchingDocument { doc in bits[Int(doc >> 6)] |= 1 << UInt64(doc & 63) }
            }
            for doc in excluded { bits[Int(doc >> 6)] &= ~(1 << UInt64(doc & 63)) }
        }
        return bits.reduce(0) { $0 + $1.nonzeroBitCount }
    }
}

/// The first index `>= start` whose document is `>= target` in ascending `docs`: doubling steps
/// from `start`, then bisection, so a short skip costs a few comparisons and a long one log n.
@inline(__always)
func gallop<Docs: RandomAccessCollection>(_ docs: Docs, from start: Int, to target: Docs.Element) -> Int
where Docs.Index == Int, Docs.Element: Comparable {
    guard start < docs.endIndex, docs[start] < target else { return start }
    var low = start, step = 1, high = start + 1
    while high < docs.endIndex, docs[high] < target {
        low = high
        step *= 2
        high = start + step
    }
    high = min(high, docs.endIndex)
    while low < high {
        let middle = (low + high) / 2
        if docs[middle] < target { low = middle + 1 } else { high = middle }
    }
    return low
}
