"""Re-check reminders on verdicts, and each user's preferences for the queue."""

SCHEMA = """
ALTER TABLE verdicts ADD COLUMN recheck_by TEXT;
CREATE INDEX verdicts_recheck ON verdicts(status, recheck_by);
CREATE TABLE user_preferences (
    user_id BIGINT PRIMARY KEY REFERENCES users(id),
    queue_tab TEXT,
    queue_filters TEXT NOT NULL DEFAULT '{}',
    page_size BIGINT,
    updated_at TEXT NOT NULL
);
"""


def up(db):
    db.run_script(SCHEMA)
