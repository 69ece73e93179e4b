"""The index each kept claim query reads: a page that loses its index (dropped, or narrowed past its rows) fails here.

Each case runs a real domain function on a small desk, records the statements it sends, and reads their plans.
SQLite's planner picks by the schema alone (a desk gathers no statistics), so the plan is the one a large desk
gets. PostgreSQL's weighs row counts, so it is asked with sequential scans, bitmap scans and sorts priced out:
it then names the index able to serve each query, in order where the query needs an order.
"""

import re
from datetime import date

import pytest

from review import claims, dashboard, queue
from review.ingest.store import ingest_paths
from tests.conftest import add_user
from tests.review.ingest.samples import jsonl, write

CLAIM = "Officials said {n},000 people were evacuated from the coast on Monday."


class Recorder:
    """The store, with the statements read through it kept (sql, params) in order."""

    def __init__(self, db):
        self._db = db
        self.statements: list[tuple[str, list]] = []

    def __getattr__(self, name):
        return getattr(self._db, name)

    def _kept(self, method: str, sql: str, params=()):
        self.statements.append((sql, list(params)))
        return getattr(self._db, method)(sql, params)

    def query(self, sql, params=()):
        return self._kept("query", sql, params)

    def one(self, sql, params=()):
        return self._kept("one", sql, params)

    def scalar(self, sql, params=()):
        return self._kept("scalar", sql, params)


def plan(db, sql: str, params: list) -> str:
    """Return the statement's plan as one line ("SEARCH c USING INDEX claims_queue (status=?) / ...")."""
    if db.dialect == "sqlite":
        return " / ".join(row["detail"] for row in db.query(f"EXPLAIN QUERY PLAN {sql}", params))
    with db.transaction():
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            db.execute(f"SET LOCAL {setting} = off")
        lines = [next(iter(row.values())).strip() for row in db.query(f"EXPLAIN {sql}", params)]
    return " / ".join(lines)


def plans_of(db, run, marker: str) -> list[str]:
    """Run ``run(recorder)``; return the plans of the statements it sent that contain ``marker``."""
    recorder = Recorder(db)
    run(recorder)
    found = [plan(db, sql, params) for sql, params in recorder.statements if marker in sql]
    assert found, f"no statement containing {marker!r} was sent"
    return found


def reads(db, found: list[str], index: str | tuple[str, ...], *, ordered: bool = False) -> None:
    """Every plan reads ``index`` (or one of them); with ``ordered``, in the order asked (no sort afterwards)."""
    assert found
    for text in found:
        assert any(f" {name} " in f" {text} " for name in ([index] if isinstance(index, str) else index)), text
        if ordered:  # PostgreSQL may sort ties of an index's order (an Incremental Sort): not the rows afresh
            assert "TEMP B-TREE FOR ORDER BY" not in text and not re.search(r"(^|-> +)Sort ", text), text


ASSIGNEE_INDEXES = ("claims_assignee", "claims_assignee_priority", "claims_assignee_date", "claims_assignee_age")


def assigned(db, index: str, *also: str) -> tuple[str, ...]:
    """Return the index SQLite reads for a query on one assignee's claims; PostgreSQL, weighing a small table,
    may pick another of the assignee indexes that serves it equally (``also``)."""
    return (index,) if db.dialect == "sqlite" else (index, *also)


@pytest.fixture
def desk(db):
    """A small desk: claims in several states, some assigned, one closed, one merged into another."""
    people = {name: add_user(db, name) for name in ("ana", "ben")}
    made = [claims.create_manual_claim(db, text=CLAIM.format(n=n), claimant=f"Minister {n % 3}") for n in range(1, 13)]
    ids = [c["id"] for c in made]
    for claim_id, status, who in [(ids[0], "queued", "ana"), (ids[1], "in_progress", "ana"),
                                  (ids[2], "queued", "ben"), (ids[3], "published", "ana")]:
        db.execute("UPDATE claims SET status = ?, assignee_id = ? WHERE id = ?", [status, people[who]["id"], claim_id])
    db.execute("UPDATE claims SET status = 'dismissed' WHERE id = ?", [ids[4]])
    db.execute("UPDATE claims SET status = 'merged', duplicate_of = ? WHERE id = ?", [ids[6], ids[5]])
    return {"people": people, "ids": ids}


