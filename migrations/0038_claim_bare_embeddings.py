"""A claim's second embedding: its bare text (no links, @handles or signature), which hybrid matching reads too.

NULL when the bare text is the claim's text itself. ``bare_hash`` is the hash of the bare text it embeds,
so a change in how the bare text is made embeds it again.
"""

SCHEMA = """
ALTER TABLE claim_embeddings ADD COLUMN bare_hash TEXT;
ALTER TABLE claim_embeddings ADD COLUMN bare_vector TEXT;
"""


def up(db):
    from migrations import run_script

    run_script(db, SCHEMA)
