"""Date indexes that hold undated claims last, as the queue's date tab reads them (the SQLite migration's notes)."""

SCHEMA = """
DROP INDEX claims_queue_date;
CREATE INDEX claims_queue_date ON claims(status, source_date DESC NULLS LAST, id DESC);
DROP INDEX claims_assignee_date;
CREATE INDEX claims_assignee_date ON claims(assignee_id, source_date DESC NULLS LAST, id DESC)
    WHERE assignee_id IS NOT NULL;
"""


def up(db):
    db.run_script(SCHEMA)
