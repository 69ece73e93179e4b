"""The queue's "checked before?" marks in the background: all of them in the end, each claim embedded once, on a budget."""

import threading
import time

import pytest

from review import claims, prior
from review.background import Budget, lower_priority
from review.indexing import drain
from search_index import open_index
from tests.conftest import add_user
from tests.review.semantic.conftest import semantic_on  # noqa: F401 - the fixture, used by name
from tests.review.test_prior import archive, make_claim, publish_own  # noqa: F401 - archive is a fixture

POST = "@cityhall The Riverton tunnel cost $90 million, says the council https://t.example/tunnel"
FILLER = [f"Harbor County opened {n} new libraries and {n + 3} swimming pools in {1990 + n}." for n in range(30)]


def open_claims(db) -> list[dict]:
    return db.query("SELECT id, prior_checked_round, prior_match_publisher FROM claims"
                    " WHERE status IN ('new', 'queued', 'in_progress', 'in_review') ORDER BY id")


def mark_cycles(db, index_path: str, *, cycles: int, limit: int, budget=None) -> list[int]:
    """Run the background loop's marking ``cycles`` times; return how many claims each cycle checked."""
    index = open_index(index_path)
    try:
        return [prior.refresh_marks(db, index, limit=limit, budget=budget() if budget else None)
                for _ in range(cycles)]
    finally:
        index.close()


@pytest.fixture
def embedded(monkeypatch):
    """Record every text the real encoder embeds (the encoder still runs)."""
    from review.semantic.encoder import Encoder

    texts = []
    real = Encoder.embed

    def embed(self, batch):
        texts.extend(batch)
        return real(self, batch)

    monkeypatch.setattr(Encoder, "embed", embed)
    return texts


def test_every_open_claim_is_marked_after_enough_bounded_cycles(db, archive):
    bridge = make_claim(db)
    for text in FILLER:
        claims.create_manual_claim(db, text=text)
    # A spent budget stops a cycle after its first few claims; the loop comes back for the rest.
    checked = mark_cycles(db, archive, cycles=4, limit=100, budget=lambda: Budget(cycle_cpu=1e-9))
    assert checked == [prior.MARK_CHUNK, 31 - prior.MARK_CHUNK, 0, 0]
    rows = open_claims(db)
    assert {r["prior_checked_round"] for r in rows} == {prior.prior_round(db)}
    assert [r["id"] for r in rows if r["prior_match_publisher"]] == [bridge["id"]]


def test_marks_follow_new_prior_verdicts_and_edited_claims(app, db, archive):
    first = claims.create_manual_claim(db, text="The Riverton ferry carried 9,000 passengers in March.")
    assert mark_cycles(db, archive, cycles=2, limit=10) == [1, 0]
    # Our own verdict on the same claim is published: the open claim is checked again and marked.
    publish_own(db, "The Riverton ferry carried 9,000 passengers in March, the mayor said.")
    drain(db, app.config["INDEX"])
    assert mark_cycles(db, archive, cycles=2, limit=10) == [1, 0]
    assert db.one("SELECT prior_match_label FROM claims WHERE id = ?", [first["id"]])["prior_match_label"] == "False"
    # Its text is edited: checked again, against the new text, and no longer marked.
    editor = add_user(db, "edna", "editor")
    claims.update_claim(db, first["id"], editor, version=claims.get_claim(db, first["id"])["version"],
                        text="Hospital waiting lists grew by 12 percent in Harbor County.")
    assert mark_cycles(db, archive, cycles=2, limit=10) == [1, 0]
    assert db.one("SELECT prior_match_label FROM claims WHERE id = ?", [first["id"]])["prior_match_label"] is None


def test_claims_checked_long_ago_come_before_unchanged_ones_when_verdicts_keep_coming(db, archive):
    for text in FILLER[:6]:
        claims.create_manual_claim(db, text=text)
    assert mark_cycles(db, archive, cycles=1, limit=10) == [6]
    rounds_seen = []
    for _ in range(3):  # priors change before each cycle, and each cycle checks only 2 claims
        db.execute("UPDATE state SET value = 'changed' WHERE key = 'prior_generation'")
        mark_cycles(db, archive, cycles=1, limit=2)
        rounds_seen.append(sorted(r["prior_checked_round"] for r in open_claims(db)))
    current = prior.prior_round(db)
    assert rounds_seen[-1] == [current - 2, current - 2, current - 1, current - 1, current, current]


