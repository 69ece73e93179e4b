"""The desk's report of published verdicts for a range of desk days: for print, and as CSV.

Every publication in the range is listed, corrections included (marked with their note); a
verdict a later correction superseded still appears on the day it was published.
"""

import csv
import io
from collections import Counter
from datetime import date, timedelta

from review import desk
from review.claimreview.build import Publisher, public_path
from review.dates import clean_day, parse_timestamp, to_day
from review.errors import ValidationError
from review.storage import Store

DEFAULT_DAYS = 30
COLUMNS = ["published", "claim", "revision", "claim reviewed", "claimant", "rating", "conclusion", "authors",
           "approver", "url", "correction note"]


def report_range(db: Store, first: str | None, last: str | None) -> tuple[date, date]:
    """Read a report's first and last desk days (the last 30 days by default).

    :raises ValidationError: on ``from`` or ``to``: not a date, or ``from`` after ``to``.
    """
    last_day = clean_day(last, "to")
    first_day = clean_day(first, "from")
    end = to_day(last_day) if last_day else desk.today(db)
    start = to_day(first_day) if first_day else end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise ValidationError({"from": "the first day comes after the last one"})
    return start, end


def published_verdicts(db: Store, first: date, last: date, publisher: Publisher) -> dict:
    """Return the verdicts published from ``first`` to ``last`` (desk days), oldest first, with counts per rating."""
    zone = desk.time_zone(db)
    start, end = desk.day_range(zone, first, last)
    rows = db.query(
        "SELECT v.claim_id, v.revision, v.claim_reviewed, v.conclusion, v.article_url, v.correction_note,"
        " v.published_at, v.rating_key, coalesce(r.label, v.rating_key) AS rating, c.claimant,"
        " p.username AS approver FROM verdicts v JOIN claims c ON c.id = v.claim_id"
        " LEFT JOIN rating_scale r ON r.key = v.rating_key LEFT JOIN users p ON p.id = v.approver_id"
        " WHERE v.published_at >= ? AND v.published_at < ? ORDER BY v.published_at, v.claim_id, v.revision",
        [start, end])
    authors: dict[tuple[int, int], list[str]] = {}
    if rows:
        marks = ",".join("?" * len({r["claim_id"] for r in rows}))
        for a in db.query(f"SELECT ra.claim_id, ra.revision, u.username FROM revision_authors ra JOIN users u"
                          f" ON u.id = ra.user_id WHERE ra.claim_id IN ({marks}) ORDER BY ra.first_at, u.username",
                          list({r["claim_id"] for r in rows})):
            authors.setdefault((a["claim_id"], a["revision"]), []).append(a["username"])
    base = publisher.public_url.rstrip("/")
    for r in rows:
        r["day"] = parse_timestamp(r["published_at"]).astimezone(zone).date().isoformat()
        r["authors"] = authors.get((r["claim_id"], r["revision"]), [])
        r["url"] = r["article_url"] or base + public_path(r["claim_id"], r["claim_reviewed"])
    counts = Counter(r["rating"] for r in rows)
    return {"first": first, "last": last, "time_zone": str(zone), "rows": rows,
            "ratings": sorted(counts.items(), key=lambda item: (-item[1], item[0] or "")),
            "corrections": sum(1 for r in rows if r["revision"] > 1)}


def report_csv(report: dict) -> str:
    """Return the report's rows as CSV (one line per publication)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for r in report["rows"]:
        writer.writerow([_cell(v) for v in (r["day"], r["claim_id"], r["revision"], r["claim_reviewed"],
                                            r["claimant"] or "", r["rating"] or "", r["conclusion"],
                                            " ".join(r["authors"]), r["approver"] or "", r["url"],
                                            r["correction_note"] or "")])
    return out.getvalue()


def _cell(value) -> str:
    """Keep a spreadsheet from reading text as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
