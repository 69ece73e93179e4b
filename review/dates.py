"""Dates and times: the clock every record is stamped with, and the one way each kind of date is read.

- :func:`now` stamps records (UTC, ISO 8601, seconds).
- :func:`clean_day` reads a date a person typed into a form or the API (``2024-12-08``) and
  refuses anything else with a field message; :func:`to_day` is its non-raising twin for
  values already stored.
- :func:`read_date` reads the dates found in other people's data (article files, feeds,
  web pages, ClaimReview): ISO 8601 dates and datetimes (``2016-03-01``,
  ``2016-03-01T10:00:00+02:00``, ``20160301``), ``2016/03/01``, English month names
  (``March 1, 2016``, ``Mar. 1 2016``, ``1st March 2016``, optionally after a weekday),
  RFC 2822 dates as in RSS (``Tue, 01 Mar 2016 10:00:00 GMT``), Reuters-style
  ``19-OCT-1987 01:12:07.00``, and numeric day/month dates (``13/03/2016``,
  ``03/13/2016``, also with ``-`` or ``.``) only when just one order makes a valid date.
  Anything else is left empty with the reason, never guessed.

The search query language keeps its own date syntax (``date:2024-03``) in ``search_index``.
"""

import calendar
import re
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime

from review.errors import ValidationError

DAY_EXAMPLE = "2024-12-08"
MONTHS = {name.lower(): number for names in (calendar.month_name, calendar.month_abbr)
          for number, name in enumerate(names) if name} | {"sept": 9}
WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
MONTH_FIRST = re.compile(WEEKDAY + r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", re.IGNORECASE)
DAY_FIRST = re.compile(WEEKDAY + r"(\d{1,2})(?:st|nd|rd|th)?\.?\s*([a-z]+)\.?,?\s+(\d{4})", re.IGNORECASE)
NUMERIC_DMY = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")
YEAR_FIRST_SLASH = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
ISO_START = re.compile(r"\d{4}-?\d{2}-?\d{2}")
RFC_2822 = re.compile(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}")
# Formats seen in news corpora that the rules above do not cover (Reuters-21578).
CORPUS_FORMATS = ("%d-%b-%Y %H:%M:%S.%f", "%d-%b-%Y %H:%M:%S", "%d-%b-%Y")


def now() -> str:
    """Return the current UTC time as an ISO 8601 string (seconds precision)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def parse_timestamp(value: str) -> datetime:
    """Return a stored ISO 8601 timestamp (as :func:`now` writes them) as an aware datetime.

    :raises ValueError: the value is not an ISO 8601 datetime.
    """
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def to_day(value) -> date | None:
    """Return the calendar day an ISO date or datetime string starts with, or None when it has none."""
    try:
        return date.fromisoformat(str(value).strip()[:10]) if value else None
    except ValueError:
        return None


def clean_day(value, field: str = "date", *, required: bool = False) -> str | None:
    """Return a typed date (``2024-12-08``, or a datetime starting with one) as ``YYYY-MM-DD``.

    Empty values give None.

    :param field: the field name the ValidationError is keyed by.
    :param required: refuse an empty value instead of returning None.
    :raises ValidationError: on ``field``: not text, or not a date like 2024-12-08.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError({field: f"required: a date like {DAY_EXAMPLE}"})
        return None
    day = to_day(value) if isinstance(value, str) else None
    if day is None:
        raise ValidationError({field: f"use a date like {DAY_EXAMPLE}"})
    return day.isoformat()


def clean_day_field(values: dict, name: str, errors: dict, *, required: bool = False) -> None:
    """Clean ``values[name]`` in place with :func:`clean_day`, or put its message in ``errors[name]``.

    For validators that gather every field's problem before raising one ValidationError.
    """
    try:
        values[name] = clean_day(values.get(name), name, required=required)
    except ValidationError as error:
        errors.update(error.fields)


def read_date(value) -> tuple[str | None, str | None]:
    """Read a date from other people's data (the formats in this module's docstring).

    :return: (an ISO date or datetime, None), or (None, why the value was left empty);
        (None, None) when there is no value.
    """
    raw = str(value).strip() if value is not None else ""
    if not raw:
        return None, None
    parsed = _iso(raw) or _named_month(raw) or _rfc2822(raw) or _corpus_format(raw)
    if parsed:
        return parsed, None
    match = YEAR_FIRST_SLASH.fullmatch(raw)
    if match:
        parsed = _valid(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        return (parsed, None) if parsed else (None, f"{_quoted(raw)} is not a valid date")
    match = NUMERIC_DMY.fullmatch(raw)
    if match:
        return _numeric_date(raw, int(match.group(1)), int(match.group(3)), int(match.group(4)))
    return None, f"{_quoted(raw)} is not a date format Claimdesk reads"


def normalize_date(value) -> str | None:
    """Return :func:`read_date`'s ISO date or datetime, or None when the value cannot be read."""
    return read_date(value)[0]


def iso_moment(moment: datetime) -> str:
    """Return a datetime as ISO 8601 without fractions of a second."""
    return moment.replace(microsecond=0).isoformat()


def _valid(year: int, month: int, day: int) -> str | None:
    """Return the ISO date, or None when there is no such day."""
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _iso(value: str) -> str | None:
    """Read an ISO 8601 date or datetime, keeping the publisher's time zone."""
    if not ISO_START.match(value):
        return None
    try:
        moment = datetime.fromisoformat(value.replace(" ", "T", 1) if len(value) > 10 else value)
    except ValueError:
        return None
    if len(value) <= 10:
        return moment.date().isoformat()
    return iso_moment(moment)


def _named_month(value: str) -> str | None:
    """Read an English date with the month's name, month or day first."""
    match = MONTH_FIRST.fullmatch(value)
    if match and match.group(1).lower() in MONTHS:
        return _valid(int(match.group(3)), MONTHS[match.group(1).lower()], int(match.group(2)))
    match = DAY_FIRST.fullmatch(value)
    if match and match.group(2).lower() in MONTHS:
        return _valid(int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1)))
    return None


def _rfc2822(value: str) -> str | None:
    """Read an e-mail or HTTP style date (``Tue, 01 Mar 2016 10:00:00 GMT``)."""
    if not RFC_2822.match(value):
        return None
    try:
        return iso_moment(parsedate_to_datetime(value))
    except (TypeError, ValueError, IndexError):
        return None


def _corpus_format(value: str) -> str | None:
    for pattern in CORPUS_FORMATS:
        try:
            parsed = datetime.strptime(value, pattern)
        except ValueError:
            continue
        return parsed.date().isoformat() if "%H" not in pattern else iso_moment(parsed)
    return None


def _numeric_date(raw: str, a: int, b: int, year: int) -> tuple[str | None, str | None]:
    """Read a numeric day/month date only when just one order makes a valid date (or both agree)."""
    day_first, month_first = _valid(year, b, a), _valid(year, a, b)
    if day_first and month_first and day_first != month_first:
        return None, f"{_quoted(raw)} is ambiguous (day/month or month/day)"
    if day_first or month_first:
        return day_first or month_first, None
    return None, f"{_quoted(raw)} is not a valid date"


def _quoted(value: str, limit: int = 60) -> str:
    """Return a value quoted for a message, shortened when long."""
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")