def test_a_publication_marks_claims_again_without_embedding_unchanged_claims(semantic_on, app, db, archive, embedded):
    from review.semantic.matching import bare_text

    assert bare_text(POST) != POST
    bridge = make_claim(db)
    fillers = [claims.create_manual_claim(db, text=text) for text in FILLER[:4]]
    # A pasted post: matching reads its text and its bare text (no handle, no link); both are kept.
    fillers.append(claims.create_manual_claim(db, text=POST))
    assert mark_cycles(db, archive, cycles=2, limit=20) == [6, 0]
    texts = [bridge["text"]] + [c["text"] for c in fillers]
    assert sorted(embedded) == sorted(texts + [bare_text(POST)])  # each claim embedded once, the post's bare text too
    stored = {r["claim_id"]: r["embedded_at"] for r in db.query("SELECT claim_id, embedded_at FROM claim_embeddings")}
    assert set(stored) == {bridge["id"], *(c["id"] for c in fillers)}

    embedded.clear()
    published = publish_own(db, "The Riverton ferry carried 9,000 passengers in March, the mayor said.")
    drain(db, app.config["INDEX"])
    ferry = claims.create_manual_claim(db, text="The Riverton ferry carried 9,000 passengers in March.")
    assert mark_cycles(db, archive, cycles=2, limit=20) == [7, 0]
    # The new verdict is embedded once (with its conclusion, and its claim alone), the new claim once, and none
    # of the six claims already embedded.
    assert embedded == [published["text"] + " The bridge cost $61 million", published["text"], ferry["text"]]
    assert {r["claim_id"]: r["embedded_at"] for r in db.query(
        "SELECT claim_id, embedded_at FROM claim_embeddings WHERE claim_id <> ?", [ferry["id"]])} == stored
    marks = {r["id"]: r["prior_match_publisher"] for r in open_claims(db)}
    assert marks[bridge["id"]] == "PolitiFact" and marks[ferry["id"]] == "Claimdesk"
    assert {r["prior_checked_round"] for r in open_claims(db)} == {prior.prior_round(db)}


def test_the_workspace_reads_a_claims_stored_embedding_and_stores_nothing(semantic_on, db, archive, embedded):
    claim = make_claim(db)
    index = open_index(archive)
    try:
        prior.checked_before(db, index, claims.get_claim(db, claim["id"]))  # not embedded yet: made, not kept
        assert embedded.count(claim["text"]) == 1
        assert db.scalar("SELECT count(*) FROM claim_embeddings") == 0
        prior.refresh_marks(db, index)
        prior.checked_before(db, index, claims.get_claim(db, claim["id"]))
        assert embedded.count(claim["text"]) == 2  # once more by the marks, then read from the database
    finally:
        index.close()


def test_a_cycles_pause_keeps_its_work_to_its_share_of_a_core():
    budget = Budget(cycle_cpu=0.5, share=0.25, started=time.thread_time() - 0.6)
    assert budget.spent()
    assert budget.pause() == pytest.approx(3 * budget.used(), rel=0.01)
    assert Budget(cycle_cpu=10).spent() is False


@pytest.mark.parametrize("settings, message", [({"share": 0}, "between 0 and 1"), ({"share": 1.5}, "between 0 and 1"),
                                               ({"cycle_cpu": 0}, "positive number of seconds")])
def test_a_budget_refuses_settings_that_mean_nothing(settings, message):
    with pytest.raises(ValueError, match=message):
        Budget(**settings)


def test_background_threads_run_at_a_lower_priority_than_the_threads_beside_them():
    import os

    found = {}

    def background():
        found["nice"] = lower_priority()
        found["own"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    thread = threading.Thread(target=background)
    thread.start()
    thread.join()
    assert found["nice"] == found["own"] == min(19, before + 10)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before  # this thread kept its own
