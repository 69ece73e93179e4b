"""Similar records in PostgreSQL: "checked before?" candidates by the BM25 Whoosh's claim tables score.

For verdicts, every verdict holding any word of the claim is scored in SQL with the BM25 of
``claim_table`` (the same k1 and b, Whoosh's inverse document frequency, a verdict's body words
as its length), so the re-ranker gets the same candidates and the same BM25 shares from either
engine; their 4-gram and date features are computed from the candidates' texts here
(``claim_table.ClaimTable.build``) instead of being read from precomputed tables. Documents are
ranked by ``ts_rank_cd`` over an OR of the text's rarest words, as Whoosh ranks them by an OR.
"""

from search_index.analysis import analyze
from search_index import claim_table
from search_index.claim_table import ClaimTable, feature_texts, reorder
from search_index.postgres_queries import WEIGHTS, lexeme
from search_index.query_text import parse_datetime

MAX_SIMILAR_WORDS = 40

BM25 = """
WITH q AS (SELECT DISTINCT unnest(?::text[]) AS term),
stats AS (SELECT count(*) AS n, coalesce(avg(words), 0) AS average FROM search_records WHERE kind = 'verdict'),
df AS (SELECT q.term, (SELECT count(*) FROM search_records s WHERE s.kind = 'verdict'
                       AND s.terms @@ (quote_literal(q.term) || ':C')::tsquery) AS docs FROM q),
idf AS (SELECT df.term, ln(stats.n::float8 / (df.docs + 1)) + 1 AS weight FROM df, stats WHERE df.docs > 0),
scored AS (
    SELECT r.id, sum(idf.weight * tf * (?::float8 + 1)
                     / (tf + ?::float8 * (1 - ?::float8 + ?::float8 * r.words / greatest(stats.average, 1e-9))))
           AS score
    FROM search_records r CROSS JOIN stats,
         LATERAL (SELECT u.lexeme, coalesce(array_length(u.positions, 1), 1) AS tf
                  FROM unnest(ts_filter(r.terms, '{c}')) AS u) AS t
    JOIN idf ON idf.term = t.lexeme
    WHERE r.kind = 'verdict' AND r.terms @@ ?::tsquery
    GROUP BY r.id
)
SELECT scored.id, scored.score, r.fields FROM scored JOIN search_records r ON r.kind = 'verdict' AND r.id = scored.id
ORDER BY scored.score DESC, scored.id < 0 DESC, abs(scored.id)
LIMIT ?
"""


def similar(store, text: str, *, kind: str, limit: int, rerank=None) -> list[tuple[float, dict]]:
    """Return (score, stored fields) of the ``limit`` records of ``kind`` most like ``text``, best first.

    For verdicts, ``rerank`` (with a ``pool`` size) re-scores the pool of best BM25 candidates from their
    4-gram overlaps with ``text`` and their dates (``claim_table.reorder``).
    """
    terms = list(dict.fromkeys(analyze(text or "")))
    if not terms or limit <= 0:
        return []
    if kind == "verdict":
        return _similar_claims(store, terms, text, limit, rerank)
    return _similar_documents(store, terms, limit)


def _similar_claims(store, terms: list[str], text: str, limit: int, rerank) -> list[tuple[float, dict]]:
    pool = max(limit, getattr(rerank, "pool", 0))
    anywhere = " | ".join(f"{lexeme(term)}:C" for term in terms)
    k1, b = claim_table.K1, claim_table.B  # read at each lookup: bench/prior_claims.py tries other values
    rows = store.query(BM25, [terms, k1, k1, b, b, anywhere, pool])
    if not rows:
        return []
    fields = [_fields(row["fields"]) for row in rows]
    table = ClaimTable.build(list(range(len(rows))), ([] for _ in rows), [feature_texts(f) for f in fields])
    candidates = [(float(row["score"]), number, table, number) for number, row in enumerate(rows)]
    return [(score, fields[number]) for score, number in reorder(candidates, text, rerank)[:limit]]


def _similar_documents(store, terms: list[str], limit: int) -> list[tuple[float, dict]]:
    counts = store.query(
        "SELECT q.term, (SELECT count(*) FROM search_records s WHERE s.kind = 'document'"
        " AND s.terms @@ quote_literal(q.term)::tsquery) AS docs FROM unnest(?::text[]) AS q(term)", [terms])
    rare = sorted((row["docs"], row["term"]) for row in counts if row["docs"])[:MAX_SIMILAR_WORDS]
    if not rare:
        return []
    anywhere = " | ".join(lexeme(term) for _, term in rare)
    rows = store.query(
        f"SELECT r.fields, ts_rank_cd('{WEIGHTS}', r.terms, ?::tsquery, 1) AS score FROM search_records r"
        " WHERE r.kind = 'document' AND r.terms @@ ?::tsquery ORDER BY score DESC, r.id LIMIT ?",
        [anywhere, anywhere, limit])
    return [(float(row["score"]), _fields(row["fields"])) for row in rows]


def _fields(fields) -> dict:
    """Return stored fields with the publication time as a datetime (what ``feature_texts`` reads)."""
    fields = dict(fields)
    fields["published"] = parse_datetime(fields.get("published"))
    return fields
