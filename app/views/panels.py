"""The claim workspace as panels: what each panel shows, and the answer that swaps only the panels a save changed.

``claims/show.html`` is the page; each panel is a block of it (``notes_panel`` wraps
``<section id="notes-panel">``). A panel's context comes from its builder below, and a
:class:`Workspace` fetches each fact once and only when a builder asks for it, so a note asks
for the notes and the history and never runs the prior match or the ClaimReview validator
(only the checked-before and verdict panels reach those).
"""

from collections.abc import Callable
from functools import cached_property

from flask import g, make_response, redirect, render_template, request, url_for
from jinja2_fragments.flask import render_block
from markupsafe import Markup

from app.db import get_db, get_index
from app.htmx import toast, wants_fragment
from app.publishing import publisher, workflow_settings
from app.views.search import run_search
from review import (
    authorship, changes, claims, evidence, permissions, prior, queue, ratings, second_rating, states, verdicts, workflow,
)
from review.claimreview.build import build, public_path
from review.events import list_events

TEMPLATE = "claims/show.html"


class Workspace:
    """One claim as one user sees it: each fact is fetched on first use, at most once per answer."""

    def __init__(self, claim_id: int):
        self.claim_id = claim_id
        self.db = get_db()
        self.user = g.user

    @cached_property
    def claim(self) -> dict:
        return claims.get_claim(self.db, self.claim_id)

    @cached_property
    def blind(self) -> bool:
        """Whether this user gives the claim's blind second rating: the first rating stays out of every panel."""
        return second_rating.is_blind(self.db, self.claim_id, self.user)

    @cached_property
    def second(self) -> dict:
        return second_rating.view_for(self.db, self.claim, self.user)

    @cached_property
    def draft(self) -> dict | None:
        return None if self.blind else verdicts.open_revision(self.db, self.claim_id)

    @cached_property
    def published(self) -> dict | None:
        return verdicts.published_revision(self.db, self.claim_id)

    @cached_property
    def priors(self) -> list:
        return prior.checked_before(self.db, get_index(), self.claim, org_name=publisher().name)

    @cached_property
    def scale(self) -> list[dict]:
        return ratings.list_scale(self.db, active_only=True)

    @cached_property
    def check(self) -> dict:
        """What blocks submitting the draft (per field, plain words) and what is advised."""
        return verdicts.submit_check(self.db, self.claim_id, self.draft, publisher())

    @cached_property
    def in_review(self) -> bool:
        return self.claim["status"] == "in_review" and self.draft is not None

    @cached_property
    def actions(self) -> list:
        in_review = authorship.with_authors(self.db, self.draft)
        return workflow.actions_for(self.claim, self.user, in_review,
                                    require_other_approver=workflow_settings()["require_other_approver"])


def version(ws: Workspace) -> dict:
    return dict(claim=ws.claim)


def head_panel(ws: Workspace) -> dict:
    return dict(claim=ws.claim, labels=states.STATE_LABELS, reasons=states.DISMISS_REASONS,
                types=states.CLAIM_TYPES, kinds=states.CLAIMANT_KINDS,
                can_edit=permissions.may_edit_claim(ws.user, ws.claim))


def prior_panel(ws: Workspace) -> dict:
    return dict(claim=ws.claim, priors=ws.priors, linked_priors=prior.linked_priors(ws.db, ws.claim_id),
                can_link=permissions.may_link_prior(ws.user, ws.claim))


def source_panel(ws: Workspace) -> dict:
    return dict(claim=ws.claim, context=claims.claim_context(ws.db, ws.claim))


