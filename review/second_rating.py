"""Blind second ratings: the one home of their rules.

A desk may turn them on (the desk setting ``second_ratings``, off by default). Then:

- **Asking.** An editor asks a second checker to rate a claim independently while its first verdict
  is being worked on or is in review (in progress or in review, never published). The second
  checker is an active user with the checker role (editors see every draft, so they cannot rate
  blind) who is not the claim's checker: neither its assignee nor an author of the revision. One
  request per claim; an editor may cancel it until both ratings are in.
- **Blind.** Until both ratings are in, the second checker sees nothing of the first rating (the
  revision's rating, conclusion or explanation) anywhere: ``is_blind`` is what every surface asks.
  Likewise the first checker (the assignee and the revision's authors) does not see the second
  rating until theirs is submitted: ``may_see_second``.
- **Both in.** The first rating is in once the revision is submitted for review; the second once
  its checker rates. Then the two are compared (``claims.second_rating`` becomes ``agree`` or
  ``disagree``), the pair is kept for the desk's agreement figures (``review.agreement``), and both
  show side by side on the review screen. While the second rating is awaited the claim waits too:
  it is neither approved nor sent back (``why_not_decide``).
- **Disagreement** goes to the editor, marked "Raters disagree": they approve the first rating
  (``approve``), approve the second (``approve_second``: the verdict takes the second rating, its
  checker counted as an author of the revision) or send it back.
"""

from review import desk, verdicts
from review.authorship import authors_of, record_author
from review.claims import get_claim
from review.dates import now
from review.errors import Conflict, Forbidden, NotFound, ValidationError
from review.events import record_event
from review.permissions import is_editor
from review.ratings import get_rating
from review.states import sql_list
from review.storage import Store
from review.text import require_text

SETTING = "second_ratings"
ASKABLE_STATES = ("in_progress", "in_review")
REASONING_MAX = 2000
# claims.second_rating, as the desk reads it.
MARKS = {"pending": "Second rating asked", "rated": "Second rating in", "agree": "Raters agree",
         "disagree": "Raters disagree"}
DECISIONS = ("approve", "send_back", "approve_second")

ROW = ("SELECT s.*, r.username AS rater, q.username AS requester, sr.label AS rating_label,"
       " fr.label AS first_rating_label FROM second_ratings s JOIN users r ON r.id = s.rater_id"
       " JOIN users q ON q.id = s.requested_by LEFT JOIN rating_scale sr ON sr.key = s.rating_key"
       " LEFT JOIN rating_scale fr ON fr.key = s.first_rating_key")


def enabled(db: Store) -> bool:
    """Tell whether the desk asks for blind second ratings (an admin's desk setting; off by default)."""
    return desk.get_setting(db, SETTING, "off") == "on"


def set_enabled(db: Store, on: bool, *, actor_id: int | None) -> bool:
    """Turn blind second ratings on or off for the desk; requests already made stay as they are."""
    desk.put_setting(db, SETTING, "on" if on else "off", actor_id=actor_id)
    return on


def active(db: Store, claim_id: int) -> dict | None:
    """Return the claim's second rating (asked and not cancelled) with the names and labels, if any."""
    return db.one(f"{ROW} WHERE s.claim_id = ? AND s.cancelled_at IS NULL", [claim_id])


def is_blind(db: Store, claim_id: int, user: dict) -> bool:
    """Tell whether the user is the claim's second checker and both ratings are not in yet."""
    return bool(db.scalar("SELECT count(*) FROM second_ratings WHERE claim_id = ? AND rater_id = ?"
                          " AND cancelled_at IS NULL AND compared_at IS NULL", [claim_id, user["id"]]))


def blind_claims(db: Store, user: dict) -> set[int]:
    """Return the claims whose first rating the user may not see yet (their second rating is awaited)."""
    return {r["claim_id"] for r in db.query("SELECT claim_id FROM second_ratings WHERE rater_id = ?"
                                            " AND cancelled_at IS NULL AND compared_at IS NULL", [user["id"]])}


def first_raters(db: Store, claim: dict) -> set[int]:
    """Return the claim's checker: its assignee and every author of the revision being worked on."""
    found = {claim.get("assignee_id")}
    revision = verdicts.open_revision(db, claim["id"])
    if revision:
        found |= {revision["author_id"], *authors_of(db, claim["id"], revision["revision"])}
    found.discard(None)
    return found


def may_see_second(db: Store, claim: dict, user: dict, row: dict) -> bool:
    """Tell whether the user may see the second rating: its checker always, others once both are in.

    Before that an editor may (to decide), unless they are also the claim's first checker.
    """
    if row["compared_at"] or row["rater_id"] == user["id"]:
        return True
    return is_editor(user) and user["id"] not in first_raters(db, claim)


