"""What each editor last saw of a verdict in review, so a resubmission shows what changed since.

One row per claim, editor and distinct content seen (``digest`` of the snapshot); seeing the same
content again only moves ``viewed_at``. ``snapshot`` is JSON text of the reviewed fields.
"""

SCHEMA = """
CREATE TABLE review_views (
    id INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    revision INTEGER NOT NULL,
    digest TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    viewed_at TEXT NOT NULL,
    UNIQUE (claim_id, user_id, digest)
);
CREATE INDEX review_views_seen ON review_views(claim_id, user_id, viewed_at);
"""


def up(db):
    from migrations import run_script

    run_script(db, SCHEMA)