def verdict_panel(ws: Workspace) -> dict:
    """Show the open draft and the public revision; a draft shows what blocks it beside each field."""
    current = ws.draft or ws.published
    warnings, blockers = [], {}
    if ws.draft and not ws.in_review:
        blockers, warnings = ws.check["blockers"], list(ws.check["warnings"])
        labels = {r["key"]: r["label"] for r in ws.scale}
        warnings += prior.consistency_warnings(ws.priors, ws.draft["rating_key"], labels)
    elif current and not ws.in_review:
        warnings = verdicts.warnings_for(ws.db, current)
    return dict(
        blind=ws.blind, claim=ws.claim, draft=ws.draft, published=ws.published, scale=ws.scale, warnings=warnings,
        blockers=blockers, in_review=ws.in_review, kinds=states.CLAIMANT_KINDS,
        corrections=verdicts.corrections(ws.db, ws.claim_id),
        explanation_html=Markup(verdicts.render_explanation(current["explanation"])) if current else "",
        public_path=public_path(ws.claim_id, ws.published["claim_reviewed"]) if ws.published else None,
        can_draft=not ws.blind and permissions.may_draft(ws.user, ws.claim, ws.draft),
        unstarted=ws.claim["status"] in states.UNSTARTED_STATES,
    )


def review_panel(ws: Workspace) -> dict:
    """Show an editor what they approve: the revision in review, its preview, and what changed since they saw it."""
    if not ws.in_review:  # (a blind second checker has no draft to see)
        return dict(claim=ws.claim, review=None)
    draft = ws.draft
    rating = ratings.get_rating(ws.db, draft["rating_key"]) if draft["rating_key"] else {"key": "", "label": "No rating"}
    authors = next((r["authors"] for r in verdicts.revisions(ws.db, ws.claim_id) if r["revision"] == draft["revision"]),
                   [])
    items = evidence.list_evidence(ws.db, ws.claim_id)
    seen = changes.review_changes(ws.db, ws.claim, ws.user["id"], draft, ws.published) \
        if permissions.is_editor(ws.user) else None
    review = dict(
        draft=draft, rating=rating, authors=authors, evidence=items, stances=evidence.STANCES, seen=seen,
        explanation=Markup(verdicts.render_explanation(draft["explanation"])), org=publisher(),
        record=build(ws.db, ws.claim_id, draft, publisher()), corrections=verdicts.corrections(ws.db, ws.claim_id),
        warnings=ws.check["warnings"], actions=[t for t in ws.actions if t.name in REVIEW_ACTIONS],
        blocked={"approve": verdicts.blocked_message(ws.check["blockers"])} if ws.check["blockers"] else {},
        second=ws.second if ws.second["compared"] else None)
    return dict(claim=ws.claim, review=review, reasons=states.DISMISS_REASONS)


# Shown in the review panel beside what they decide on, not among the other next steps.
REVIEW_ACTIONS = ("approve", "approve_second", "send_back")


def second_rating_panel(ws: Workspace) -> dict:
    """Ask for a blind second rating, give it, or see where it stands (the side-by-side view is the review panel's)."""
    return dict(claim=ws.claim, second=ws.second, scale=ws.scale, in_review=ws.claim["status"] == "in_review")


def evidence_panel(ws: Workspace) -> dict:
    return dict(claim=ws.claim, evidence=evidence.list_evidence(ws.db, ws.claim_id), stances=evidence.STANCES,
                can_edit=permissions.may_attach_evidence(ws.user, ws.claim))


def search_panel(ws: Workspace) -> dict:
    """Run the workspace's search (documents by default) from the request arguments."""
    context = run_search(request.args, page_size=8) if request.args.get("q") else {
        "q": "", "kind": "document", "filters": {}, "sort": "relevance", "results": None}

    def page_url(n: int) -> str:
        return url_for("claims.show", claim_id=ws.claim_id, q=context["q"], kind=context["kind"], page=n)

    attach_to = ws.claim_id if permissions.may_attach_evidence(ws.user, ws.claim) else None
    return dict(context, page_url=page_url, attach_to=attach_to, claim_id=ws.claim_id)


def appearances_panel(ws: Workspace) -> dict:
    return dict(claim=ws.claim, appearances=claims.appearances(ws.db, ws.claim_id))


def notes_panel(ws: Workspace) -> dict:
    return dict(claim=ws.claim, notes=claims.notes(ws.db, ws.claim_id))


