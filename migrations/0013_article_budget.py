"""A per-article budget in the queue: each claim's rank within its article by check-worthiness, and per-source budgets.

The New tab shows the top claims of each article (5 unless the source has its own budget); the rest stay,
reachable from the article and the queue's "more from this article" filter.
"""

SCHEMA = """
ALTER TABLE claims ADD COLUMN article_rank INTEGER;
CREATE TABLE source_budgets (
    source TEXT PRIMARY KEY,
    budget INTEGER NOT NULL CHECK (budget >= 0)
);
CREATE INDEX claims_document_rank ON claims(document_id, article_rank);
"""


def up(db):
    from migrations import run_script

    run_script(db, SCHEMA)
    rows = db.execute("SELECT id, document_id FROM claims WHERE document_id IS NOT NULL"
                      " ORDER BY document_id, checkworthiness DESC, id").fetchall()
    ranks, previous, rank = [], None, 0
    for claim_id, document_id in rows:
        rank = rank + 1 if document_id == previous else 1
        previous = document_id
        ranks.append((rank, claim_id))
    db.conn.executemany("UPDATE claims SET article_rank = ? WHERE id = ?", ranks)
