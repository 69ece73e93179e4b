"""The word counts of verdict bodies in PostgreSQL search (``search_terms``, migrations/postgres/0029).

BM25's inverse document frequency needs, for each word of a claim, how many verdicts hold it;
counting them through the GIN index at each lookup reads every verdict holding a common word
("a", "said"). The counts are kept instead, in the transaction that writes ``search_records``:
``apply`` subtracts the words of the rows it replaces or removes and adds those of the new
records; the row of the empty word holds the number of verdicts and of their body words (BM25's
average length). One writer at a time (an advisory lock), so nodes draining at once never count
a record twice.
"""

import math
from collections import Counter

from search_index.analysis import analyze
from search_index.postgres_queries import MAX_LEXEME_BYTES

TOTALS = ""  # the term of the row holding the number of verdicts and of their body words
WRITER_LOCK = "SELECT pg_advisory_xact_lock(hashtext('claimdesk search_records'))"
UPSERT = ("INSERT INTO search_terms (kind, term, docs, words) VALUES ('verdict', ?, ?, ?)"
          " ON CONFLICT (kind, term) DO UPDATE SET docs = search_terms.docs + excluded.docs,"
          " words = search_terms.words + excluded.words")
RECOUNT = (
    "INSERT INTO search_terms (kind, term, docs, words)"
    " SELECT 'verdict', u.lexeme, count(*), 0 FROM search_records r, unnest(ts_filter(r.terms, '{c}')) AS u"
    " WHERE r.kind = 'verdict' GROUP BY u.lexeme",
    "INSERT INTO search_terms (kind, term, docs, words)"
    " SELECT 'verdict', '', count(*), coalesce(sum(words), 0) FROM search_records WHERE kind = 'verdict'",
)


def body_terms(body: str) -> tuple[set[str], int]:
    """Return the distinct words of a verdict body as the tsvector holds them, and its word count."""
    terms = analyze(body or "")
    return {term for term in terms if len(term.encode("utf-8")) <= MAX_LEXEME_BYTES}, len(terms)


def count_changes(store, verdicts: list, removed_ids: list[int]) -> None:
    """Update the counts for verdict records about to be written and verdict ids about to be removed.

    Call inside the writing transaction, after ``WRITER_LOCK`` and before the rows change.
    """
    ids = sorted({record.id for record in verdicts} | set(removed_ids))
    if not ids:
        return
    docs: Counter = Counter()
    words = 0
    for row in store.query("SELECT words, array(SELECT u.lexeme FROM unnest(ts_filter(terms, '{c}')) AS u) AS terms"
                           " FROM search_records WHERE kind = 'verdict' AND id = ANY(?)", [ids]):
        docs.subtract(row["terms"])
        docs[TOTALS] -= 1
        words -= row["words"]
    for record in verdicts:
        terms, count = body_terms(record.body)
        docs.update(terms)
        docs[TOTALS] += 1
        words += count
    rows = [[term, change, words if term == TOTALS else 0] for term, change in sorted(docs.items())
            if change or term == TOTALS]
    store.executemany(UPSERT, rows)  # in term order: two writers never wait for each other's rows crosswise


def recount(store) -> None:
    """Count every verdict's words again (after a rebuild)."""
    store.execute("DELETE FROM search_terms")
    for statement in RECOUNT:
        store.execute(statement)


def weights(store, terms: list[str]) -> tuple[dict[str, tuple[int, float]], int, float]:
    """Return {term: (verdicts holding it, its idf)} for the terms some verdict holds, the number of verdicts,
    and their average body length; idf as Whoosh's claim tables compute it."""
    rows = store.query("SELECT term, docs, words FROM search_terms WHERE kind = 'verdict' AND term = ANY(?)",
                       [[TOTALS, *terms]])
    totals = next((row for row in rows if row["term"] == TOTALS), None)
    count = int(totals["docs"]) if totals else 0
    average = float(totals["words"]) / count if count else 0.0
    found = {row["term"]: (int(row["docs"]), math.log(count / (int(row["docs"]) + 1)) + 1)
             for row in rows if row["term"] != TOTALS and row["docs"] > 0}
    return found, count, average
