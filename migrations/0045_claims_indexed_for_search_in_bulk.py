"""Claims stored in bulk are added to the full-text index once per batch, not by a trigger per row.

While ``bulk_claim_inserts`` holds a row (only inside a batch's own transaction, migration 0040),
``claims_fts_insert`` stands aside like the counting triggers, and the batch adds its claims to
``claims_fts`` with one statement (review/desk_counts.py through the store's ``index_texts``): the
same rows and words, for about a fifth of the CPU FTS5 spends on them one trigger call at a time.
Every other insert is indexed by the trigger as before.
"""

GUARD = "WHEN NOT EXISTS (SELECT 1 FROM bulk_claim_inserts)"
HEAD = "AFTER INSERT ON claims BEGIN"  # the trigger's head as migration 0014 wrote it


def up(db):
    sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'claims_fts_insert'").fetchone()[0]
    if HEAD not in sql:
        raise RuntimeError(f"claims_fts_insert: expected {HEAD!r} in its definition")
    db.execute("DROP TRIGGER claims_fts_insert")
    db.execute(sql.replace(HEAD, f"AFTER INSERT ON claims {GUARD} BEGIN", 1))
