#!/usr/bin/env python3
"""SQLite FTS5 through Python's sqlite3: a contentless FTS5 table (content='', one column
`contents` = title + text) with tokenize='porter unicode61' (original Porter stemmer, no
stopwords), ranked by bm25() (FTS5's built-in BM25, k1 = 1.2, b = 0.75). Contentless, with the
external ids in a plain `ids` table keyed by rowid, so that like tantivy, Lucene and Xapian the
index holds postings and ids but not a copy of the text (FTS5's default would store the text
too). Queries: each word double-quoted (an FTS5 string, never an operator or column filter),
joined with OR."""
import os
import sqlite3

import common



def fts5_version():
    """SQLite's version, after checking that this sqlite3 has FTS5 compiled in."""
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE probe USING fts5(x)")
    except sqlite3.OperationalError as error:
        common.fail(f"this Python's SQLite {sqlite3.sqlite_version} has no FTS5 ({error})")
    return sqlite3.sqlite_version


VERSION = fts5_version()


def connect(index_dir):
    return sqlite3.connect(os.path.join(index_dir, "fts5.db"))


def build(corpus, index_dir):
    os.makedirs(index_dir, exist_ok=True)
    path = os.path.join(index_dir, "fts5.db")
    if os.path.exists(path):
        os.remove(path)
    connection = connect(index_dir)
    connection.execute("CREATE VIRTUAL TABLE docs USING fts5(contents, content='', tokenize='porter unicode61')")
    connection.execute("CREATE TABLE ids(rowid INTEGER PRIMARY KEY, docid TEXT NOT NULL)")
    docs = 0
    with connection:  # one transaction for the whole load
        for rowid, (doc_id, contents) in enumerate(common.read_corpus(corpus), 1):
            connection.execute("INSERT INTO docs(rowid, contents) VALUES (?, ?)", (rowid, contents))
            connection.execute("INSERT INTO ids(rowid, docid) VALUES (?, ?)", (rowid, doc_id))
            docs += 1
    connection.close()
    return docs


def open_index(index_dir):
    connection = connect(index_dir)
    connection.execute("SELECT count(*) FROM ids").fetchone()  # open the file now, not in query 1
    statement = ("SELECT (SELECT docid FROM ids WHERE ids.rowid = hit.rowid), score FROM "
                 "(SELECT rowid, bm25(docs) AS score FROM docs WHERE docs MATCH ? ORDER BY score LIMIT ?) AS hit")

    def search(words, k):
        expression = " OR ".join('"' + word.replace('"', '""') + '"' for word in words)
        # bm25() is smaller for better matches; negate so that higher is better in the run.
        return [(doc, -score) for doc, score in connection.execute(statement, (expression, k))]

    return search


if __name__ == "__main__":
    common.main("sqlite-fts5", VERSION, build, open_index)
