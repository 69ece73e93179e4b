"""The review queue page."""

from flask import Blueprint, g, redirect, render_template, request, url_for
from jinja2_fragments.flask import render_block

from app.db import get_db
from app.htmx import wants_fragment
from app.queue_row import queue_row
from review import desk, preferences, queue, recheck, states

bp = Blueprint("queue", __name__)
bp.add_app_template_global(queue_row)  # queue/_rows.html builds each row with it


@bp.get("/")
def index():
    db = get_db()
    prefs = preferences.get_preferences(db, g.user["id"])
    if not request.args and preferences.start_view(prefs):  # the user's own start view
        return redirect(url_for("queue.index", **preferences.start_view(prefs)))
    tab = request.args.get("tab", "new")
    if tab not in dict(queue.TABS) and tab not in queue.OTHER_TABS:
        tab = "new"
    sort = "date" if request.args.get("sort") == "date" else "priority"
    filters = {name: request.args.get(name, "") for name in queue.FILTERS}
    page = queue.list_queue(db, tab=tab, user_id=g.user["id"], sort=sort, cursor=request.args.get("cursor"),
                            filters=filters, limit=prefs["page_size"])
    queue.attach_actions(page.rows, g.user)
    recheck.mark_due(db, page.rows)
    context = dict(page=page, tab=tab, sort=sort, filters=page.filters, desk_filters=desk.FILTERS)
    if wants_fragment("queue-more"):
        return render_template("queue/_rows.html", **context)
    context["counts"] = counts = queue.tab_counts(db, g.user["id"], page.filters)
    context["matching"] = (queue.count_listed(db, tab=tab, user_id=g.user["id"], filters=page.filters, counts=counts)
                           if page.filters or tab not in counts else None)
    if wants_fragment("queue-rows"):
        return render_block("queue/index.html", "queue_rows", oob_counts=True, **context)
    people = queue.assignable_users(db)
    return render_template("queue/index.html", tabs=queue.TABS, options=queue.filter_options(db, people),
                           reasons=states.DISMISS_REASONS, users=people,
                           bulk_actions=queue.bulk_actions_for(g.user), **context)
