#!/usr/bin/env python3
"""Score article-body predictions against the article-extraction-benchmark ground truth.

The method follows the benchmark's description (see SOURCE.md next to the data): word tokens by the
Unicode regex \\w+, multisets of consecutive 4-token shingles (a text with fewer than 4 tokens is a
single shingle), per-page true/false positives and negatives normalised to sum to one, precision and
recall averaged over pages, F1 from those means.

usage: score.py GROUND_TRUTH.json PREDICTIONS.json [--per-page]
PREDICTIONS is either {"output": {id: {"articleBody": ...}}} (the reference outputs' shape) or
{id: {"articleBody": ...}} or {id: "text"}.
"""
import json
import re
import sys
from collections import Counter

WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text, n=4):
    tokens = WORD.findall(text or "")
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def page_counts(truth, prediction):
    t, p = shingles(truth), shingles(prediction)
    tp = sum((t & p).values())
    fp = sum(p.values()) - tp
    fn = sum(t.values()) - tp
    total = tp + fp + fn
    if total == 0:
        return 0.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


def body(value):
    if isinstance(value, dict):
        return value.get("articleBody", "")
    return value or ""


def score(truth, predictions):
    precisions, recalls, exact, rows = [], [], 0, []
    for key in sorted(truth):
        expected = truth[key]["articleBody"]
        predicted = body(predictions.get(key, ""))
        tp, fp, fn = page_counts(expected, predicted)
        if fp == 0 and fn == 0:
            p = r = 1.0
            precisions.append(p)
            recalls.append(r)
        else:
            p = tp / (tp + fp) if tp + fp > 0 else None
            r = tp / (tp + fn) if tp + fn > 0 else None
            if p is not None:
                precisions.append(p)
            if r is not None:
                recalls.append(r)
        if WORD.findall(expected) == WORD.findall(predicted):
            exact += 1
        rows.append((key, p, r))
    precision = sum(precisions) / len(precisions)
    recall = sum(recalls) / len(recalls)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"pages": len(truth), "precision": precision, "recall": recall, "f1": f1,
            "accuracy": exact / len(truth)}, rows


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 64
    truth = json.load(open(argv[1], encoding="utf-8"))
    predictions = json.load(open(argv[2], encoding="utf-8"))
    if isinstance(predictions, dict) and "output" in predictions:
        predictions = predictions["output"]
    summary, rows = score(truth, predictions)
    if "--per-page" in argv:
        for key, p, r in sorted(rows, key=lambda row: min(row[1] or 0, row[2] or 0)):
            print(f"{key[:12]}  P {p if p is None else round(p, 3)}  R {r if r is None else round(r, 3)}")
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