def actions_panel(ws: Workspace) -> dict:
    """Offer the workflow actions the user may take now (an author of the revision in review cannot approve it).

    Submit is offered disabled, with the reason, while something blocks the draft; approve and
    send back sit in the review panel.
    """
    actions = [t for t in ws.actions if not (ws.in_review and t.name in REVIEW_ACTIONS)]
    blocked = {}
    if any(t.name == "submit" for t in actions) and ws.check["blockers"]:
        blocked["submit"] = verdicts.blocked_message(ws.check["blockers"])
    assigns = any(t.needs == "assignee" for t in actions)  # the list of people is read only for the assign form
    return dict(claim=ws.claim, actions=actions, reasons=states.DISMISS_REASONS, blocked=blocked,
                users=queue.assignable_users(ws.db) if assigns else [])


def history_panel(ws: Workspace) -> dict:
    return dict(history=list_events(ws.db, "claim", ws.claim_id), event_label=workflow.event_label,
                labels=states.STATE_LABELS, reasons=states.DISMISS_REASONS)


# Each block of claims/show.html that a save can swap, and the builder of its context.
BLOCKS: dict[str, Callable[[Workspace], dict]] = {
    "version": version, "head_panel": head_panel, "second_rating_panel": second_rating_panel, "review_panel": review_panel, "prior_panel": prior_panel,
    "source_panel": source_panel,
    "verdict_panel": verdict_panel, "evidence_panel": evidence_panel, "search_panel": search_panel,
    "appearances_panel": appearances_panel, "notes_panel": notes_panel, "actions_panel": actions_panel,
    "history_panel": history_panel,
}


def page(claim_id: int, message: str | None = None):
    """Answer with the whole workspace: the page, or for htmx the workspace block and the version out of band."""
    ws = Workspace(claim_id)
    context: dict = {}
    for build in BLOCKS.values():
        context.update(build(ws))
    if wants_fragment():
        body = render_block(TEMPLATE, "workspace", **context) + render_block(TEMPLATE, "version", oob=True, **context)
    else:
        body = render_template(TEMPLATE, **context)
    response = make_response(body)
    return toast(response, message) if message else response


def swap(claim_id: int, message: str, main: str, *also: str):
    """Answer a save: the ``main`` panel, the panels it changed out of band, and a toast.

    Each block renders with its own context (``render_blocks`` would give the main block
    ``oob`` too). A browser without htmx (or a boosted form) gets a 303 to the page, the
    message as a flash.
    """
    if not wants_fragment():
        return toast(redirect(url_for("claims.show", claim_id=claim_id), code=303), message)
    ws = Workspace(claim_id)
    body = render_block(TEMPLATE, main, **BLOCKS[main](ws))
    for name in also:
        body += render_block(TEMPLATE, name, oob=True, **BLOCKS[name](ws))
    return toast(make_response(body), message)


def evidence_changed(claim_id: int, message: str, attached: dict | None = None):
    """Answer an evidence change: the list, its count and the history out of band, and a toast; nothing else.

    The evidence forms swap nothing themselves (a form being filled in stays as it is); a passage
    attached from a search hit is replaced by a line saying so (its ``HX-Target`` is ``passage-N``).
    """
    if not wants_fragment():
        return toast(redirect(url_for("claims.show", claim_id=claim_id), code=303), message)
    ws = Workspace(claim_id)
    context = evidence_panel(ws)
    body = ""
    target = request.headers.get("HX-Target") or ""
    if attached and target.startswith("passage-"):
        body = render_template("claims/_attached.html", target=target, item=attached, stances=evidence.STANCES)
    for block in ("evidence_items", "evidence_count"):
        body += render_block("claims/_evidence.html", block, oob=True, **context)
    body += render_block(TEMPLATE, "history_panel", oob=True, **history_panel(ws))
    return toast(make_response(body), message)


def search_results(claim_id: int):
    """Answer the workspace's search box: the results region alone."""
    return render_block("claims/_search.html", "ws_search_results", **search_panel(Workspace(claim_id)))
