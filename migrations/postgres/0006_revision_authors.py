"""Every verdict revision records who wrote or changed it (the four-eyes rule needs all of them)."""

SCHEMA = """
CREATE TABLE revision_authors (
    claim_id BIGINT NOT NULL REFERENCES claims(id),
    revision BIGINT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id),
    first_at TEXT NOT NULL,
    PRIMARY KEY (claim_id, revision, user_id)
);
INSERT INTO revision_authors (claim_id, revision, user_id, first_at)
    SELECT claim_id, revision, author_id, created_at FROM verdicts WHERE author_id IS NOT NULL;
INSERT INTO revision_authors (claim_id, revision, user_id, first_at)
    SELECT v.claim_id, v.revision, e.actor_id, min(e.at) FROM events e
    JOIN verdicts v ON v.id = (e.details::jsonb ->> 'verdict_id')::bigint
    WHERE e.action IN ('verdict.create', 'verdict.edit') AND e.actor_id IS NOT NULL
    GROUP BY v.claim_id, v.revision, e.actor_id
    ON CONFLICT DO NOTHING;
"""


def up(db):
    db.run_script(SCHEMA)
