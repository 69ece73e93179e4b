"""The desk overview: what the desk holds now and how it moved, each figure with the queue filter it counts.

Every figure is read from what the database keeps up to date as the desk works (migration 0018's
summary tables, written by triggers in the same transaction as the change, and indexed
queries), never by scanning the claims. Each figure carries ``query``: the queue arguments
(``tab`` and filters) under which the queue lists exactly the claims it counts.

Days are the desk's days (``review.desk``); "the last 30 days" are today and the 29 before it.
Percentiles are nearest-rank: the p-th percentile of n sorted values is the value at rank
ceil(p/100 * n); the median is the middle value (the mean of the two middle ones for even n).
"""

import math
import statistics
from datetime import date, datetime, timedelta

from review import agreement, desk, second_rating
from review.dates import now, parse_timestamp
from review.permissions import is_editor
from review.queue import tab_conditions
from review.states import OPEN_STATES, STATE_LABELS, sql_list
from review.storage import Store

WINDOWS = (30, 90)
TOP = 8
MIN_RATED = 2  # a claimant or source needs this many published verdicts before its false share ranks
# Ages of open claims in desk days: (label, youngest, oldest or None for "and older").
AGE_BANDS = [("Today", 0, 0), ("1–2 days", 1, 2), ("3–6 days", 3, 6), ("7–13 days", 7, 13),
             ("14–29 days", 14, 29), ("30+ days", 30, None)]
OPEN = sql_list(OPEN_STATES)


def overview(db: Store, user: dict, *, days: int = 30, parts: tuple[str, ...] | None = None) -> dict:
    """Return the figures ``user`` may see: the whole desk for editors, their own part for checkers.

    ``parts`` names the figures wanted (all by default), e.g. ``("flow",)`` for one chart's CSV.
    """
    days = days if days in WINDOWS else WINDOWS[0]
    today = desk.today(db)
    mine = None if is_editor(user) else user
    figures = {"days": days, "today": today, "time_zone": str(desk.time_zone(db)), "scope": "mine" if mine else "desk"}
    makers = {
        "workload": lambda: workload(db, only=mine), "ages": lambda: ages(db, today, only=mine),
        "oldest": lambda: oldest_open(db, today, only=mine), "rechecks": lambda: due_rechecks(db, today, only=mine),
    }
    if not mine:
        makers.update({
            "states": lambda: state_counts(db), "flow": lambda: flow(db, today, days),
            "timings": lambda: timings(db, today, days), "ratings": lambda: ratings(db),
            "claimants": lambda: top(db, "claimant"), "sources": lambda: top(db, "source"),
            "claimants_false": lambda: top_false(db, "claimant"), "sources_false": lambda: top_false(db, "source"),
            "agreement": lambda: rater_agreement(db, today),
        })
    for name, make in makers.items():
        if parts is None or name in parts:
            figures[name] = make()
    if "workload" in figures:
        figures["workload_states"] = workload_states(figures["workload"])
    return figures


def rater_agreement(db: Store, today: date) -> dict | None:
    """Return raw agreement and Cohen's kappa of blind second ratings per week (None when the desk has none)."""
    if not (second_rating.enabled(db) or db.scalar("SELECT count(*) FROM second_ratings WHERE compared_at IS NOT NULL")):
        return None
    return agreement.over_time(db, today)


def state_counts(db: Store) -> list[dict]:
    """Return the number of claims in each state now."""
    counts = {r["status"]: r["n"] for r in db.query("SELECT status, n FROM claim_counts")}
    return [{"label": label, "n": counts.get(state, 0), "query": {"tab": state}} for state, label in STATE_LABELS.items()]


def flow(db: Store, today: date, days: int) -> list[dict]:
    """Return, for each of the last ``days`` desk days, the claims that entered and left the desk.

    Entered: created that day. Left: published, dismissed or merged that day and not reopened since.
    """
    zone = desk.time_zone(db)
    first = today - timedelta(days=days - 1)
    spans = [(first + timedelta(days=i)) for i in range(days)]
    values = ", ".join("(?, ?, ?)" for _ in spans)
    params = [x for d in spans for x in (d.isoformat(), *desk.day_range(zone, d, d))]
    found = {(r["day"], r["direction"]): r["n"] for r in db.query(
        f"WITH days(day, start_at, end_at) AS (VALUES {values})"
        " SELECT days.day AS day, f.direction AS direction, sum(f.n) AS n FROM days JOIN claim_flow f"
        " ON f.direction IN ('in', 'out') AND f.bucket >= days.start_at AND f.bucket < days.end_at"
        " GROUP BY days.day, f.direction", params)}
    rows = []
    for d in spans:
        day = d.isoformat()
        rows.append({"day": day, "entered": found.get((day, "in"), 0) or 0, "left": found.get((day, "out"), 0) or 0,
                     "entered_query": {"tab": "all", "entered_from": day, "entered_to": day},
                     "left_query": {"tab": "all", "left_from": day, "left_to": day}})
    return rows


