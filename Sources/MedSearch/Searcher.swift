import Foundation
public import MedAnalysis
public import MedIndex
import MedDocument

/// Settings for a search.
public struct SearchOptions: Sendable {
    /// How many hits to return, and how many to skip first (paging).
    public var limit: Int
    public var offset: Int
    public var ranking: RankingParameters
    /// Expand queries with the healthcare vocabulary.
    public var synonyms: Bool
    /// Juxtaposed words must all match (`--all`) instead of any.
    public var requireAll: Bool
    /// Passages shown per hit (0 for none) and their length budget in characters.
    public var passagesPerHit: Int
    public var passageCharacters: Int
    /// Attach a score explanation to each hit.
    public var explain: Bool
    /// Skip documents that cannot reach the top k (MaxScore). Off only to check that pruning
    /// changes nothing: the results are identical either way.
    public var pruning: Bool = true
    /// What is ranked: whole articles (BM25F), or passages across the corpus, grouped by article.
    public var unit: RankingUnit = .article

    public init(
        limit: Int = 10, offset: Int = 0, ranking: RankingParameters = RankingParameters(), synonyms: Bool = true,
        requireAll: Bool = false, passagesPerHit: Int = 2, passageCharacters: Int = 280, explain: Bool = false
    ) {
        self.limit = limit
        self.offset = offset
        self.ranking = ranking
        self.synonyms = synonyms
        self.requireAll = requireAll
        self.passagesPerHit = passagesPerHit
        self.passageCharacters = passageCharacters
        self.explain = explain
    }
}

/// The unit of ranking (`--unit`).
public enum RankingUnit: String, Sendable, CaseIterable {
    /// Articles ranked by BM25F over title, headings and body; each shows its best passages.
    case article
    /// Passages ranked by the passage score across the best-matching articles, then grouped by
    /// article in the order of each article's best passage; a hit's score is that passage's.
    case passage
}

/// One ranked article.
public struct Hit: Sendable {
    /// The global document id (stable within one commit).
    public var document: Int
    public var rank: Int
    public var score: Double
    public var title: String
    public var path: String
    /// The TREC document id: the file name without extension, or the JSONL id.
    public var externalID: String
    public var passages: [HitPassage]
    public var explanation: Explanation?
}

/// A passage chosen to show for a hit, trimmed, with the matched terms' spans.
public struct HitPassage: Sendable {
    /// The passage text (trimmed to the character budget with "…" where cut).
    public var text: String
    /// The section path, e.g. "Certification › ARRT" (empty for the lead).
    public var section: String
    /// Highlighted spans as offsets in Unicode scalars into `text`.
    public var highlights: [Range<Int>]
    public var score: Double

    public init(text: String, section: String, highlights: [Range<Int>], score: Double) {
        self.text = text
        self.section = section
        self.highlights = highlights
        self.score = score
    }
}

/// A spelling suggestion for a query word.
public struct Suggestion: Sendable, Hashable {
    public var word: String
    public var suggestion: String
    public var documentFrequency: Int
}

/// What a search returns.
public struct SearchResults: Sendable {
    public var query: String
    public var parsedQuery: String
    /// Documents that matched (before `limit`).
    public var totalHits: Int
    public var hits: [Hit]
    /// Engine time in milliseconds (parse, match, rank, passages).
    public var tookMilliseconds: Double
    public var suggestions: [Suggestion]
    /// When the query found nothing and a corrected query did, the corrected text.
    public var correctedQuery: String?
    /// Synonym expansions applied, e.g. "mri → magnetic resonance imaging".
    public var expansions: [String]
}

/// Runs queries against an open index. Immutable and `Sendable`: share one across threads.
public final class Searcher: Sendable {
    public let reader: IndexReader
    let statistics: CollectionStatistics
    let synonymMatcher: SynonymMatcher

