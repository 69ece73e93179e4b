"""The claim workflow: the one place that knows which transitions exist (who may make them: permissions).

```
new ──accept──► queued ──take/start──► in_progress ──submit──► in_review ──approve──► published
 │                                          ▲                      │                    │
 └─dismiss(reason)─► dismissed              └──────send back───────┘      correct ◄─────┘
 new / queued / in progress ──merge──► merged (duplicate_of = another claim)
 dismissed / merged ──reopen──► new
 published ──request retraction (editor, reason)──► published, awaiting ──retract (another editor)──► retracted
```
Every change checks the claim's version (optimistic locking) and writes an event.
"""

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from review import permissions, second_rating, verdicts
from review.claims import get_claim
from review.dates import now, parse_timestamp
from review.errors import Conflict, Forbidden, NotFound, ValidationError
from review.events import EVENT_LABELS, record_event
from review.states import DISMISS_REASONS, OPEN_STATES, TRIAGE_STATES, state_label
from review.storage import Store
from review.versioning import bump, check_version
from review.text import require_text


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str | None  # None: the state does not change (assignment)
    done: str  # what the desk is told afterwards, and the history's label
    primary: bool = False  # the step the claim is waiting for in its source states
    needs: str | None = None  # the form field it asks for: reason, comment, why (free text), assignee or target
    shortcut: str | None = None  # a queue row offers it under this key


# Who may apply each transition is review/permissions.py's rule; this table says when it exists.
TRANSITIONS = {
    t.name: t
    for t in [
        Transition("accept", "Accept", ("new",), "queued", "Accepted", primary=True, shortcut="a"),
        Transition("dismiss", "Dismiss", ("new", "queued"), "dismissed", "Dismissed", needs="reason", shortcut="d"),
        Transition("take", "Take", ("new", "queued", "in_progress"), None, "Taken"),
        Transition("start", "Start", ("queued",), "in_progress", "Started", primary=True),
        Transition("submit", "Submit for review", ("in_progress",), "in_review", "Submitted for review",
                   primary=True),
        Transition("merge", "Merge", TRIAGE_STATES, "merged", "Merged", needs="target"),
        Transition("assign", "Assign", OPEN_STATES, None, "Assigned", needs="assignee"),
        Transition("approve", "Approve and publish", ("in_review",), "published", "Approved and published",
                   primary=True),
        Transition("send_back", "Send back", ("in_review",), "in_progress", "Sent back", primary=True,
                   needs="comment"),
        Transition("reopen", "Reopen", ("dismissed", "merged"), "new", "Reopened", primary=True),
        Transition("correct", "Correct", ("published",), "in_progress", "Correction opened", primary=True),
        # Offered only when a blind second rating disagrees with the first (review/second_rating.py).
        Transition("approve_second", "Approve the second rating and publish", ("in_review",), "published",
                   "Approved the second rating and published", primary=True),
        Transition("request_retraction", "Request retraction", ("published",), None, "Retraction requested",
                   needs="why"),
        Transition("retract", "Approve retraction", ("published",), "retracted", "Retracted", primary=True),
        Transition("decline_retraction", "Decline retraction", ("published",), None, "Retraction declined"),
    ]
}
# The retraction steps that exist only while a request is pending, and the one that exists only when none is.
NEEDS_REQUEST = ("retract", "decline_retraction")
RETRACTION_WHY_MAX = 1000


