"""The desk's own settings (its time zone) and the queue filters the desk overview's figures link to.

Days on the desk are calendar days in the desk's time zone (a desk setting, UTC until an admin
sets it). Stored times are UTC, so a local day is a range of UTC instants: 23 or 25 hours long
on the days the clocks change. :func:`day_range` gives that range, and every figure counted
"per day" and the queue filter its link opens use the same range, so they agree.
"""

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from review.dates import clean_day, now, parse_timestamp, to_day
from review.errors import ValidationError
from review.events import record_event
from review.storage import Store

DEFAULT_TIME_ZONE = "UTC"
# The queue filters this module adds: local days (inclusive), an exact claimant, a published rating
# (or "any"), due re-checks ("due"), the days a blind second rating was compared with the first
# (second_from/to) and how the two raters stood ("second": agree, disagree, pending or rated).
FILTERS = ("entered_from", "entered_to", "left_from", "left_to", "published_from", "published_to", "rating",
           "claimant_is", "recheck", "second_from", "second_to", "second")
SECOND_MARKS = ("pending", "rated", "agree", "disagree")
DAY_FILTERS = {"entered": "c.created_at", "left": "c.closed_at"}


def get_setting(db: Store, key: str, default: str | None = None) -> str | None:
    """Return one desk setting's stored value, or ``default``."""
    value = db.scalar("SELECT value FROM desk_settings WHERE key = ?", [key])
    return default if value is None else value


def put_setting(db: Store, key: str, value: str, *, actor_id: int | None) -> None:
    """Store one desk setting and log who changed it."""
    with db.transaction():
        before = get_setting(db, key)
        db.execute("INSERT INTO desk_settings (key, value) VALUES (?, ?)"
                   " ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value])
        record_event(db, actor_id, "desk.setting", "desk", None, key=key, before=before, after=value)


def time_zone_names() -> list[str]:
    """Return the time zones a desk may choose, sorted."""
    return sorted(name for name in available_timezones() if "/" in name or name == "UTC")


def time_zone(db: Store) -> ZoneInfo:
    """Return the desk's time zone (UTC when unset or no longer known)."""
    try:
        return ZoneInfo(get_setting(db, "time_zone", DEFAULT_TIME_ZONE))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIME_ZONE)


def set_time_zone(db: Store, name: str, *, actor_id: int | None) -> str:
    """Set the desk's time zone (an IANA name such as ``Europe/Paris``) and return it.

    :raises ValidationError: on ``time_zone``: not a known time zone.
    """
    name = (name or "").strip()
    if name not in time_zone_names():
        raise ValidationError({"time_zone": "choose a time zone from the list, such as Europe/Paris"})
    put_setting(db, "time_zone", name, actor_id=actor_id)
    return name


def today(db: Store, moment: datetime | None = None) -> date:
    """Return the desk's current day (in its time zone)."""
    moment = moment or parse_timestamp(now())
    return moment.astimezone(time_zone(db)).date()


def day_start(zone: ZoneInfo, day: date) -> str:
    """Return the UTC instant a local day starts, as ``YYYY-MM-DDTHH:MM`` (compares with stored times)."""
    return datetime.combine(day, time(0), zone).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M")


def day_range(zone: ZoneInfo, first: date, last: date) -> tuple[str, str]:
    """Return the UTC range [start, end) covering the local days ``first`` to ``last`` inclusive."""
    return day_start(zone, first), day_start(zone, last + timedelta(days=1))


def apply_filters(db: Store, filters: dict, where: list, params: list) -> None:
    """Add the desk overview's filters to a queue query over claims ``c``.

    :raises ValidationError: a day filter that is not a date like 2024-12-08.
    """
    zone = None
    for prefix, column in DAY_FILTERS.items():
        first, last = _days(filters, prefix)
        if first or last:
            zone = zone or time_zone(db)
            if first:
                where.append(f"{column} >= ?")
                params.append(day_start(zone, first))
            if last:
                where.append(f"{column} < ?")
                params.append(day_start(zone, last + timedelta(days=1)))
    first, last = _days(filters, "published")
    if first or last:
        zone = zone or time_zone(db)
        start = day_start(zone, first) if first else ""
        end = day_start(zone, last + timedelta(days=1)) if last else "9999"
        where.append("c.id IN (SELECT claim_id FROM verdict_timings WHERE approved_at >= ? AND approved_at < ?)")
        params += [start, end]
    if filters.get("rating") == "any":
        where.append("c.id IN (SELECT claim_id FROM verdicts WHERE status = 'published')")
    elif filters.get("rating"):
        where.append("c.id IN (SELECT claim_id FROM verdicts WHERE status = 'published' AND rating_key = ?)")
        params.append(filters["rating"])
    if filters.get("claimant_is"):
        # Both sides through the database's lower(): the figures' keys were made by it.
        where.append("lower(trim(c.claimant)) = lower(trim(?))")
        params.append(filters["claimant_is"])
    first, last = _days(filters, "second")
    if first or last:
        zone = zone or time_zone(db)
        start = day_start(zone, first) if first else ""
        end = day_start(zone, last + timedelta(days=1)) if last else "9999"
        where.append("c.id IN (SELECT claim_id FROM second_ratings WHERE cancelled_at IS NULL"
                     " AND compared_at >= ? AND compared_at < ?)")
        params += [start, end]
    if filters.get("second") in SECOND_MARKS:
        where.append("c.second_rating = ?")
        params.append(filters["second"])
    if filters.get("recheck") == "due":
        where.append("c.id IN (SELECT claim_id FROM verdicts WHERE status = 'published' AND recheck_by <= ?)")
        params.append(today(db).isoformat())


def _days(filters: dict, prefix: str) -> tuple[date | None, date | None]:
    found = []
    for end in ("from", "to"):
        name = f"{prefix}_{end}"
        value = clean_day(filters.get(name), name)
        found.append(to_day(value))
    return found[0], found[1]
