"""The review queue page."""

from flask import Blueprint, g, render_template, request
from jinja2_fragments.flask import render_block

from app.db import get_db
from app.htmx import wants_fragment
from review import queue

bp = Blueprint("queue", __name__)


@bp.get("/")
def index():
    tab = request.args.get("tab", "new")
    if tab not in dict(queue.TABS) and tab != "mine":
        tab = "new"
    sort = request.args.get("sort", "priority")
    db = get_db()
    page = queue.list_queue(db, tab=tab, user_id=g.user["id"], sort=sort, cursor=request.args.get("cursor"))
    context = dict(page=page, tab=tab, sort=sort, tabs=queue.TABS)
    if wants_fragment("queue-rows"):
        return render_block("queue/index.html", "queue_rows", **context)
    return render_template("queue/index.html", counts=queue.tab_counts(db, g.user["id"]), **context)
