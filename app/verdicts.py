"""The editor's inbox of verdicts, and the ClaimReview export page and downloads."""

from datetime import date

from flask import Blueprint, Response, render_template, request

from app.auth import require_role
from app.db import get_db
from app.publishing import publisher
from review import verdicts
from review.claimreview.export import export_records, serialize
from review.dates import clean_day
from review.errors import ValidationError

bp = Blueprint("verdicts", __name__)
FORMATS = {"json": "application/ld+json", "jsonl": "application/x-ndjson", "csv": "text/csv"}


@bp.get("/verdicts")
@require_role("editor")
def inbox():
    return render_template("verdicts/inbox.html", inbox=verdicts.inbox(get_db()))


def parse_since(value: str | None) -> str | None:
    """Return the ``since`` argument as YYYY-MM-DD (None when absent); ValidationError otherwise."""
    return clean_day(value, "since")


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
    records, _ = export_records(get_db(), publisher(), parse_since(request.args.get("since")))
    body = serialize(records, fmt, publisher())
    filename = f"claimreview-{date.today().isoformat()}.{fmt}"
    return Response(body, mimetype=FORMATS[fmt], headers={"Content-Disposition": f'attachment; filename="{filename}"'})
