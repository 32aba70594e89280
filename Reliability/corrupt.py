#!/usr/bin/env python3
"""Exhaustive corruption sweep through the binary.

For every index file kind (manifest.json, the segment's .terms/.postings/.docs/.store, LOCK):
byte flips at many offsets (every header byte, the body's first and last bytes, spread offsets,
the CRC and the footer magic), runs of 0xFF (overlong varints, huge integers) and of zeros,
truncations (to 0, to half, by 1 and 8 bytes), an extra byte, and deletion; for manifest.json every
byte. Each case runs `search` (the query batch, TREC and JSON with passages), `check` and
`stats` under a timeout, then restores the file.

A case passes when nothing crashes (signal) or hangs, every failure is exit 2 with a
`medsearch: error:` line naming the damaged file (or, for the manifest, the index), and search
either answers exactly what the intact index answers or fails. A search that answers
differently while `check` passes is silent wrong ranking: a failure. A search that answers
differently while `check` (which verifies every CRC) reports the file is counted separately as
"caught by check only": readers verify the frame and structure, not the CRC (FORMAT.md §2);
`--strict` makes those failures too.

Usage: Reliability/corrupt.py [--pages N] [--offsets N] [--strict]
"""

import os
import random
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (argument_parser, Corpus, describe_status, log, medsearch, query_file,
                    require_binary, scratch, snapshot, Tally)

TIMEOUT = 20


def mutations(size, kind, rng, spread):
    """(label, function bytes -> bytes or None to delete) for one file of `size` bytes."""
    def flip(at):
        return f"flip@{at}", lambda b: b[:at] + bytes([b[at] ^ 0xFF]) + b[at + 1:]

    def run(at, value, length=8):
        return f"{value:#04x}x{length}@{at}", lambda b: b[:at] + bytes([value]) * length + b[at + length:]

    def bit(at):
        return f"bit@{at}", lambda b: b[:at] + bytes([b[at] ^ 0x01]) + b[at + 1:]

    cases = []
    if kind == "manifest":
        # Low-bit flips keep the JSON valid more often (digits change value: 1 -> 0, 4 -> 5).
        cases += [bit(at) for at in range(size)] + [flip(at) for at in range(0, size, 4)]
    elif kind == "lock":
        cases += [flip(0), run(0, 0xFF, 4)]
    else:
        body_end = size - 8
        offsets = set(range(0, 12)) | {12, 13, 14, 15, body_end - 2, body_end - 1} | set(range(body_end, size))
        offsets |= {rng.randrange(12, body_end) for _ in range(spread)}
        cases += [flip(at) for at in sorted(offsets)]
        starts = sorted({rng.randrange(12, max(13, body_end - 8)) for _ in range(spread // 2)})
        cases += [run(at, 0xFF) for at in starts] + [run(at, 0x00) for at in starts[::3]]
    cases += [("truncate to 0", lambda b: b[:0]), ("truncate to half", lambda b: b[:len(b) // 2]),
              ("truncate by 1", lambda b: b[:-1]), ("append a byte", lambda b: b + b"\0"),
              ("delete", lambda b: None)]
    if kind not in ("manifest", "lock"):
        cases += [("truncate by 8", lambda b: b[:-8]), ("truncate to 12", lambda b: b[:12]),
                  ("truncate to 20", lambda b: b[:20])]
    return cases


def clear_error(err, names):
    """A single `medsearch: error:` line that names one of `names`."""
    return err.startswith("medsearch: error:") and any(name in err for name in names)


def main():
    parser = argument_parser(__doc__, pages=150, seed=5)
    parser.add_argument("--offsets", type=int, default=60, help="random body offsets flipped per segment file")
    parser.add_argument("--strict", action="store_true", help="a difference only check catches is a failure")
    options = parser.parse_args()
    require_binary()
    rng = random.Random(options.seed)
    root = scratch("corrupt")
    queries = query_file(root)
    corpus = Corpus(os.path.join(root, "corpus"), options.pages, seed=options.seed)
    index = os.path.join(root, "index")
    code, _, err = medsearch("index", corpus.folder, "--index", index, "--quiet")
    assert code == 0, err
    code, intact = snapshot(index, queries)
    assert code == 0, intact
    files = sorted(os.listdir(index))
    kinds = {"manifest.json": "manifest", "LOCK": "lock"}
    tally = Tally("corrupt")
    outcomes = {}
    log(f"corrupt: {', '.join(files)} in {root}")

    for name in files:
        kind = kinds.get(name, "segment")
        path = os.path.join(index, name)
        with open(path, "rb") as f:
            original = f.read()
        # The manifest may be reported through the index folder ("no index at", analyzer).
        names = [name, index] if kind == "manifest" else [name]
        for label, damage in mutations(len(original), kind, rng, options.offsets):
            damaged = damage(original)
            if damaged is None:
                os.unlink(path)
            else:
                with open(path, "wb") as f:
                    f.write(damaged)
            case = f"{name} {label}"
            search_code, answer = snapshot(index, queries, timeout=TIMEOUT)
            check_code, _, check_err = medsearch("check", "--index", index, timeout=TIMEOUT)
            stats_code, _, stats_err = medsearch("stats", "--index", index, timeout=TIMEOUT)
            problems = []
            for command, code, err in (("search", search_code, answer), ("check", check_code, check_err),
                                       ("stats", stats_code, stats_err)):
                if code not in (0, 2):
                    problems.append(f"{command}: {describe_status(code)} {err.strip()[:200]}")
                elif code == 2 and not clear_error(err, names):
                    problems.append(f"{command}: unclear error: {err.strip()[:200]}")
            if kind == "segment" and check_code == 0 and damaged != original:
                problems.append("check passed on a damaged segment file")
            differs = search_code == 0 and answer != intact
            if differs and check_code == 0:
                problems.append("search answers differ and check passes (silent wrong results)")
            if kind == "lock" and (search_code, check_code, stats_code) != (0, 0, 0):
                problems.append("a damaged LOCK disturbed a reader")
            outcome = ("FAIL" if problems else
                       "caught by check only" if differs else
                       "harmless (identical answers)" if search_code == 0 else "error naming the file")
            if outcome == "caught by check only" and options.strict:
                problems.append("search answers differ; only check reports the damage")
            if outcome == "caught by check only":
                first = next((f"{x!r} vs {y!r}" for x, y in zip(answer.splitlines(), intact.splitlines()) if x != y), "lengths differ")
                log(f"{case}: search answers differ (check reports the file): {first[:240]}")
            outcomes.setdefault(name, {}).setdefault(outcome, 0)
            outcomes[name][outcome] += 1
            tally.case(case, not problems, "; ".join(problems))
            with open(path, "wb") as f:
                f.write(original)
        if kind == "lock":
            # A writer still works after the LOCK was damaged (it is recreated).
            code, _, err = medsearch("index", corpus.folder, "--index", index, "--quiet")
            tally.case("index after LOCK damage", code == 0, f"{describe_status(code)} {err.strip()}")
            with open(path, "wb") as f:
                f.write(original)

    log(f"\n{'file':<22} {'cases':>6}  outcomes")
    for name, counts in outcomes.items():
        log(f"{name:<22} {sum(counts.values()):>6}  " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    check_only = sum(c.get("caught by check only", 0) for c in outcomes.values())
    if not options.keep:
        shutil.rmtree(root)
    return tally.finish(f"check_only={check_only}")


if __name__ == "__main__":
    sys.exit(main())
