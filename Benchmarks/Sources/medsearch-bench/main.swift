// medsearch-bench: micro and macro benchmarks for MedSearch's pipeline stages.
// Every figure in the README's Performance section comes from one of these commands (or from
// Benchmarks/run, which calls them). Timings use the monotonic clock; each measurement is the
// best of several repetitions after a warm-up, single-threaded unless --threads says otherwise.
import Foundation

let usage = """
usage: medsearch-bench <command> [options]

commands:
  extract <path>... [--threads N] [--repeat R] [--only parse|extract] [--dump FILE]
      extraction throughput (MB/s, pages/s) against libxml2's parse-only floor on the same files;
      paths are HTML files or folders (searched recursively for .html/.htm/.xhtml); --dump
      writes every page's article and removals as JSON lines instead (to compare two builds)
  analyze <path>... [--generate-mb M] [--seed S] [--save-text FILE] [--repeat R]
      analysis throughput (tokenize + fold + stem + stopwords) on the extracted text of the
      pages, or on M MB of generated English article text
  generate --docs N --out DIR [--seed S] [--format html|jsonl|both] [--queries Q] [--threads T]
      a deterministic synthetic collection of career articles (and a query set)
  query --index DIR --queries FILE [--k K] [--warmup W] [--repeat R] [--run OUT] [--latency OUT]
        [--no-passages] [--no-synonyms] [--field-weights T,H,B] [--k1 X] [--b X] [--tag T]
      in-process query latency through the library (p50/p95/p99/mean, QPS as JSON), the peers'
      contract (Benchmarks/peers/common.py); optionally the last pass as a TREC run
  index CORPUS --index DIR [--format jsonl|html] [--stopwords english|none] [--no-stemming] [--threads N]
      a fresh index through the library, for analyzer ablations the CLI has no flag for
  help
      this text
"""

var arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else {
    print(usage)
    exit(64)
}
arguments.removeFirst()
do {
    switch command {
    case "extract": try ExtractBenchmark(arguments: arguments).run()
    case "analyze": try AnalyzeBenchmark(arguments: arguments).run()
    case "generate": try GenerateCommand(arguments: arguments).run()
    case "query": try QueryBenchmark(arguments: arguments).run()
    case "index": try IndexBenchmark(arguments: arguments).run()
    case "help", "-h", "--help": print(usage)
    default:
        FileHandle.standardError.write(Data("medsearch-bench: error: unknown command '\(command)'\n\(usage)\n".utf8))
        exit(64)
    }
} catch {
    FileHandle.standardError.write(Data("medsearch-bench: error: \(error)\n".utf8))
    exit(1)
}
