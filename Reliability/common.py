"""Shared helpers for the reliability drivers: the binary, a generated corpus, the fixed query
batch, and "what does this index answer" snapshots that the drivers compare byte for byte."""

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BINARY = os.environ.get("MEDSEARCH", os.path.join(ROOT, ".build-faults/release/medsearch"))

# A fixed query batch: single terms, OR and AND queries, phrases, prefixes and a miss, so the
# snapshot touches the term dictionary, postings (with positions), the document table and (via
# --jsonl passages) the store.
QUERIES = [
    "mri", "radiographer salary", '"radiation safety"', "nurse licensure exam", "sonograph*",
    "contrast dose", "+certification +program", "phlebotomy", "respiratory therapist shift",
    "clinical hours", "xyzzyqqq", "patient care technician", '"continuing education"', "pharmacy",
    "ct AND contrast NOT dental", "title:nurse", "credential renewal", "sonografer~", '"blood draw"~3',
    "ultrasound^2 wage",
]

WORDS = (
    "mri ct radiographer sonographer nurse nursing license licensure exam salary wage patient care "
    "contrast dose radiation safety technologist therapist respiratory phlebotomy pharmacy surgical "
    "dental hygienist ultrasound clinical hours certification program credential renewal continuing "
    "education shift hospital clinic registry board accredited degree associate bachelor imaging "
    "scanner protocol screening magnet implant technician assistant laboratory specimen blood draw "
    "vein needle infection control sterile instrument operating room anesthesia monitor ventilator "
    "airway oxygen lung asthma cardiac echo vascular rhythm heart ekg telemetry emergency trauma "
    "triage paramedic ambulance rural urban travel agency overtime night weekend union benefit "
    "pension employer interview resume reference supervisor manager director educator preceptor "
    "student residency fellowship exam score pass rate attempt review course tuition loan grant "
    "scholarship state requirement application fee background check drug test immunization mask"
).split()


