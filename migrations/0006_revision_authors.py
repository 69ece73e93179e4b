"""Every verdict revision records who wrote or changed it (the four-eyes rule needs all of them)."""

SCHEMA = """
CREATE TABLE revision_authors (
    claim_id INTEGER NOT NULL REFERENCES claims(id),
    revision INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    first_at TEXT NOT NULL,
    PRIMARY KEY (claim_id, revision, user_id)
);
INSERT INTO revision_authors (claim_id, revision, user_id, first_at)
    SELECT claim_id, revision, author_id, created_at FROM verdicts WHERE author_id IS NOT NULL;
INSERT INTO revision_authors (claim_id, revision, user_id, first_at)
    SELECT v.claim_id, v.revision, e.actor_id, min(e.at) FROM events e
    JOIN verdicts v ON v.id = json_extract(e.details, '$.verdict_id')
    WHERE e.action IN ('verdict.create', 'verdict.edit') AND e.actor_id IS NOT NULL
    GROUP BY v.claim_id, v.revision, e.actor_id
    ON CONFLICT DO NOTHING;
"""


def up(db):
    from migrations import run_script

    run_script(db, SCHEMA)
