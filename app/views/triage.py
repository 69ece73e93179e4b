"""Triage: workflow actions from the workspace or a queue row, undo, and bulk actions from the queue."""

from urllib.parse import parse_qs, urlsplit

from flask import Blueprint, g, make_response, redirect, render_template, request, url_for

from app.db import get_db
from app.htmx import toast, trigger, wants_fragment
from app.publishing import workflow_settings
from app.views import panels
from app.views.workspace import version_arg
from review import queue, workflow
from review.versioning import require_version

bp = Blueprint("triage", __name__, url_prefix="/claims")


@bp.post("/<int:claim_id>/action/<action>")
def act(claim_id: int, action: str):
    form = request.form
    claim = workflow.apply_action(
        get_db(), claim_id, action, g.user, version=version_arg(), reason=form.get("reason"),
        comment=form.get("comment"), assignee_id=form.get("assignee_id", type=int),
        target_id=form.get("target_id", type=int), **workflow_settings(),
    )
    message = f"{workflow.done_message(action)}: {queue.claim_label(claim['text'])}."
    if wants_fragment(f"claim-{claim_id}"):
        return triaged_row(claim, message)
    if not wants_fragment():
        return toast(redirect(url_for("claims.show", claim_id=claim_id), code=303), message)
    return panels.page(claim_id, message)  # a new state changes every panel: the whole workspace


def triaged_row(claim: dict, message: str):
    """Answer a triage from the queue: the row leaves, the counts update, a toast offers Undo."""
    # The counts follow the filters of the queue page the triage came from.
    shown = parse_qs(urlsplit(request.headers.get("HX-Current-URL", "")).query)
    counts = queue.tab_counts(get_db(), g.user["id"], {name: values[0] for name, values in shown.items()})
    response = make_response(render_template("partials/_tab_counts.html", counts=counts, oob=True))
    undo = url_for("triage.undo", claim_id=claim["id"], version=claim["version"], from_queue=1)
    return trigger(response, "toast", {"level": "info", "message": message, "undo": undo})


@bp.post("/<int:claim_id>/undo")
def undo(claim_id: int):
    claim = workflow.undo_last(get_db(), claim_id, g.user, version=require_version(request.args.get("version")))
    if request.args.get("from_queue"):
        response = make_response("")
        return trigger(toast(response, f"Undone: {queue.claim_label(claim['text'])} is back."), "queueChanged", True)
    return panels.page(claim["id"], "Undone.")


@bp.post("/bulk")
def bulk():
    form = request.form
    ids = [int(i) for i in form.getlist("ids") if i.isdigit()]
    action = form.get("bulk_action", "")
    done, failed = queue.bulk_action(get_db(), ids, action, g.user, versions={i: form.get(f"version-{i}") for i in ids},
                                     reason=form.get("reason"), assignee_id=form.get("assignee_id", type=int),
                                     tag=form.get("tag"))
    message = queue.bulk_message(action, done, failed)
    level = "error" if failed and not done else "info"
    if not wants_fragment():
        return toast(redirect(request.referrer or url_for("queue.index"), code=303), message, level)
    return trigger(toast(make_response(""), message, level), "queueChanged", True)