def percentile(values: list[float], p: float) -> float | None:
    """Return the nearest-rank p-th percentile of the values (None when there are none)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]


def timings(db: Store, today: date, days: int) -> dict:
    """Return median and p90 hours from extraction to verdict and from submission to approval.

    Counted over the claims whose first verdict was approved in the last ``days`` desk days.
    """
    first = today - timedelta(days=days - 1)
    start, end = desk.day_range(desk.time_zone(db), first, today)
    rows = db.query("SELECT extraction_hours, review_hours FROM verdict_timings WHERE approved_at >= ? AND approved_at < ?",
                    [start, end])
    # julianday arithmetic leaves a few microseconds of float noise: round to the second.
    extraction = [round(r["extraction_hours"] * 3600) / 3600 for r in rows]
    review = [round(r["review_hours"] * 3600) / 3600 for r in rows if r["review_hours"] is not None]

    def summary(values):
        return {"median": statistics.median(values) if values else None, "p90": percentile(values, 90)}

    return {"n": len(rows), "extraction": summary(extraction), "review": summary(review),
            "query": {"tab": "all", "published_from": first.isoformat(), "published_to": today.isoformat()}}


def ratings(db: Store) -> list[dict]:
    """Return the published verdicts per rating, in the scale's order."""
    rows = db.query("SELECT r.key, r.label, coalesce(t.n, 0) AS n FROM rating_scale r LEFT JOIN rating_tallies t"
                    " ON t.dimension = 'desk' AND t.key = '' AND t.rating_key = r.key"
                    " WHERE r.active = 1 OR coalesce(t.n, 0) > 0 ORDER BY r.position, r.key")
    return [{"key": r["key"], "label": r["label"], "n": r["n"], "query": {"tab": "all", "rating": r["key"]}}
            for r in rows]


def false_rating(db: Store) -> dict | None:
    """Return the rating that counts as "rated false": the lowest rating value on the scale."""
    return db.one("SELECT key, label FROM rating_scale WHERE rating_value IS NOT NULL"
                  " ORDER BY rating_value, position LIMIT 1")


def _filter_for(dimension: str, key: str) -> dict:
    return {"claimant_is": key} if dimension == "claimant" else {"source": key}


def top(db: Store, dimension: str, limit: int = TOP) -> list[dict]:
    """Return the claimants (or sources) with the most claims."""
    rows = db.query("SELECT key, label, claims FROM claim_tallies WHERE dimension = ? AND claims > 0"
                    " ORDER BY claims DESC, key LIMIT ?", [dimension, limit])
    return [{"label": r["label"], "n": r["claims"], "query": {"tab": "all", **_filter_for(dimension, r["key"])}}
            for r in rows]


def top_false(db: Store, dimension: str, limit: int = TOP) -> list[dict]:
    """Return the claimants (or sources) with the largest share of published verdicts rated false.

    Only those with at least MIN_RATED published verdicts rank; ties go to the larger number.
    """
    false = false_rating(db)
    if false is None:
        return []
    rows = db.query(
        "SELECT f.key, c.label, f.n AS rated_false, a.n AS rated FROM rating_tallies f"
        " JOIN rating_tallies a ON a.dimension = f.dimension AND a.key = f.key AND a.rating_key = '*'"
        " LEFT JOIN claim_tallies c ON c.dimension = f.dimension AND c.key = f.key"
        " WHERE f.dimension = ? AND f.rating_key = ? AND f.n > 0 AND a.n >= ?", [dimension, false["key"], MIN_RATED])
    rows = [r for r in rows if r["rated_false"]]
    rows.sort(key=lambda r: (-r["rated_false"] / r["rated"], -r["rated"], r["key"]))
    found = []
    for r in rows[:limit]:
        scope = {"tab": "all", **_filter_for(dimension, r["key"])}
        found.append({"label": r["label"] or r["key"], "n": r["rated_false"], "rated": r["rated"],
                      "share": r["rated_false"] / r["rated"], "rating_label": false["label"],
                      "query": {**scope, "rating": false["key"]}, "rated_query": {**scope, "rating": "any"}})
    return found


def workload(db: Store, *, only: dict | None = None) -> list[dict]:
    """Return each checker's open claims by state (only one user's when ``only`` is given)."""
    where, params = "", []
    if only:
        where, params = " AND w.assignee_id = ?", [only["id"]]
    rows = db.query(
        f"SELECT u.username, w.status, w.n FROM workload_counts w JOIN users u ON u.id = w.assignee_id"
        f" WHERE w.status IN {OPEN} AND w.n > 0{where} ORDER BY u.username", params)
    people: dict[str, dict] = {}
    if only:
        people[only["username"]] = {"username": only["username"], "states": {}, "n": 0}
    for r in rows:
        person = people.setdefault(r["username"], {"username": r["username"], "states": {}, "n": 0})
        person["states"][r["status"]] = {"n": r["n"], "query": {"tab": r["status"], "assignee": r["username"]}}
        person["n"] += r["n"]
    for person in people.values():
        person["query"] = {"tab": "open", "assignee": person["username"]}
    return sorted(people.values(), key=lambda p: (-p["n"], p["username"]))


