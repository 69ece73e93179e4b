"""Administration: purging a document or a claim, and erasing a person's name (each shown before it is done)."""

from flask import Blueprint, g, make_response, redirect, render_template, request, url_for

from app.db import get_db
from app.htmx import toast
from app.views.auth import require_role
from review import erasure, purge
from review.errors import ReviewError

bp = Blueprint("admin_removal", __name__, url_prefix="/admin")


@bp.before_request
@require_role("admin")
def only_admins():
    return None


def page(**context):
    context.setdefault("form", {})
    context.setdefault("errors", {})
    return render_template("admin/removal.html", removals=purge.recent_removals(get_db()), **context)


@bp.get("/removal")
def index():
    return page()


def refused(form, error: ReviewError, field: str):
    """Show the form again with the reason next to its field."""
    return make_response(page(form=form, errors=error.fields or {field: error.message}), error.status)


@bp.post("/purge/preview")
def purge_preview():
    form = request.form
    try:
        return page(form=form, purge_plan=purge.plan_purge(get_db(), form.get("kind"), form.get("id")))
    except ReviewError as error:
        return refused(form, error, "id")


@bp.post("/purge")
def purge_confirmed():
    plan = purge.purge(get_db(), request.form.get("kind"), request.form.get("id"), g.user)
    message = (f"Purged {plan['kind']} {plan['id']}: {plan['counts']['claims']} claim(s) and "
               f"{plan['counts']['verdicts']} verdict revision(s) removed.")
    return toast(redirect(url_for("admin_removal.index"), code=303), message)


@bp.post("/erase/preview")
def erase_preview():
    form = request.form
    try:
        return page(form=form, erase_plan=erasure.plan_erasure(get_db(), form.get("name")))
    except ReviewError as error:
        return refused(form, error, "name")


@bp.post("/erase")
def erase_confirmed():
    counts = erasure.erase_name(get_db(), request.form.get("name"), g.user)
    return toast(redirect(url_for("admin_removal.index"), code=303),
                 f"Name erased from {sum(counts.values())} row(s).")
