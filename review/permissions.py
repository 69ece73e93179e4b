"""Who may do what to a claim: the one home of the desk's permission rules.

The rules, as functions of the user, the claim and the verdict revision:

- A checker changes a claim (its fields, appearances, evidence, verdict draft) only when the
  claim is assigned to them; an editor may change any open claim (``review.states.OPEN_STATES``)
  and then counts as an author of the revision being worked on. ``in_review`` is an open state: the
  assignee or an editor may still change the claim's fields and evidence, while the verdict draft
  itself stays frozen until an editor sends it back (``review/states.py`` says why).
- Nobody approves a revision they authored: the approver must differ from each person who wrote
  or changed the revision since it was last approved (a desk may allow self-approval with the
  ``require_other_approver`` setting).
- A published claim changes only through a correction; a dismissed or merged one only after an
  editor reopens it.
- Workflow actions need a role (checker < editor < admin, ``users.has_role``); a checker takes,
  starts, submits and merges only claims that are unassigned or their own.
- Linking a prior verdict as the same claim adds a public appearance: like a merge, a checker
  links only unassigned claims or their own, and only while the claim is open.
- Tags are the desk's private labels (never published): anyone at the desk may tag any claim.
- Retracting a published fact-check takes two editors: one requests it with the reason, another
  approves it; nobody approves their own request (always, whatever the self-approval setting).

For the workflow actions this module answers *who*; whether the action exists in the claim's
current state is ``review.workflow``'s question (``workflow.can`` asks both). Each rule has a
``may_*`` function returning a bool and a ``require_*`` one raising :class:`Forbidden` with a
reason a person can act on; ``why_not`` gives that reason ('' when allowed).
"""

from review.errors import Forbidden
from review.states import DRAFTING_STATES, OPEN_STATES, state_label
from review.users import has_role

# The lowest role for each workflow action, and the actions a checker may apply only to
# unassigned claims or their own.
ACTION_ROLES = {
    "accept": "checker", "dismiss": "checker", "take": "checker", "start": "checker", "submit": "checker",
    "merge": "checker", "assign": "editor", "send_back": "editor", "approve": "editor", "reopen": "editor",
    "approve_second": "editor",
    "correct": "editor", "request_retraction": "editor", "retract": "editor", "decline_retraction": "editor",
}
OWN_ONLY = frozenset({"take", "start", "submit", "merge"})
ACTION_NAMES = {
    "accept": "accept", "dismiss": "dismiss", "take": "take", "start": "start", "submit": "submit",
    "merge": "merge", "assign": "assign", "send_back": "send back", "approve": "approve", "reopen": "reopen",
    "approve_second": "approve the second rating of",
    "correct": "correct", "request_retraction": "request the retraction of", "retract": "retract",
    "decline_retraction": "decline the retraction of",
}


def is_editor(user: dict) -> bool:
    """Tell whether the user has at least the editor role."""
    return has_role(user, "editor")


def _assignee_name(claim: dict) -> str:
    return claim.get("assignee") or "someone else"


def _why_not_change(user: dict, claim: dict, what: str) -> str:
    status = claim["status"]
    if status == "published":
        return f"This claim is published; open a correction to change {what}."
    if status not in OPEN_STATES:
        return f"This claim is {state_label(status).lower()}; an editor must reopen it before {what} can change."
    if is_editor(user) or claim.get("assignee_id") == user["id"]:
        return ""
    if claim.get("assignee_id") is None:
        return f"Only the claim's assignee (or an editor) can change {what}; take the claim first."
    return f"This claim is assigned to {_assignee_name(claim)}; only they (or an editor) can change {what}."


def why_not_edit_claim(user: dict, claim: dict) -> str:
    """Return why the user may not change the claim's fields or appearances ('' when they may)."""
    return _why_not_change(user, claim, "the claim")


def why_not_attach_evidence(user: dict, claim: dict) -> str:
    """Return why the user may not add, edit or remove the claim's evidence ('' when they may)."""
    return _why_not_change(user, claim, "its evidence")


def why_not_draft(user: dict, claim: dict, verdict: dict | None = None) -> str:
    """Return why the user may not write the claim's verdict draft ('' when they may).

    ``verdict`` is the open revision, if any: a revision in review is frozen until sent back.
    """
    if claim["status"] == "published":
        return "This claim is published; open a correction to change its verdict."
    if claim["status"] not in DRAFTING_STATES:
        return "Verdicts are drafted while the claim is in progress; start the claim first."
    if verdict and verdict.get("status") == "in_review":
        return "This verdict is in review; an editor must send it back before it can change."
    return _why_not_change(user, claim, "its verdict")


def why_not_link_prior(user: dict, claim: dict) -> str:
    """Return why the user may not link a prior verdict to the claim ('' when they may)."""
    if claim["status"] in OPEN_STATES and claim.get("assignee_id") is None and has_role(user, "checker"):
        return ""  # triage of an unassigned claim, as with a merge
    return _why_not_change(user, claim, "its appearances")


def why_not_tag(user: dict, claim: dict) -> str:
    """Return why the user may not tag the claim ('' when they may): tags are private desk labels."""
    return "" if has_role(user, "checker") else "Tagging needs the checker role."


def verdict_authors(verdict: dict) -> set[int]:
    """Return the ids of everyone who wrote or changed the revision since it was last approved."""
    authors = set(verdict.get("authors") or ())
    if verdict.get("author_id"):
        authors.add(verdict["author_id"])
    return authors


