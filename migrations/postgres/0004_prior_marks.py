"""Queue marks for claims that a prior verdict strongly matches, refreshed in the background."""

SCHEMA = """
ALTER TABLE claims ADD COLUMN prior_match_score DOUBLE PRECISION;
ALTER TABLE claims ADD COLUMN prior_match_label TEXT;
ALTER TABLE claims ADD COLUMN prior_match_publisher TEXT;
ALTER TABLE claims ADD COLUMN prior_match_url TEXT;
ALTER TABLE claims ADD COLUMN prior_checked_at TEXT;
CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT);
"""


def up(db):
    db.run_script(SCHEMA)
