#!/usr/bin/python3
"""Xapian (Debian's python3-xapian, so this runs on the SYSTEM python, /usr/bin/python3, not
pyenv's): TermGenerator with the English (Snowball) stemmer, STEM_SOME, no stopwords, the external
id as document data; BM25Weight with k1 = 1.2, b = 0.75 (as the other engines; Xapian's own
defaults are k1 = 1, b = 0.5), k2 = 0, k3 = 1, min_normlen = 0.5. Queries: QueryParser with the
same stemmer and STEM_SOME, default operator OR, flags 0 (no boolean, phrase or love/hate
syntax), on the sanitised words."""
import os
import shutil

import xapian

import common

VERSION = xapian.version_string()


def build(corpus, index_dir):
    shutil.rmtree(index_dir, ignore_errors=True)
    database = xapian.WritableDatabase(index_dir, xapian.DB_CREATE_OR_OVERWRITE)
    generator = xapian.TermGenerator()
    generator.set_stemmer(xapian.Stem("english"))
    generator.set_stemming_strategy(xapian.TermGenerator.STEM_SOME)
    docs = 0
    for doc_id, contents in common.read_corpus(corpus):
        document = xapian.Document()
        generator.set_document(document)
        generator.index_text(contents)
        document.set_data(doc_id)
        database.add_document(document)
        docs += 1
    database.commit()
    database.close()
    return docs


def open_index(index_dir):
    database = xapian.Database(index_dir)
    parser = xapian.QueryParser()
    parser.set_stemmer(xapian.Stem("english"))
    parser.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    parser.set_default_op(xapian.Query.OP_OR)
    parser.set_database(database)
    enquire = xapian.Enquire(database)
    enquire.set_weighting_scheme(xapian.BM25Weight(1.2, 0, 1, 0.75, 0.5))

    def search(words, k):
        enquire.set_query(parser.parse_query(" ".join(words), 0))
        return [(match.document.get_data().decode("utf-8"), match.weight) for match in enquire.get_mset(0, k)]

    return search


if __name__ == "__main__":
    common.main("xapian", VERSION, build, open_index)