    /// - Parameter vocabulary: the equivalences for query expansion (default: the built-in list).
    public init(reader: IndexReader, vocabulary: HealthcareVocabulary = .builtin) {
        self.reader = reader
        statistics = CollectionStatistics(reader: reader)
        synonymMatcher = SynonymMatcher(vocabulary: vocabulary, analyzer: reader.analyzer)
    }

    /// Parses and runs `text`.
    /// - Throws: ``QuerySyntaxError`` for a malformed query, ``IndexError`` for a damaged index.
    public func search(_ text: String, options: SearchOptions = SearchOptions()) throws -> SearchResults {
        let started = DispatchTime.now()
        let query = try QueryParser(requireAll: options.requireAll).parse(text)
        var results = try run(query, text: text, options: options)
        // Did you mean: suggest for absent or rare words; rerun when nothing matched.
        let suggestions = try suggest(for: results.compiledTerms)
        results.value.suggestions = suggestions
        if results.value.totalHits == 0, !suggestions.isEmpty {
            var corrected = text
            for suggestion in suggestions {
                corrected = replacingWord(suggestion.word, with: suggestion.suggestion, in: corrected)
            }
            if corrected != text, let correctedQuery = try? QueryParser(requireAll: options.requireAll).parse(corrected) {
                let rerun = try run(correctedQuery, text: corrected, options: options)
                if rerun.value.totalHits > 0 {
                    results.value.hits = rerun.value.hits
                    results.value.totalHits = rerun.value.totalHits
                    results.value.parsedQuery = rerun.value.parsedQuery
                    results.value.expansions = rerun.value.expansions
                    results.value.correctedQuery = corrected
                }
            }
        }
        results.value.tookMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
        return results.value
    }

    private func run(_ query: Query, text: String, options: SearchOptions) throws -> (value: SearchResults, compiledTerms: [TermLeaf]) {
        var expansions: [String] = []
        let compiled = try compile(query, options: options, expansions: &expansions)
        if options.unit == .passage {
            let (hits, totalHits) = try passageHits(compiled, options: options)
            let results = SearchResults(
                query: text, parsedQuery: query.description, totalHits: totalHits, hits: hits,
                tookMilliseconds: 0, suggestions: [], correctedQuery: nil, expansions: expansions
            )
            return (results, compiled.termLeaves)
        }
        let (top, totalHits) = topDocuments(compiled, k: options.offset + options.limit, options: options)
        let window = top.dropFirst(options.offset)
        let termGroups = compiled.termGroups
        var hits: [Hit] = []
        for (k, scored) in window.enumerated() {
            let doc = Int(scored.doc)
            let stored = try reader.storedDocument(doc)
            let passages = options.passagesPerHit > 0
                ? try PassageSelector(searcher: self, groups: termGroups, options: options).select(from: stored)
                : []
            var hit = Hit(
                document: doc, rank: options.offset + k + 1, score: scored.score,
                title: stored.article.title.isEmpty ? stored.source.path : stored.article.title,
                path: stored.source.path, externalID: stored.source.externalID, passages: passages, explanation: nil
            )
            if options.explain { hit.explanation = try explain(compiled, doc: doc, options: options) }
            hits.append(hit)
        }
        let results = SearchResults(
            query: text, parsedQuery: query.description, totalHits: totalHits, hits: hits,
            tookMilliseconds: 0, suggestions: [], correctedQuery: nil, expansions: expansions
        )
        return (results, compiled.termLeaves)
    }

