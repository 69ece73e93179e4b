"""Sentence embeddings of prior verdicts for the semantic extra's hybrid matching, kept in the database.

One row per imported review (kind ``prior_review``) or own verdict (kind ``verdict``): the model that made it,
a hash of the text it embeds (a changed review is embedded again) and the vector as base64 float16. They
live here, not in the index folder, so every app node reads the same ones; empty without the extra.
"""

SCHEMA = """
CREATE TABLE match_embeddings (
    kind TEXT NOT NULL,
    ref_id BIGINT NOT NULL,
    model TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    vector TEXT NOT NULL,
    embedded_at TEXT NOT NULL,
    PRIMARY KEY (kind, ref_id)
);
"""


def up(db):
    db.run_script(SCHEMA)
