"""A claim's second embedding: its bare text (see the SQLite migration)."""

SCHEMA = """
ALTER TABLE claim_embeddings ADD COLUMN bare_hash TEXT;
ALTER TABLE claim_embeddings ADD COLUMN bare_vector TEXT;
"""


def up(db):
    db.run_script(SCHEMA)
