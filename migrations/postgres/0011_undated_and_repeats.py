"""Undated documents' claims carry no date (not the ingest day), and an appearance counts how often
its document states the claim (near-duplicate sentences fold into one claim)."""

SCHEMA = """
ALTER TABLE claim_appearances ADD COLUMN repeats BIGINT NOT NULL DEFAULT 1;
UPDATE claims SET source_date = NULL
    WHERE document_id IN (SELECT id FROM documents WHERE published_at IS NULL);
"""


def up(db):
    db.run_script(SCHEMA)
