"""The claim state machine, table-tested: every state x every action x every role."""

import pytest

from review import claims, workflow
from review.errors import Conflict, Forbidden, ValidationError
from tests.conftest import add_user

STATES = ["new", "queued", "in_progress", "in_review", "published", "dismissed", "merged"]
ROLES = ["checker", "editor", "admin"]
RANK = {"checker": 0, "editor": 1, "admin": 2}
# The design's state machine, written out independently of review/workflow.py:
# action -> (states it applies in, resulting state or None when unchanged, lowest role)
SPEC = {
    "accept": ({"new"}, "queued", "checker"),
    "dismiss": ({"new", "queued"}, "dismissed", "checker"),
    "take": ({"new", "queued", "in_progress"}, None, "checker"),
    "start": ({"queued"}, "in_progress", "checker"),
    "submit": ({"in_progress"}, "in_review", "checker"),
    "merge": ({"new", "queued", "in_progress"}, "merged", "checker"),
    "assign": ({"new", "queued", "in_progress", "in_review"}, None, "editor"),
    "send_back": ({"in_review"}, "in_progress", "editor"),
    "approve": ({"in_review"}, "published", "editor"),
    "reopen": ({"dismissed", "merged"}, "new", "editor"),
    "correct": ({"published"}, "in_progress", "editor"),
}


@pytest.fixture
def people(db):
    return {role: add_user(db, role, role) for role in ROLES}


def make_claim(db, status="new", text="Officials said 2,500 people were evacuated from the city on Monday."):
    claim = claims.create_manual_claim(db, text=text, claimant="City officials", url="https://news.example/a",
                                       appeared_at="2024-05-01")
    db.execute("UPDATE claims SET status = ? WHERE id = ?", [status, claim["id"]])
    return claims.get_claim(db, claim["id"])


def ready_verdict(db, claim, status, author):
    """Give a claim a complete verdict revision in the given status."""
    db.execute(
        "INSERT INTO verdicts (claim_id, revision, rating_key, conclusion, claim_reviewed, author_id, status,"
        " published_at, created_at, updated_at) VALUES (?, 1, 'false', 'No evidence', ?, ?, ?, ?, 'now', 'now')",
        [claim["id"], claim["text"], author["id"], status, "2024-06-01" if status == "published" else None])


def params_for(action, db, people, claim):
    author = add_user(db, f"author{claim['id']}", "checker")
    if claim["status"] == "in_progress":
        ready_verdict(db, claim, "draft", author)
    elif claim["status"] == "in_review":
        ready_verdict(db, claim, "in_review", author)
    elif claim["status"] == "published":
        ready_verdict(db, claim, "published", author)
    if action == "dismiss":
        return {"reason": "opinion"}
    if action == "assign":
        return {"assignee_id": people["checker"]["id"]}
    if action == "send_back":
        return {"comment": "Needs a second source."}
    if action == "merge":
        return {"target_id": make_claim(db, "queued", "A different claim about the evacuation numbers.")["id"]}
    return {}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(SPEC))
@pytest.mark.parametrize("state", STATES)
def test_transition_table(db, people, state, action, role):
    claim = make_claim(db, state)
    user = people[role]
    sources, target, lowest = SPEC[action]
    expected = state in sources and RANK[role] >= RANK[lowest]
    params = params_for(action, db, people, claim)
    if expected:
        updated = workflow.apply_action(db, claim["id"], action, user, version=claim["version"], **params)
        assert updated["status"] == (target or state)
        assert updated["version"] == claim["version"] + 1
        event = db.one("SELECT action, actor_id FROM events WHERE entity_id = ? AND entity_type = 'claim'"
                       " ORDER BY id DESC LIMIT 1", [claim["id"]])
        assert event == {"action": f"claim.{action}", "actor_id": user["id"]}
    else:
        with pytest.raises(Forbidden):
            workflow.apply_action(db, claim["id"], action, user, version=claim["version"], **params)
        assert claims.get_claim(db, claim["id"]) == claim  # nothing changed
    allowed = {t.name for t in workflow.allowed_actions(claim, user)}
    assert (action in allowed) == expected


def test_checker_cannot_start_someone_elses_claim(db, people):
    other = add_user(db, "other", "checker")
    claim = make_claim(db, "queued")
    db.execute("UPDATE claims SET assignee_id = ? WHERE id = ?", [other["id"], claim["id"]])
    with pytest.raises(Forbidden, match="assigned to other"):
        workflow.apply_action(db, claim["id"], "start", people["checker"])
    workflow.apply_action(db, claim["id"], "start", people["editor"])  # editors may