def why_not_approve(user: dict, claim: dict, verdict: dict | None, *, require_other_approver: bool = True) -> str:
    """Return why the user may not approve the revision in review ('' when they may).

    ``verdict`` carries ``authors`` (user ids, see ``authorship.with_authors``); without it only
    ``author_id`` counts.
    """
    if not is_editor(user):
        return "Approving needs the editor role."
    if verdict and require_other_approver and user["id"] in verdict_authors(verdict):
        return "You wrote or changed this revision; another editor must approve it."
    return ""


def why_not(action: str, user: dict, claim: dict, verdict: dict | None = None, *,
            require_other_approver: bool = True) -> str:
    """Return why the user may not apply a workflow action to the claim ('' when they may).

    Answers who may act, not whether the action exists in the claim's state (``workflow.can``).
    """
    role = ACTION_ROLES.get(action)
    if role is None:
        return f"Unknown action {action!r}."
    name = ACTION_NAMES[action]
    if not has_role(user, role):
        return f"Only an {role} can {name} a claim." if role[0] in "aeiou" else f"Only a {role} can {name} a claim."
    if action in OWN_ONLY and not is_editor(user) and claim.get("assignee_id") not in (None, user["id"]):
        return f"This claim is assigned to {_assignee_name(claim)}; only they (or an editor) can {name} it."
    if action == "take" and claim.get("assignee_id") == user["id"]:
        return "This claim is already yours."
    if action in ("approve", "approve_second"):
        return why_not_approve(user, claim, verdict, require_other_approver=require_other_approver)
    if action == "retract":
        return why_not_retract(user, claim)
    return ""


def why_not_retract(user: dict, claim: dict) -> str:
    """Return why the user may not approve the claim's pending retraction ('' when they may).

    Four eyes, always: the editor who requested the retraction cannot approve it.
    """
    if not is_editor(user):
        return "Retracting needs the editor role."
    if claim.get("retraction_requested_by") == user["id"]:
        return "You requested this retraction; another editor must approve it."
    return ""


def may(action: str, user: dict, claim: dict, verdict: dict | None = None, **settings) -> bool:
    """Tell whether the user may apply a workflow action to the claim (who, not when)."""
    return not why_not(action, user, claim, verdict, **settings)


def _require(reason: str) -> None:
    if reason:
        raise Forbidden(reason)


def may_edit_claim(user: dict, claim: dict) -> bool:
    """Tell whether the user may change the claim's fields or appearances."""
    return not why_not_edit_claim(user, claim)


def may_attach_evidence(user: dict, claim: dict) -> bool:
    """Tell whether the user may add, edit or remove the claim's evidence."""
    return not why_not_attach_evidence(user, claim)


def may_draft(user: dict, claim: dict, verdict: dict | None = None) -> bool:
    """Tell whether the user may write the claim's verdict draft now."""
    return not why_not_draft(user, claim, verdict)


def may_link_prior(user: dict, claim: dict) -> bool:
    """Tell whether the user may link a prior verdict to the claim as the same claim."""
    return not why_not_link_prior(user, claim)


def may_tag(user: dict, claim: dict) -> bool:
    """Tell whether the user may tag the claim."""
    return not why_not_tag(user, claim)


def may_merge(user: dict, claim: dict) -> bool:
    """Tell whether the user may merge this claim into another (who, not when)."""
    return may("merge", user, claim)


def may_approve(user: dict, claim: dict, verdict: dict | None, *, require_other_approver: bool = True) -> bool:
    """Tell whether the user may approve the revision in review."""
    return not why_not_approve(user, claim, verdict, require_other_approver=require_other_approver)


def may_correct(user: dict, claim: dict) -> bool:
    """Tell whether the user may open a correction of the claim's published verdict (who, not when)."""
    return may("correct", user, claim)


def may_send_back(user: dict, claim: dict) -> bool:
    """Tell whether the user may send a verdict in review back to its author (who, not when)."""
    return may("send_back", user, claim)


def may_assign(user: dict, claim: dict) -> bool:
    """Tell whether the user may assign the claim to someone (who, not when)."""
    return may("assign", user, claim)


def require_edit_claim(user: dict, claim: dict) -> None:
    """Refuse a change to the claim's fields or appearances the user may not make.

    :raises Forbidden: with the reason.
    """
    _require(why_not_edit_claim(user, claim))


def require_attach_evidence(user: dict, claim: dict) -> None:
    """Refuse an evidence change the user may not make.

    :raises Forbidden: with the reason.
    """
    _require(why_not_attach_evidence(user, claim))


def require_draft(user: dict, claim: dict, verdict: dict | None = None) -> None:
    """Refuse a verdict draft change the user may not make.

    :raises Forbidden: with the reason.
    """
    _require(why_not_draft(user, claim, verdict))


def require_link_prior(user: dict, claim: dict) -> None:
    """Refuse a link to a prior verdict the user may not make.

    :raises Forbidden: with the reason.
    """
    _require(why_not_link_prior(user, claim))


def require_tag(user: dict, claim: dict) -> None:
    """Refuse tagging by someone who may not tag.

    :raises Forbidden: with the reason.
    """
    _require(why_not_tag(user, claim))


def require_approve(user: dict, claim: dict, verdict: dict | None, *, require_other_approver: bool = True) -> None:
    """Refuse an approval by an author of the revision (or by someone who is not an editor).

    :raises Forbidden: with the reason.
    """
    _require(why_not_approve(user, claim, verdict, require_other_approver=require_other_approver))


def check(action: str, user: dict, claim: dict, verdict: dict | None = None, **settings) -> None:
    """Refuse a workflow action the user may not apply (who, not when).

    :raises Forbidden: with the reason.
    """
    _require(why_not(action, user, claim, verdict, **settings))