    /// `--unit passage`: the passages of the best-ranked articles (a candidate pool several
    /// times the page, at least 100 articles) scored by the passage score, ranked across the
    /// corpus, then grouped by article in the order of each article's best passage.
    private func passageHits(_ compiled: CompiledNode, options: SearchOptions) throws -> (hits: [Hit], total: Int) {
        let wanted = options.offset + options.limit
        let (candidates, totalHits) = topDocuments(compiled, k: max(100, 5 * wanted), options: options)
        let selector = PassageSelector(searcher: self, groups: compiled.termGroups, options: options)
        struct Ranked { var doc: Int; var stored: StoredDocument; var passages: [HitPassage] }
        var ranked: [Ranked] = []
        for candidate in candidates {
            let stored = try reader.storedDocument(Int(candidate.doc))
            let passages = try selector.best(max(1, options.passagesPerHit), from: stored)
            if !passages.isEmpty { ranked.append(Ranked(doc: Int(candidate.doc), stored: stored, passages: passages)) }
        }
        // An article's place is its best passage's; ties by lower document id.
        ranked.sort { a, b in
            a.passages[0].score != b.passages[0].score ? a.passages[0].score > b.passages[0].score : a.doc < b.doc
        }
        var hits: [Hit] = []
        for (k, item) in ranked.dropFirst(options.offset).prefix(options.limit).enumerated() {
            var hit = Hit(
                document: item.doc, rank: options.offset + k + 1, score: item.passages[0].score,
                title: item.stored.article.title.isEmpty ? item.stored.source.path : item.stored.article.title,
                path: item.stored.source.path, externalID: item.stored.source.externalID,
                passages: Array(item.passages.prefix(options.passagesPerHit)), explanation: nil
            )
            if options.explain { hit.explanation = try explain(compiled, doc: item.doc, options: options) }
            hits.append(hit)
        }
        return (hits, totalHits)
    }

    // MARK: Compilation

    func compile(_ query: Query, options: SearchOptions, expansions: inout [String]) throws -> CompiledNode {
        switch query {
        case .term(let text, let field, let boost):
            return try compileWords([(text, field, boost)], options: options, expansions: &expansions).first ?? .nothing(text)
        case .phrase(let text, let slop, let field, let boost):
            let node = try phraseNode(text, slop: slop, field: field, boost: boost)
            guard options.synonyms, field == nil else { return node }
            let tokens = reader.analyzer.tokens(in: text).filter { _ in true }
            let words = wordTokens(text)
            let found = synonymMatcher.matches(terms: words.map(\.term), positions: words.map(\.position))
            if let match = found.first, match.start == 0, match.length == words.count, !tokens.isEmpty {
                let others = try match.alternatives.map { try variantNode($0, field: field, boost: boost) }
                expansions.append("\"\(text)\" → " + match.alternatives.map(\.text).joined(separator: ", "))
                return .alternatives(primary: node, others: others, weight: options.ranking.synonymWeight, label: "synonyms of \"\(text)\"")
            }
            return node
        case .prefix(let text, let field, let boost):
            let prefix = reader.analyzer.fold(text)
            var others: [CompiledNode] = []
            for term in try reader.terms(withPrefix: prefix, limit: 512) {
                others.append(.term(try termLeaf(term, field: field, boost: boost)))
            }
            guard !others.isEmpty else { return .nothing("\(text)*") }
            return .alternatives(primary: others[0], others: Array(others.dropFirst()), weight: 1, label: "\(text)*")
        case .fuzzy(let text, let maxEdits, let field, let boost):
            guard let normalized = reader.analyzer.normalize(word: text) else { return .nothing(text) }
            let candidates = try fuzzyTerms(normalized, maxEdits: maxEdits, limit: 64)
            guard !candidates.isEmpty else { return .nothing("\(text)~\(maxEdits)") }
            let nodes = try candidates.map { CompiledNode.term(try termLeaf($0.term, field: field, boost: boost)) }
            return .alternatives(primary: nodes[0], others: Array(nodes.dropFirst()), weight: 1, label: "\(text)~\(maxEdits)")
        case .boolean(let should, let must, let mustNot):
            // Runs of plain words are compiled together so multi-word synonyms can match them.
            func compileList(_ list: [Query]) throws -> [CompiledNode] {
                var nodes: [CompiledNode] = []
                var run: [(String, Field?, Double)] = []
                func flush() throws {
                    if !run.isEmpty { nodes += try compileWords(run, options: options, expansions: &expansions) }
                    run.removeAll()
                }
                for clause in list {
                    if case .term(let text, let field, let boost) = clause, field == nil {
                        run.append((text, field, boost))
                    } else {
                        try flush()
                        nodes.append(try compile(clause, options: options, expansions: &expansions))
                    }
                }
                try flush()
                return nodes
            }
            var ignored: [String] = []
            return .boolean(
                should: try compileList(should),
                must: try compileList(must),
                mustNot: try mustNot.map { try compile($0, options: SearchOptions(synonyms: false), expansions: &ignored) }
            )
        }
    }

