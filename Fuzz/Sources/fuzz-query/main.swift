// fuzz-query: arbitrary bytes as query text → QueryParser → compile and search against a small
// index. Syntax errors are fine (they must carry a column inside the query); a crash or a hang
// is a finding.
import Foundation
import FuzzSupport
import MedIndex
import MedSearch

let folder = SampleIndex.build()
SampleIndex.removeAtExit(folder)
let searcher: Searcher = {
    do { return Searcher(reader: try IndexReader(at: folder)) } catch { fatalError("cannot open the sample index: \(error)") }
}()

FuzzDriver.main { data in
    guard !data.isEmpty else { return }
    // The first byte picks the options; the rest is the query (invalid UTF-8 is repaired, as
    // the command line does).
    let flags = data[0]
    let text = String(decoding: data.dropFirst(), as: UTF8.self)
    var parser = QueryParser(requireAll: flags & 1 != 0)
    parser.minimumPrefixLength = flags & 2 != 0 ? 1 : 2
    do throws(QuerySyntaxError) {
        let query = try parser.parse(text)
        _ = query.description
    } catch {
        precondition(error.column >= 1 && error.column <= max(1, text.count + 1), "column \(error.column) outside a query of \(text.count) characters: \(error)")
        _ = error.caretDiagram
    }
    var options = SearchOptions()
    options.requireAll = flags & 1 != 0
    options.synonyms = flags & 4 == 0
    options.explain = flags & 8 != 0
    options.limit = flags & 16 != 0 ? 1 : 10
    options.offset = flags & 32 != 0 ? 2 : 0
    options.passagesPerHit = Int(flags >> 6)
    _ = try? searcher.search(text, options: options)
}
