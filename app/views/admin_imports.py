"""Administration: upload ClaimReview files from other fact-checkers (imported as a job) and see what was imported."""

from flask import Blueprint, g, redirect, render_template, request, url_for
from jinja2_fragments.flask import render_block, render_blocks

from app import jobs as job_runner
from app.views.auth import require_role
from app.db import get_db
from app.htmx import wants_fragment
from review import jobs
from review.claimreview.store import check_base_url, recent_reviews
from review.errors import ReviewError, ValidationError

bp = Blueprint("admin_imports", __name__, url_prefix="/admin/imports")
KIND = "claimreview-import"


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
        if not files:
            raise ValidationError({"files": "Choose one or more ClaimReview files (.json, .jsonl or .html)."})
        job_id = job_runner.start(get_db(), KIND, {"base_url": check_base_url(base_url)}, files=files,
                                  actor_id=g.user["id"])
    except ReviewError as error:
        return _page(errors=error.fields, base_url=base_url), error.status
    return redirect(url_for("admin_imports.job", job_id=job_id), code=303)


@bp.get("/jobs/<int:job_id>")
def job(job_id: int):
    """Show an import job: a progress bar the page polls while it runs, then each record's outcome."""
    found = job_runner.show(get_db(), job_id, KIND)
    if wants_fragment("job"):
        if found["state"] != "done":
            return job_runner.fragment(render_block("admin/imports.html", "job_panel", job=found), found)
        # The poll that finds the import done also brings the list of what it imported, out of band.
        body = render_blocks("admin/imports.html", ["job_panel", "recent_reviews"], job=found,
                             recent=recent_reviews(get_db()), oob=True)
        return job_runner.fragment(body, found)
    return _page(job=found)


def _page(*, job=None, errors=None, base_url: str = ""):
    return render_template("admin/imports.html", job=job, errors=errors or {}, base_url=base_url,
                           recent=recent_reviews(get_db()), jobs=jobs.recent_jobs(get_db(), KIND, limit=5))
