"""Similar records in PostgreSQL: "checked before?" candidates by the BM25 Whoosh's claim tables score.

For verdicts, the verdicts holding a word of the claim are scored in SQL with the BM25 of
``claim_table`` (the same k1 and b, Whoosh's inverse document frequency from the counts
``postgres_terms`` keeps, a verdict's body words as its length), so the re-ranker gets the same
BM25 shares from either engine. Candidates are the verdicts holding a word found in at most 5% of
verdicts (a verdict sharing only "a", "said" and "the" with the claim is not a candidate, unless
fewer than the pool hold a rarer word). When the re-ranker names a window of days (a claim's date),
the best BM25 scores among the verdicts published in it (``day``) are candidates too, as in
``claim_table.pooled``. Their 4-gram sets and days were computed when each verdict was written
(``postgres_features``, the claim tables' form) and come with their scores; the stored fields are read
for the verdicts returned only. Documents are ranked by ``ts_rank_cd`` over an OR of the text's
rarest words, as Whoosh ranks them by an OR.
"""

from search_index.analysis import analyze
from search_index import claim_table, postgres_features, postgres_terms
from search_index.claim_table import pooled, reorder, window_of
from search_index.postgres_queries import WEIGHTS, lexeme
from search_index.query_text import parse_datetime

MAX_SIMILAR_WORDS = 40
COMMON_SHARE = 0.05  # a word held by more than this share of verdicts does not bring candidates of its own

BM25 = """
WITH scored AS (
    SELECT r.id, sum(w.weight * t.tf * (?::float8 + 1)
                     / (t.tf + ?::float8 * (1 - ?::float8 + ?::float8 * r.words / ?::float8))) AS score
    FROM search_records r,
         LATERAL (SELECT u.lexeme, coalesce(array_length(u.positions, 1), 1) AS tf
                  FROM unnest(ts_filter(r.terms, '{{c}}')) AS u) AS t
    JOIN unnest(?::text[], ?::float8[]) AS w(term, weight) ON w.term = t.lexeme
    WHERE r.kind = 'verdict' AND r.terms @@ ?::tsquery{days}
    GROUP BY r.id
)
SELECT scored.id, scored.score, r.features, CASE WHEN r.features IS NULL THEN r.fields END AS fields
FROM scored JOIN search_records r ON r.kind = 'verdict' AND r.id = scored.id
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
    found, count, average = postgres_terms.weights(store, terms)
    if not found:
        return []
    # Candidates are the verdicts holding a word that is not common; the common words still score them.
    # Only when fewer than the pool hold one do verdicts with common words alone compete.
    rare = [term for term, (docs, _) in found.items() if docs <= max(pool, COMMON_SHARE * count)] or list(found)
    rows = _score(store, found, rare, average, pool)
    if len(rows) < pool and len(rare) < len(found):
        rows = _score(store, found, list(found), average, pool)
    window = window_of(rerank)
    if window is not None:  # the window's best by BM25 over any shared word, as the claim tables pick them
        taken = {row["id"] for row in rows}
        rows += [row for row in _score(store, found, list(found), average, window[2], window[:2])
                 if row["id"] not in taken]
    if not rows:
        return []
    # Rows written before features were kept have none: theirs come from their stored fields (same numbers).
    table = postgres_features.table_of([row["features"] for row in rows], [
        None if row["features"] is not None else _fields(row["fields"]) for row in rows])
    candidates = [(float(row["score"]), number, table, number) for number, row in enumerate(rows)]
    ranked = reorder(pooled(candidates, pool, rerank), text, rerank)[:limit]
    ids = [rows[number]["id"] for _, number in ranked]
    stored = {row["id"]: _fields(row["fields"]) for row in store.query(
        "SELECT id, fields FROM search_records WHERE kind = 'verdict' AND id = ANY(?)", [ids])}
    # A verdict removed since the first query (another node's write) is left out, not an error.
    return [(score, stored[rows[number]["id"]]) for score, number in ranked if rows[number]["id"] in stored]


def _score(store, found: dict, candidates: list[str], average: float, pool: int,
           days: tuple[int, int] | None = None) -> list[dict]:
    """Return the ``pool`` best verdicts holding one of ``candidates`` by BM25 over every found word, only those
    published within ``days`` (first, last day ordinal) when given."""
    k1, b = claim_table.K1, claim_table.B  # read at each lookup: bench/prior_claims.py tries other values
    anywhere = " | ".join(f"{lexeme(term)}:C" for term in candidates)
    terms = list(found)
    params = [k1, k1, b, b, max(average, 1e-9), terms, [found[t][1] for t in terms], anywhere]
    if days is None:
        return store.query(BM25.format(days=""), [*params, pool])
    return store.query(BM25.format(days=" AND r.day BETWEEN ? AND ?"), [*params, *days, pool])


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
