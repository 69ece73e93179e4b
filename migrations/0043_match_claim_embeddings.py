"""A prior verdict's second embedding: its claim alone, beside the one of its claim and headline together.

Hybrid matching compares a claim with both (the better cosine of the claim's text and its bare text to each).
``claim_vector`` is NULL when the claim alone is the embedded text itself (no headline); ``claim_hash`` is the
hash of the claim it embeds, NULL until ``review.semantic.embeddings.refresh`` first embeds it.
"""

SCHEMA = """
ALTER TABLE match_embeddings ADD COLUMN claim_hash TEXT;
ALTER TABLE match_embeddings ADD COLUMN claim_vector TEXT;
"""


def up(db):
    from migrations import run_script

    run_script(db, SCHEMA)
