#!/usr/bin/env python3
"""tantivy (via tantivy-py): one text field `contents` (title + text) with the `en_stem` tokenizer
(lowercase + Snowball English stemmer, no stopwords), the external id stored; BM25 with tantivy's
defaults (k1 = 1.2, b = 0.75). Queries: the words OR-ed through tantivy's query parser, which is
safe because common.bag_of_words leaves only letters and digits and no operator keywords.

With TANTIVY_STORE_TEXT=1 the text is stored too (tantivy's compressed doc store), the fair
comparison for index size: MedSearch stores every passage to show it."""
import os
import shutil

import tantivy

import common

try:
    from importlib.metadata import version as package_version
    VERSION = package_version("tantivy")
except Exception:  # pragma: no cover - metadata missing
    VERSION = "unknown"


def schema():
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    store = os.environ.get("TANTIVY_STORE_TEXT") == "1"
    builder.add_text_field("contents", stored=store, tokenizer_name="en_stem")
    return builder.build()


def build(corpus, index_dir):
    shutil.rmtree(index_dir, ignore_errors=True)
    os.makedirs(index_dir)
    index = tantivy.Index(schema(), path=index_dir)
    # tantivy's default writer: indexing threads chosen by tantivy from the core count.
    writer = index.writer(heap_size=256_000_000)
    docs = 0
    for doc_id, contents in common.read_corpus(corpus):
        writer.add_document(tantivy.Document(id=doc_id, contents=contents))
        docs += 1
    writer.commit()
    writer.wait_merging_threads()
    return docs


def open_index(index_dir):
    index = tantivy.Index.open(index_dir)
    index.reload()
    searcher = index.searcher()

    def search(words, k):
        query = index.parse_query(" ".join(words), ["contents"])
        hits = searcher.search(query, limit=k).hits
        return [(searcher.doc(address)["id"][0], score) for score, address in hits]

    return search


if __name__ == "__main__":
    common.main("tantivy", VERSION, build, open_index)
