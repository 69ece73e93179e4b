"""Index claims by assignee and by closing time only where they have one.

Every claim an ingest stores is unassigned and open, so ``assignee_id`` and ``closed_at`` are NULL
for it, yet each of the four assignee indexes and ``claims_closed`` took an entry for it, three of
them at places spread over the whole index (by priority or date), which cost a batch insert a
page write per claim and index. Every query that reads these indexes asks for a value
(``assignee_id = ?``, ``closed_at >= ? AND closed_at < ?``, ``assignee_id IS NOT NULL``), which
implies the column is not NULL, so each index now holds only the rows that have one: the same
plans (``tests/review/test_claim_indexes.py`` pins them) over far smaller indexes.
The queue's "unassigned" filter (``assignee_id IS NULL``) reads the state's own index
(``claims_queue``), where unassigned claims are the common case.
"""

PARTIAL = {  # name -> (columns, the column whose NULL rows stay out)
    "claims_assignee": ("assignee_id, status, priority DESC, id DESC", "assignee_id"),
    "claims_assignee_priority": ("assignee_id, priority DESC, id DESC", "assignee_id"),
    "claims_assignee_date": ("assignee_id, source_date DESC, id DESC", "assignee_id"),
    "claims_assignee_age": ("assignee_id, created_at", "assignee_id"),
    "claims_closed": ("closed_at", "closed_at"),
}
SCHEMA = "".join(f"DROP INDEX {name};\nCREATE INDEX {name} ON claims({columns}) WHERE {column} IS NOT NULL;\n"
                 for name, (columns, column) in PARTIAL.items())


def up(db):
    from migrations import run_script

    run_script(db, SCHEMA)
