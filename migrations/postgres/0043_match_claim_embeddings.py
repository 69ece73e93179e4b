"""A prior verdict's second embedding: its claim alone (see the SQLite migration)."""

SCHEMA = """
ALTER TABLE match_embeddings ADD COLUMN claim_hash TEXT;
ALTER TABLE match_embeddings ADD COLUMN claim_vector TEXT;
"""


def up(db):
    db.run_script(SCHEMA)