    /// Compiles consecutive plain words, replacing spans that match a vocabulary variant with
    /// an alternatives node (the words as typed, or a synonym at the synonym weight).
    private func compileWords(_ words: [(text: String, field: Field?, boost: Double)], options: SearchOptions, expansions: inout [String]) throws -> [CompiledNode] {
        var nodes: [CompiledNode?] = try words.map { word in try wordNode(word.text, field: word.field, boost: word.boost) }
        guard options.synonyms else { return nodes.compactMap { $0 } }
        // Analyze the words as one text to find vocabulary variants spanning several of them.
        var terms: [String] = []
        var positions: [Int] = []
        var owner: [Int] = []
        var position = 0
        for (k, word) in words.enumerated() {
            let tokens = wordTokens(word.text)
            for token in tokens {
                terms.append(token.term)
                positions.append(position + token.position)
                owner.append(k)
            }
            position += (tokens.map(\.position).max() ?? 0) + 1
        }
        var replaced: [Int: CompiledNode] = [:]
        var consumed = Set<Int>()
        for match in synonymMatcher.matches(terms: terms, positions: positions) {
            let wordIndices = Array(Set(owner[match.start..<(match.start + match.length)])).sorted()
            guard wordIndices.allSatisfy({ !consumed.contains($0) }) else { continue }
            let originals = wordIndices.compactMap { nodes[$0] }
            guard !originals.isEmpty else { continue }
            let primary: CompiledNode = originals.count == 1 ? originals[0] : .boolean(should: [], must: originals, mustNot: [])
            let boost = words[wordIndices[0]].boost
            let others = try match.alternatives.map { try variantNode($0, field: nil, boost: boost) }
            replaced[wordIndices[0]] = .alternatives(primary: primary, others: others, weight: options.ranking.synonymWeight, label: "synonyms of \"\(match.matched)\"")
            expansions.append("\(match.matched) → " + match.alternatives.map(\.text).joined(separator: ", "))
            for index in wordIndices { consumed.insert(index) }
            for index in wordIndices.dropFirst() { nodes[index] = nil }
        }
        var result: [CompiledNode] = []
        for k in nodes.indices {
            if let node = replaced[k] { result.append(node) } else if !consumed.contains(k), let node = nodes[k] { result.append(node) }
        }
        return result
    }

    /// The analyzer's word tokens (joined compound forms left out).
    private func wordTokens(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var copy = text
        copy.withUTF8 { bytes in
            _ = reader.analyzer.analyze(bytes) { token in
                if !token.isJoinedForm { tokens.append(Token(term: token.termString, position: token.position, utf8Range: token.utf8Range)) }
            }
        }
        return tokens
    }

    /// One typed word: a term; a compound ("x-ray") is the phrase of its parts or the joined form.
    private func wordNode(_ text: String, field: Field?, boost: Double) throws -> CompiledNode? {
        let tokens = reader.analyzer.tokens(in: text)
        guard !tokens.isEmpty else { return nil }
        if tokens.count == 1 { return .term(try termLeaf(tokens[0].term, field: field, boost: boost)) }
        let phrase = try phraseNode(text, slop: 0, field: field, boost: boost)
        let joined = try tokens.filter { token in tokens.filter { $0.position == token.position }.count > 1 && token.utf8Range.count == text.utf8.count }
            .map { CompiledNode.term(try termLeaf($0.term, field: field, boost: boost)) }
        guard !joined.isEmpty else { return phrase }
        return .alternatives(primary: phrase, others: joined, weight: 1, label: "\"\(text)\" or its joined form")
    }

