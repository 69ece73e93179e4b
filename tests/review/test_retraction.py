"""Retracting a published fact-check takes two editors: one asks, with the reason; another approves."""

import pytest

from review import claims, verdicts, workflow
from review.errors import Forbidden, ValidationError
from tests.conftest import add_user


def publish(db, checker, editor, text="The minister said 4,000 homes were rebuilt in 2023.",
            claimant="Minister Ana Lopez") -> dict:
    """Take a claim through the real workflow to a published verdict; return the claim."""
    claim = claims.create_manual_claim(db, text=text, claimant=claimant, url="https://tv.example/clip",
                                       appeared_at="2024-12-07")
    for action in ("accept", "start"):
        workflow.apply_action(db, claim["id"], action, checker)
    verdicts.save_draft(db, claims.get_claim(db, claim["id"]), checker, {
        "rating_key": "false", "conclusion": "About 1,200 homes were rebuilt", "claim_reviewed": text})
    workflow.apply_action(db, claim["id"], "submit", checker)
    return workflow.apply_action(db, claim["id"], "approve", editor)


@pytest.fixture
def desk(db):
    cara = add_user(db, "cara")
    eddie, erin = add_user(db, "eddie", "editor"), add_user(db, "erin", "editor")
    return cara, eddie, erin, publish(db, cara, eddie)


def names(claim, user):
    return [t.name for t in workflow.actions_for(claim, user)]


def test_one_editor_cannot_retract_alone(db, desk):
    cara, eddie, erin, claim = desk
    assert "retract" not in names(claim, eddie)  # nothing requested yet
    with pytest.raises(Forbidden, match="request it first"):
        workflow.apply_action(db, claim["id"], "retract", eddie, version=claim["version"])
    claim = workflow.apply_action(db, claim["id"], "request_retraction", eddie, version=claim["version"],
                                  comment="The ministry's figure was right; our source misread the table.")
    assert claim["status"] == "published" and claim["retraction_requested_by"] == eddie["id"]
    assert "retract" not in names(claim, eddie)
    with pytest.raises(Forbidden, match="another editor must approve it"):
        workflow.apply_action(db, claim["id"], "retract", eddie, version=claim["version"])
    # Not even on a desk that lets an editor approve their own verdicts.
    with pytest.raises(Forbidden):
        workflow.apply_action(db, claim["id"], "retract", eddie, version=claim["version"],
                              require_other_approver=False)
    with pytest.raises(Forbidden, match="editor"):
        workflow.apply_action(db, claim["id"], "retract", cara, version=claim["version"])
    assert claims.get_claim(db, claim["id"])["status"] == "published"
    assert verdicts.published_revision(db, claim["id"]) is not None


def test_a_second_editor_retracts_and_the_history_says_who_and_why(db, desk):
    cara, eddie, erin, claim = desk
    claim = workflow.apply_action(db, claim["id"], "request_retraction", eddie, version=claim["version"],
                                  comment="Our source misread the table.")
    assert [t.name for t in workflow.actions_for(claim, erin)][0] == "retract"  # the step it waits for
    claim = workflow.apply_action(db, claim["id"], "retract", erin, version=claim["version"])
    assert claim["status"] == "retracted" and claim["closed_at"]
    assert claim["retracted_by"] == erin["id"] and claim["retraction_reason"] == "Our source misread the table."
    assert verdicts.published_revision(db, claim["id"]) is None
    assert verdicts.retracted_revision(db, claim["id"])["conclusion"] == "About 1,200 homes were rebuilt"
    history = db.query("SELECT action, actor_id, details FROM events WHERE entity_type = 'claim' AND entity_id = ?"
                       " AND action LIKE '%retract%' ORDER BY id", [claim["id"]])
    assert [(e["action"], e["actor_id"]) for e in history] == [
        ("claim.request_retraction", eddie["id"]), ("claim.retract", erin["id"])]
    assert "misread the table" in history[1]["details"]
    assert workflow.event_label("claim.retract") == "Retracted"
    assert workflow.actions_for(claim, eddie) == [] and workflow.actions_for(claim, erin) == []
    # A retracted fact-check counts as closed and no longer as a rating on the desk's figures.
    assert db.scalar("SELECT n FROM claim_counts WHERE status = 'retracted'") == 1
    assert db.scalar("SELECT n FROM claim_counts WHERE status = 'published'") == 0
    assert db.scalar("SELECT coalesce(sum(n), 0) FROM rating_tallies WHERE dimension = 'desk' AND rating_key = 'false'") == 0


def test_a_request_needs_a_reason_and_can_be_declined(db, desk):
    cara, eddie, erin, claim = desk
    with pytest.raises(ValidationError) as error:
        workflow.apply_action(db, claim["id"], "request_retraction", eddie, version=claim["version"], comment="  ")
    assert "comment" in error.value.fields
    with pytest.raises(Forbidden):  # a checker cannot ask
        workflow.apply_action(db, claim["id"], "request_retraction", cara, version=claim["version"], comment="x")
    claim = workflow.apply_action(db, claim["id"], "request_retraction", eddie, version=claim["version"],
                                  comment="Wrong table.")
    assert "correct" not in names(claim, erin) and "request_retraction" not in names(claim, erin)
    claim = workflow.apply_action(db, claim["id"], "decline_retraction", erin, version=claim["version"])
    assert claim["status"] == "published" and claim["retraction_requested_by"] is None
    assert "request_retraction" in names(claim, eddie) and "retract" not in names(claim, erin)