def argument_parser(doc, pages, seed):
    """The options every driver has: corpus size, seed, and --keep (the scratch folder)."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=pages, help=f"generated corpus size (default {pages})")
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    return parser


def log(message):
    print(message, flush=True)


def require_binary():
    if not os.access(BINARY, os.X_OK):
        sys.exit(f"no medsearch binary at {BINARY}: run "
                 "'swift build -c release --scratch-path .build-faults' in the repository first "
                 "(or set MEDSEARCH=/path/to/medsearch)")


def medsearch(*args, timeout=120, env=None):
    """Runs the binary; a timeout is reported as exit code 'hang' rather than raised."""
    try:
        done = subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=timeout, env=env)
        return done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired as expired:
        return "hang", expired.stdout or "", expired.stderr or ""


def describe_status(code):
    """'exit 2', 'signal SIGSEGV' or 'hang' (subprocess gives -N for a signal)."""
    if code == "hang":
        return "hang"
    if isinstance(code, int) and code < 0:
        return f"signal {signal.Signals(-code).name}"
    return f"exit {code}"


# MARK: corpus

def page(rng, number, version):
    """One HTML page: a title, a few sections of paragraphs and a list, built from WORDS with a
    skewed distribution so some terms are frequent and some rare. `version` changes the text."""
    def sentence(count):
        words = [WORDS[min(int(rng.expovariate(1 / 25)), len(WORDS) - 1)] for _ in range(count)]
        return " ".join(words).capitalize() + "."

    title = f"{sentence(5)[:-1]} {number} v{version}"
    parts = [f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"]
    for s in range(rng.randint(3, 7)):
        parts.append(f"<h2>{sentence(3)[:-1]} {s}</h2>")
        for _ in range(rng.randint(2, 5)):
            parts.append("<p>" + " ".join(sentence(rng.randint(8, 20)) for _ in range(rng.randint(2, 5))) + "</p>")
        if rng.random() < 0.4:
            parts.append("<ul>" + "".join(f"<li>{sentence(6)}</li>" for _ in range(4)) + "</ul>")
    parts.append("</article></body></html>\n")
    return "".join(parts)


class Corpus:
    """A generated HTML corpus in `folder` (sites = sub-folders) that can be mutated the way a real
    one changes between runs: pages added, rewritten, removed."""

    def __init__(self, folder, pages, seed=1):
        self.folder = folder
        self.rng = random.Random(seed)
        self.version = 0
        self.next_number = 0
        os.makedirs(folder, exist_ok=True)
        for _ in range(pages):
            self._write(self._new_path())

    def _new_path(self):
        number = self.next_number
        self.next_number += 1
        return os.path.join(self.folder, f"site{number % 7}", f"page-{number:05d}.html")

    def _write(self, path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        number = int(re.search(r"(\d+)\.html$", path).group(1))
        with open(path, "w") as out:
            out.write(page(self.rng, number, self.version))

    def files(self):
        return sorted(os.path.join(d, f) for d, _, names in os.walk(self.folder) for f in names)

    def mutate(self, added=5, changed=5, removed=5):
        """Adds, rewrites and deletes pages; a rewrite also moves the mtime so the indexer sees it."""
        self.version += 1
        existing = self.files()
        for path in self.rng.sample(existing, min(removed, len(existing))):
            os.unlink(path)
            existing.remove(path)
        for path in self.rng.sample(existing, min(changed, len(existing))):
            self._write(path)
            later = time.time() + self.version
            os.utime(path, (later, later))
        for _ in range(added):
            self._write(self._new_path())


# MARK: snapshots

def query_file(folder):
    path = os.path.join(folder, "queries.tsv")
    with open(path, "w") as out:
        for number, query in enumerate(QUERIES, 1):
            out.write(f"q{number}\t{query}\n")
    return path


def snapshot(index, queries, timeout=60):
    """What the index answers: the TREC run of the batch (ids, ranks, scores) plus, for the
    first queries, the JSON hits with passages (reads the store). `took_ms` is dropped (timing).
    Returns (status, text); status is the first non-zero exit of the two searches, or 0."""
    code, trec, err = medsearch("search", "--index", index, "--batch", queries, "--format", "trec",
                                "--limit", "25", timeout=timeout)
    if code == 1 and err.strip():
        # Exit 1 means "no results" and says nothing; with a message it is a mislabelled error.
        return 99, f"exit 1 with a message: {err.strip()}"
    if code not in (0, 1):
        return code, err
    code2, lines, err2 = medsearch("search", "--index", index, "--batch", queries, "--jsonl",
                                   "--limit", "3", "--passages", "2", timeout=timeout)
    if code2 not in (0, 1):
        return code2, err2
    hits = []
    for line in lines.splitlines():
        record = json.loads(line)
        record.pop("took_ms", None)
        hits.append(json.dumps(_layout_free(record), sort_keys=True))
    return 0, _normalized_trec(trec) + "\n".join(hits)


def _normalized_trec(trec):
    """The run without what depends on how documents are spread over segments (global ids,
    which change when segments merge, and so the order of equal scores): per query the
    (document, score) pairs sorted by score then id, the ones tied with the last dropped (a
    tie at the cut-off may let either document in)."""
    runs = {}
    for line in trec.splitlines():
        parts = line.split()
        if len(parts) == 6:
            runs.setdefault(parts[0], []).append((parts[2], parts[4]))
    out = []
    for query, pairs in runs.items():
        if len(pairs) >= 25:
            last = pairs[-1][1]
            pairs = [p for p in pairs if p[1] != last]
        for doc, score in sorted(pairs, key=lambda p: (-float(p[1]), p[0])):
            out.append(f"{query} {doc} {score}")
    return "\n".join(out) + "\n"


def _layout_free(record):
    """A --jsonl result record without global document ids and with equal-score hits in path order."""
    hits = record.get("hits")
    if isinstance(hits, list):
        for hit in hits:
            if isinstance(hit, dict):
                hit.pop("document", None)
                hit.pop("rank", None)
        record["hits"] = sorted(hits, key=lambda h: (-h.get("score", 0), h.get("path", "")) if isinstance(h, dict) else (0, ""))
    return record


NO_INDEX = "<no index>"


def answers(folder, queries):
    """The snapshot of a folder, or NO_INDEX when it holds no commit (then every command must
    give the clear 'no index' error)."""
    if not os.path.exists(os.path.join(folder, "manifest.json")):
        code, _, err = medsearch("check", "--index", folder)
        ok = code == 2 and err.startswith("medsearch: error: no index")
        return NO_INDEX if ok else f"bad no-index error ({describe_status(code)}): {err}"
    code, text = snapshot(folder, queries)
    return text if code == 0 else f"search failed ({describe_status(code)}): {text}"


def finished_run(arguments, target, reference, queries):
    """What an `index` run answers once finished: the same run, to completion, on a copy of
    `target` at `reference`. Returns (answers, generation, seconds)."""
    copy_index(target, reference)
    started = time.time()
    code, _, err = medsearch(*[reference if a == target else a for a in arguments])
    seconds = time.time() - started
    assert code == 0, f"reference run failed: {err}"
    return answers(reference, queries), generation(reference), seconds


def verify_last_commit(tally, label, target, queries, before, after):
    """After an interrupted or failed run: the folder holds commit `before` or, if the run got
    past its manifest rename, `after` (each a (generation, answers) pair), and check passes."""
    now = generation(target)
    state = answers(target, queries)
    # A run commits its changes, then each merge as a commit of its own: any generation past
    # `before` is one of those, and they all answer alike.
    expected = after[1] if now is not None and now != before[0] else before[1]
    tally.case(f"{label}: answers", state == expected,
               f"generation {now} (before {before[0]}, after {after[0]}) answers differ: {state[:300]}")
    if now is not None:
        code, _, err = medsearch("check", "--index", target)
        tally.case(f"{label}: check", code == 0, f"{describe_status(code)} {err.strip()}")


def verify_recovery(tally, label, arguments, target, queries, after):
    """The next run completes, removes every leftover and answers like the finished run."""
    code, _, err = medsearch(*arguments)
    tally.case(f"{label}: recovery run", code == 0, f"{describe_status(code)} {err.strip()}")
    code, _, err = medsearch("check", "--index", target)
    tally.case(f"{label}: check after recovery", code == 0, f"{describe_status(code)} {err.strip()}")
    names = index_names(target)
    tally.case(f"{label}: no leftovers", names == expected_names(target), f"folder holds {names}")
    state = answers(target, queries)
    tally.case(f"{label}: answers after recovery", state == after, f"differ: {state[:300]}")


def generation(index):
    """The committed generation, or None when there is no readable manifest."""
    try:
        with open(os.path.join(index, "manifest.json")) as f:
            return json.load(f)["generation"]
    except (OSError, ValueError, KeyError):
        return None


def index_names(index):
    try:
        return sorted(os.listdir(index))
    except FileNotFoundError:
        return []


def expected_names(index):
    """What a clean index folder holds: LOCK (once a writer ran), the manifest, the 4 files of
    the manifest's segments and their deletion files. Anything else is a leftover a writer should have removed."""
    with open(os.path.join(index, "manifest.json")) as f:
        manifest = json.load(f)
    names = {"manifest.json", "LOCK"}
    for segment in manifest["segments"]:
        names |= {f"{segment['name']}.{ext}" for ext in segment["files"]}
        deletions = segment.get("deletions")
        if deletions:
            names.add(f"{segment['name']}-{deletions['generation']:06d}.del")
    return sorted(names)


class Tally:
    """Counts cases and failures; every failure is printed when it happens and again at the end."""

    def __init__(self, name):
        self.name = name
        self.cases = 0
        self.failures = []
        self.started = time.time()

    def case(self, label, ok, detail=""):
        self.cases += 1
        if not ok:
            self.failures.append(f"{label}: {detail}")
            log(f"  FAIL {label}: {detail}")
        return ok

    def finish(self, extra=""):
        seconds = time.time() - self.started
        for failure in self.failures:
            log(f"FAIL {failure}")
        # One machine-readable line that Reliability/run collects for its table.
        log(f"RESULT {self.name} cases={self.cases} failures={len(self.failures)} seconds={seconds:.0f} {extra}".rstrip())
        return 1 if self.failures else 0


def scratch(prefix):
    """A temporary folder under $RELIABILITY_TMP (default: the system temp dir)."""
    return tempfile.mkdtemp(prefix=f"medsearch-{prefix}-", dir=os.environ.get("RELIABILITY_TMP"))


def copy_index(source, target):
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