    private func variantNode(_ variant: SynonymMatcher.Variant, field: Field?, boost: Double) throws -> CompiledNode {
        if variant.terms.count == 1 { return .term(try termLeaf(variant.terms[0], field: field, boost: boost)) }
        return .phrase(try phraseLeaf(terms: variant.terms, offsets: variant.offsets, slop: 0, field: field, boost: boost))
    }

    private func phraseNode(_ text: String, slop: Int, field: Field?, boost: Double) throws -> CompiledNode {
        let tokens = wordTokens(text)
        guard let first = tokens.first else { return .nothing("\"\(text)\"") }
        if tokens.count == 1 { return .term(try termLeaf(first.term, field: field, boost: boost)) }
        return .phrase(try phraseLeaf(terms: tokens.map(\.term), offsets: tokens.map { $0.position - first.position }, slop: slop, field: field, boost: boost))
    }

    func termLeaf(_ term: String, field: Field?, boost: Double) throws -> TermLeaf {
        let postings = try reader.postings(term, withPositions: false)
        return TermLeaf(term: term, field: field, boost: boost, documentFrequency: postings?.count ?? 0, postings: postings)
    }

    private func phraseLeaf(terms: [String], offsets: [Int], slop: Int, field: Field?, boost: Double) throws -> PhraseLeaf {
        let postings = try terms.map { try reader.postings($0, withPositions: true) }
        return PhraseLeaf(terms: terms, offsets: offsets, slop: slop, field: field, boost: boost,
                          postings: postings, documentFrequencies: postings.map { $0?.count ?? 0 })
    }

    // MARK: Evaluation

    /// The best `k` documents (score descending, then document id) and how many matched.
    ///
    /// A query that is a disjunction of optional clauses (free words, with any `-excluded`) runs
    /// document at a time with MaxScore pruning (``MaxScoreEvaluator``); anything else (required
    /// clauses, `AND`) is evaluated exhaustively and the top k kept with a bounded heap. Both give
    /// the same documents, order and scores (`SearchOptions.pruning` turns pruning off to check).
    func topDocuments(_ node: CompiledNode, k: Int, options: SearchOptions) -> (hits: [ScoredDocument], total: Int) {
        if options.pruning, let (should, mustNot) = Self.disjunction(node) {
            let cursors = should.map { clause -> ClauseCursor in
                if case .term(let leaf) = clause, let postings = leaf.postings {
                    return ClauseCursor(term: postings, scorer: termScorer(leaf, options: options))
                }
                return ClauseCursor(scored: evaluate(clause, options: options))
            }
            let excluded = Matches.union(mustNot.map { evaluate($0, options: options) }, combine: +).docs.map { UInt32(bitPattern: $0) }
            let evaluator = MaxScoreEvaluator(cursors: cursors, excluded: excluded, reader: reader)
            return evaluator.run(k: k, documentCount: reader.maxDocument)
        }
        let matches = evaluate(node, options: options)
        var collector = TopKCollector(k: k)
        for i in 0..<matches.count { collector.offer(ScoredDocument(doc: matches.docs[i], score: matches.scores[i])) }
        return (collector.sorted(), matches.count)
    }

    /// The optional clauses and exclusions of a query with no required clause, or nil.
    static func disjunction(_ node: CompiledNode) -> (should: [CompiledNode], mustNot: [CompiledNode])? {
        switch node {
        case .boolean(let should, let must, let mustNot):
            return must.isEmpty && !should.isEmpty ? (should, mustNot) : nil
        case .term, .phrase, .alternatives:
            return ([node], [])
        case .nothing:
            return nil
        }
    }

