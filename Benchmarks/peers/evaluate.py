#!/usr/bin/env python3
"""The one relevance scorer of the suite, with trec_eval's semantics, for every engine's run.

    evaluate.py --qrels qrels.txt --run run.trec [--run more.trec ...] [--json]

Per query, then averaged over the queries that have at least one relevant document in the
qrels (judged grade > 0); a judged query missing from the run scores 0 (trec_eval -c).
- Run order: score descending, then docid descending as a string (trec_eval re-sorts by
  score and breaks ties that way; the rank column is ignored). A docid repeated in one query
  counts once, at its first position.
- MAP: average precision over ALL relevant documents of the query (relevant ones not retrieved
  contribute 0).
- nDCG@10 (trec_eval ndcg_cut.10): gain = relevance grade (grades <= 0 give 0), discount
  log2(rank + 1); the ideal ranking is the qrels' grades sorted descending, cut at 10.
- P@10: relevant in the top 10 / 10 (always 10, even when fewer were retrieved).
- R@100: relevant in the top 100 / all relevant.
"""
import argparse
import json
import math
import sys


def read_columns(path, count, expected):
    """Yields the whitespace-separated fields of each non-blank line, checking there are enough."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) < count:
                sys.exit(f"{path}:{number}: expected '{expected}'")
            yield fields


def read_qrels(path):
    judgments = {}
    for fields in read_columns(path, 4, "qid 0 docid relevance"):
        judgments.setdefault(fields[0], {})[fields[2]] = int(fields[3])
    return judgments


def read_run(path):
    entries = {}
    for fields in read_columns(path, 6, "qid Q0 docid rank score tag"):
        entries.setdefault(fields[0], []).append((float(fields[4]), fields[2]))
    ranked = {}
    for qid, pairs in entries.items():
        # Sorting by (score, docid) descending is trec_eval's order.
        pairs.sort(reverse=True)
        seen, order = set(), []
        for _, doc in pairs:
            if doc not in seen:
                seen.add(doc)
                order.append(doc)
        ranked[qid] = order
    return ranked


def score_query(ranking, grades):
    relevant = {doc for doc, grade in grades.items() if grade > 0}
    found, precision_sum = 0, 0.0
    for position, doc in enumerate(ranking, 1):
        if doc in relevant:
            found += 1
            precision_sum += found / position
    dcg = sum(max(grades.get(doc, 0), 0) / math.log2(position + 1) for position, doc in enumerate(ranking[:10], 1))
    ideal_gains = sorted((grade for grade in grades.values() if grade > 0), reverse=True)[:10]
    ideal = sum(gain / math.log2(position + 1) for position, gain in enumerate(ideal_gains, 1))
    return {
        "ndcg10": dcg / ideal if ideal > 0 else 0.0,
        "map": precision_sum / len(relevant),
        "p10": sum(1 for doc in ranking[:10] if doc in relevant) / 10,
        "r100": sum(1 for doc in ranking[:100] if doc in relevant) / len(relevant),
    }


def evaluate(qrels, run):
    totals = {"ndcg10": 0.0, "map": 0.0, "p10": 0.0, "r100": 0.0}
    queries = 0
    for qid, grades in qrels.items():
        if not any(grade > 0 for grade in grades.values()):
            continue  # trec_eval skips queries without relevant documents
        queries += 1
        for name, value in score_query(run.get(qid, []), grades).items():
            totals[name] += value
    result = {name: (value / queries if queries else 0.0) for name, value in totals.items()}
    result["queries"] = queries
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--qrels", required=True)
    parser.add_argument("--run", required=True, action="append")
    parser.add_argument("--json", action="store_true", help="one JSON object per run")
    args = parser.parse_args()
    qrels = read_qrels(args.qrels)
    for path in args.run:
        scores = evaluate(qrels, read_run(path))
        if args.json:
            print(json.dumps({"run": path, **{k: (round(v, 6) if isinstance(v, float) else v) for k, v in scores.items()}}))
        else:
            print(f"{path}: queries {scores['queries']}  nDCG@10 {scores['ndcg10']:.4f}  MAP {scores['map']:.4f}  "
                  f"P@10 {scores['p10']:.4f}  R@100 {scores['r100']:.4f}")


if __name__ == "__main__":
    main()