def test_a_checker_cannot_merge_another_checkers_claim(db, people):
    other = add_user(db, "other", "checker")
    target = make_claim(db, "queued", "A different wording of the claim about 2,500 evacuated people.")
    claim = make_claim(db, "in_progress")
    db.execute("UPDATE claims SET assignee_id = ? WHERE id = ?", [other["id"], claim["id"]])
    with pytest.raises(Forbidden, match="assigned to other"):
        workflow.apply_action(db, claim["id"], "merge", people["checker"], target_id=target["id"])
    assert claims.get_claim(db, claim["id"])["status"] == "in_progress"
    assert "merge" not in {t.name for t in workflow.allowed_actions(claims.get_claim(db, claim["id"]), people["checker"])}
    workflow.apply_action(db, claim["id"], "merge", other, target_id=target["id"])  # its assignee may


def test_an_editor_may_merge_any_open_claim(db, people):
    other = add_user(db, "other", "checker")
    target = make_claim(db, "queued", "A different wording of the claim about 2,500 evacuated people.")
    claim = make_claim(db, "in_progress")
    db.execute("UPDATE claims SET assignee_id = ? WHERE id = ?", [other["id"], claim["id"]])
    merged = workflow.apply_action(db, claim["id"], "merge", people["editor"], target_id=target["id"])
    assert merged["status"] == "merged"


def test_actions_for_puts_the_step_the_claim_waits_for_first(db, people):
    claim = make_claim(db, "in_review")
    ready_verdict(db, claim, "in_review", people["checker"])
    actions = workflow.actions_for(claim, people["editor"])
    primary = [a.label for a in actions if a.primary]
    assert primary == ["Approve and publish", "Send back"]
    assert [a.name for a in actions][:2] == ["approve", "send_back"]
    assert {a.name: a.needs for a in actions}["send_back"] == "comment"
    assert [a.name for a in workflow.actions_for(claim, people["checker"])] == []


def test_actions_for_hides_approve_from_an_author_of_the_revision(db, people):
    claim = make_claim(db, "in_review")
    revision = {"claim_id": claim["id"], "revision": 1, "author_id": people["checker"]["id"],
                "authors": [people["checker"]["id"], people["editor"]["id"]], "status": "in_review"}
    assert "approve" not in [a.name for a in workflow.actions_for(claim, people["editor"], revision)]
    assert "approve" in [a.name for a in workflow.actions_for(claim, people["admin"], revision)]
    assert "approve" in [a.name for a in workflow.actions_for(claim, people["editor"], revision,
                                                             require_other_approver=False)]


@pytest.mark.parametrize("state,shortcuts", [
    ("new", ["a", "d"]), ("queued", ["d"]), ("in_progress", []), ("published", []),
])
def test_queue_rows_offer_the_triage_actions_with_shortcuts(db, people, state, shortcuts):
    claim = make_claim(db, state)
    actions = [a for a in workflow.actions_for(claim, people["checker"]) if a.shortcut]
    assert sorted(a.shortcut for a in actions) == shortcuts


def test_done_messages_and_history_labels_come_from_the_transitions():
    assert workflow.done_message("approve") == "Approved and published"
    assert workflow.done_message("tag") == "Tagged"
    assert workflow.event_label("claim.send_back") == "Sent back"
    assert workflow.event_label("evidence.add") == "Evidence added"
    assert workflow.event_label("claim.correct") == "Correction opened"


def test_start_takes_an_unassigned_claim(db, people):
    claim = make_claim(db, "queued")
    updated = workflow.apply_action(db, claim["id"], "start", people["checker"])
    assert updated["assignee_id"] == people["checker"]["id"]


@pytest.mark.parametrize("action,params,field", [
    ("dismiss", {}, "reason"),
    ("dismiss", {"reason": "because"}, "reason"),
    ("send_back", {"comment": "  "}, "comment"),
    ("assign", {"assignee_id": 9999}, "assignee"),
    ("merge", {}, "target"),
    ("merge", {"target_id": 9999}, "target"),
])
def test_missing_or_bad_parameters_are_named(db, people, action, params, field):
    state = "in_review" if action == "send_back" else "new"
    claim = make_claim(db, state)
    with pytest.raises(ValidationError) as error:
        workflow.apply_action(db, claim["id"], action, people["admin"], **params)
    assert field in error.value.fields
    assert claims.get_claim(db, claim["id"])["version"] == claim["version"]


