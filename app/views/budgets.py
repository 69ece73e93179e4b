"""Claims per article: how many of each article's claims the queue's New tab shows, set per source."""

from flask import Blueprint, make_response, redirect, render_template, request, url_for

from app.db import get_db
from app.htmx import toast
from app.views.auth import require_role
from review import queue
from review.errors import ReviewError

bp = Blueprint("budgets", __name__, url_prefix="/sources")


@bp.before_request
@require_role("editor")
def only_editors():
    return None


def page(form=None, errors=None, status: int = 200):
    """Render the sources with their budgets; a refused form comes back with its error."""
    html = render_template("sources/budgets.html", sources=queue.source_budgets(get_db()),
                           default=queue.ARTICLE_BUDGET, form=form or {}, errors=errors or {})
    return make_response(html, status)


@bp.get("/")
def index():
    return page()


@bp.post("/budget")
def save():
    form = request.form
    try:
        queue.set_source_budget(get_db(), form.get("source", ""), form.get("budget", ""))
    except ReviewError as error:
        return page(form, error.fields or {"budget": error.message}, error.status)
    shown = form.get("budget", "").strip() or f"the default {queue.ARTICLE_BUDGET}"
    return toast(redirect(url_for("budgets.index"), code=303),
                 f"New shows {shown} claims of each article from {form.get('source', '').strip()}.")