def why_not_request(db: Store, user: dict, claim: dict) -> str:
    """Return why the user may not ask for a second rating of the claim now ('' when they may)."""
    if not enabled(db):
        return "Blind second ratings are off; an admin can turn them on in the desk settings."
    if not is_editor(user):
        return "Asking for a second rating needs the editor role."
    if claim["status"] not in ASKABLE_STATES:
        return "A second rating is asked while the claim is in progress or in review."
    if verdicts.published_revision(db, claim["id"]):
        return "This claim's verdict is published; a second rating is asked for a first verdict only."
    row = active(db, claim["id"])
    if row:
        return f"A second rating was already asked from {row['rater']}."
    return ""


def candidates(db: Store, claim: dict, user: dict) -> list[dict]:
    """Return who may give the second rating: active checkers who are not the claim's checker (nor ``user``)."""
    excluded = first_raters(db, claim) | {user["id"]}
    return [u for u in db.query("SELECT id, username, role FROM users WHERE active = 1 AND role = 'checker'"
                                " ORDER BY username") if u["id"] not in excluded]


def request(db: Store, claim_id: int, user: dict, rater_id: int | None) -> dict:
    """Ask ``rater_id`` for a blind second rating of the claim; return the request.

    :raises NotFound: no such claim.
    :raises Forbidden: second ratings are off, the user is not an editor, or the claim cannot have one now.
    :raises ValidationError: on ``rater_id``: not someone who may give it.
    :raises Conflict: another editor asked at the same moment.
    """
    with db.transaction():
        claim = get_claim(db, claim_id)
        why = why_not_request(db, user, claim)
        if why:
            raise Forbidden(why)
        rater = next((u for u in candidates(db, claim, user) if u["id"] == rater_id), None)
        if rater is None:
            raise ValidationError({"rater_id": "choose a checker who has not worked on this claim"})
        made = db.insert("INSERT INTO second_ratings (claim_id, requested_by, requested_at, rater_id) VALUES (?, ?, ?, ?)"
                         " ON CONFLICT DO NOTHING", [claim_id, user["id"], now(), rater["id"]])
        if made is None:
            raise Conflict("Someone asked for a second rating of this claim a moment ago; reload to see it.")
        db.execute("UPDATE claims SET second_rating = 'pending' WHERE id = ?", [claim_id])
        record_event(db, user["id"], "second_rating.request", "claim", claim_id, rater=rater["username"])
        return active(db, claim_id)


def cancel(db: Store, claim_id: int, user: dict) -> None:
    """Withdraw the claim's second rating request (an editor, until both ratings are in).

    :raises Forbidden: not an editor, or there is nothing to cancel.
    """
    with db.transaction():
        row = active(db, get_claim(db, claim_id)["id"])
        if not is_editor(user):
            raise Forbidden("Cancelling a second rating needs the editor role.")
        if row is None or row["compared_at"]:
            raise Forbidden("There is no second rating waiting to be cancelled on this claim.")
        db.execute("UPDATE second_ratings SET cancelled_at = ? WHERE id = ?", [now(), row["id"]])
        db.execute("UPDATE claims SET second_rating = NULL WHERE id = ?", [claim_id])
        record_event(db, user["id"], "second_rating.cancel", "claim", claim_id, rater=row["rater"])


def why_not_rate(user: dict, row: dict | None, claim: dict | None = None) -> str:
    """Return why the user may not give the claim's second rating ('' when they may)."""
    if row is None:
        return "No second rating was asked for this claim."
    if claim is not None and claim["status"] not in ASKABLE_STATES:
        return "This claim is no longer being checked; its second rating is not needed any more."
    if row["rater_id"] != user["id"]:
        return f"This second rating was asked from {row['rater']}; only they can give it."
    if row["rated_at"]:
        return "Your second rating of this claim is already in."
    return ""


def rate(db: Store, claim_id: int, user: dict, rating_key: str | None, reasoning: str | None) -> dict:
    """Record the second checker's blind rating and short reasoning; compare it if the first is in.

    :raises NotFound: no such claim.
    :raises Forbidden: the user was not asked, or has rated already.
    :raises ValidationError: on ``rating_key`` (not an active rating) or ``reasoning`` (empty or too long).
    """
    errors = {}
    try:
        rating = get_rating(db, rating_key or "") if rating_key else None
    except NotFound:
        rating = None
    if rating is None or not rating["active"]:
        errors["rating_key"] = "choose a rating from the scale"
    try:
        reasoning = require_text(reasoning, "reasoning", multiline=True, required=True, max_length=REASONING_MAX)
    except ValidationError as error:
        errors["reasoning"] = error.fields.get("reasoning") or "say briefly why"
    with db.transaction():
        claim = get_claim(db, claim_id)
        row = active(db, claim_id)
        why = why_not_rate(user, row, claim)
        if why:
            raise Forbidden(why)
        if errors:
            raise ValidationError(errors)
        db.execute("UPDATE second_ratings SET rating_key = ?, reasoning = ?, rated_at = ? WHERE id = ?",
                   [rating["key"], reasoning, now(), row["id"]])
        db.execute("UPDATE claims SET second_rating = 'rated' WHERE id = ?", [claim_id])
        record_event(db, user["id"], "second_rating.rate", "claim", claim_id)
        compare(db, claim_id)
        return active(db, claim_id)