def workload_states(people: list[dict]) -> list[tuple[str, str]]:
    """Return the open states a workload breaks down, as (state, label): queued, in progress, in review, and new
    when someone holds a new claim (taken before it was accepted)."""
    shown = [state for state in OPEN_STATES if state != "new"]
    if any("new" in person["states"] for person in people):
        shown.append("new")
    return [(state, STATE_LABELS[state]) for state in shown]


def ages(db: Store, today: date, *, only: dict | None = None) -> list[dict]:
    """Return the open claims by age band (desk days since they entered).

    The whole desk's bands are sums of the open claims per quarter hour they entered in (the oldest
    band is what the others leave of all open claims); one person's are counted from their claims.
    """
    zone = desk.time_zone(db)
    bands = []
    for label, youngest, oldest in AGE_BANDS:
        last = today - timedelta(days=youngest)
        first = today - timedelta(days=oldest) if oldest is not None else None
        end = desk.day_start(zone, last + timedelta(days=1))
        query = {"tab": "open", "entered_to": last.isoformat()}
        if first:
            query["entered_from"] = first.isoformat()
        if only:
            query["assignee"] = only["username"]
            where, params = [f"c.status IN {OPEN}", "c.assignee_id = ?", "c.created_at < ?"], [only["id"], end]
            if first:
                where.append("c.created_at >= ?")
                params.append(desk.day_start(zone, first))
            n = db.scalar(f"SELECT count(*) FROM claims c WHERE {' AND '.join(where)}", params)
        elif first:
            n = db.scalar("SELECT coalesce(sum(n), 0) FROM claim_flow WHERE direction = 'open' AND bucket >= ?"
                          " AND bucket < ?", [desk.day_start(zone, first), end])
        else:
            total = db.scalar(f"SELECT coalesce(sum(n), 0) FROM claim_counts WHERE status IN {OPEN}")
            n = total - sum(b["n"] for b in bands)
        bands.append({"label": label, "n": n, "query": query})
    return bands


def oldest_open(db: Store, today: date, *, only: dict | None = None, limit: int = 10) -> list[dict]:
    """Return the open claims that entered the desk longest ago, with their age in desk days."""
    where, params = f"c.status IN {OPEN}", []
    if only:
        where += " AND c.assignee_id = ?"
        params.append(only["id"])
    rows = db.query(f"SELECT c.id, c.text, c.status, c.created_at, u.username AS assignee FROM claims c"
                    f" LEFT JOIN users u ON u.id = c.assignee_id WHERE {where} ORDER BY c.created_at, c.id LIMIT ?",
                    params + [limit])
    zone = desk.time_zone(db)
    for r in rows:
        r["age"] = (today - parse_timestamp(r["created_at"]).astimezone(zone).date()).days
        r["state"] = STATE_LABELS.get(r["status"], r["status"])
    return rows


def due_rechecks(db: Store, today: date, *, only: dict | None = None, limit: int = 10) -> dict:
    """Return the published verdicts whose re-check day has come: how many, and the most overdue."""
    where, params = "v.status = 'published' AND v.recheck_by <= ?", [today.isoformat()]
    if only:
        where += " AND c.assignee_id = ?"
        params.append(only["id"])
    base = f"FROM verdicts v JOIN claims c ON c.id = v.claim_id WHERE {where}"
    rows = db.query(f"SELECT c.id, c.text, v.recheck_by, v.rating_key {base} ORDER BY v.recheck_by, c.id LIMIT ?",
                    params + [limit])
    query = {"tab": "all", "recheck": "due"}
    if only:
        query["assignee"] = only["username"]
    return {"n": db.scalar(f"SELECT count(*) {base}", params), "rows": rows, "query": query}


def count_matching(db: Store, *, tab: str, user_id: int | None, filters: dict) -> int:
    """Return how many claims the queue lists under ``tab`` and ``filters`` (what a figure's link shows)."""
    where, params = tab_conditions(db, tab=tab, user_id=user_id, filters=filters)
    return db.scalar(f"SELECT count(*) FROM claims c WHERE {' AND '.join(where) or '1 = 1'}", params)


def hours_label(hours: float | None) -> str:
    """Say a duration as people read it: minutes, hours, or days past two days."""
    if hours is None:
        return "—"
    if hours < 1:
        return f"{round(hours * 60)} min"
    if hours < 48:
        return f"{hours:.1f} h"
    return f"{hours / 24:.1f} days"


def generated_at() -> datetime:
    """Return the moment the figures were read (for the page's footnote)."""
    return parse_timestamp(now())
