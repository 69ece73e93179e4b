"""Each user's preferences for speed: the queue view they start from (tab and filters) and its page size."""

import json

from review import queue
from review.dates import clean_day, now
from review.errors import ValidationError
from review.storage import Store

PAGE_SIZES = (25, 50, 100, 200)
START_TABS = tuple(key for key, _ in queue.TABS) + ("mine", "open", "all")
SORTS = ("priority", "date")
DAY_FILTERS = ("date_from", "date_to", "entered_from", "entered_to", "left_from", "left_to", "published_from",
               "published_to")


def get_preferences(db: Store, user_id: int) -> dict:
    """Return the user's preferences (the desk's defaults where they set none)."""
    row = db.one("SELECT queue_tab, queue_filters, page_size FROM user_preferences WHERE user_id = ?", [user_id])
    stored = json.loads(row["queue_filters"]) if row else {}
    return {"queue_tab": (row or {}).get("queue_tab") or None, "sort": stored.pop("sort", None),
            "queue_filters": stored, "page_size": (row or {}).get("page_size") or queue.PAGE_SIZE}


def start_view(prefs: dict) -> dict:
    """Return the queue arguments a user's start view opens with (empty when they chose none)."""
    view = dict(prefs["queue_filters"])
    if prefs["queue_tab"]:
        view["tab"] = prefs["queue_tab"]
    if prefs["sort"] and prefs["sort"] != "priority":
        view["sort"] = prefs["sort"]
    return view


def save_preferences(db: Store, user_id: int, fields: dict) -> dict:
    """Save the start tab, filters, sort and page size from a form; return the preferences.

    Filters are the queue's (``review.queue.FILTERS``); empty ones are dropped.

    :raises ValidationError: an unknown tab, sort or page size, or a filter day that is not a date.
    """
    errors: dict[str, str] = {}
    tab = (fields.get("tab") or "").strip() or None
    if tab and tab not in START_TABS:
        errors["tab"] = "choose one of the queue's tabs"
    sort = (fields.get("sort") or "priority").strip()
    if sort not in SORTS:
        errors["sort"] = "sort by priority or by date"
    try:
        page_size = int(fields.get("page_size") or queue.PAGE_SIZE)
    except (TypeError, ValueError):
        page_size = 0
    if page_size not in PAGE_SIZES:
        errors["page_size"] = "choose " + ", ".join(str(n) for n in PAGE_SIZES) + " claims a page"
    filters = {}
    for name in queue.FILTERS:
        value = fields.get(name)
        if isinstance(value, str) and value.strip():
            filters[name] = value.strip()[:200]
    for name in DAY_FILTERS:
        if name in filters:
            try:
                filters[name] = clean_day(filters[name], name)
            except ValidationError as error:
                errors.update(error.fields)
    if errors:
        raise ValidationError(errors)
    if sort != "priority":
        filters["sort"] = sort
    db.execute("INSERT INTO user_preferences (user_id, queue_tab, queue_filters, page_size, updated_at)"
               " VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET queue_tab = excluded.queue_tab,"
               " queue_filters = excluded.queue_filters, page_size = excluded.page_size, updated_at = excluded.updated_at",
               [user_id, tab, json.dumps(filters), page_size, now()])
    return get_preferences(db, user_id)
