#!/usr/bin/env python3
"""kill -9 during `medsearch index`, many times, and prove nothing committed is ever lost.

Each trial starts from a committed index G (or an empty folder) whose search answers are known,
runs one `index` (an incremental update after adding/changing/removing pages, a --rebuild, or a
first build) and kills it with SIGKILL, either

  * after a random delay (lands anywhere: walking/extracting, analysing, writing segments and
    deletion files, the manifest, merging, the cleanup), or
  * through strace exactly before the k-th fsync / rename / unlink / write of the commit, so the
    short windows of the commit protocol (FORMAT.md §11) are each hit on purpose.

After the kill the folder must hold commit G or, if the manifest rename had already happened,
G+1: `check` passes and the query batch answers exactly what that commit answered (recorded
beforehand by running the same `index` to completion on a copy). Then a normal `index` run must
recover: exit 0, no leftovers, `check` passes, answers equal G+1's.

Usage: Reliability/kill9.py [--trials N] [--pages N] [--seed N] [--keep]
"""

import os
import random
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (BINARY, NO_INDEX, answers, argument_parser, Corpus, expected_names,
                    finished_run, generation, index_names, log, medsearch, query_file,
                    require_binary, scratch, Tally, verify_last_commit, verify_recovery)

# strace kill points: (syscall, k) = SIGKILL on entry to the k-th such call of the writer's main
# thread, before it runs. Sequence of a commit (strace -f of an update):
#   fsync 1, rename 1 (.terms) ... fsync 4, rename 4 (.store), fsync 5 (folder),
#   fsync 6 (manifest tmp), rename 5 (manifest), fsync 7 (folder), unlink 1-4 (old segment).
SYSCALL_POINTS = ([("write", 1)] + [("fsync", k) for k in range(1, 8)]
                  + [("rename", k) for k in range(1, 6)] + [("unlink", k) for k in range(1, 5)])


def classify(folder, before, killed, fraction):
    """Which stage the kill landed in, from what the frozen folder holds (a killed process
    changes nothing more); before any file, by how far into the run it came (`fraction`)."""
    if not killed:
        return "completed before the kill"
    names = index_names(folder)
    temporary = [n for n in names if ".tmp-" in n]
    now = generation(folder)
    if now is not None and now != before:
        unnamed = [n for n in names if n.startswith("seg-") and n not in expected_names(folder)]
        if temporary or unnamed and any(n.endswith(".store") for n in unnamed):
            return "merge or flush after the run's first commit"
    if any(n.startswith(".manifest.json") for n in temporary):
        return "manifest write"
    if any(n.startswith(".spill.") for n in temporary):
        return "extraction (pages parked in the spill file)"
    if temporary:
        kind = temporary[0].split(".")[2]
        return f"segment write (.{kind})"
    now = generation(folder)
    if now is not None and now != before:
        old = [n for n in names if n.startswith("seg-") and n not in expected_names(folder)]
        return "cleanup after manifest rename" if old else "exit after commit"
    current = set(expected_names(folder)) if now is not None else set()
    new = [n for n in names if n.startswith("seg-") and n not in current]
    if new:
        return f"between segment files ({len(new)} renamed)"
    if fraction is None:
        return "walk/extract/analyse (at a syscall)"
    return f"walk/extract/analyse, {'first' if fraction < 0.5 else 'second'} half of the run"


def run_killed(arguments, method, rng, reference_seconds):
    """Runs `medsearch index ...` and kills it; returns (killed, description, fraction of the
    reference run's time at the kill, or None for a syscall kill)."""
    if method == "timer":
        # Mostly uniform over the whole run; one time in three inside its last fifth, where
        # the segment and manifest are written.
        fraction = rng.uniform(0.8, 0.98) if rng.random() < 1 / 3 else rng.uniform(0.0, 0.98)
        delay = fraction * reference_seconds
        process = subprocess.Popen([BINARY, *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        code = process.wait()
        return code == -signal.SIGKILL, f"timer {delay:.3f}s", fraction
    syscall, k = method
    command = ["strace", "-f", "-qq", "-o", "/dev/null", "-e", f"trace={syscall}",
               "-e", f"inject={syscall}:signal=KILL:when={k}", BINARY, *arguments]
    code = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    # strace re-raises the tracee's fatal signal on itself.
    return code == -signal.SIGKILL, f"before {syscall} #{k}", None


def main():
    # 1500 pages ≈ 15 MB: about 2 s to index, so a random kill can land in every stage.
    parser = argument_parser(__doc__, pages=1500, seed=9)
    parser.add_argument("--trials", type=int, default=60)
    options = parser.parse_args()
    require_binary()
    use_strace = shutil.which("strace") is not None
    if not use_strace:
        log("strace not found: every kill uses a timer (install strace for the exact commit points)")

    rng = random.Random(options.seed)
    root = scratch("kill9")
    queries = query_file(root)
    corpus = Corpus(os.path.join(root, "corpus"), options.pages, seed=options.seed)
    index = os.path.join(root, "index")
    reference = os.path.join(root, "reference")
    tally = Tally("kill9")
    stages = {}

    code, _, err = medsearch("index", corpus.folder, "--index", index, "--quiet")
    assert code == 0, err
    known = answers(index, queries)
    syscall_points = list(SYSCALL_POINTS) if use_strace else []
    rng.shuffle(syscall_points)  # then taken in turn, round after round
    log(f"kill9: {options.trials} trials on {options.pages} pages in {root}")

    for trial in range(1, options.trials + 1):
        # Kinds: mostly incremental updates; every 5th a --rebuild, every 7th a first build.
        kind = "first" if trial % 7 == 0 else "rebuild" if trial % 5 == 0 else "update"
        # Alternate timer kills with tours of the commit's syscall points.
        method = syscall_points[trial // 2 % len(syscall_points)] if trial % 2 == 0 and syscall_points else "timer"
        if kind == "update":
            corpus.mutate(added=rng.randint(0, 30), changed=rng.randint(1, 30), removed=rng.randint(0, 30))
        target = os.path.join(root, f"first-{trial}") if kind == "first" else index
        os.makedirs(target, exist_ok=True)
        arguments = ["index", corpus.folder, "--index", target, "--quiet"] + (["--rebuild"] if kind == "rebuild" else [])
        if trial % 2 == 1:
            # A small budget and merge factor: several segment flushes, deletion files and
            # merges (each its own commit) in one run, so kills land in them too.
            arguments += ["--memory-budget", "2M", "--merge-factor", "3"]
        before_generation = generation(target)
        before = NO_INDEX if kind == "first" else known

        after, after_generation, seconds = finished_run(arguments, target, reference, queries)

        killed, how, fraction = run_killed(arguments, method, rng, seconds)
        stage = classify(target, before_generation, killed, fraction)
        stages[stage] = stages.get(stage, 0) + 1
        label = f"trial {trial} ({kind}, {how}, {stage})"
        log(f"{label}")

        # 1. The folder holds the last commit, exactly.
        verify_last_commit(tally, label, target, queries, (before_generation, before), (after_generation, after))

        # 2. The next run recovers: completes, removes leftovers, and lands on the new commit.
        verify_recovery(tally, label, arguments, target, queries, after)
        if kind != "first":
            known = after
        else:
            shutil.rmtree(target)

    log(f"\n  {'stage at the kill':<46} trials")
    for stage, count in sorted(stages.items(), key=lambda item: -item[1]):
        log(f"  {stage:<46} {count}")
    if not options.keep:
        shutil.rmtree(root)
    return tally.finish(f"trials={options.trials} stages={len(stages)}")


if __name__ == "__main__":
    sys.exit(main())
