#!/usr/bin/env python3
"""bm25s: method="lucene" (Lucene's BM25 idf and scoring) with k1 = 1.2, b = 0.75 (Lucene's
defaults, as the other engines; bm25s's own default k1 is 1.5), Snowball English stemmer from
PyStemmer, bm25s's English stopword list, its default token pattern (words of two or more
characters). The saved index folder is what is measured on disk; the external ids are stored
beside it. Documents that do not match any query term (score 0) are not returned."""
import json
import os
import shutil

import bm25s
import Stemmer

import common

try:
    from importlib.metadata import version as package_version
    VERSION = f"{package_version('bm25s')} (PyStemmer {package_version('PyStemmer')})"
except Exception:  # pragma: no cover - metadata missing
    VERSION = "unknown"

K1, B = 1.2, 0.75


def build(corpus, index_dir):
    shutil.rmtree(index_dir, ignore_errors=True)
    ids, texts = [], []
    for doc_id, contents in common.read_corpus(corpus):
        ids.append(doc_id)
        texts.append(contents)
    stemmer = Stemmer.Stemmer("english")
    tokens = bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False)
    retriever = bm25s.BM25(method="lucene", k1=K1, b=B)
    retriever.index(tokens, show_progress=False)
    retriever.save(index_dir)
    with open(os.path.join(index_dir, "external_ids.json"), "w", encoding="utf-8") as handle:
        json.dump(ids, handle)
    return len(ids)


def open_index(index_dir):
    retriever = bm25s.BM25.load(index_dir)
    with open(os.path.join(index_dir, "external_ids.json"), encoding="utf-8") as handle:
        ids = json.load(handle)
    stemmer = Stemmer.Stemmer("english")
    vocabulary = retriever.vocab_dict

    def search(words, k):
        tokens = bm25s.tokenize(" ".join(words), stopwords="en", stemmer=stemmer, return_ids=False, show_progress=False)[0]
        # Words absent from the collection cannot score; bm25s wants only known tokens.
        tokens = [token for token in tokens if token in vocabulary]
        if not tokens:
            return []
        documents, scores = retriever.retrieve([tokens], k=min(k, len(ids)), show_progress=False, n_threads=1)
        return [(ids[int(d)], float(s)) for d, s in zip(documents[0], scores[0]) if s > 0]

    return search


if __name__ == "__main__":
    common.main("bm25s", VERSION, build, open_index)
