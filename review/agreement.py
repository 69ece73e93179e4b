"""How far the desk's raters agree: raw agreement and Cohen's kappa over the blind second ratings.

A pair is a claim's first rating (the revision as submitted) and its blind second rating, compared
once both were in (``second_ratings.compared_at``, see ``review.second_rating``); ratings are the
scale's keys. Raw agreement is the share of pairs with the same key. Cohen's kappa corrects it for
the agreement two raters reach by chance given how often each uses each rating:

    kappa = (p_o - p_e) / (1 - p_e),  p_e = sum over ratings k of (n_1k / n) * (n_2k / n)

where n_1k and n_2k count the pairs in which the first and the second rater chose k. It is 1 for
full agreement, 0 for what chance gives, negative below chance, and undefined (None) when chance
alone agrees fully (both raters always chose the same single rating).
"""

from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta

from review import desk
from review.dates import parse_timestamp
from review.storage import Store

WINDOW_DAYS = 90
BUCKET_DAYS = 7


def raw_agreement(pairs: Iterable[tuple[str, str]]) -> float | None:
    """Return the share of pairs whose two ratings are the same (None without pairs)."""
    pairs = list(pairs)
    return sum(a == b for a, b in pairs) / len(pairs) if pairs else None


def cohen_kappa(pairs: Iterable[tuple[str, str]]) -> float | None:
    """Return Cohen's kappa of (first, second) rating pairs (None without pairs or when undefined)."""
    pairs = list(pairs)
    n = len(pairs)
    if not n:
        return None
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in first) / (n * n)
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


def spans(today: date, days: int = WINDOW_DAYS, size: int = BUCKET_DAYS) -> list[tuple[date, date]]:
    """Return the desk's last ``days`` days as consecutive spans of ``size`` days ending today, oldest first.

    The oldest span is shorter when ``days`` is not a multiple of ``size``.
    """
    first, found, last = today - timedelta(days=days - 1), [], today
    while last >= first:
        start = max(first, last - timedelta(days=size - 1))
        found.insert(0, (start, last))
        last = start - timedelta(days=1)
    return found


def over_time(db: Store, today: date, days: int = WINDOW_DAYS) -> dict:
    """Return the pairs compared per week over the last ``days`` desk days, and over the whole window.

    Each week (and the total) gives ``n`` pairs, ``agreed``, ``agreement`` (share), ``kappa``, and the
    queue filters listing the claims behind ``n`` (``query``) and behind ``agreed`` (``agreed_query``).
    """
    zone = desk.time_zone(db)
    weeks = spans(today, days)
    start, end = desk.day_range(zone, weeks[0][0], today)
    rows = db.query("SELECT first_rating_key, rating_key, compared_at FROM second_ratings"
                    " WHERE cancelled_at IS NULL AND compared_at >= ? AND compared_at < ?", [start, end])
    pairs: dict[int, list[tuple[str, str]]] = {i: [] for i in range(len(weeks))}
    for r in rows:
        day = parse_timestamp(r["compared_at"]).astimezone(zone).date()
        index = next(i for i, (first, last) in enumerate(weeks) if first <= day <= last)
        pairs[index].append((r["first_rating_key"] or "", r["rating_key"] or ""))
    buckets = [_figure(first, last, pairs[i]) for i, (first, last) in enumerate(weeks)]
    everything = [p for i in pairs for p in pairs[i]]
    return {"days": days, "weeks": buckets, "total": _figure(weeks[0][0], today, everything)}


def _figure(first: date, last: date, pairs: list[tuple[str, str]]) -> dict:
    days = {"tab": "all", "second_from": first.isoformat(), "second_to": last.isoformat()}
    return {"first": first, "last": last, "label": first.isoformat(), "n": len(pairs),
            "agreed": sum(a == b for a, b in pairs), "agreement": raw_agreement(pairs), "kappa": cohen_kappa(pairs),
            "query": days, "agreed_query": {**days, "second": "agree"}}
