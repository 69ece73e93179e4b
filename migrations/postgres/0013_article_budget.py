"""A per-article budget in the queue: each claim's rank within its article by check-worthiness, and per-source budgets."""

SCHEMA = """
ALTER TABLE claims ADD COLUMN article_rank BIGINT;
CREATE TABLE source_budgets (
    source TEXT PRIMARY KEY,
    budget BIGINT NOT NULL CHECK (budget >= 0)
);
CREATE INDEX claims_document_rank ON claims(document_id, article_rank);
UPDATE claims SET article_rank = ranked.rank FROM (
    SELECT id, row_number() OVER (PARTITION BY document_id ORDER BY checkworthiness DESC, id) AS rank
    FROM claims WHERE document_id IS NOT NULL
) AS ranked WHERE claims.id = ranked.id;
"""


def up(db):
    db.run_script(SCHEMA)
