"""Evidence on a claim: attach a corpus passage or a source by URL, edit its stance and note, remove it."""

from flask import Blueprint, g, request

from app.db import get_db
from app.views import panels
from review import evidence

bp = Blueprint("evidence", __name__, url_prefix="/claims")


@bp.post("/<int:claim_id>/evidence")
def add(claim_id: int):
    form = request.form
    evidence.add_evidence(get_db(), claim_id, g.user, document_id=form.get("document_id", type=int),
                          url=form.get("url", ""), title=form.get("title", ""), excerpt=form.get("excerpt", ""),
                          archive_url=form.get("archive_url", ""), stance=form.get("stance", "context"),
                          note=form.get("note", ""))
    return panels.swap(claim_id, "Evidence attached.", "evidence_panel", "history_panel")


@bp.post("/<int:claim_id>/evidence/<int:evidence_id>")
def edit(claim_id: int, evidence_id: int):
    form = request.form
    if form.get("remove"):
        evidence.remove_evidence(get_db(), evidence_id, g.user)
        return panels.swap(claim_id, "Evidence removed (kept in the history).", "evidence_panel", "history_panel")
    evidence.update_evidence(get_db(), evidence_id, g.user, stance=form.get("stance"), note=form.get("note"),
                             excerpt=form.get("excerpt"))
    return panels.swap(claim_id, "Evidence saved.", "evidence_panel", "history_panel")
