"""The queue's FTS5 table reads words by the one analyzer definition (search_index/words.py).

Its tokenizer is ``words.FTS5_TOKENIZE``; when the table was made with other settings, it is made
anew with the definition's and refilled from the claims. A later change of the definition's tokenizer
adds a migration that calls ``rebuild_claims_fts`` again (a test checks a migrated database agrees).
"""

import re

TRIGGERS = """
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


def fts_tokenizer(db) -> str | None:
    """Return the tokenize setting the claims_fts table was created with (None without the table)."""
    row = db.execute("SELECT sql FROM sqlite_master WHERE name = 'claims_fts'").fetchone()
    found = re.search(r"tokenize\s*=\s*'([^']*)'", row[0]) if row else None
    return found.group(1) if found else ("unicode61" if row else None)


def rebuild_claims_fts(db) -> None:
    """Make the claims_fts table and its triggers anew with the definition's tokenizer, filled from claims."""
    from migrations import run_script
    from search_index.words import FTS5_TOKENIZE

    run_script(db, """
DROP TRIGGER IF EXISTS claims_fts_insert;
DROP TRIGGER IF EXISTS claims_fts_delete;
DROP TRIGGER IF EXISTS claims_fts_update;
DROP TABLE IF EXISTS claims_fts;
""")
    db.execute("CREATE VIRTUAL TABLE claims_fts USING fts5(text, claimant, content='claims', content_rowid='id',"
               f" tokenize='{FTS5_TOKENIZE}')")
    run_script(db, TRIGGERS)
    db.execute("INSERT INTO claims_fts (claims_fts) VALUES ('rebuild')")


def up(db):
    from search_index.words import FTS5_TOKENIZE

    if fts_tokenizer(db) != FTS5_TOKENIZE:
        rebuild_claims_fts(db)
