"""Claims in the domain: who changes a claim, and how a published or dismissed one changes."""

import pytest

from review import claims, evidence, prior, verdicts, workflow
from review.errors import Forbidden
from tests.conftest import add_user


def make(db, text="The minister said 4,000 homes were rebuilt in 2023.", **extra):
    return claims.create_manual_claim(db, text=text, claimant="Minister Ana Lopez", **extra)


def published(db):
    """Return a checker, an editor and a claim the checker wrote and the editor published, with evidence."""
    cara, eddie = add_user(db, "cara"), add_user(db, "eddie", "editor")
    claim = make(db, url="https://tv.example/clip", appeared_at="2024-12-07")
    for action in ("accept", "start"):
        workflow.apply_action(db, claim["id"], action, cara)
    evidence.add_evidence(db, claim["id"], cara, url="https://stats.example/homes", title="Housing table")
    verdicts.save_draft(db, claims.get_claim(db, claim["id"]), cara, {
        "rating_key": "false", "conclusion": "About 1,200 homes were rebuilt",
        "claim_reviewed": "4,000 homes were rebuilt in 2023."})
    workflow.apply_action(db, claim["id"], "submit", cara)
    workflow.apply_action(db, claim["id"], "approve", eddie)
    return cara, eddie, claims.get_claim(db, claim["id"])


def test_a_published_claim_changes_only_through_a_correction(db):
    cara, eddie, claim = published(db)
    item = evidence.list_evidence(db, claim["id"])[0]
    verdict_id = verdicts.published_revision(db, claim["id"])["id"]
    refused = [
        lambda user: claims.update_claim(db, claim["id"], user, version=claim["version"], claimant="Someone else"),
        lambda user: claims.update_claim(db, claim["id"], user, version=claim["version"],
                                         appeared_url="https://elsewhere.example/"),
        lambda user: evidence.add_evidence(db, claim["id"], user, url="https://x.example/new", title="New"),
        lambda user: evidence.update_evidence(db, item["id"], user, stance="supports"),
        lambda user: evidence.remove_evidence(db, item["id"], user),
        lambda user: prior.link_prior(db, claim["id"], user, url="https://prior.example/", verdict_id=verdict_id,
                                      version=claim["version"]),
        lambda user: verdicts.save_draft(db, claims.get_claim(db, claim["id"]), user, {"rating_key": "true"}),
    ]
    for change in refused:
        for user in (cara, eddie):
            with pytest.raises(Forbidden, match="correction"):
                change(user)
    assert claims.get_claim(db, claim["id"]) == claim
    assert evidence.list_evidence(db, claim["id"]) == [item]
    reopened = workflow.apply_action(db, claim["id"], "correct", eddie, version=claim["version"])
    edited = claims.update_claim(db, claim["id"], cara, version=reopened["version"], claimant="Minister A. Lopez")
    assert edited["claimant"] == "Minister A. Lopez"


def test_a_dismissed_claim_is_reopened_before_it_changes(db):
    eddie = add_user(db, "eddie", "editor")
    claim = make(db)
    dismissed = workflow.apply_action(db, claim["id"], "dismiss", eddie, reason="opinion")
    with pytest.raises(Forbidden, match="reopen"):
        claims.update_claim(db, claim["id"], eddie, version=dismissed["version"], claimant="Someone")


def test_a_checker_changes_only_a_claim_assigned_to_them(db):
    cara, cole = add_user(db, "cara"), add_user(db, "cole")
    claim = make(db)
    with pytest.raises(Forbidden, match="take the claim first"):
        claims.update_claim(db, claim["id"], cara, version=claim["version"], claimant="Someone")
    taken = workflow.apply_action(db, claim["id"], "take", cara)
    with pytest.raises(Forbidden, match="assigned to cara"):
        claims.update_claim(db, claim["id"], cole, version=taken["version"], claimant="Someone")
    assert claims.update_claim(db, claim["id"], cara, version=taken["version"], claimant="Someone")["claimant"] == "Someone"
    # Tags are the desk's own labels: anyone at the desk may tag any claim.
    assert claims.set_tags(db, claim["id"], cole, add=["housing"])["tags"] == ["housing"]
