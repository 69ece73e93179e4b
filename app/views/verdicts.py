"""Verdicts: saving a claim's draft, its ClaimReview JSON, the editor's inbox, and the ClaimReview export."""

from datetime import date

from flask import Blueprint, Response, g, jsonify, render_template, request

from app.views.auth import require_role
from app.db import get_db
from app.publishing import publisher
from app.views import panels
from app.views.workspace import version_arg
from review import verdicts
from review.claimreview.export import claim_record, export_records, serialize
from review.dates import clean_day
from review.errors import ValidationError

bp = Blueprint("verdicts", __name__)
FORMATS = {"json": "application/ld+json", "jsonl": "application/x-ndjson", "csv": "text/csv"}


@bp.post("/claims/<int:claim_id>/verdict")
def save(claim_id: int):
    names = verdicts.EDITABLE + verdicts.CLAIM_FIELDS
    fields = {name: request.form.get(name) for name in names if name in request.form}
    verdicts.edit_draft(get_db(), claim_id, g.user, fields, version=version_arg())
    # What blocks Submit may have changed, and the claimant and appearance show in the claim's head.
    return panels.swap(claim_id, "Verdict draft saved.", "verdict_panel", "version", "actions_panel", "head_panel",
                       "history_panel")


@bp.get("/claims/<int:claim_id>/claimreview.json")
def claimreview_json(claim_id: int):
    return jsonify(claim_record(get_db(), claim_id, publisher()))


@bp.get("/verdicts")
@require_role("editor")
def inbox():
    return render_template("verdicts/inbox.html", inbox=verdicts.inbox(get_db()))


@bp.get("/export")
@require_role("editor")
def export_page():
    records, refused = export_records(get_db(), publisher())
    return render_template("export/index.html", count=len(records), refused=refused, formats=list(FORMATS))


@bp.get("/export/download")
@require_role("editor")
def download():
    fmt = request.args.get("format", "json")
    if fmt not in FORMATS:
        raise ValidationError({"format": "choose json, jsonl or csv"})
    records, _ = export_records(get_db(), publisher(), clean_day(request.args.get("since"), "since"))
    body = serialize(records, fmt, publisher())
    filename = f"claimreview-{date.today().isoformat()}.{fmt}"
    return Response(body, mimetype=FORMATS[fmt], headers={"Content-Disposition": f'attachment; filename="{filename}"'})
