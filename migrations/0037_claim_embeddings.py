"""Claims' sentence embeddings for the queue's "checked before?" marks, and the round each claim was checked in.

With the semantic extra, checking a claim against prior verdicts needs the claim's embedding. It is made
once and kept in ``claim_embeddings`` (the model that made it and a hash of the text it embeds: an edited
claim is embedded again), so checking every open claim again after a publication or an import embeds
nothing new. A row goes with its claim.

``claims.prior_checked_round`` is the round of prior verdicts (``state.prior_round``, one more each time
they change) a claim's mark was checked against; NULL until it is first checked. The background loop
checks unchecked claims first, then the stalest rounds, so every claim is checked again however often
verdicts are published. The trigger makes an edited claim unchecked, so its new text is checked.
"""

SCHEMA = """
CREATE TABLE claim_embeddings (
    claim_id INTEGER PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    vector TEXT NOT NULL,
    embedded_at TEXT NOT NULL
);
ALTER TABLE claims ADD COLUMN prior_checked_round INTEGER;
UPDATE claims SET prior_checked_round = 0 WHERE prior_checked_at IS NOT NULL;
CREATE TRIGGER claims_text_recheck AFTER UPDATE OF text ON claims
WHEN new.text IS NOT old.text AND new.prior_checked_round IS NOT NULL
BEGIN
    UPDATE claims SET prior_checked_round = NULL WHERE id = new.id;
END;
"""


def up(db):
    from migrations import run_script

    run_script(db, SCHEMA)
