"""Optimistic locking: every claim write names the version it was based on."""

import json
from datetime import datetime, timezone

from review.dates import now, parse_timestamp
from review.errors import Conflict, ValidationError
from review.events import EVENT_LABELS
from review.states import state_label
from review.storage import Store


# Claim actions that keep the state, as verbs (the rest read "changed it (<history label>)").
VERBS = {"claim.take": "took it", "claim.assign": "reassigned it", "claim.undo": "undid a step on it"}


def describe_change(action: str, details: dict) -> str:
    """Return what an event did, in words ("moved it to In review", "edited the verdict")."""
    if details.get("to") and action.startswith("claim."):
        return f"moved it to {state_label(details['to'])}"
    if action in VERBS:
        return VERBS[action]
    label = EVENT_LABELS.get(action) or action.partition(".")[2].replace("_", " ").capitalize()
    return f"changed it ({label})"


def how_long_ago(at: str, moment: datetime | None = None) -> str:
    """Return a stored time as words relative to now ("just now", "4 minutes ago", "on 2026-12-01 at 14:05 UTC")."""
    try:
        when = parse_timestamp(at)
    except (TypeError, ValueError):
        return ""
    seconds = ((moment or datetime.now(timezone.utc)) - when).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        minutes = int(seconds // 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    if seconds < 86400:
        hours = int(seconds // 3600)
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    return f"on {when:%Y-%m-%d} at {when:%H:%M} UTC"


def check_version(db: Store, claim: dict, version: int | None) -> None:
    """Refuse a write based on a stale version, saying in plain words who changed what and when.

    :raises Conflict: the claim changed since the user loaded it.
    """
    if version is None or int(version) == claim["version"]:
        return
    last = db.one("SELECT e.action, e.at, e.details, u.username FROM events e LEFT JOIN users u ON u.id = e.actor_id"
                  " WHERE e.entity_type = 'claim' AND e.entity_id = ? ORDER BY e.id DESC LIMIT 1", [claim["id"]])
    if last:
        details = json.loads(last["details"] or "{}")
        who = last["username"] or "The system"
        what = f"{who} {describe_change(last['action'], details)} {how_long_ago(last['at'])}".rstrip()
        message = f"{what}, after you opened this claim, so your change was not saved."
    else:
        message = "Someone changed this claim after you opened it, so your change was not saved."
    raise Conflict(
        f"{message} It is now {state_label(claim['status']).lower()}. Reload to see the change, then try again.",
        {"version": f"the claim changed since you opened it (your copy is version {version}, now {claim['version']})"},
    )


def bump(db: Store, claim_id: int, version: int, changes: dict) -> None:
    """Write changes and increment the version, only if nobody changed the claim meanwhile."""
    assignments = "".join(f"{column} = ?, " for column in changes)
    changed = db.execute(
        f"UPDATE claims SET {assignments}version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
        [*changes.values(), now(), claim_id, version],
    )
    if changed != 1:
        raise Conflict("Someone saved this claim at the same moment as you, so your change was not saved;"
                       " reload and try again.")


MISSING_VERSION = ("This form did not say which version of the claim it changes, so nothing was saved."
                   " Reload the page and try again.")


def require_version(value) -> int:
    """Return the claim version an edit names; every edit from a person must name one.

    Internal callers that act on the claim as it is now (bulk actions, the demo) pass no version to
    the domain functions; a form or a request that lost its version is refused instead of overwriting.

    :raises ValidationError: no version, or not a positive whole number.
    """
    text = str(value).strip() if value is not None else ""
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 2**63:
        raise ValidationError({"version": "missing: reload the page and try again" if not text
                               else f"{text[:20]!r} is not a version number"}, MISSING_VERSION)
    return int(text)
