"""Read the parts of a checker's query that are not plain words: dates and exact-match fields.

Pure string handling, no Whoosh: ``date:`` terms become a date range, values of
exact-match fields are lower-cased, and over-long queries are cut.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 1000
EXACT_FIELDS = ("source", "rating", "publisher", "language")
DATE_TERM = re.compile(r"(?<![\w:])(?:date|published):(\S*)", re.IGNORECASE)
FIELD_VALUE = re.compile(r"(?<![\w:])(%s):(\"[^\"]*\"|'[^']*'|\S+)" % "|".join(EXACT_FIELDS), re.IGNORECASE)
DATE_FORMATS = ((10, "%Y-%m-%d"), (7, "%Y-%m"), (4, "%Y"))


@dataclass
class QueryText:
    """A query split into the text for the parser, a date range and notices for the user."""

    text: str
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    notices: list[str] = field(default_factory=list)


def parse_day(value, *, end: bool = False) -> dt.date | None:
    """Return the first (or, with ``end``, the last) day that ``2020``, ``2020-03`` or ``2020-03-15`` names."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for length, fmt in DATE_FORMATS:
        if len(text) < length:
            continue
        try:
            start = dt.datetime.strptime(text[:length], fmt).date()
        except ValueError:
            continue
        if not end or length == 10:
            return start
        if length == 7:
            following = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            return following - dt.timedelta(days=1)
        return start.replace(month=12, day=31)
    return None


def parse_datetime(value) -> dt.datetime | None:
    """Return a datetime for an ISO date or timestamp (the time part when given), else None."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        return parsed.replace(tzinfo=None)
    except ValueError:
        day = parse_day(text)
        return dt.datetime.combine(day, dt.time()) if day else None


def _date_term_range(value: str, notices: list[str]) -> tuple[dt.date | None, dt.date | None, bool]:
    """Return (from, to, readable) for one ``date:`` value: a period, ``A..B``, ``A..`` or ``..B``."""
    start_text, _, end_text = value.partition("..") if ".." in value else (value, "", value)
    start, end = day_range(start_text, end_text, notices)
    readable = (not start_text or start is not None) and (not end_text or end is not None)
    return start, end, readable and bool(start_text or end_text)


def narrow(start: dt.date | None, end: dt.date | None, other_start: dt.date | None,
           other_end: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """Return the intersection of two open-ended date ranges."""
    starts = [d for d in (start, other_start) if d]
    ends = [d for d in (end, other_end) if d]
    return (max(starts) if starts else None), (min(ends) if ends else None)


def day_range(start_text, end_text, notices: list[str]) -> tuple[dt.date | None, dt.date | None]:
    """Return the days from the start of ``start_text`` to the end of ``end_text``, swapping them when reversed."""
    start, end = parse_day(start_text), parse_day(end_text, end=True)
    if start and end and start > end:
        start, end = parse_day(end_text), parse_day(start_text, end=True)
        notices.append(f"The date range was the wrong way round; searched {start} to {end}.")
    return start, end


def read_query(q: str | None) -> QueryText:
    """Cut an over-long query, pull out its ``date:`` terms and lower-case exact-match values."""
    text = (q or "").strip()
    result = QueryText(text="")
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]
        result.notices.append(f"Your query was cut to its first {MAX_QUERY_CHARS} characters.")
    for match in DATE_TERM.finditer(text):
        start, end, readable = _date_term_range(match.group(1).strip("\"'"), result.notices)
        if not readable:
            result.notices.append(f"Could not read the date in {match.group(0)!r} (use date:2020-03 or "
                                  "date:2020-01-01..2020-06-30); ignored it.")
            continue
        result.date_from, result.date_to = narrow(result.date_from, result.date_to, start, end)
    text = DATE_TERM.sub(" ", text)
    result.text = FIELD_VALUE.sub(_lowercase_value, text).strip()
    return result


def _lowercase_value(match: re.Match) -> str:
    value = match.group(2)
    if value[0] in "\"'":
        value = "'" + value.strip("\"'") + "'"
    return f"{match.group(1).lower()}:{value.lower()}"
