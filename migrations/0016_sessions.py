"""Server-side sign-in sessions: a cookie names one row, and signing out ends it for every server process."""

SCHEMA = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    ended_at TEXT,
    address TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id, ended_at);
"""


def up(db):
    from migrations import run_script

    run_script(db, SCHEMA)
