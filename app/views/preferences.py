"""Each user's preferences: the queue view they start from and its page size."""

from flask import Blueprint, g, make_response, redirect, render_template, request, url_for

from app.db import get_db
from app.htmx import is_htmx, toast
from review import preferences, queue
from review.errors import ReviewError

bp = Blueprint("preferences", __name__, url_prefix="/preferences")


@bp.get("")
def edit():
    return _page(preferences.get_preferences(get_db(), g.user["id"]), {})


@bp.post("")
def save():
    try:
        preferences.save_preferences(get_db(), g.user["id"], request.form.to_dict())
    except ReviewError as error:
        return toast(_page(_submitted(), error.fields, error.status), error.message, "error")
    return toast(redirect(url_for("preferences.edit"), code=303), "Preferences saved: the queue opens with them.")


@bp.post("/queue")
def save_view():
    """Make the queue view on screen (its tab and filters) the start view, keeping the page size."""
    db = get_db()
    fields = {**request.form.to_dict(), "page_size": preferences.get_preferences(db, g.user["id"])["page_size"]}
    prefs = preferences.save_preferences(db, g.user["id"], fields)
    target = url_for("queue.index", **preferences.start_view(prefs))
    response = toast(redirect(target, code=303), "This view is now where your queue opens.")
    if is_htmx():  # htmx would follow a redirect inside the form; have it load the page instead
        response.status_code, response.headers["HX-Location"] = 204, target
        del response.headers["Location"]
    return response


def _submitted() -> dict:
    form = request.form
    filters = {name: form.get(name, "") for name in queue.FILTERS}
    return {"queue_tab": form.get("tab"), "sort": form.get("sort"), "queue_filters": filters,
            "page_size": form.get("page_size")}


def _page(prefs: dict, errors: dict, status: int = 200):
    page = render_template("dashboard/preferences.html", prefs=prefs, errors=errors, tabs=queue.TABS,
                           sizes=preferences.PAGE_SIZES, options=queue.filter_options(get_db()))
    return make_response(page, status)
