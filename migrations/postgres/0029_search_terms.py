"""How many verdicts hold each word, for "checked before?" on PostgreSQL search (search_index/postgres_terms.py).

BM25 weighs a word by how many verdicts hold it in their body; counting those with the GIN index
at each lookup reads every verdict holding a common word. ``search_terms`` keeps the counts, kept
by the same transaction that changes ``search_records`` (one writer at a time, under an advisory
lock): one row per word of a verdict body (``docs``), and the row of the empty word holding the
number of verdicts (``docs``) and of their body words (``words``). PostgreSQL only, as 0028.
"""

SCHEMA = """
CREATE TABLE search_terms (
    kind TEXT NOT NULL,
    term TEXT NOT NULL,
    docs BIGINT NOT NULL DEFAULT 0,
    words BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, term)
);
INSERT INTO search_terms (kind, term, docs, words)
    SELECT 'verdict', u.lexeme, count(*), 0 FROM search_records r, unnest(ts_filter(r.terms, '{c}')) AS u
    WHERE r.kind = 'verdict' GROUP BY u.lexeme;
INSERT INTO search_terms (kind, term, docs, words)
    SELECT 'verdict', '', count(*), coalesce(sum(words), 0) FROM search_records WHERE kind = 'verdict';
"""


def up(db):
    db.run_script(SCHEMA)
