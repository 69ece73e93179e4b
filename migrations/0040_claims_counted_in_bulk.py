"""Claims stored in bulk (an ingest's chunk) are counted once per batch, not by a trigger per row.

``bulk_claim_inserts`` holds a row only inside the transaction of a batch being stored
(review/desk_counts.py): while it does, the per-row triggers that keep the queue's state counts
(``claim_counts_insert``) and the desk overview's figures (``desk_claim_insert``) stand aside,
and the batch adds its claims to the same tables with one statement per table. Every other
insert (a claim typed in, a merge, a test's row) is counted by the triggers as before.
"""

GUARD = "WHEN NOT EXISTS (SELECT 1 FROM bulk_claim_inserts)"
HEADS = {  # each trigger's head as the earlier migrations wrote it, and the same head with the guard
    "claim_counts_insert": "AFTER INSERT ON claims BEGIN",
    "desk_claim_insert": "AFTER INSERT ON claims BEGIN",
}


def up(db):
    db.execute("CREATE TABLE bulk_claim_inserts (id INTEGER PRIMARY KEY)")
    for name, head in HEADS.items():
        sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [name]).fetchone()[0]
        if head not in sql:
            raise RuntimeError(f"{name}: expected {head!r} in its definition")
        db.execute(f"DROP TRIGGER {name}")
        db.execute(sql.replace(head, f"AFTER INSERT ON claims {GUARD} BEGIN", 1))
