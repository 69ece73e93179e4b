"""The desk overview: figures and charts for editors, a checker's own workload, each chart as CSV; desk settings."""

from flask import Blueprint, Response, abort, g, make_response, redirect, render_template, request, url_for

from app.charts import CHART_FIGURES, charts_for, queue_href
from app.db import get_db
from app.htmx import toast
from app.views import panels
from app.views.auth import require_role
from app.views.workspace import version_arg
from app.publishing import publisher
from review import dashboard, desk, desk_report, recheck, second_rating, workflow
from review.errors import ReviewError

bp = Blueprint("dashboard", __name__)
reports = Blueprint("reports", __name__, url_prefix="/reports")


@bp.app_context_processor
def recheck_helpers() -> dict:
    """Let the verdict panel ask about re-checks without deciding who may do what itself."""
    return {"recheck_state": lambda claim_id: recheck.recheck_state(get_db(), claim_id),
            "may_set_recheck": lambda claim: not recheck.why_not_set(g.user, claim),
            "may_act": lambda claim, action: workflow.can(claim, g.user, action)[0]}


def _figures(parts: tuple[str, ...] | None = None) -> dict:
    return dashboard.overview(get_db(), g.user, days=request.args.get("days", 30, type=int), parts=parts)


@bp.get("/dashboard")
def index():
    figures, base = _figures(), url_for("queue.index")
    return render_template("dashboard/index.html", figures=figures, charts=charts_for(figures, base),
                           queue_href=lambda query: queue_href(base, query), windows=dashboard.WINDOWS,
                           hours=dashboard.hours_label, min_rated=dashboard.MIN_RATED)


@bp.get("/dashboard/<chart_id>.csv")
def chart_csv(chart_id: str):
    figures = _figures(CHART_FIGURES.get(chart_id, ()))
    chart = next((c for c in charts_for(figures, url_for("queue.index")) if c.id == chart_id), None)
    if chart is None:
        abort(404, description=f"There is no chart {chart_id!r} on your dashboard.")
    filename = f"claimdesk-{chart_id}-{figures['today'].isoformat()}.csv"
    return Response(chart.csv(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/admin/desk")
@require_role("admin")
def settings():
    return _settings_page({}, {})


@bp.post("/admin/desk")
@require_role("admin")
def save_settings():
    try:
        zone = desk.set_time_zone(get_db(), request.form.get("time_zone", ""), actor_id=g.user["id"])
    except ReviewError as error:
        return toast(_settings_page(request.form, error.fields, error.status), error.message, "error")
    return toast(redirect(url_for("dashboard.settings"), code=303), f"The desk's days now run in {zone}.")


@bp.post("/admin/desk/second-ratings")
@require_role("admin")
def save_second_ratings():
    on = second_rating.set_enabled(get_db(), request.form.get("second_ratings") == "on", actor_id=g.user["id"])
    message = ("Editors can now ask for blind second ratings." if on
               else "Blind second ratings are off; requests already made stay open.")
    return toast(redirect(url_for("dashboard.settings"), code=303), message)


def _settings_page(form, errors, status: int = 200):
    db = get_db()
    page = render_template("dashboard/settings.html", zones=desk.time_zone_names(), form=form, errors=errors,
                           current=str(desk.time_zone(db)), second_ratings=second_rating.enabled(db))
    return make_response(page, status)


@bp.post("/claims/<int:claim_id>/recheck")
def set_recheck(claim_id: int):
    verdict = recheck.set_recheck(get_db(), claim_id, g.user, request.form.get("recheck_by"), version=version_arg())
    message = f"Re-check by {verdict['recheck_by']}." if verdict["recheck_by"] else "Re-check day cleared."
    return panels.swap(claim_id, message, "verdict_panel", "history_panel")


def _report() -> dict:
    db = get_db()
    first, last = desk_report.report_range(db, request.args.get("from"), request.args.get("to"))
    return desk_report.published_verdicts(db, first, last, publisher())


@reports.get("/verdicts")
@require_role("editor")
def verdicts():
    return render_template("reports/verdicts.html", report=_report(), org=publisher().name)


@reports.get("/verdicts.csv")
@require_role("editor")
def verdicts_csv():
    report = _report()
    filename = f"published-verdicts-{report['first'].isoformat()}-to-{report['last'].isoformat()}.csv"
    return Response(desk_report.report_csv(report), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
