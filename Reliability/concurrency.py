#!/usr/bin/env python3
"""Readers while a writer commits, and two writers at once.

1. Several searcher processes run the query batch in a loop (plus one `check` loop) while
   `index` updates the index again and again. Every search must succeed, and every answer must
   be exactly the answer of one of the commits (a reader sees one commit, never a mix, never an
   error because the writer removed the previous commit's files under it). The answers of each
   commit are recorded from a copy taken right after it (only this driver writes).
2. Two `index` runs at once on the same folder: the second must fail at once with the lock
   error (exit 2, naming the holder's pid) while the first completes; the index then checks.

Usage: Reliability/concurrency.py [--commits N] [--searchers N] [--pages N]
"""

import os
import shutil
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (BINARY, argument_parser, copy_index, Corpus, describe_status, log, medsearch,
                    query_file, require_binary, scratch, Tally)


def search_loop(index, queries, stop, results):
    """One searcher process after another until told to stop; records (status, output)."""
    while not stop.is_set():
        code, out, err = medsearch("search", "--index", index, "--batch", queries, "--format", "trec",
                                   "--limit", "25", timeout=60)
        results.append((code, out if code in (0, 1) else err))


def check_loop(index, stop, results):
    while not stop.is_set():
        code, out, err = medsearch("check", "--index", index, timeout=60)
        results.append((code, err))


def readers_during_commits(options, tally, root, corpus, queries):
    index = os.path.join(root, "index")
    code, _, err = medsearch("index", corpus.folder, "--index", index, "--quiet")
    assert code == 0, err
    copies = [os.path.join(root, "commit-0")]
    copy_index(index, copies[0])

    stop = threading.Event()
    searches, checks = [], []
    threads = [threading.Thread(target=search_loop, args=(index, queries, stop, searches)) for _ in range(options.searchers)]
    threads.append(threading.Thread(target=check_loop, args=(index, stop, checks)))
    for thread in threads:
        thread.start()
    for commit in range(1, options.commits + 1):
        corpus.mutate(added=10, changed=10, removed=10)
        code, _, err = medsearch("index", corpus.folder, "--index", index, "--quiet")
        tally.case(f"update {commit}", code == 0, f"{describe_status(code)} {err.strip()}")
        copies.append(os.path.join(root, f"commit-{commit}"))
        copy_index(index, copies[-1])
    stop.set()
    for thread in threads:
        thread.join()

    # The answers each commit gives, from its copy (now quiet).
    known = {}
    for number, copy in enumerate(copies):
        code, out, _ = medsearch("search", "--index", copy, "--batch", queries, "--format", "trec", "--limit", "25")
        known[out] = number
    seen = set()
    for code, out in searches:
        ok = code in (0, 1) and out in known
        if tally.case("search during commits", ok, f"{describe_status(code)}: {out.strip()[:300]}"):
            seen.add(known[out])
    for code, err in checks:
        tally.case("check during commits", code == 0, f"{describe_status(code)}: {err.strip()}")
    log(f"  {len(searches)} searches and {len(checks)} checks during {options.commits} commits; "
        f"answers matched {len(seen)} distinct commits")
    return len(searches) + len(checks)


def two_writers(options, tally, root, corpus):
    index = os.path.join(root, "index")
    for round in range(1, options.writer_rounds + 1):
        corpus.mutate(added=5, changed=5, removed=5)
        first = subprocess.Popen([BINARY, "index", corpus.folder, "--index", index, "--quiet"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # Let the first take the lock (it does so before walking the corpus).
        time.sleep(0.05 + 0.05 * (round % 4))
        code, _, err = medsearch("index", corpus.folder, "--index", index, "--quiet")
        _, first_err = first.communicate()
        label = f"two writers, round {round}"
        if first.returncode != 0:
            tally.case(label, False, f"first writer: {describe_status(first.returncode)} {first_err.strip()}")
            continue
        # Either the second ran into the lock, or (timing) the first had already finished.
        locked = code == 2 and "another medsearch process (pid" in err and "is writing the index" in err
        tally.case(label, locked or code == 0, f"second writer: {describe_status(code)} {err.strip()}")
        code, _, err = medsearch("check", "--index", index)
        tally.case(f"{label}: check", code == 0, f"{describe_status(code)} {err.strip()}")
        log(f"  {label}: second writer {'locked out' if locked else 'ran after the first'}")


def main():
    parser = argument_parser(__doc__, pages=400, seed=3)
    parser.add_argument("--commits", type=int, default=20)
    parser.add_argument("--searchers", type=int, default=3)
    parser.add_argument("--writer-rounds", type=int, default=8)
    options = parser.parse_args()
    require_binary()
    root = scratch("concurrency")
    queries = query_file(root)
    corpus = Corpus(os.path.join(root, "corpus"), options.pages, seed=options.seed)
    tally = Tally("concurrency")
    log(f"concurrency: {options.searchers} searchers + 1 check loop during {options.commits} commits")
    readers_during_commits(options, tally, root, corpus, queries)
    log(f"concurrency: {options.writer_rounds} rounds of two writers")
    two_writers(options, tally, root, corpus)
    if not options.keep:
        shutil.rmtree(root)
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