def test_each_queue_tab_reads_its_rows_in_order_from_an_index(db, desk):
    ana = desk["people"]["ana"]

    def page(**asked):
        return plans_of(db, lambda r: queue.list_queue(r, user_id=ana["id"], **asked), "LIMIT")

    reads(db, page(tab="new"), "claims_queue", ordered=True)
    reads(db, page(tab="new", sort="date"), "claims_queue_date", ordered=True)  # undated claims last (0047)
    reads(db, page(tab="mine"), "claims_assignee_priority", ordered=True)
    reads(db, page(tab="mine", sort="date"), "claims_assignee_date", ordered=True)
    one_state = assigned(db, "claims_assignee", "claims_assignee_priority")
    reads(db, page(tab="queued", filters={"assignee": "ana"}), one_state, ordered=True)


def test_the_desks_counts_and_filters_read_an_index(db, desk):
    ana = desk["people"]["ana"]
    today = date.today()

    def counted(**filters):
        return plans_of(db, lambda r: queue.count_listed(r, tab="all", user_id=ana["id"], filters=filters), "count(*)")

    reads(db, counted(entered_from="2024-01-01", entered_to="2024-01-31"), "claims_created")
    reads(db, counted(left_from="2024-01-01", left_to="2024-01-31"), "claims_closed")
    reads(db, counted(claimant_is="Minister 1"), "claims_claimant_key")
    reads(db, plans_of(db, lambda r: queue.tab_counts(r, ana["id"]), "assignee_id = ?"),
          assigned(db, "claims_assignee", *ASSIGNEE_INDEXES))
    if db.dialect == "sqlite":  # PostgreSQL may count a small table's claims of the day through claims_open_age
        reads(db, plans_of(db, lambda r: dashboard.ages(r, today, only=ana), "created_at <"), "claims_assignee_age")
    reads(db, plans_of(db, lambda r: dashboard.oldest_open(r, today, only=ana), "ORDER BY"), "claims_assignee_age",
          ordered=True)
    if db.dialect == "postgres":  # SQLite's planner reads the state's index here and sorts
        reads(db, plans_of(db, lambda r: dashboard.oldest_open(r, today), "ORDER BY"), "claims_open_age", ordered=True)


def test_a_claims_merged_repeats_are_found_through_an_index(db, desk):
    target = desk["ids"][6]
    reads(db, plans_of(db, lambda r: claims.appearances(r, target), "duplicate_of"), "claims_duplicate")


def test_an_ingest_finds_known_claims_and_its_own_through_indexes(db, tmp_path):
    body = "\n\n".join(CLAIM.format(n=n) for n in range(1, 4))
    ingest_paths(db, [write(tmp_path / "first.jsonl", jsonl({"title": "First", "body": body}))], chunk_size=2)
    again = jsonl({"title": "Again", "body": f"{body}\n\nThe mayor said 300 homes were damaged on Friday."},
                  {"title": "Other", "body": CLAIM.format(n=9)})
    recorder = Recorder(db)
    report = ingest_paths(recorder, [write(tmp_path / "again.jsonl", again)], chunk_size=2)
    assert [(o.status, o.claims_new, o.claims_linked) for o in report.outcomes] == [("added", 1, 3), ("added", 1, 0)]
    statements = [(sql, params) for sql, params in recorder.statements if "FROM claims WHERE" in sql]
    reads(db, [plan(db, sql, params) for sql, params in statements if "normalized_text IN" in sql], "claims_normalized")
    reads(db, [plan(db, sql, params) for sql, params in statements if "document_id IN" in sql], "claims_document_rank")
