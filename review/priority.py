"""The queue's one priority formula: a claim's check-worthiness, repeats, freshness and boost, each bounded."""

import math
from collections.abc import Callable

from review.dates import now, to_day

# Issue 11 item 8: every term is bounded to 0-1 and weighted, so the check-worthiness score leads and nothing
# else can outweigh more than a fixed share of it.
PRIORITY_WEIGHTS = {"score": 70.0, "repeats": 10.0, "freshness": 10.0, "boost": 10.0}
FRESHNESS_HALF_LIFE_DAYS = 30


def _score(checkworthiness) -> float:
    return round(PRIORITY_WEIGHTS["score"] * min(1.0, max(0.0, float(checkworthiness or 0.0))), 2)


def _repeats(appearances) -> float:
    return round(PRIORITY_WEIGHTS["repeats"] * min(1.0, math.log10(max(1, appearances or 1))), 2)


def _freshness(source_date, arrived) -> float:
    day = to_day(source_date)
    age = max(0, (arrived - day).days) if day else None
    value = 0.5 ** (age / FRESHNESS_HALF_LIFE_DAYS) if age is not None else 0.0
    return round(PRIORITY_WEIGHTS["freshness"] * value, 2)


def _boost(boost) -> float:
    return round(PRIORITY_WEIGHTS["boost"] * min(1.0, max(0.0, float(boost or 0.0))), 2)


def priority_parts(checkworthiness: float, appearances: int, source_date: str | None, boost: float,
                   at: str | None = None) -> dict[str, float]:
    """Return the weighted terms of a claim's priority (they sum to it; each lies between 0 and its weight).

    * score: the calibrated check-worthiness, 0-1;
    * repeats: log10 of the appearances, capped at 1 (ten appearances or more);
    * freshness: 0.5 ** (age / 30 days) of the claim's date when the claim arrived (``at``, its
      ``created_at``): 1 on the day, 0.5 a month old, 0 when undated;
    * boost: the manual boost, clamped to 0-1.
    """
    arrived = to_day(at) or to_day(now())
    return {"score": _score(checkworthiness), "repeats": _repeats(appearances),
            "freshness": _freshness(source_date, arrived), "boost": _boost(boost)}


def compute_priority(checkworthiness: float, appearances: int, source_date: str | None, boost: float,
                     at: str | None = None) -> float:
    """Return the claim's priority, 0-100: the sum of :func:`priority_parts`."""
    return round(sum(priority_parts(checkworthiness, appearances, source_date, boost, at).values()), 2)


def priorities_at(at: str) -> Callable[[float, int, str | None], float]:
    """Return ``priority(checkworthiness, appearances, source_date)`` of unboosted claims arriving at ``at``.

    For a batch of new claims: the repeats and freshness terms depend only on the appearance count and
    the claim's date, which a batch's claims share by the hundred, so each is worked out once by the
    same functions :func:`compute_priority` sums, and added in the same order: the same float, bit for bit.
    """
    arrived = to_day(at) or to_day(now())
    repeats: dict[int, float] = {}
    freshness: dict[str | None, float] = {}
    boost = _boost(0.0)

    def priority(checkworthiness: float, appearances: int, source_date: str | None) -> float:
        r = repeats.get(appearances)
        if r is None:
            r = repeats[appearances] = _repeats(appearances)
        f = freshness.get(source_date)
        if f is None:
            f = freshness[source_date] = _freshness(source_date, arrived)
        return round(sum((_score(checkworthiness), r, f, boost)), 2)

    return priority
