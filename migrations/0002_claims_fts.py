"""Full-text search over claim text and claimant, for the queue's text filter."""

SCHEMA = """
CREATE VIRTUAL TABLE claims_fts USING fts5(
    text, claimant, content='claims', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
);
INSERT INTO claims_fts (rowid, text, claimant) SELECT id, text, coalesce(claimant, '') FROM claims;
CREATE TRIGGER claims_fts_insert AFTER INSERT ON claims BEGIN
    INSERT INTO claims_fts (rowid, text, claimant) VALUES (new.id, new.text, coalesce(new.claimant, ''));
END;
CREATE TRIGGER claims_fts_delete AFTER DELETE ON claims BEGIN
    INSERT INTO claims_fts (claims_fts, rowid, text, claimant) VALUES ('delete', old.id, old.text, coalesce(old.claimant, ''));
END;
CREATE TRIGGER claims_fts_update AFTER UPDATE OF text, claimant ON claims BEGIN
    INSERT INTO claims_fts (claims_fts, rowid, text, claimant) VALUES ('delete', old.id, old.text, coalesce(old.claimant, ''));
    INSERT INTO claims_fts (rowid, text, claimant) VALUES (new.id, new.text, coalesce(new.claimant, ''));
END;
"""


def up(db):
    from migrations import run_script

    run_script(db, SCHEMA)
