"""Claims' sentence embeddings and the round each claim's mark was checked in (see the SQLite migration).

PostgreSQL makes an edited claim unchecked in a BEFORE UPDATE trigger on the row itself.
"""

SCHEMA = """
CREATE TABLE claim_embeddings (
    claim_id BIGINT PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    vector TEXT NOT NULL,
    embedded_at TEXT NOT NULL
);
ALTER TABLE claims ADD COLUMN prior_checked_round BIGINT;
UPDATE claims SET prior_checked_round = 0 WHERE prior_checked_at IS NOT NULL;
CREATE FUNCTION claims_text_recheck() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    NEW.prior_checked_round := NULL;
    RETURN NEW;
END
$body$;
CREATE TRIGGER claims_text_recheck BEFORE UPDATE OF text ON claims FOR EACH ROW
WHEN (NEW.text IS DISTINCT FROM OLD.text) EXECUTE FUNCTION claims_text_recheck();
"""


def up(db):
    db.run_script(SCHEMA)
