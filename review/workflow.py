"""The claim workflow: the only place that knows which transitions exist and who may make them.

```
new ──accept──► queued ──take/start──► in_progress ──submit──► in_review ──approve──► published
 │                                          ▲                      │                    │
 └─dismiss(reason)─► dismissed              └──────send back───────┘      correct ◄─────┘
 any open state ──merge──► merged (duplicate_of = another claim)
 dismissed / merged ──reopen──► new
```
Every change checks the claim's version (optimistic locking) and writes an event.
"""

import json
from dataclasses import dataclass
from datetime import datetime, timezone


from review import verdicts
from review.claims import get_claim
from review.dates import now, parse_timestamp
from review.errors import Conflict, Forbidden, NotFound, ValidationError
from review.events import record_event
from review.users import has_role
from review.versioning import STATE_LABELS, bump, check_version
from review.storage import Store

OPEN_STATES = ("new", "queued", "in_progress")
DISMISS_REASONS = {
    "not_checkworthy": "Not check-worthy",
    "opinion": "Opinion",
    "duplicate": "Duplicate",
    "out_of_scope": "Out of scope",
    "other": "Other",
}


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str | None  # None: the state does not change (assignment)
    role: str  # the lowest role allowed
    own_only: bool = False  # checkers may do it only to unassigned claims or their own


TRANSITIONS = {
    t.name: t
    for t in [
        Transition("accept", "Accept", ("new",), "queued", "checker"),
        Transition("dismiss", "Dismiss", ("new", "queued"), "dismissed", "checker"),
        Transition("take", "Take", ("new", "queued", "in_progress"), None, "checker", own_only=True),
        Transition("start", "Start", ("queued",), "in_progress", "checker", own_only=True),
        Transition("submit", "Submit for review", ("in_progress",), "in_review", "checker", own_only=True),
        Transition("merge", "Merge", OPEN_STATES, "merged", "checker"),
        Transition("assign", "Assign", ("new", "queued", "in_progress", "in_review"), None, "editor"),
        Transition("send_back", "Send back", ("in_review",), "in_progress", "editor"),
        Transition("approve", "Approve and publish", ("in_review",), "published", "editor"),
        Transition("reopen", "Reopen", ("dismissed", "merged"), "new", "editor"),
        Transition("correct", "Correct", ("published",), "in_progress", "editor"),
    ]
}


def can(claim: dict, user: dict, action: str) -> tuple[bool, str]:
    """Tell whether ``user`` may apply ``action`` to ``claim`` now, and if not, why."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        return False, f"unknown action {action!r}"
    if claim["status"] not in transition.sources:
        allowed = ", ".join(STATE_LABELS[s] for s in transition.sources)
        return False, (f"cannot {transition.label.lower()} a claim that is {STATE_LABELS[claim['status']].lower()}"
                       f" (only when {allowed.lower()})")
    if not has_role(user, transition.role):
        return False, f"{transition.label} needs the {transition.role} role"
    if transition.own_only and not has_role(user, "editor"):
        assignee = claim.get("assignee_id")
        if assignee not in (None, user["id"]):
            return False, f"this claim is assigned to {claim.get('assignee') or 'someone else'}"
    if action == "take" and claim.get("assignee_id") == user["id"]:
        return False, "this claim is already yours"
    return True, ""


def allowed_actions(claim: dict, user: dict) -> list[Transition]:
    """Return the transitions the user may apply to the claim in its current state."""
    return [t for name, t in TRANSITIONS.items() if can(claim, user, name)[0]]


def apply_action(
    db: Store, claim_id: int, action: str, user: dict, *, version: int | None = None,
    reason: str | None = None, comment: str | None = None, assignee_id: int | None = None,
    target_id: int | None = None, publisher=None, require_other_approver: bool = True,
) -> dict:
    """Apply one workflow action to a claim and return the updated claim.

    :raises ValidationError: a required parameter is missing or wrong.
    :raises Forbidden: the transition is not allowed in this state or for this user.
    :raises Conflict: the claim changed since ``version``.
    """
    with db.transaction():
        claim = get_claim(db, claim_id)
        check_version(db, claim, version)
        allowed, why = can(claim, user, action)
        if not allowed:
            raise Forbidden(why[0].upper() + why[1:] + ".")
        transition = TRANSITIONS[action]
        changes: dict = {}
        details: dict = {"from": claim["status"]}
        if transition.target:
            changes["status"] = transition.target
            details["to"] = transition.target
        if action == "dismiss":
            if reason not in DISMISS_REASONS:
                raise ValidationError({"reason": f"choose one of: {', '.join(DISMISS_REASONS.values())}"})
            changes["dismiss_reason"] = reason
            details["reason"] = reason
        if action == "take" or (action == "start" and claim["assignee_id"] is None):
            changes["assignee_id"] = user["id"]
        if action == "assign":
            if assignee_id is None or not db.one("SELECT id FROM users WHERE id = ? AND active = 1", [assignee_id]):
                raise ValidationError({"assignee": "choose an active user"})
            changes["assignee_id"] = assignee_id
            details["assignee_id"] = assignee_id
        if action == "send_back":
            if not (comment or "").strip():
                raise ValidationError({"comment": "say what needs to change"})
            details["comment"] = comment.strip()
            add_note(db, claim_id, user["id"], f"Sent back: {comment.strip()}")
        if action == "merge":
            target = _merge_target(db, claim, target_id)
            changes["duplicate_of"] = target["id"]
            details["into"] = target["id"]
            db.execute("UPDATE claims SET appearance_count = appearance_count + ? WHERE id = ?",
                       [claim["appearance_count"], target["id"]])
        if action == "reopen":
            changes.update(duplicate_of=None, dismiss_reason=None)
        _move_verdict(db, claim, action, user, comment, publisher, require_other_approver)
        bump(db, claim_id, claim["version"], changes)
        record_event(db, user["id"], f"claim.{action}", "claim", claim_id, **details)
        return get_claim(db, claim_id)


def _move_verdict(db, claim, action, user, comment, publisher, require_other_approver) -> None:
    """Keep the verdict revision in step with the claim's workflow step."""
    if action == "submit":
        verdicts.on_submit(db, claim, user, publisher)
    elif action == "send_back":
        verdicts.on_send_back(db, claim, comment.strip())
    elif action == "approve":
        verdicts.on_approve(db, claim, user, require_other_approver=require_other_approver, publisher=publisher)
    elif action == "correct":
        verdicts.on_correct(db, claim, user)


