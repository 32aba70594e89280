import MedAnalysis

/// Inverts documents as they are analyzed: each term's postings grow in compact columns (ids,
/// field tfs, and positions already varint-coded as FORMAT.md §6 stores them), so a document's
/// analysis — a dictionary with a positions array per term — is dropped as soon as it is folded
/// in. Holding every analysis until the segment was written took about 8 bytes of memory per byte
/// of corpus; the columns take about what the postings file will.
struct PostingsAccumulator {
    /// One term's postings so far, in ascending document order.
    final class Postings {
        var docs: [UInt32] = []
        /// Title, heading and body tf of each document, three values per document.
        var tfs: [UInt32] = []
        /// Each document's positions, delta-coded from 0 as varints, back to back.
        var positions: [UInt8] = []
        /// Where each document's positions end in `positions`.
        var positionEnds: [UInt32] = []

        /// Appends a document (ids ascending) with its tfs and its positions (ascending).
        func append<Positions: Sequence>(document: UInt32, tf: (UInt32, UInt32, UInt32), positions sorted: Positions) where Positions.Element == UInt32 {
            docs.append(document)
            tfs.append(tf.0)
            tfs.append(tf.1)
            tfs.append(tf.2)
            var previous: UInt32 = 0
            for position in sorted {
                var value = position - previous
                while value >= 0x80 {
                    positions.append(UInt8(truncatingIfNeeded: value) | 0x80)
                    value >>= 7
                }
                positions.append(UInt8(value))
                previous = position
            }
            positionEnds.append(UInt32(positions.count))
        }
    }

    /// Bytes a new term costs beyond its postings: the key, its slot in the dictionary, the
    /// class instance and its four array headers (measured roughly, rounded up).
    static let termOverhead = 240
    /// Bytes per posting (id, three tfs, position end), with room for the arrays' growth.
    static let postingBytes = 30

    /// Approximate memory held (for the writer's budget).
    private(set) var estimatedMemory = 0

    private(set) var terms: [String: Postings] = [:]
    /// Field lengths of every document folded in, by document id (for block-max statistics).
    private(set) var fieldLengths: [(UInt32, UInt32, UInt32)] = []

    /// Folds in the next document (ids are given in order, from 0).
    mutating func add(_ analysis: AnalyzedDocument) {
        let doc = UInt32(fieldLengths.count)
        fieldLengths.append(analysis.fieldLengths)
        for (term, occurrences) in analysis.terms {
            let postings: Postings
            if let existing = terms[term] {
                postings = existing
            } else {
                postings = Postings()
                terms[term] = postings
                estimatedMemory += Self.termOverhead + term.utf8.count
            }
            let positionStart = postings.positions.count
            postings.append(document: doc, tf: occurrences.tf, positions: occurrences.positions.sorted())
            // Arrays grow by doubling: on average a third of their capacity is spare.
            estimatedMemory += Self.postingBytes + (postings.positions.count - positionStart) * 3 / 2
        }
        estimatedMemory += 12  // the document's field lengths
    }

    /// Removes and returns a term's postings (so they are freed once written).
    mutating func take(_ term: String) -> Postings {
        terms.removeValue(forKey: term)!
    }

    /// The terms in the dictionary's order (unsigned byte-wise UTF-8).
    var sortedTerms: [String] {
        terms.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
