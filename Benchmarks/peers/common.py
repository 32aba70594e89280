"""Shared pieces of the peer adapters: one command-line contract, one query sanitiser, one latency
harness, so that every engine is driven and measured the same way.

Contract (every adapter, including the Java one for Lucene):

    ADAPTER build --corpus corpus.jsonl --index DIR
        prints one JSON line: {"engine", "version", "docs", "build_seconds"}
    ADAPTER query --index DIR --queries queries.tsv --k K [--warmup W] [--repeat R]
                  [--run OUT.trec] [--latency OUT.json] [--tag TAG]
        runs every query W times untimed, then R times timed, one at a time on one thread;
        writes the ranked top K of the last pass as a TREC run and the latency summary as JSON.

This file works on the system python (for Xapian) as well as on pyenv's: standard library only.
"""
import argparse
import json
import re
import sys
import time

# Words: runs of letters and digits (underscore is a separator too). Everything else, quotes,
# colons, parentheses, '*', '-', '^', '~', '+', is dropped, so no engine sees query syntax.
WORD = re.compile(r"[^\W_]+", re.UNICODE)

# Upper-case operator keywords of the engines' query languages (tantivy, FTS5, Xapian, Lucene
# and MedSearch all treat some of these as operators). Lower-case forms are ordinary words.
KEYWORDS = {"AND", "OR", "NOT", "NEAR", "ADJ", "XOR", "TO"}


def bag_of_words(text):
    """The words of a query, with every engine's syntax removed."""
    return [word for word in WORD.findall(text) if word not in KEYWORDS]


def read_corpus(path):
    """Yields (id, contents) where contents is title and text, the one field every peer indexes."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            title = record.get("title") or ""
            text = record.get("text") or ""
            yield str(record["id"]), (title + "\n" + text) if title else text


def read_queries(path):
    """(qid, words) per line of a qid<TAB>query file; blank and '#' lines skipped."""
    queries = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            qid, _, text = line.partition("\t")
            queries.append((qid.strip(), bag_of_words(text)))
    return queries


def percentile(sorted_values, p):
    """Linear interpolation between closest ranks (numpy's default); the Swift and Java sides
    use the same rule."""
    if not sorted_values:
        return 0.0
    position = (len(sorted_values) - 1) * p / 100.0
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def latency_summary(engine, k, samples_ms, wall_seconds, queries, warmup, repeat, open_seconds):
    ordered = sorted(samples_ms)
    return {
        "engine": engine,
        "k": k,
        "queries": queries,
        "samples": len(ordered),
        "warmup": warmup,
        "repeat": repeat,
        "open_s": round(open_seconds, 4),
        "p50_ms": round(percentile(ordered, 50), 4),
        "p95_ms": round(percentile(ordered, 95), 4),
        "p99_ms": round(percentile(ordered, 99), 4),
        "mean_ms": round(sum(ordered) / len(ordered), 4) if ordered else 0.0,
        "qps": round(len(ordered) / wall_seconds, 1) if wall_seconds > 0 else 0.0,
    }


def write_run(path, results, tag):
    """TREC run lines, `qid Q0 docid rank score tag`."""
    with open(path, "w", encoding="utf-8") as handle:
        for qid, hits in results:
            for rank, (doc, score) in enumerate(hits, 1):
                handle.write(f"{qid} Q0 {doc} {rank} {score:.6f} {tag}\n")


def main(engine, version, build, open_index):
    """Runs the contract. `build(corpus_path, index_dir) -> docs`; `open_index(index_dir)` returns
    `search(words, k) -> [(docid, score)]`, which must return external ids (fetching them is part
    of the measured work for every engine)."""
    parser = argparse.ArgumentParser(prog=f"{engine} adapter")
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build")
    build_parser.add_argument("--corpus", required=True)
    build_parser.add_argument("--index", required=True)
    query_parser = commands.add_parser("query")
    query_parser.add_argument("--index", required=True)
    query_parser.add_argument("--queries", required=True)
    query_parser.add_argument("--k", type=int, default=10)
    query_parser.add_argument("--warmup", type=int, default=1)
    query_parser.add_argument("--repeat", type=int, default=1)
    query_parser.add_argument("--run")
    query_parser.add_argument("--latency")
    query_parser.add_argument("--tag", default=engine)
    commands.add_parser("version")
    args = parser.parse_args()

    if args.command == "version":
        print(version)
        return
    if args.command == "build":
        started = time.perf_counter()
        docs = build(args.corpus, args.index)
        seconds = time.perf_counter() - started
        print(json.dumps({"engine": engine, "version": version, "docs": docs, "build_seconds": round(seconds, 4)}))
        return

    queries = [(qid, words) for qid, words in read_queries(args.queries)]
    started = time.perf_counter()
    search = open_index(args.index)
    open_seconds = time.perf_counter() - started
    for _ in range(args.warmup):
        for _, words in queries:
            if words:
                search(words, args.k)
    samples = []
    results = []
    clock = time.perf_counter_ns
    wall_start = time.perf_counter()
    for _ in range(max(args.repeat, 1)):
        results = []
        for qid, words in queries:
            if not words:
                results.append((qid, []))
                continue
            t0 = clock()
            hits = search(words, args.k)
            samples.append((clock() - t0) / 1e6)
            results.append((qid, hits))
    wall = time.perf_counter() - wall_start
    summary = latency_summary(engine, args.k, samples, wall, len(queries), args.warmup, args.repeat, open_seconds)
    if args.run:
        write_run(args.run, results, args.tag)
    if args.latency:
        with open(args.latency, "w", encoding="utf-8") as handle:
            json.dump(summary, handle, indent=1)
    print(json.dumps(summary))


def fail(message):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)
