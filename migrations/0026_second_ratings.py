"""Blind second ratings (review/second_rating.py) and where a claim stands with one.

- ``second_ratings``: an editor's request that a second checker rate a claim blind, the rating and
  reasoning they gave, and the first rating it was compared with once both were in (``compared_at``).
  One request per claim that is not cancelled.
- ``claims.second_rating``: ``pending`` (asked, not rated), ``rated`` (the second is in, the first
  not yet), ``agree`` or ``disagree`` (both in); NULL when none was asked.
"""

SCHEMA = """
ALTER TABLE claims ADD COLUMN second_rating TEXT;
CREATE TABLE second_ratings (
    id INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    requested_by INTEGER NOT NULL REFERENCES users(id),
    requested_at TEXT NOT NULL,
    rater_id INTEGER NOT NULL REFERENCES users(id),
    rating_key TEXT,
    reasoning TEXT,
    rated_at TEXT,
    first_rating_key TEXT,
    compared_at TEXT,
    cancelled_at TEXT
);
CREATE UNIQUE INDEX second_ratings_one_per_claim ON second_ratings(claim_id) WHERE cancelled_at IS NULL;
CREATE INDEX second_ratings_rater ON second_ratings(rater_id, rated_at);
CREATE INDEX second_ratings_compared ON second_ratings(compared_at);
"""


def up(db):
    from migrations import run_script

    run_script(db, SCHEMA)