def can(claim: dict, user: dict, action: str, verdict: dict | None = None, *,
        require_other_approver: bool = True) -> tuple[bool, str]:
    """Tell whether ``user`` may apply ``action`` to ``claim`` now, and if not, why (a sentence).

    ``verdict`` is the revision in review with its authors, when known (for approve).
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        return False, f"Unknown action {action!r}."
    if claim["status"] not in transition.sources:
        allowed = ", ".join(state_label(s) for s in transition.sources)
        return False, (f"Cannot {transition.label.lower()} a claim that is {state_label(claim['status']).lower()}"
                       f" (only when {allowed.lower()}).")
    pending = claim.get("retraction_requested_by") is not None
    if action in NEEDS_REQUEST and not pending:
        return False, "No retraction has been requested; an editor must request it first, with the reason."
    if action in ("request_retraction", "correct") and pending:
        return False, "A retraction is awaiting another editor's decision; approve or decline it first."
    waiting = second_rating.why_not_decide(claim, action)
    if waiting:
        return False, waiting
    why = permissions.why_not(action, user, claim, verdict, require_other_approver=require_other_approver)
    return not why, why


def allowed_actions(claim: dict, user: dict, verdict: dict | None = None) -> list[Transition]:
    """Return the transitions the user may apply to the claim in its current state."""
    return [t for name, t in TRANSITIONS.items() if can(claim, user, name, verdict)[0]]


def actions_for(claim: dict, user: dict, verdict: dict | None = None, *,
                require_other_approver: bool = True) -> list[Transition]:
    """Return the actions the user may take on the claim now, the primary ones first.

    Each gives its ``name``, ``label``, whether it is ``primary``, the field it ``needs`` (reason,
    comment, assignee or target) and its queue-row ``shortcut``. Pass the revision in review with
    its authors (``authorship.with_authors``) so an author is not offered "Approve and publish".
    """
    allowed = [t for name, t in TRANSITIONS.items()
               if can(claim, user, name, verdict, require_other_approver=require_other_approver)[0]]
    return sorted(allowed, key=lambda t: not t.primary)


def done_message(action: str) -> str:
    """Return what the desk is told after an action ("Accepted"); tagging says "Tagged"."""
    transition = TRANSITIONS.get(action)
    if transition:
        return transition.done
    return "Tagged" if action == "tag" else "Done"


def event_label(action: str) -> str:
    """Return the history's label for an event action ("claim.accept" -> "Accepted")."""
    kind, _, name = action.partition(".")
    if kind == "claim" and name in TRANSITIONS:
        return TRANSITIONS[name].done
    return EVENT_LABELS.get(action, action)


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
        allowed, why = can(claim, user, action, require_other_approver=require_other_approver)
        if not allowed:
            raise Forbidden(why)
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
            if second_rating.is_blind(db, claim_id, {"id": assignee_id}):
                raise ValidationError({"assignee": "they are giving this claim's blind second rating; "
                                                   "cancel that request before assigning the claim to them"})
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
        changes.update(_retraction_changes(claim, action, user, comment, details))
        _move_verdict(db, claim, action, user, comment, publisher, require_other_approver)
        bump(db, claim_id, claim["version"], changes)
        record_event(db, user["id"], f"claim.{action}", "claim", claim_id, **details)
        return get_claim(db, claim_id)


def _move_verdict(db, claim, action, user, comment, publisher, require_other_approver) -> None:
    """Keep the verdict revision in step with the claim's workflow step."""
    if action == "submit":
        verdicts.on_submit(db, claim, user, publisher)
        second_rating.compare(db, claim["id"])  # both ratings may be in now
    elif action == "send_back":
        verdicts.on_send_back(db, claim, comment.strip())
    elif action in ("approve", "approve_second"):
        if action == "approve_second":
            second_rating.adopt(db, claim, user)
        verdicts.on_approve(db, claim, user, require_other_approver=require_other_approver, publisher=publisher)
    elif action == "correct":
        verdicts.on_correct(db, claim, user)
    elif action == "retract":
        verdicts.on_retract(db, claim)


def _retraction_changes(claim: dict, action: str, user: dict, comment: str | None, details: dict) -> dict:
    """Return the claim's retraction columns after a retraction step, and note it in the event's details."""
    if action == "request_retraction":
        why = require_text(comment, "comment", multiline=True, max_length=RETRACTION_WHY_MAX).strip()
        if not why:
            raise ValidationError({"comment": "say why the fact-check is retracted (the public notice shows it)"})
        details["reason"] = why
        return {"retraction_reason": why, "retraction_requested_by": user["id"], "retraction_requested_at": now()}
    if action == "decline_retraction":
        details.update(reason=claim["retraction_reason"], requested_by=claim["retraction_requested_by"])
        if (comment or "").strip():
            details["comment"] = require_text(comment, "comment", multiline=True).strip()
        return {"retraction_reason": None, "retraction_requested_by": None, "retraction_requested_at": None}
    if action == "retract":
        details.update(reason=claim["retraction_reason"], requested_by=claim["retraction_requested_by"])
        return {"retracted_by": user["id"], "retracted_at": now()}
    return {}


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
            db.execute("UPDATE claims SET appearance_count = CASE WHEN appearance_count - ? < 1 THEN 1"
                       " ELSE appearance_count - ? END WHERE id = ?",  # max(a, b) is SQLite's alone
                       [claim["appearance_count"], claim["appearance_count"], target])
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
        raise ValidationError({"target": f"claim {target_id} is {target['status']}; merge into a claim that is open, published or retracted"})
    return target


def add_note(db: Store, claim_id: int, author_id: int, body: str, *, version: int | None = None) -> int:
    """Add a note to a claim's discussion; return its id.

    :raises ValidationError: the note is empty.
    :raises Conflict: the claim changed since ``version`` (the one the form was rendered with).
    """
    body = require_text(body, "body", multiline=True)
    if not body:
        raise ValidationError({"body": "write something first"})
    with db.transaction():
        check_version(db, get_claim(db, claim_id), version)
        note_id = db.insert("INSERT INTO notes (claim_id, author_id, body, created_at) VALUES (?, ?, ?, ?)",
                            [claim_id, author_id, body, now()])
        record_event(db, author_id, "claim.note", "claim", claim_id, note_id=note_id)
    return note_id