UNDOABLE = {"claim.accept", "claim.dismiss", "claim.merge"}
UNDO_SECONDS = 120


def undo_last(db: Store, claim_id: int, user: dict, *, version: int | None = None) -> dict:
    """Undo the user's own last triage of a claim (accept, dismiss, merge) shortly after making it.

    :raises Conflict: someone changed the claim since, or there is nothing to undo.
    """
    with db.transaction():
        claim = get_claim(db, claim_id)
        check_version(db, claim, version)
        last = db.one("SELECT * FROM events WHERE entity_type = 'claim' AND entity_id = ? ORDER BY id DESC LIMIT 1",
                   [claim_id])
        if not last or last["actor_id"] != user["id"] or last["action"] not in UNDOABLE:
            raise Conflict("There is nothing of yours to undo on this claim.")
        age = (datetime.now(timezone.utc) - parse_timestamp(last["at"])).total_seconds()
        if age > UNDO_SECONDS:
            raise Conflict("Too late to undo; use Reopen instead.")
        details = json.loads(last["details"])
        changes = {"status": details["from"], "dismiss_reason": None, "duplicate_of": None}
        if last["action"] == "claim.merge":
            target = details["into"]
            db.execute("UPDATE claims SET appearance_count = max(1, appearance_count - ?) WHERE id = ?",
                       [claim["appearance_count"], target])
        bump(db, claim_id, claim["version"], changes)
        record_event(db, user["id"], "claim.undo", "claim", claim_id, undid=last["action"], to=details["from"])
        return get_claim(db, claim_id)


def _merge_target(db: Store, claim: dict, target_id: int | None) -> dict:
    if not target_id:
        raise ValidationError({"target": "choose the claim to merge into"})
    if int(target_id) == claim["id"]:
        raise ValidationError({"target": "a claim cannot be merged into itself"})
    try:
        target = get_claim(db, int(target_id))
    except NotFound:
        raise ValidationError({"target": f"claim {target_id} does not exist"}) from None
    if target["status"] in ("merged", "dismissed"):
        raise ValidationError({"target": f"claim {target_id} is {target['status']}; merge into an open claim"})
    return target


def add_note(db: Store, claim_id: int, author_id: int, body: str) -> int:
    """Add a note to a claim's discussion; return its id.

    :raises ValidationError: the note is empty.
    """
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "write something first"})
    with db.transaction():
        get_claim(db, claim_id)
        note_id = db.insert("INSERT INTO notes (claim_id, author_id, body, created_at) VALUES (?, ?, ?, ?)",
                            [claim_id, author_id, body, now()])
        record_event(db, author_id, "claim.note", "claim", claim_id, note_id=note_id)
    return note_id
