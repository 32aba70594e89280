#!/usr/bin/env python3
"""Write failures during a commit: a full disk (a small tmpfs, needs root) and injected I/O errors
at every system call of the commit protocol (strace fault injection, no root needed).

Each case starts from a committed index G with known answers, runs an `index` update that fails,
and requires: exit 2 with one `medsearch: error:` line naming the file (or folder) that could not
be written; the folder still holds G (or G+1 when the failure came after the manifest rename)
with `check` passing and identical answers; no temporary file left behind. Then, with the fault
gone, the next run must complete, remove leftovers and answer like a clean run.

Usage: Reliability/diskfull.py [--pages N] [--no-tmpfs] [--no-strace]
"""

import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (BINARY, answers, argument_parser, Corpus, describe_status, finished_run,
                    generation, index_names, log, medsearch, query_file, require_binary, scratch,
                    Tally, verify_last_commit, verify_recovery)

PAGE = 4096

# Injected faults: every call of these system calls the writer's threads make during an update,
# failing once each. How many there are depends on the run (the spill file, the segment files,
# deletion files, the manifest, merges), so a reference run counts them first (strace -c).
FAULTS = [("write", "ENOSPC"), ("fsync", "EIO"), ("rename", "EIO"), ("unlink", "EIO")]


def syscall_counts(arguments):
    """How many write/fsync/rename/unlink calls an `index` run makes (it runs to completion)."""
    done = subprocess.run(["strace", "-f", "-qq", "-c", "-e", "trace=write,fsync,rename,unlink", BINARY, *arguments],
                          capture_output=True, text=True)
    counts = {}
    for line in done.stderr.splitlines():
        parts = line.split()
        if len(parts) >= 5 and parts[-1] in ("write", "fsync", "rename", "unlink"):
            counts[parts[-1]] = int(parts[3])
    return counts


def pages(size):
    return (size + PAGE - 1) // PAGE * PAGE


def failed_run_checks(tally, label, code, err, must_name, target, queries, before, after):
    """What every failed run must leave: a clear error, the last commit, no temporary file."""
    if must_name is None:
        # A failed unlink is not an error: what it should have removed is a leftover.
        tally.case(f"{label}: exit", code == 0, f"{describe_status(code)} {err.strip()}")
    else:
        clear = code == 2 and err.startswith("medsearch: error:") and must_name in err and err.count("\n") == 1
        tally.case(f"{label}: clear error", clear, f"{describe_status(code)} {err.strip()!r}")
    temporary = [n for n in index_names(target) if ".tmp-" in n]
    tally.case(f"{label}: no temporary file", not temporary, f"left {temporary}")
    verify_last_commit(tally, label, target, queries, before, after)


def injected(options, tally, root, corpus, queries):
    """Every write, fsync, rename and unlink of an update, failing once (strace -e inject)."""
    index = os.path.join(root, "index")
    missed = {}
    for syscall, error in FAULTS:
        k = 0
        while True:
            k += 1
            shutil.rmtree(index, ignore_errors=True)
            code, _, err = medsearch("index", corpus.folder, "--index", index, "--quiet")
            assert code == 0, err
            before = (generation(index), answers(index, queries))
            corpus.mutate(added=3, changed=3, removed=3)
            arguments = ["index", corpus.folder, "--index", index, "--quiet"]
            reference = os.path.join(root, "reference")
            after_answers, after_generation, _ = finished_run(arguments, index, reference, queries)
            # The same run on another copy, counted: the k-th call exists only up to the count.
            shutil.rmtree(reference, ignore_errors=True)
            shutil.copytree(index, reference)
            total = syscall_counts([reference if a == index else a for a in arguments]).get(syscall, 0)
            if k > total:
                break
            command = ["strace", "-f", "-qq", "-o", "/dev/null", "-e", f"trace={syscall}",
                       "-e", f"inject={syscall}:error={error}:when={k}", BINARY, *arguments]
            done = subprocess.run(command, capture_output=True, text=True)
            label = f"injected {error} at {syscall} #{k} of {total}"
            log(f"{label}: {describe_status(done.returncode)} {done.stderr.strip()}")
            # Unlinks remove temporary files and the files a commit no longer names: a failure
            # there leaves leftovers for the next run, never an error. Any other failure on an
            # index file must fail the run clearly, naming a file in (or the folder of) the index.
            # The count also holds calls outside the index (a worker thread's wake-up eventfd):
            # a fault there must change nothing, so a run that succeeds must equal the finished one.
            if syscall == "unlink" or done.returncode == 0:
                tally.case(f"{label}: exit", done.returncode == 0, f"{describe_status(done.returncode)} {done.stderr.strip()}")
                tally.case(f"{label}: answers", answers(index, queries) == after_answers, "differ from the finished run")
                if syscall != "unlink":
                    missed[syscall] = missed.get(syscall, 0) + 1
            else:
                failed_run_checks(tally, label, done.returncode, done.stderr, index, index, queries, before,
                                  (after_generation, after_answers))
            verify_recovery(tally, label, arguments, index, queries, after_answers)
    log(f"faults that hit no index file (the run succeeded with the finished run's answers): {missed}")


