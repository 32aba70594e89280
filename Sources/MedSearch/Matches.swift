/// Documents matched by a query node, ascending, with their scores. Boolean operators are merges
/// of these sorted lists.
struct Matches {
    var docs: [Int32] = []
    var scores: [Double] = []

    var count: Int { docs.count }

    mutating func append(_ doc: Int32, _ score: Double) {
        docs.append(doc)
        scores.append(score)
    }

    /// Union; a document in several lists gets `combine` of its scores.
    static func union(_ lists: [Matches], combine: (Double, Double) -> Double) -> Matches {
        guard var result = lists.first else { return Matches() }
        for list in lists.dropFirst() {
            var merged = Matches()
            merged.docs.reserveCapacity(result.count + list.count)
            merged.scores.reserveCapacity(result.count + list.count)
            var i = 0, j = 0
            while i < result.count || j < list.count {
                if j == list.count || (i < result.count && result.docs[i] < list.docs[j]) {
                    merged.append(result.docs[i], result.scores[i]); i += 1
                } else if i == result.count || list.docs[j] < result.docs[i] {
                    merged.append(list.docs[j], list.scores[j]); j += 1
                } else {
                    merged.append(result.docs[i], combine(result.scores[i], list.scores[j])); i += 1; j += 1
                }
            }
            result = merged
        }
        return result
    }

    /// Intersection, scores summed.
    static func intersection(_ lists: [Matches]) -> Matches {
        guard var result = lists.min(by: { $0.count < $1.count }) else { return Matches() }
        result = lists.first!
        for list in lists.dropFirst() {
            var merged = Matches()
            var i = 0, j = 0
            while i < result.count, j < list.count {
                if result.docs[i] < list.docs[j] { i += 1 }
                else if list.docs[j] < result.docs[i] { j += 1 }
                else { merged.append(result.docs[i], result.scores[i] + list.scores[j]); i += 1; j += 1 }
            }
            result = merged
        }
        return result
    }

    /// Adds `other`'s scores to documents already in `self` (optional clauses of a required set).
    func adding(_ other: Matches) -> Matches {
        var result = self
        var j = 0
        for i in result.docs.indices {
            while j < other.count, other.docs[j] < result.docs[i] { j += 1 }
            if j < other.count, other.docs[j] == result.docs[i] { result.scores[i] += other.scores[j] }
        }
        return result
    }

    /// The documents of `self` not in `other`.
    func subtracting(_ other: Matches) -> Matches {
        var result = Matches()
        var j = 0
        for i in docs.indices {
            while j < other.count, other.docs[j] < docs[i] { j += 1 }
            if j < other.count, other.docs[j] == docs[i] { continue }
            result.append(docs[i], scores[i])
        }
        return result
    }
}
