"""Re-check reminders on verdicts, and each user's preferences for the queue.

- ``verdicts.recheck_by``: the day by which a published verdict should be checked again (moving
  figures such as casualty counts); due when that day has come in the desk's time zone.
- ``user_preferences``: the queue tab and filters a user starts from, and the page size.
"""

SCHEMA = """
ALTER TABLE verdicts ADD COLUMN recheck_by TEXT;
CREATE INDEX verdicts_recheck ON verdicts(status, recheck_by);
CREATE TABLE user_preferences (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    queue_tab TEXT,
    queue_filters TEXT NOT NULL DEFAULT '{}',
    page_size INTEGER,
    updated_at TEXT NOT NULL
);
"""


def up(db):
    from migrations import run_script

    run_script(db, SCHEMA)
