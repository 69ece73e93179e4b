"""Re-check reminders: a verdict can carry the day by which its figures should be checked again.

Casualty counts and other moving figures change after publication. A verdict's ``recheck_by``
day (set on the revision being worked on, or on the published one) makes the published verdict
*due* once that day has come in the desk's time zone: the dashboard lists it and the queue marks
it. Re-checking is the workflow's correction; approving the correction publishes a revision
without the date, so the reminder ends (the corrector may set a new one).
"""

from review import desk
from review.claims import get_claim
from review.dates import clean_day, to_day
from review.errors import Forbidden, ValidationError
from review.events import record_event
from review.permissions import is_editor
from review.storage import Store
from review.versioning import check_version


def why_not_set(user: dict, claim: dict) -> str:
    """Return why the user may not set the claim's re-check day ('' when they may): editors and the assignee may."""
    if is_editor(user) or claim.get("assignee_id") == user["id"]:
        return ""
    return "Only an editor or the claim's assignee can set when its verdict is checked again."


def set_recheck(db: Store, claim_id: int, user: dict, value: str | None, *, version: int | None = None) -> dict:
    """Set (or with an empty value, clear) the day the claim's verdict should be checked again.

    The day goes on the revision being worked on when there is one, else on the published one.
    Returns that revision. ``version`` is the claim version the form was rendered with (the web
    form always sends it; internal callers such as the demo act on the claim as it is).

    :raises NotFound: no such claim.
    :raises Conflict: the claim changed since ``version``.
    :raises Forbidden: the user is neither an editor nor the claim's assignee.
    :raises ValidationError: on ``recheck_by``: not a date, a day already past, or no verdict yet.
    """
    day = clean_day(value, "recheck_by")
    with db.transaction():
        claim = get_claim(db, claim_id)
        check_version(db, claim, version)
        why = why_not_set(user, claim)
        if why:
            raise Forbidden(why)
        if day and to_day(day) < desk.today(db):
            raise ValidationError({"recheck_by": "choose today or a later day"})
        verdict = db.one("SELECT * FROM verdicts WHERE claim_id = ? AND status IN ('draft', 'in_review', 'published')"
                         " ORDER BY revision DESC LIMIT 1", [claim_id])
        if verdict is None:
            raise ValidationError({"recheck_by": "draft a verdict first; the re-check day goes with it"})
        db.execute("UPDATE verdicts SET recheck_by = ? WHERE id = ?", [day, verdict["id"]])
        record_event(db, user["id"], "verdict.recheck", "claim", claim_id, verdict_id=verdict["id"],
                     before=verdict["recheck_by"], after=day)
        return {**verdict, "recheck_by": day}


def recheck_state(db: Store, claim_id: int) -> dict:
    """Return the claim's re-check day, whether it is due, and the revision that carries it."""
    verdict = db.one("SELECT id, revision, status, recheck_by FROM verdicts WHERE claim_id = ?"
                     " AND status IN ('draft', 'in_review', 'published') AND recheck_by IS NOT NULL"
                     " ORDER BY revision DESC LIMIT 1", [claim_id])
    if verdict is None:
        return {"recheck_by": None, "due": False, "status": None}
    due = verdict["status"] == "published" and verdict["recheck_by"] <= desk.today(db).isoformat()
    return {"recheck_by": verdict["recheck_by"], "due": due, "status": verdict["status"]}


def mark_due(db: Store, rows: list[dict]) -> list[dict]:
    """Give each queue row ``recheck_due``: the re-check day of its published verdict when it has come."""
    by_id = {r["id"]: r for r in rows}
    for row in rows:
        row["recheck_due"] = None
    if not by_id:
        return rows
    marks = ",".join("?" * len(by_id))
    for r in db.query(f"SELECT claim_id, recheck_by FROM verdicts WHERE status = 'published' AND recheck_by <= ?"
                      f" AND claim_id IN ({marks})", [desk.today(db).isoformat(), *by_id]):
        by_id[r["claim_id"]]["recheck_due"] = r["recheck_by"]
    return rows