def tmpfs(options, tally, root, corpus, queries):
    """A real full disk: the index on a tmpfs sized so the update runs out of space at several
    points of writing its files, then with room for everything but the manifest. tmpfs counts
    whole 4 KiB pages per file, hence `pages`."""
    mount = os.path.join(root, "tmpfs")
    os.makedirs(mount)
    index = os.path.join(mount, "index")
    # The sizes the update's files will have, from a run on ordinary disk.
    probe = os.path.join(root, "probe")
    code, _, err = medsearch("index", corpus.folder, "--index", probe, "--quiet")
    assert code == 0, err
    old = sum(pages(os.path.getsize(os.path.join(probe, n))) for n in os.listdir(probe))
    corpus.mutate(added=options.pages // 2, changed=5, removed=5)
    arguments = ["index", corpus.folder, "--index", index, "--quiet"]
    after_answers, _, _ = finished_run(["index", corpus.folder, "--index", probe, "--quiet"], probe,
                                       os.path.join(root, "reference"), queries)
    reference = os.path.join(root, "reference")
    kept = set(os.listdir(probe))
    new = sum(pages(os.path.getsize(os.path.join(reference, n))) for n in os.listdir(reference) if n.startswith("seg-") and n not in kept)
    # The disk fills at several points of the update: while the spill file and the new segments
    # are written (at a fraction of their total size), and with room for all but the manifest.
    targets = [(f"{int(f * 100)} % of the new files", old + int(new * f) // PAGE * PAGE) for f in (0.1, 0.3, 0.5, 0.7, 0.9)]
    targets.append(("manifest.json", old + new))
    for kind, size in targets:
        label = f"tmpfs full in {kind}"
        if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", mount]).returncode != 0:
            log("cannot mount a tmpfs (not root?): full-disk cases skipped")
            return
        try:
            # Commit G on the small disk from the corpus as it was, then try the update.
            shutil.copytree(probe, index)
            before = (generation(index), answers(index, queries))
            code, _, err = medsearch(*arguments)
            log(f"{label} ({size // 1024} KiB): {describe_status(code)} {err.strip()}")
            failed_run_checks(tally, label, code, err, "No space left on device", index, queries, before, (None, None))
            tally.case(f"{label}: names the file", index in err, err.strip())
            # Free space (a bigger tmpfs) and run again: recovers to the full update.
            subprocess.run(["mount", "-o", "remount,size=64m", mount], check=True)
            verify_recovery(tally, label, arguments, index, queries, after_answers)
        finally:
            subprocess.run(["umount", mount])


def main():
    parser = argument_parser(__doc__, pages=150, seed=11)
    parser.add_argument("--no-tmpfs", action="store_true")
    parser.add_argument("--no-strace", action="store_true")
    options = parser.parse_args()
    require_binary()
    root = scratch("diskfull")
    queries = query_file(root)
    tally = Tally("diskfull")
    if not options.no_strace:
        if shutil.which("strace"):
            injected(options, tally, root, Corpus(os.path.join(root, "corpus"), options.pages, seed=options.seed), queries)
        else:
            log("strace not found: injected faults skipped")
    if not options.no_tmpfs:
        if os.geteuid() == 0:
            tmpfs(options, tally, root, Corpus(os.path.join(root, "corpus2"), options.pages, seed=options.seed + 1), queries)
        else:
            log("not root: tmpfs full-disk cases skipped")
    if not options.keep:
        shutil.rmtree(root)
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
