"""Claims stored in bulk are counted once per batch: every count still equals a recount from the claims.

An ingest's chunk silences the per-row insert triggers and adds its claims to the queue's state
counts and the desk overview's figures at once (review/desk_counts.py, migration 0040); claims
typed in, edits, merges and removals are still counted by the triggers. Each step below is
checked against a count made from the claims themselves.
"""

import json

import pytest

from review import claims, purge, workflow
from review.desk_counts import claims_counted_together, count_new_claims
from review.ingest.store import ingest_paths
from tests.conftest import add_user
from tests.review.test_dashboard import kept, recount

RECORDS = [  # source, body: claimants in several spellings, one claim repeated in a later article
    ("Herald", "Finance Minister Jane Roe said inflation fell to 3 percent in May. The central bank said rates"
               " would stay at 4 percent."),
    ("herald", "JANE ROE said inflation fell to 3 percent in May. Officials said 200 jobs were cut in June."),
    ("Gazette", "The mayor said crime fell 30 percent last year. The council claimed 400 homes were built."),
    ("Gazette ", "Finance Minister Jane Roe said inflation fell to 3 percent in May. Jane Roe said exports rose"
                 " 7 percent in 2025."),
    ("Tribune", "Officials said 200 jobs were cut in June. The union said 1,500 workers walked out on Friday."),
    ("", "The mayor said crime fell 30 percent last year. Analysts said house prices rose 12 percent."),
]


def everything(db, labelled: bool = False) -> dict:
    """What the summary rows say, checking the queue's state counts against a recount (and, while no
    claim was removed or renamed, each label against its first claim's spelling)."""
    labels = {(r["dimension"], r["key"]): r["label"] for r in db.query("SELECT dimension, key, label FROM claim_tallies")}
    first = {}
    for r in db.query("SELECT c.claimant, d.source FROM claims c LEFT JOIN documents d ON d.id = c.document_id"
                      " ORDER BY c.id"):
        if (r["claimant"] or "").strip():
            first.setdefault(("claimant", r["claimant"].strip().lower()), r["claimant"].strip())
        if r["source"]:
            first.setdefault(("source", r["source"].lower()), r["source"])
    states = {r["status"]: r["n"] for r in db.query("SELECT status, n FROM claim_counts WHERE n != 0")}
    counted = {r["status"]: r["n"] for r in db.query("SELECT status, count(*) AS n FROM claims GROUP BY status")}
    assert states == counted
    if labelled:
        assert {key: labels[key] for key in first} == first
    assert db.scalar("SELECT count(*) FROM bulk_claim_inserts") == 0
    return kept(db)


def ingest(db, tmp_path, records, chunk_size):
    path = tmp_path / f"news-{chunk_size}.jsonl"
    path.write_text("".join(json.dumps({"body": body, "source": source, "title": body[:30]}) + "\n"
                            for source, body in records), encoding="utf-8")
    return ingest_paths(db, [str(path)], chunk_size=chunk_size)


@pytest.mark.parametrize("chunk_size", [1, 4])
def test_counts_follow_an_ingest_and_every_later_change(db, tmp_path, chunk_size):
    checker, editor, admin = add_user(db, "ana"), add_user(db, "eve", "editor"), add_user(db, "root", "admin")
    report = ingest(db, tmp_path, RECORDS, chunk_size)
    assert report.added == len(RECORDS) and report.count("claims") >= 8
    assert db.scalar("SELECT count(*) FROM claim_appearances") > db.scalar("SELECT count(*) FROM claims")
    assert everything(db, labelled=True) == recount(db)

    typed = claims.create_manual_claim(db, text="The minister said 12 schools opened in 2025.", claimant="jane roe")
    ids = [r["id"] for r in db.query("SELECT id FROM claims ORDER BY id")]
    workflow.apply_action(db, ids[0], "accept", checker)
    workflow.apply_action(db, ids[0], "start", checker)
    claims.update_claim(db, ids[0], checker, version=None, claimant="Someone Else")
    workflow.apply_action(db, ids[1], "merge", checker, target_id=typed["id"])
    workflow.apply_action(db, ids[2], "dismiss", editor, reason="opinion")
    assert everything(db) == recount(db)

    purge.purge(db, "document", db.scalar("SELECT min(id) FROM documents"), admin)
    purge.purge(db, "claim", ids[-1], admin)
    assert everything(db) == recount(db)
    assert ingest(db, tmp_path, RECORDS[:3] + [("Courier", "The port said 9 ships docked on Monday.")], chunk_size).added
    assert everything(db) == recount(db)


def test_claims_counted_together_must_arrive_open(db):
    claim = claims.create_manual_claim(db, text="The minister said 12 schools opened in 2025.", claimant="Jane Roe")
    workflow.apply_action(db, claim["id"], "dismiss", add_user(db, "eve", "editor"), reason="opinion")
    before = everything(db)
    with pytest.raises(ValueError, match="must arrive open"):
        count_new_claims(db, [claim["id"]])
    assert everything(db) == before == recount(db)


def test_a_failure_inside_a_batch_leaves_the_triggers_counting(db):
    with db.transaction():
        with pytest.raises(RuntimeError):
            with claims_counted_together(db):
                assert db.scalar("SELECT count(*) FROM bulk_claim_inserts") == 1
                raise RuntimeError("the batch failed")
        claims.create_manual_claim(db, text="The minister said 12 schools opened in 2025.", claimant="Jane Roe")
    assert everything(db, labelled=True) == recount(db)
    assert kept(db)["entered"] == 1


def found(db, column, typed) -> set[int]:
    """Return the claims a full-text search finds (the queue's search box, or its claimant filter)."""
    condition, params = db.text_match("claims", "c.id", {column: typed})
    return {r["id"] for r in db.query(f"SELECT c.id FROM claims c WHERE {condition}", params)}


def holding(db, column, words) -> set[int]:
    return {r["id"] for r in db.query(f"SELECT id, {column} AS value FROM claims") if words in (r["value"] or "").lower()}


@pytest.mark.parametrize("chunk_size", [1, 4])
def test_claims_stored_in_bulk_are_found_by_their_words_and_claimants(db, tmp_path, chunk_size):
    checker, admin = add_user(db, "ana"), add_user(db, "root", "admin")
    ingest(db, tmp_path, RECORDS, chunk_size)
    for column, typed, words in [(None, '"inflation fell"', "inflation fell"), (None, "percent", "percent"),
                                 ("claimant", "roe", "roe"), ("claimant", "mayor", "mayor")]:
        assert found(db, column, typed) == holding(db, "text" if column is None else column, words) != set()

    renamed = min(found(db, "claimant", "roe"))  # the update trigger takes out exactly what the batch put in
    workflow.apply_action(db, renamed, "accept", checker)
    workflow.apply_action(db, renamed, "start", checker)
    claims.update_claim(db, renamed, checker, version=None, claimant="Someone Else")
    assert renamed not in found(db, "claimant", "roe") and found(db, "claimant", "someone") == {renamed}
    gone = db.scalar("SELECT min(id) FROM documents")
    purge.purge(db, "document", gone, admin)
    assert found(db, None, "percent") == holding(db, "text", "percent") != set()
    assert db.scalar("SELECT count(*) FROM bulk_claim_inserts") == 0
