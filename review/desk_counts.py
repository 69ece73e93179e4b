"""The desk's counts for claims stored in bulk: added once for a batch instead of by a trigger per row.

The queue's state counts (``claim_counts``) and the desk overview's figures (``claim_flow``,
``claim_tallies``, ``workload_counts``) are kept by triggers as claims change (migrations 0003
and 0018). Inside :func:`claims_counted_together`, the two insert triggers stand aside (migration
0040) and the batch's claims are added with one statement per table: the same sums, and for a
claimant or source first seen in the batch, the label of its first claim, as the triggers give.
The full-text index's insert trigger stands aside as well (migration 0045): the batch's claims are
added to it with one statement, the same rows and words.
"""

import contextlib
import importlib
from collections.abc import Iterator

from review.states import OPEN_STATES
from review.storage import Store

PIECE = 400  # ids per statement (each is read once: SQLite's older builds cap a statement at 999 parameters)
OPEN = "(" + ", ".join(f"'{state}'" for state in OPEN_STATES) + ")"
_quarter = importlib.import_module("migrations.0018_desk_overview").quarter  # the one definition of a bucket


@contextlib.contextmanager
def claims_counted_together(db: Store) -> Iterator[list[int]]:
    """Count and full-text index the block's new claims once, at its end: add each new claim's id to the list yielded.

    Runs inside the caller's transaction (or a transaction of its own), not in a savepoint: SQLite
    copies every page a savepoint changes aside first, which costs a bulk insert more than the
    per-row triggers it replaces. The flag that silences the triggers is never seen by another
    transaction; a failure takes it away (and the caller's rollback the claims).
    """
    with contextlib.ExitStack() as stack:
        if not db.in_transaction:
            stack.enter_context(db.transaction())
        batch = db.insert("INSERT INTO bulk_claim_inserts DEFAULT VALUES")
        inserted: list[int] = []
        try:
            yield inserted
        except BaseException:
            with contextlib.suppress(Exception):  # a failed PostgreSQL transaction refuses it: its rollback will do
                db.execute("DELETE FROM bulk_claim_inserts WHERE id = ?", [batch])
            raise
        db.execute("DELETE FROM bulk_claim_inserts WHERE id = ?", [batch])
        count_new_claims(db, inserted)
        db.index_texts("claims", sorted(inserted))  # migration 0045: the full-text trigger stood aside too


def count_new_claims(db: Store, claim_ids: list[int]) -> None:
    """Add claims inserted while the insert triggers stood aside to every count, in id order.

    They must arrive open, as extraction stores them: a claim inserted closed is dated by a trigger
    of its own (``desk_claim_inserted_closed``) that counts it as having left the desk.

    :raises ValueError: a claim arrived closed (a programming error: store it one by one).
    """
    ids = sorted(claim_ids)
    for start in range(0, len(ids), PIECE):
        piece = ids[start:start + PIECE]
        chosen = f"c.id IN ({','.join('?' * len(piece))})"
        if db.scalar(f"SELECT count(*) FROM claims c WHERE {chosen} AND (c.closed_at IS NOT NULL"
                     f" OR c.status NOT IN {OPEN})", piece):
            raise ValueError("claims counted together must arrive open")
        states = db.query(f"SELECT c.status, count(*) AS n FROM claims c WHERE {chosen} GROUP BY c.status", piece)
        db.executemany("UPDATE claim_counts SET n = n + ? WHERE status = ?", [[r["n"], r["status"]] for r in states])
        for sql in _STATEMENTS:
            db.execute(sql.format(chosen=chosen), piece)


def _flow(direction: str) -> str:
    """Count the claims in by the quarter hour they entered in: all of them arrived open, so each is open too
    (no condition on the state, which would also lead the planner to read every open claim's index entry)."""
    bucket = _quarter("c.created_at")
    return (f"INSERT INTO claim_flow (bucket, direction, n) SELECT {bucket}, '{direction}', count(*) FROM claims c"
            f" WHERE {{chosen}} AND c.created_at IS NOT NULL GROUP BY {bucket}"
            " ON CONFLICT (direction, bucket) DO UPDATE SET n = claim_flow.n + excluded.n")


UPSERT_TALLY = " ON CONFLICT (dimension, key) DO UPDATE SET claims = claim_tallies.claims + excluded.claims"
_STATEMENTS = [
    _flow("in"),
    _flow("open"),
    # A key's label is the first claim's spelling (its smallest id), as the first row's trigger would write it.
    "INSERT INTO claim_tallies (dimension, key, label, claims) SELECT 'claimant', g.key, trim(f.claimant), g.n"
    " FROM (SELECT lower(trim(c.claimant)) AS key, min(c.id) AS first, count(*) AS n FROM claims c"
    "  WHERE {chosen} AND trim(coalesce(c.claimant, '')) != '' GROUP BY lower(trim(c.claimant))) g"
    " JOIN claims f ON f.id = g.first WHERE true" + UPSERT_TALLY,
    "INSERT INTO claim_tallies (dimension, key, label, claims) SELECT 'source', g.key, d.source, g.n"
    " FROM (SELECT lower(s.source) AS key, min(c.id) AS first, count(*) AS n FROM claims c"
    "  JOIN documents s ON s.id = c.document_id WHERE {chosen} AND s.source != '' GROUP BY lower(s.source)) g"
    " JOIN claims f ON f.id = g.first JOIN documents d ON d.id = f.document_id WHERE true" + UPSERT_TALLY,
    "INSERT INTO workload_counts (assignee_id, status, n) SELECT c.assignee_id, c.status, count(*) FROM claims c"
    " WHERE {chosen} AND c.assignee_id IS NOT NULL GROUP BY c.assignee_id, c.status"
    " ON CONFLICT (assignee_id, status) DO UPDATE SET n = workload_counts.n + excluded.n",
]
