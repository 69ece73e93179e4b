"""Administration: upload ClaimReview files from other fact-checkers and see what was imported."""

from flask import Blueprint, g, make_response, render_template, request

from app.views.auth import require_role
from app.db import get_db
from app.htmx import toast
from review.claimreview.store import import_uploads, recent_reviews
from review.errors import ReviewError

bp = Blueprint("admin_imports", __name__, url_prefix="/admin/imports")
SHOWN_OUTCOMES = 500  # a 14k-record upload lists its refusals and warnings, not every added row


@bp.before_request
@require_role("admin")
def only_admins():
    return None


@bp.get("")
def index():
    return _page()


@bp.post("")
def upload():
    files = [(f.filename, f.read()) for f in request.files.getlist("files") if f.filename]
    base_url = request.form.get("base_url", "")
    try:
        summary = import_uploads(get_db(), files, base_url=base_url, actor_id=g.user["id"])
    except ReviewError as error:
        return _page(errors=error.fields, base_url=base_url), error.status
    level = "error" if summary.refused and not (summary.added or summary.updated) else "info"
    return toast(make_response(_page(summary=summary, base_url=base_url)), f"Imported: {summary.line()}.", level)


def _page(*, summary=None, errors=None, base_url: str = ""):
    shown = summary.listing(SHOWN_OUTCOMES) if summary else []
    return render_template("admin/imports.html", summary=summary, shown=shown, errors=errors or {},
                           base_url=base_url, recent=recent_reviews(get_db()))