    func termScorer(_ leaf: TermLeaf, options: SearchOptions) -> TermScorer {
        TermScorer(idf: RankingParameters.idf(documentFrequency: leaf.documentFrequency, documentCount: statistics.documentCount),
                   boost: leaf.boost, field: leaf.field, parameters: options.ranking, statistics: statistics)
    }

    func evaluate(_ node: CompiledNode, options: SearchOptions) -> Matches {
        switch node {
        case .nothing:
            return Matches()
        case .term(let leaf):
            guard let postings = leaf.postings else { return Matches() }
            let scorer = termScorer(leaf, options: options)
            var matches = Matches()
            matches.docs.reserveCapacity(postings.count)
            matches.scores.reserveCapacity(postings.count)
            for i in 0..<postings.count {
                let tf = (postings.titleTf[i], postings.headingTf[i], postings.bodyTf[i])
                guard scorer.matches(tf: tf) else { continue }
                matches.append(Int32(bitPattern: postings.docs[i]), scorer.score(tf: tf, lengths: reader.fieldLengths(Int(postings.docs[i]))))
            }
            return matches
        case .phrase(let leaf):
            var matches = Matches()
            let scorer = TermScorer(idf: phraseIDF(leaf), boost: leaf.boost, field: leaf.field, parameters: options.ranking, statistics: statistics)
            for (doc, tf) in phraseFrequencies(leaf) {
                let score = scorer.score(tf: (tf[0], tf[1], tf[2]), lengths: reader.fieldLengths(doc))
                if score > 0 { matches.append(Int32(doc), score) }
            }
            return matches
        case .alternatives(let primary, let others, let weight, _):
            var lists = [evaluate(primary, options: options)]
            for other in others {
                var list = evaluate(other, options: options)
                for k in list.scores.indices { list.scores[k] *= weight }
                lists.append(list)
            }
            return Matches.union(lists, combine: max)
        case .boolean(let should, let must, let mustNot):
            let shouldMatches = should.map { evaluate($0, options: options) }
            var result: Matches
            if must.isEmpty {
                result = Matches.union(shouldMatches, combine: +)
            } else {
                result = Matches.intersection(must.map { evaluate($0, options: options) })
                if !shouldMatches.isEmpty { result = result.adding(Matches.union(shouldMatches, combine: +)) }
            }
            if !mustNot.isEmpty {
                result = result.subtracting(Matches.union(mustNot.map { evaluate($0, options: options) }, combine: +))
            }
            return result
        }
    }

    /// Per-document field lengths; cached per document id by the index's document table.
    func lengthsOf(_ doc: Int) -> [UInt32] {
        let lengths = reader.fieldLengths(doc)
        return [lengths.title, lengths.heading, lengths.body]
    }

    /// A phrase's idf: the sum of its terms' idfs (as Lucene's PhraseQuery).
    func phraseIDF(_ leaf: PhraseLeaf) -> Double {
        leaf.documentFrequencies.reduce(0) { $0 + RankingParameters.idf(documentFrequency: $1, documentCount: statistics.documentCount) }
    }

