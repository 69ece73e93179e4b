"""Queue speed: per-assignee priority indexes and state counts kept by a trigger (no GROUP BY per page)."""

SCHEMA = """
CREATE INDEX claims_assignee_priority ON claims(assignee_id, priority DESC, id DESC);
CREATE INDEX claims_assignee_date ON claims(assignee_id, source_date DESC, id DESC);
CREATE TABLE claim_counts (status TEXT PRIMARY KEY, n BIGINT NOT NULL DEFAULT 0);
INSERT INTO claim_counts (status, n)
    SELECT status, 0 FROM (VALUES ('new'), ('queued'), ('in_progress'), ('in_review'), ('published'),
                                  ('dismissed'), ('merged')) AS states (status);
UPDATE claim_counts SET n = (SELECT count(*) FROM claims WHERE claims.status = claim_counts.status);
CREATE FUNCTION claim_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE claim_counts SET n = n - 1 WHERE status = OLD.status;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        UPDATE claim_counts SET n = n + 1 WHERE status = NEW.status;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER claim_counts_insert AFTER INSERT ON claims FOR EACH ROW EXECUTE FUNCTION claim_counts_follow();
CREATE TRIGGER claim_counts_delete AFTER DELETE ON claims FOR EACH ROW EXECUTE FUNCTION claim_counts_follow();
CREATE TRIGGER claim_counts_update AFTER UPDATE OF status ON claims FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION claim_counts_follow();
"""


def up(db):
    db.run_script(SCHEMA)
