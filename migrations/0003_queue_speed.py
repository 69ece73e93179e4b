"""Queue speed: per-assignee priority indexes and state counts kept by triggers (no GROUP BY per page)."""

SCHEMA = """
CREATE INDEX claims_assignee_priority ON claims(assignee_id, priority DESC, id DESC);
CREATE INDEX claims_assignee_date ON claims(assignee_id, source_date DESC, id DESC);
CREATE TABLE claim_counts (status TEXT PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0);
INSERT INTO claim_counts (status, n)
    SELECT value, 0 FROM json_each('["new","queued","in_progress","in_review","published","dismissed","merged"]');
UPDATE claim_counts SET n = (SELECT count(*) FROM claims WHERE claims.status = claim_counts.status);
CREATE TRIGGER claim_counts_insert AFTER INSERT ON claims BEGIN
    UPDATE claim_counts SET n = n + 1 WHERE status = new.status;
END;
CREATE TRIGGER claim_counts_delete AFTER DELETE ON claims BEGIN
    UPDATE claim_counts SET n = n - 1 WHERE status = old.status;
END;
CREATE TRIGGER claim_counts_update AFTER UPDATE OF status ON claims WHEN old.status != new.status BEGIN
    UPDATE claim_counts SET n = n - 1 WHERE status = old.status;
    UPDATE claim_counts SET n = n + 1 WHERE status = new.status;
END;
"""


def up(db):
    from migrations import run_script

    run_script(db, SCHEMA)