    /// For each document containing the phrase: how often it occurs per field.
    func phraseFrequencies(_ leaf: PhraseLeaf) -> [(Int, [UInt32])] {
        let lists = leaf.postings.compactMap { $0 }
        guard lists.count == leaf.terms.count, !lists.isEmpty else { return [] }
        // Walk the rarest term's documents and leap the others forward to each (galloping).
        let driver = lists.indices.min { lists[$0].count < lists[$1].count }!
        var cursors = [Int](repeating: 0, count: lists.count)
        var result: [(Int, [UInt32])] = []
        for i in 0..<lists[driver].count {
            let doc = lists[driver].docs[i]
            cursors[driver] = i
            var all = true
            for k in lists.indices where k != driver {
                cursors[k] = gallop(lists[k].docs, from: cursors[k], to: doc)
                if cursors[k] >= lists[k].count || lists[k].docs[cursors[k]] != doc { all = false; break }
            }
            guard all else { continue }
            let starts = phraseStarts(leaf, lists: lists, firstIndex: cursors[0], cursors: cursors)
            guard !starts.isEmpty else { continue }
            var tf: [UInt32] = [0, 0, 0]
            let field = fieldOfPositions(Int(doc), starts, mayBeInHeading: lists[0].headingTf[cursors[0]] > 0)
            for f in field { tf[f.rawValue] += 1 }
            if let scope = leaf.field, tf[scope.rawValue] == 0 { continue }
            result.append((Int(doc), tf))
        }
        return result
    }

    /// Start positions where every term occurs at its offset (± slop in total).
    private func phraseStarts(_ leaf: PhraseLeaf, lists: [PostingList], firstIndex: Int, cursors: [Int]) -> [UInt32] {
        let firstPositions = lists[0].positions(at: firstIndex)
        var starts: [UInt32] = []
        let others = (1..<lists.count).map { SortedPositions(lists[$0].positions(at: cursors[$0])) }
        for start in firstPositions {
            var ok = true
            var slopUsed = 0
            for k in 1..<lists.count {
                let expected = Int(start) + leaf.offsets[k]
                if others[k - 1].contains(UInt32(max(0, expected))) { continue }
                guard leaf.slop > 0 else { ok = false; break }
                var found = false
                for delta in 1...max(1, leaf.slop - slopUsed) {
                    if others[k - 1].contains(UInt32(max(0, expected + delta))) || (expected - delta > Int(start) && others[k - 1].contains(UInt32(expected - delta))) {
                        slopUsed += delta
                        found = true
                        break
                    }
                }
                if !found { ok = false; break }
            }
            if ok { starts.append(start) }
        }
        return starts
    }

    /// Which field each position falls in: title by the document's title end, heading or body by
    /// the stored heading ranges.
    /// `mayBeInHeading`: whether the phrase's first term occurs in a heading of this document at
    /// all; when it does not (the common case), the heading ranges are not read.
    private func fieldOfPositions(_ doc: Int, _ positions: [UInt32], mayBeInHeading: Bool) -> [Field] {
        guard let stats = try? reader.documentStats(doc) else { return positions.map { _ in .body } }
        var headings: [PositionRange]?
        return positions.map { position in
            if position < stats.titleEnd { return .title }
            guard mayBeInHeading else { return .body }
            if headings == nil { headings = (try? reader.fieldLayout(doc))?.headings ?? [] }
            return headings!.contains { position >= $0.start && position < $0.end } ? .heading : .body
        }
    }

    // MARK: Suggestions

    /// For query words that are absent (or far rarer than a near spelling), the closest frequent
    /// terms within two edits, shown as a word from the corpus.
    func suggest(for leaves: [TermLeaf]) throws -> [Suggestion] {
        var suggestions: [Suggestion] = []
        for leaf in leaves where leaf.documentFrequency < 2 {
            // As Lucene's DirectSpellChecker: candidates share the first letter, which is rarely
            // the misspelt one and limits the scan to that letter's part of the dictionary.
            let candidates = try fuzzyTerms(leaf.term, maxEdits: 2, limit: 8, sharedPrefix: 1).filter { $0.term != leaf.term }
            guard let best = candidates.first, leaf.documentFrequency == 0 || best.docFreq > leaf.documentFrequency * 5 else { continue }
            let surface = try surfaceForm(of: best.term) ?? best.term
            suggestions.append(Suggestion(word: leaf.term, suggestion: surface, documentFrequency: best.docFreq))
        }
        return suggestions
    }

