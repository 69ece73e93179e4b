"""The table PostgreSQL search reads (``CLAIMDESK_SEARCH=postgres``; search_index/postgres_search.py).

One row per indexed record, as the outbox drainer gives it to any engine (a document, or a verdict:
our own with its id, an imported one with the negated prior review id). ``terms`` holds the words of
the title (weight A), the claimant (B) and the body (C) at their positions, analysed by
search_index/analysis.py (the one word analysis every search box shares), under a GIN index;
``words`` counts the body's words (BM25's length for "checked before?"). The exact-match columns
hold trimmed, lower-cased values; ``day`` is the publication date's ordinal (0: undated);
``fields`` keeps what a hit shows. The SQLite twin changes nothing: an embedded desk uses Whoosh.
"""

SCHEMA = """
CREATE TABLE search_records (
    kind TEXT NOT NULL,
    id BIGINT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    rating TEXT NOT NULL DEFAULT '',
    publisher TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT '',
    day BIGINT NOT NULL DEFAULT 0,
    words BIGINT NOT NULL DEFAULT 0,
    terms TSVECTOR NOT NULL,
    fields JSONB NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX search_records_terms ON search_records USING GIN (terms);
CREATE INDEX search_records_day ON search_records (kind, day DESC, id);
CREATE INDEX search_records_source ON search_records (kind, source);
"""


def up(db):
    db.run_script(SCHEMA)
