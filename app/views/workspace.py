"""The claim workspace: the page, editing the claim, tags, notes, linking a prior verdict, manual claims.

The blueprint keeps the name ``claims`` (``url_for('claims.show')``): the workspace is the claim's page.
"""

from flask import Blueprint, g, redirect, render_template, request, url_for

from app.db import get_db
from app.htmx import wants_fragment
from app.views import panels
from review import changes, claims, prior, workflow
from review.errors import ValidationError
from review.versioning import require_version

bp = Blueprint("claims", __name__, url_prefix="/claims")


def version_arg() -> int:
    """Return the claim version the form was rendered with (a form without one is refused)."""
    return require_version(request.form.get("version"))


@bp.get("/<int:claim_id>")
def show(claim_id: int):
    if wants_fragment("ws-search-results"):
        return panels.search_results(claim_id)
    return panels.page(claim_id)


@bp.post("/<int:claim_id>/review/seen")
def review_seen(claim_id: int):
    """Record that the editor saw the revision in review (the review region posts this once it is shown)."""
    changes.record_seen(get_db(), claim_id, g.user, request.form.get("digest", ""))
    return "", 204


@bp.post("/<int:claim_id>/edit")
def edit(claim_id: int):
    form = request.form
    claims.update_claim(get_db(), claim_id, g.user, version=version_arg(), text=form.get("text"),
                        claimant=form.get("claimant"), claimant_kind=form.get("claimant_kind"),
                        claim_type=form.get("claim_type"), appeared_url=form.get("appeared_url"),
                        appeared_at=form.get("appeared_at"))
    # The text feeds the prior match and the claimant and appearance feed the ClaimReview check.
    return panels.swap(claim_id, "Claim saved.", "head_panel", "version", "prior_panel", "verdict_panel",
                       "actions_panel", "history_panel")


@bp.post("/<int:claim_id>/tags")
def tags(claim_id: int):
    form = request.form
    add = [t for t in form.get("add", "").split(",") if t.strip()]
    claims.set_tags(get_db(), claim_id, g.user, add=add, remove=form.getlist("remove"), version=version_arg())
    return panels.swap(claim_id, "Tags saved.", "head_panel", "version", "history_panel")


@bp.post("/<int:claim_id>/notes")
def add_note(claim_id: int):
    workflow.add_note(get_db(), claim_id, g.user["id"], request.form.get("body", ""), version=version_arg())
    return panels.swap(claim_id, "Note added.", "notes_panel", "history_panel")


@bp.post("/<int:claim_id>/prior")
def link_prior(claim_id: int):
    form = request.form
    prior.link_prior(get_db(), claim_id, g.user, url=form.get("url", ""), version=version_arg(),
                     prior_review_id=form.get("prior_review_id", type=int), verdict_id=form.get("verdict_id", type=int))
    # A linked prior verdict is a new appearance: the count, the list and the ClaimReview check change.
    return panels.swap(claim_id, "Linked: the prior verdict reviews this same claim.", "prior_panel", "version",
                       "head_panel", "verdict_panel", "appearances_panel", "history_panel")


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
