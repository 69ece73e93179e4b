"""What an editor reviews: each distinct version they saw is recorded; a resubmission shows what changed since."""

import pytest

from review import changes, claims, verdicts, workflow
from tests.conftest import add_user


@pytest.fixture
def desk(db):
    people = {name: add_user(db, name, role) for name, role in [("cara", "checker"), ("eddie", "editor")]}
    claim = claims.create_manual_claim(db, text="The new bridge cost $48 million.", claimant="Mayor Elena Marsh",
                                       url="https://herald.example/bridge")
    for action in ("accept", "start"):
        workflow.apply_action(db, claim["id"], action, people["cara"])
    verdicts.save_draft(db, claims.get_claim(db, claim["id"]), people["cara"],
                        {"rating_key": "mostly-false", "conclusion": "It cost $31 million",
                         "explanation": "The city budget lists $31 million."})
    workflow.apply_action(db, claim["id"], "submit", people["cara"])
    return people, claims.get_claim(db, claim["id"])


def seen_by(db, claim_id, editor):
    """Show the editor the review (which writes nothing), then record that they saw it, as the page does."""
    claim = claims.get_claim(db, claim_id)
    seen = changes.review_changes(db, claim, editor["id"], verdicts.open_revision(db, claim_id),
                                  verdicts.published_revision(db, claim_id))
    assert changes.record_seen(db, claim_id, editor, seen["digest"])
    return seen


def views(db, user):
    return db.scalar("SELECT count(*) FROM review_views WHERE user_id = ?", [user["id"]])


def test_reading_the_review_writes_nothing_and_only_what_was_shown_is_recorded(db, desk):
    people, claim = desk
    shown = changes.review_changes(db, claim, people["eddie"]["id"], verdicts.open_revision(db, claim["id"]), None)
    assert views(db, people["eddie"]) == 0
    assert not changes.record_seen(db, claim["id"], people["eddie"], "a digest of something else")
    assert not changes.record_seen(db, claim["id"], people["cara"], shown["digest"])  # a checker is shown no diff
    assert views(db, people["eddie"]) == 0 and views(db, people["cara"]) == 0
    assert changes.record_seen(db, claim["id"], people["eddie"], shown["digest"])
    assert views(db, people["eddie"]) == 1


def test_first_submission_has_nothing_to_compare(db, desk):
    people, claim = desk
    seen = seen_by(db, claim["id"], people["eddie"])
    assert seen["baseline"] is None and seen["changed"] == []
    assert {r["key"]: r["value"] for r in seen["rows"]}["rating"] == "Mostly false"
    assert db.scalar("SELECT count(*) FROM review_views WHERE user_id = ?", [people["eddie"]["id"]]) == 1
    seen_by(db, claim["id"], people["eddie"])  # the same content again: one row, a later time
    assert db.scalar("SELECT count(*) FROM review_views WHERE user_id = ?", [people["eddie"]["id"]]) == 1


def test_a_resubmission_shows_what_changed_since_the_editor_last_saw_it(db, desk):
    people, claim = desk
    seen_by(db, claim["id"], people["eddie"])
    workflow.apply_action(db, claim["id"], "send_back", people["eddie"], comment="False, surely?")
    verdicts.save_draft(db, claims.get_claim(db, claim["id"]), people["cara"],
                        {"rating_key": "false", "explanation": "The city budget lists only $31 million."})
    workflow.apply_action(db, claim["id"], "submit", people["cara"])
    seen = seen_by(db, claim["id"], people["eddie"])
    assert seen["baseline"]["label"] == "the version you last saw"
    assert seen["changed"] == ["Rating", "Explanation"]
    rows = {r["key"]: r for r in seen["rows"]}
    assert rows["rating"]["diff"] == [{"op": "del", "text": "Mostly false"}, {"op": "ins", "text": "False"}]
    assert {"op": "ins", "text": "only "} in rows["explanation"]["diff"] or \
        any(s["op"] == "ins" and "only" in s["text"] for s in rows["explanation"]["diff"])
    # Looking again still shows the change (compared with the last *different* version seen).
    assert seen_by(db, claim["id"], people["eddie"])["changed"] == ["Rating", "Explanation"]


def test_a_correction_is_compared_with_the_published_revision(db, desk):
    people, claim = desk
    other = add_user(db, "erin", "editor")
    workflow.apply_action(db, claim["id"], "approve", people["eddie"])
    workflow.apply_action(db, claim["id"], "correct", people["eddie"])
    workflow.apply_action(db, claim["id"], "assign", people["eddie"], assignee_id=people["cara"]["id"])
    verdicts.save_draft(db, claims.get_claim(db, claim["id"]), people["cara"],
                        {"conclusion": "It cost $33 million", "correction_note": "The final invoice was higher."})
    workflow.apply_action(db, claim["id"], "submit", people["cara"])
    seen = seen_by(db, claim["id"], other)
    assert seen["baseline"]["label"] == "the published revision 1"
    assert seen["changed"] == ["Conclusion", "Correction note"]


def test_word_diff_marks_only_the_changed_words():
    assert changes.word_diff("It cost $31 million", "It cost $33 million") == [
        {"op": "same", "text": "It cost "}, {"op": "del", "text": "$31"}, {"op": "ins", "text": "$33"},
        {"op": "same", "text": " million"}]