def test_merge_into_itself_is_refused(db, people):
    claim = make_claim(db)
    with pytest.raises(ValidationError, match="itself"):
        workflow.apply_action(db, claim["id"], "merge", people["checker"], target_id=claim["id"])


def test_a_claim_merges_into_a_published_one_but_not_into_a_dismissed_one(db, people):
    dismissed = make_claim(db, "dismissed", "Officials said 2,500 people were evacuated from the coast.")
    published = make_claim(db, "published", "Officials said 2,500 people were evacuated from the coast on Monday.")
    claim = make_claim(db)
    with pytest.raises(ValidationError, match="is dismissed; merge into a claim that is open, published or retracted"):
        workflow.apply_action(db, claim["id"], "merge", people["editor"], target_id=dismissed["id"])
    merged = workflow.apply_action(db, claim["id"], "merge", people["editor"], target_id=published["id"])
    assert merged["status"] == "merged" and merged["duplicate_of"] == published["id"]


def test_stale_version_is_refused_with_who_changed_it(db, people):
    claim = make_claim(db)
    workflow.apply_action(db, claim["id"], "accept", people["editor"], version=claim["version"])
    with pytest.raises(Conflict) as error:
        workflow.apply_action(db, claim["id"], "dismiss", people["checker"], version=claim["version"], reason="opinion")
    # Who changed what and when, in plain words (not "claim.accept at 2026-...").
    assert error.value.message.startswith("editor moved it to Queued just now, after you opened this claim")
    assert "claim.accept" not in error.value.message
    assert claims.get_claim(db, claim["id"])["status"] == "queued"


def test_undo_restores_the_previous_state(db, people):
    claim = make_claim(db)
    dismissed = workflow.apply_action(db, claim["id"], "dismiss", people["checker"], reason="opinion")
    restored = workflow.undo_last(db, claim["id"], people["checker"], version=dismissed["version"])
    assert restored["status"] == "new" and restored["dismiss_reason"] is None
    with pytest.raises(Conflict):
        workflow.undo_last(db, claim["id"], people["checker"])


def test_undoing_a_merge_gives_the_target_its_appearances_back(db, people):
    target = make_claim(db, "queued", "A different wording of the claim about 2,500 evacuated people.")
    claim = make_claim(db, "queued")
    merged = workflow.apply_action(db, claim["id"], "merge", people["editor"], target_id=target["id"])
    grown = claims.get_claim(db, target["id"])["appearance_count"]
    assert grown > target["appearance_count"]
    restored = workflow.undo_last(db, claim["id"], people["editor"], version=merged["version"])
    assert restored["status"] == "queued" and restored["duplicate_of"] is None
    assert claims.get_claim(db, target["id"])["appearance_count"] == max(1, grown - claim["appearance_count"])


def test_undo_is_only_for_your_own_last_action(db, people):
    claim = make_claim(db)
    workflow.apply_action(db, claim["id"], "accept", people["editor"])
    with pytest.raises(Conflict):
        workflow.undo_last(db, claim["id"], people["checker"])


def test_merge_adds_appearances_to_the_target(db, people):
    target = make_claim(db, "queued", "The target claim about 2,500 evacuated people.")
    claim = make_claim(db)
    workflow.apply_action(db, claim["id"], "merge", people["checker"], target_id=target["id"])
    assert claims.get_claim(db, target["id"])["appearance_count"] == 2
    assert claims.get_claim(db, claim["id"])["duplicate_of"] == target["id"]


def test_a_repeat_of_a_merged_claim_counts_for_its_target(db, people):
    from review.ingest.store import add_document

    text = "Officials said 2,500 people were evacuated from the city of Homs on Monday."
    first = add_document(db, body=text + " The army said 40 soldiers were wounded in the fighting.", source="A")
    repeated = db.scalar("SELECT id FROM claims WHERE document_id = ? AND text LIKE '%evacuated%'",
                          [first.document_id])
    target = make_claim(db, "queued", "A different wording of the evacuation claim about Homs.")
    workflow.apply_action(db, repeated, "merge", people["checker"], target_id=target["id"])
    add_document(db, body=text + " Separately, 12 schools reopened in the province last week.", source="B")
    assert db.scalar("SELECT count(*) FROM claims WHERE text LIKE '%2,500 people were evacuated%'") == 1
    assert claims.get_claim(db, target["id"])["appearance_count"] == 3