def compare(db: Store, claim_id: int) -> bool:
    """Compare the two ratings once both are in (the revision submitted, the second rated); once only.

    Called after a rating and after a submission, inside their transaction. Returns whether it compared.
    """
    row = active(db, claim_id)
    if row is None or not row["rated_at"] or row["compared_at"]:
        return False
    revision = verdicts.open_revision(db, claim_id)
    if revision is None or revision["status"] != "in_review":
        return False
    agree = revision["rating_key"] == row["rating_key"]
    db.execute("UPDATE second_ratings SET first_rating_key = ?, compared_at = ? WHERE id = ?",
               [revision["rating_key"], now(), row["id"]])
    db.execute("UPDATE claims SET second_rating = ? WHERE id = ?", ["agree" if agree else "disagree", claim_id])
    record_event(db, None, "second_rating.agree" if agree else "second_rating.disagree", "claim", claim_id)
    return True


def why_not_decide(claim: dict, action: str) -> str:
    """Return why an editor's decision (approve, approve the second rating, send back) waits ('' when it need not).

    A claim waits for its second rating before either; approving the second is offered on disagreement.
    """
    if action not in DECISIONS:
        return ""
    if claim.get("second_rating") == "pending":
        return "A blind second rating is awaited; cancel the request to decide without it."
    if action == "approve_second" and claim.get("second_rating") != "disagree":
        return "Approving the second rating is for when the two raters disagree."
    return ""


def adopt(db: Store, claim: dict, user: dict) -> None:
    """Give the revision in review the second rating (the editor chose it); its checker becomes an author."""
    row = active(db, claim["id"])
    revision = verdicts.open_revision(db, claim["id"])
    if row is None or not row["rating_key"] or revision is None:
        raise ValidationError({"second_rating": "there is no second rating to approve"},
                              "There is no second rating to approve.")
    db.execute("UPDATE verdicts SET rating_key = ?, updated_at = ? WHERE id = ?",
               [row["rating_key"], now(), revision["id"]])
    record_author(db, claim["id"], row["rater_id"], revision=revision["revision"])
    record_event(db, user["id"], "verdict.edit", "claim", claim["id"], verdict_id=revision["id"],
                 before={"rating_key": revision["rating_key"]}, after={"rating_key": row["rating_key"]},
                 second_rating=row["id"])


def view_for(db: Store, claim: dict, user: dict) -> dict:
    """Return what the user sees of the claim's second rating, and what they may do with it.

    ``row`` is the request with the second rating left out unless ``may_see_second`` (its
    ``first_rating_key`` is set only once both are in); ``blind`` says the user is rating it blind.
    """
    row = active(db, claim["id"])
    view = {"row": None, "blind": False, "shown": False, "compared": False, "can_rate": False, "can_cancel": False,
            "can_request": False, "request_blocked": "", "candidates": [], "mark": MARKS.get(claim.get("second_rating")),
            "max_reasoning": REASONING_MAX}
    if row is None:
        why = why_not_request(db, user, claim)
        view["can_request"] = not why
        view["request_blocked"] = why if is_editor(user) and enabled(db) and claim["status"] in ASKABLE_STATES else ""
        view["candidates"] = candidates(db, claim, user) if not why else []
        return view
    shown = bool(row["rated_at"]) and may_see_second(db, claim, user, row)
    if not shown:
        row = {**row, "rating_key": None, "rating_label": None, "reasoning": None}
    view.update(row=row, shown=shown, compared=bool(row["compared_at"]),
                blind=row["rater_id"] == user["id"] and not row["compared_at"],
                can_rate=not why_not_rate(user, row, claim), can_cancel=is_editor(user) and not row["compared_at"])
    return view


def visible_revisions(db: Store, claim_id: int, user: dict, revisions: list[dict]) -> list[dict]:
    """Return the verdict revisions the user may see: a blind second checker sees only published ones."""
    if not is_blind(db, claim_id, user):
        return revisions
    return [r for r in revisions if r["status"] in ("published", "superseded")]


def api_view(db: Store, claim: dict, user: dict) -> dict | None:
    """Return the claim's second rating as the API shows it to the user (None when none was asked)."""
    view = view_for(db, claim, user)
    row = view["row"]
    if row is None:
        return None
    return {"status": claim.get("second_rating"), "rater": row["rater"], "requested_by": row["requester"],
            "requested_at": row["requested_at"], "rated_at": row["rated_at"], "rating_key": row["rating_key"],
            "reasoning": row["reasoning"], "first_rating_key": row["first_rating_key"],
            "compared_at": row["compared_at"]}


# The claims awaiting a user's second rating (their tasks: the queue's "Second ratings" tab); one parameter, the user.
TASKS = ("SELECT claim_id FROM second_ratings WHERE rater_id = ? AND rated_at IS NULL AND cancelled_at IS NULL"
         f" AND claim_id IN (SELECT id FROM claims WHERE status IN {sql_list(ASKABLE_STATES)})")
