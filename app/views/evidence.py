"""Evidence on a claim: choose and attach a corpus passage, add a source by URL, edit its stance and note, remove it."""

from flask import Blueprint, g, render_template, request

from app.db import get_db
from app.htmx import wants_fragment
from app.views import panels
from app.views.workspace import version_arg
from review import claims, documents, evidence

bp = Blueprint("evidence", __name__, url_prefix="/claims")


@bp.get("/<int:claim_id>/evidence/passage")
def passage(claim_id: int):
    """Offer a document's passage to attach: the sentence matching the search, grown a sentence either side."""
    args = request.args
    document_id = args.get("document_id", type=int)
    if args.get("start") is not None:
        found = documents.extend_passage(get_db(), document_id, args.get("start", 0, type=int),
                                         args.get("end", 0, type=int), before=args.get("before", 0, type=int),
                                         after=args.get("after", 0, type=int))
    else:
        found = documents.find_passage(get_db(), document_id, args.get("q", ""))
    context = dict(claim_id=claim_id, passage=found, stances=evidence.STANCES,
                   document=documents.get_document(get_db(), document_id),
                   version=claims.get_claim(get_db(), claim_id)["version"])  # the form edits the claim as it is now
    if wants_fragment():
        return render_template("claims/_passage.html", **context)
    return render_template("claims/passage.html", **context)


@bp.post("/<int:claim_id>/evidence")
def add(claim_id: int):
    form = request.form
    item = evidence.add_evidence(get_db(), claim_id, g.user, document_id=form.get("document_id", type=int),
                                 url=form.get("url", ""), title=form.get("title", ""), excerpt=form.get("excerpt", ""),
                                 archive_url=form.get("archive_url", ""), stance=form.get("stance", "context"),
                                 note=form.get("note", ""), excerpt_start=form.get("excerpt_start", type=int),
                                 version=version_arg())
    message = f"Evidence attached: {item['title'] or item['url']} ({evidence.STANCES[item['stance']].lower()})."
    return panels.evidence_changed(claim_id, message, attached=item)


@bp.post("/<int:claim_id>/evidence/<int:evidence_id>")
def edit(claim_id: int, evidence_id: int):
    form = request.form
    if form.get("remove"):
        evidence.remove_evidence(get_db(), evidence_id, g.user, version=version_arg())
        return panels.evidence_changed(claim_id, "Evidence removed (kept in the history).")
    evidence.update_evidence(get_db(), evidence_id, g.user, stance=form.get("stance"), note=form.get("note"),
                             excerpt=form.get("excerpt"), version=version_arg())
    return panels.evidence_changed(claim_id, "Evidence saved.")