    /// Terms within `maxEdits` (Damerau–Levenshtein) of `term`, by distance then document frequency.
    /// - Parameter sharedPrefix: candidates must start with this many characters of `term`.
    func fuzzyTerms(_ term: String, maxEdits: Int, limit: Int, sharedPrefix: Int = 0) throws -> [(term: String, docFreq: Int)] {
        let target = Array(term.utf8)
        var found: [(term: String, docFreq: Int, distance: Int)] = []
        try reader.forEachTerm(withPrefix: String(term.prefix(sharedPrefix))) { candidate, docFreq in
            let bytes = Array(candidate.utf8)
            guard abs(bytes.count - target.count) <= maxEdits else { return }
            let distance = EditDistance.damerauLevenshtein(target, bytes, limit: maxEdits)
            if distance <= maxEdits { found.append((candidate, docFreq, distance)) }
        }
        found.sort { $0.distance != $1.distance ? $0.distance < $1.distance : ($0.docFreq != $1.docFreq ? $0.docFreq > $1.docFreq : $0.term < $1.term) }
        return found.prefix(limit).map { ($0.term, $0.docFreq) }
    }

    /// A word as written in the corpus that analyzes to `term` (for showing suggestions).
    private func surfaceForm(of term: String) throws -> String? {
        guard let postings = try reader.postings(term, withPositions: false), let doc = postings.docs.first else { return nil }
        let stored = try reader.storedDocument(Int(doc))
        for text in [stored.article.title] + stored.article.sections.flatMap({ [$0.heading] + $0.passages.map(\.text) }) {
            for token in reader.analyzer.tokens(in: text) where token.term == term {
                let utf8 = Array(text.utf8)[token.utf8Range]
                return String(decoding: utf8, as: UTF8.self).lowercased()
            }
        }
        return nil
    }

    /// Replaces the typed word whose analysis gives the term `word` (a stem: "radiolgy" analyzes
    /// to "radiolgi") with `replacement`, keeping a leading `+`, `-` or field scope.
    func replacingWord(_ word: String, with replacement: String, in text: String) -> String {
        var parts = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        for k in parts.indices {
            var part = Substring(parts[k])
            var kept = ""
            if let first = part.first, first == "+" || first == "-" { kept.append(first); part = part.dropFirst() }
            if let colon = part.firstIndex(of: ":") { kept += part[...colon]; part = part[part.index(after: colon)...] }
            guard reader.analyzer.tokens(in: String(part)).contains(where: { $0.term == word }) else { continue }
            parts[k] = kept + replacement
            return parts.joined(separator: " ")
        }
        return text
    }
}

/// Edit distance with transpositions, cut off at `limit`.
public enum EditDistance {
    public static func damerauLevenshtein(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        if a == b { return 0 }
        let n = a.count, m = b.count
        if abs(n - m) > limit { return limit + 1 }
        var previous2 = [Int](repeating: 0, count: m + 1)
        var previous = Array(0...m)
        var current = [Int](repeating: 0, count: m + 1)
        for i in 1...max(n, 1) where n > 0 {
            current[0] = i
            var rowMin = current[0]
            for j in stride(from: 1, through: m, by: 1) {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { value = min(value, previous2[j - 2] + 1) }
                current[j] = value
                rowMin = min(rowMin, value)
            }
            if rowMin > limit { return limit + 1 }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return n == 0 ? m : previous[m]
    }
}

/// One document's positions of a term (ascending), for phrase membership tests by binary search.
private struct SortedPositions {
    let positions: ArraySlice<UInt32>

    init(_ positions: ArraySlice<UInt32>) { self.positions = positions }

    func contains(_ position: UInt32) -> Bool {
        var low = positions.startIndex, high = positions.endIndex
        while low < high {
            let middle = (low + high) / 2
            if positions[middle] < position { low = middle + 1 } else { high = middle }
        }
        return low < positions.endIndex && positions[low] == position
    }
}
