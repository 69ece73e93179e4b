"""The claim workspace, workflow actions, triage from the queue, notes, tags, manual claims."""

from flask import (
    Blueprint,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from jinja2_fragments.flask import render_block, render_blocks
from markupsafe import Markup

from app.db import get_db, get_index
from app.htmx import toast, trigger, wants_fragment
from app.publishing import publisher, workflow_settings
from app.search import run_search
from review import (
    claims,
    evidence,
    prior,
    queue,
    ratings,
    verdicts,
    workflow,
)
from review.claimreview.build import build, public_path
from review.claimreview.validate import problems_for
from review.errors import NotFound, ValidationError
from review.events import list_events
from review.users import list_users

bp = Blueprint("claims", __name__, url_prefix="/claims")
EVENT_LABELS = {
    "claim.create": "Created", "claim.accept": "Accepted", "claim.dismiss": "Dismissed", "claim.take": "Taken",
    "claim.start": "Started", "claim.submit": "Submitted for review", "claim.merge": "Merged",
    "claim.assign": "Assigned", "claim.send_back": "Sent back", "claim.approve": "Approved and published",
    "claim.reopen": "Reopened", "claim.correct": "Correction opened", "claim.undo": "Undone", "claim.edit": "Claim edited",
    "claim.tags": "Tags changed", "claim.note": "Note added", "verdict.create": "Verdict drafted",
    "verdict.edit": "Verdict edited", "evidence.add": "Evidence added", "evidence.edit": "Evidence edited",
    "evidence.remove": "Evidence removed", "claim.link_prior": "Linked to a prior verdict",
}
DONE_MESSAGES = {
    "accept": "Accepted", "dismiss": "Dismissed", "take": "Taken", "start": "Started",
    "submit": "Submitted for review", "merge": "Merged", "assign": "Assigned", "send_back": "Sent back",
    "approve": "Approved and published", "reopen": "Reopened", "correct": "Opened for correction",
}


def verdict_context(db, claim: dict, priors: list) -> dict:
    """Return what the verdict panel shows: the open draft, the public revision, problems and warnings."""
    draft = verdicts.open_revision(db, claim["id"])
    published = verdicts.published_revision(db, claim["id"])
    current = draft or published
    problems = problems_for(db, claim["id"], current, publisher()) if current else []
    scale = ratings.list_scale(db, active_only=True)
    warnings = verdicts.warnings_for(db, current) if current else []
    if draft:
        warnings += prior.consistency_warnings(priors, draft["rating_key"], {r["key"]: r["label"] for r in scale})
    return dict(
        draft=draft, published=published, problems=problems, warnings=warnings, scale=scale,
        corrections=verdicts.corrections(db, claim["id"]),
        revisions=verdicts.revisions(db, claim["id"]),
        explanation_html=Markup(verdicts.render_explanation(current["explanation"])) if current else "",
        public_path=public_path(claim["id"], published["claim_reviewed"]) if published else None,
        can_draft=claim["status"] == "in_progress" and (claim["assignee_id"] in (None, g.user["id"])
                                                        or g.user["role"] != "checker"),
    )


def workspace_context(claim_id: int) -> dict:
    db = get_db()
    claim = claims.get_claim(db, claim_id)
    priors = prior.checked_before(db, get_index(), claim)
    return dict(
        **verdict_context(db, claim, priors),
        priors=priors,
        linked_priors=prior.linked_priors(db, claim_id),
        strong_match=prior.STRONG_MATCH,
        claim=claim,
        actions=workflow.allowed_actions(claim, g.user),
        can_edit=claim["assignee_id"] == g.user["id"] or g.user["role"] in ("editor", "admin"),
        context=claims.claim_context(db, claim),
        appearances=claims.appearances(db, claim_id),
        notes=claims.notes(db, claim_id),
        history=list_events(db, "claim", claim_id),
        evidence=evidence.list_evidence(db, claim_id),
        stances=evidence.STANCES,
        **search_context(claim_id),
        reasons=workflow.DISMISS_REASONS,
        users=[u for u in list_users(db) if u["active"]],
        types=claims.CLAIM_TYPES,
        kinds=claims.CLAIMANT_KINDS,
        labels=workflow.STATE_LABELS,
        event_labels=EVENT_LABELS,
    )


def render_workspace(claim_id: int, message: str | None = None, status: int = 200):
    context = workspace_context(claim_id)
    if wants_fragment():
        body = render_blocks("claims/show.html", ["workspace", "version"], oob=True, **context)
    else:
        body = render_template("claims/show.html", **context)
    response = make_response(body, status)
    return toast(response, message) if message else response


@bp.get("/<int:claim_id>")
def show(claim_id: int):
    if wants_fragment("ws-search-results"):
        return render_block("claims/show.html", "ws_search_results", **search_context(claim_id))
    return render_workspace(claim_id)


def search_context(claim_id: int) -> dict:
    """Run the workspace's search panel (documents by default) from the request arguments."""
    context = run_search(request.args, page_size=8) if request.args.get("q") else {
        "q": "", "kind": "document", "filters": {}, "sort": "relevance", "results": None}

    def page_url(n: int) -> str:
        return url_for("claims.show", claim_id=claim_id, q=context["q"], kind=context["kind"], page=n)

    return dict(context, page_url=page_url, attach_to=claim_id, claim_id=claim_id)


@bp.post("/<int:claim_id>/evidence")
def add_evidence(claim_id: int):
    form = request.form
    evidence.add_evidence(get_db(), claim_id, g.user, document_id=form.get("document_id", type=int),
                          url=form.get("url", ""), title=form.get("title", ""), excerpt=form.get("excerpt", ""),
                          archive_url=form.get("archive_url", ""), stance=form.get("stance", "context"),
                          note=form.get("note", ""))
    return _after_write(claim_id, "Evidence attached.")


@bp.post("/<int:claim_id>/evidence/<int:evidence_id>")
def edit_evidence(claim_id: int, evidence_id: int):
    form = request.form
    if form.get("remove"):
        evidence.remove_evidence(get_db(), evidence_id, g.user)
        return _after_write(claim_id, "Evidence removed (kept in the history).")
    evidence.update_evidence(get_db(), evidence_id, g.user, stance=form.get("stance"), note=form.get("note"),
                             excerpt=form.get("excerpt"))
    return _after_write(claim_id, "Evidence saved.")


def version_arg() -> int | None:
    return request.form.get("version", type=int)


@bp.post("/<int:claim_id>/action/<action>")
def act(claim_id: int, action: str):
    form = request.form
    claim = workflow.apply_action(
        get_db(), claim_id, action, g.user, version=version_arg(), reason=form.get("reason"),
        comment=form.get("comment"), assignee_id=form.get("assignee_id", type=int),
        target_id=form.get("target_id", type=int), **workflow_settings(),
    )
    message = f"{DONE_MESSAGES.get(action, 'Done')}: claim {claim_id}."
    if wants_fragment(f"claim-{claim_id}"):
        return triaged_row(claim, message)
    if not wants_fragment():
        return redirect(url_for("claims.show", claim_id=claim_id), code=303)
    return render_workspace(claim_id, message)


def triaged_row(claim: dict, message: str):
    """Answer a triage from the queue: the row leaves, the counts update, a toast offers Undo."""
    counts = queue.tab_counts(get_db(), g.user["id"])
    body = render_template("partials/_tab_counts.html", counts=counts, oob=True)
    response = make_response(body)
    undo = url_for("claims.undo", claim_id=claim["id"], version=claim["version"], from_queue=1)
    return trigger(response, "toast", {"level": "info", "message": message, "undo": undo})


@bp.post("/<int:claim_id>/undo")
def undo(claim_id: int):
    claim = workflow.undo_last(get_db(), claim_id, g.user, version=request.args.get("version", type=int))
    if request.args.get("from_queue"):
        response = make_response("")
        return trigger(toast(response, f"Undone: claim {claim_id} is back."), "queueChanged", True)
    return render_workspace(claim["id"], "Undone.")


@bp.post("/<int:claim_id>/edit")
def edit(claim_id: int):
    form = request.form
    claims.update_claim(get_db(), claim_id, g.user, version=version_arg(), text=form.get("text"),
                        claimant=form.get("claimant"), claimant_kind=form.get("claimant_kind"),
                        claim_type=form.get("claim_type"), appeared_url=form.get("appeared_url"),
                        appeared_at=form.get("appeared_at"))
    return _after_write(claim_id, "Claim saved.")


@bp.post("/<int:claim_id>/tags")
def tags(claim_id: int):
    form = request.form
    add = [t for t in form.get("add", "").split(",") if t.strip()]
    claims.set_tags(get_db(), claim_id, g.user, add=add, remove=form.getlist("remove"), version=version_arg())
    return _after_write(claim_id, "Tags saved.")


@bp.post("/<int:claim_id>/notes")
def add_note(claim_id: int):
    workflow.add_note(get_db(), claim_id, g.user["id"], request.form.get("body", ""))
    return _after_write(claim_id, "Note added.")


def _after_write(claim_id: int, message: str):
    if not wants_fragment():
        return redirect(url_for("claims.show", claim_id=claim_id), code=303)
    return render_workspace(claim_id, message)


@bp.post("/<int:claim_id>/verdict")
def save_verdict(claim_id: int):
    db = get_db()
    claim = claims.get_claim(db, claim_id)
    workflow.check_version(db, claim, version_arg())
    fields = {name: request.form.get(name) for name in verdicts.EDITABLE if name in request.form}
    verdicts.save_draft(db, claim, g.user, fields)
    return _after_write(claim_id, "Verdict draft saved.")


@bp.get("/<int:claim_id>/claimreview.json")
def claimreview_json(claim_id: int):
    db = get_db()
    published = verdicts.published_revision(db, claim_id)
    if not published:
        raise NotFound(f"claim {claim_id} has no published verdict")
    return jsonify(build(db, claim_id, published, publisher()))


@bp.post("/<int:claim_id>/prior")
def link_prior(claim_id: int):
    form = request.form
    prior.link_prior(get_db(), claim_id, g.user, url=form.get("url", ""), version=version_arg(),
                     prior_review_id=form.get("prior_review_id", type=int), verdict_id=form.get("verdict_id", type=int))
    return _after_write(claim_id, "Linked: the prior verdict reviews this same claim.")


@bp.route("/new", methods=["GET", "POST"])
def new():
    if request.method == "GET":
        return render_template("claims/new.html", form={}, errors={})
    form = request.form
    try:
        claim = claims.create_manual_claim(get_db(), text=form.get("text", ""), claimant=form.get("claimant", ""),
                                           url=form.get("url", ""), appeared_at=form.get("appeared_at", ""),
                                           actor_id=g.user["id"])
    except ValidationError as error:
        return render_template("claims/new.html", form=form, errors=error.fields), 422
    return redirect(url_for("claims.show", claim_id=claim["id"]), code=303)


@bp.post("/bulk")
def bulk():
    form = request.form
    ids = [int(i) for i in form.getlist("ids") if i.isdigit()]
    action = form.get("bulk_action", "")
    if not ids:
        raise ValidationError({"ids": "select at least one claim (x)"})
    db = get_db()
    if action == "tag":
        tag = form.get("tag", "")
        if not claims.normalize_tag(tag):
            raise ValidationError({"tag": "type the tag to add"})
        for claim_id in ids:
            claims.set_tags(db, claim_id, g.user, add=[tag])
        done, failed = len(ids), []
    else:
        done, failed = queue.bulk_action(db, ids, action, g.user, reason=form.get("reason"),
                                         assignee_id=form.get("assignee_id", type=int))
    message = f"{DONE_MESSAGES.get(action, 'Tagged')}: {done} claim{'s' if done != 1 else ''}."
    if failed:
        message += " Not changed: " + "; ".join(failed[:3]) + ("…" if len(failed) > 3 else "")
    if not wants_fragment():
        return redirect(request.referrer or url_for("queue.index"), code=303)
    response = make_response("")
    return trigger(toast(response, message, "error" if failed and not done else "info"), "queueChanged", True)
