"""Validate a ClaimReview record: the problems that block approval and export.

:func:`validate` checks a built record; :func:`problems_for` builds the record a
verdict revision would publish now and checks it. Neither knows the workflow:
the verdict transitions call them before a revision goes to review or is published.
"""

from review.claimreview.build import CONTEXT, DEFAULT_PUBLISHER, Publisher, build
from review.storage import Store
from review.urls import is_web_url


def validate(record: dict) -> list[str]:
    """Return the problems that block approval and export (empty when the record is usable)."""
    problems = []
    if record.get("@context") not in (CONTEXT, "http://schema.org", "https://schema.org/"):
        problems.append("@context must be https://schema.org")
    if record.get("@type") != "ClaimReview":
        problems.append("@type must be ClaimReview")
    if not (record.get("claimReviewed") or "").strip():
        problems.append("claimReviewed is missing")
    if not is_web_url(record.get("url")):
        problems.append("url must be an absolute http(s) URL")
    rating = record.get("reviewRating") or {}
    if not (rating.get("alternateName") or "").strip():
        problems.append("reviewRating.alternateName is missing")
    if "ratingValue" in rating:
        worst, best, value = rating.get("worstRating"), rating.get("bestRating"), rating.get("ratingValue")
        if not all(isinstance(v, (int, float)) for v in (worst, best, value)):
            problems.append("ratingValue, worstRating and bestRating must be numbers")
        elif worst < 1 or not worst <= value <= best:
            problems.append(f"ratingValue {value} is outside worstRating {worst}..bestRating {best} (worstRating >= 1)")
    if not ((record.get("author") or {}).get("name") or "").strip():
        problems.append("author.name (the publishing organization) is missing")
    if not record.get("datePublished"):
        problems.append("datePublished is missing")
    item = record.get("itemReviewed") or {}
    if item.get("@type") != "Claim":
        problems.append("itemReviewed must be a Claim")
    if not ((item.get("author") or {}).get("name") or "").strip():
        problems.append("itemReviewed.author.name (who made the claim) is missing")
    if not (item.get("appearance") or item.get("firstAppearance")):
        problems.append("itemReviewed needs an appearance or firstAppearance (where the claim was made)")
    return problems


def problems_for(db: Store, claim_id: int, verdict: dict, publisher: Publisher | None = None) -> list[str]:
    """Return the validator's problems for a draft, as if it were published now (by DEFAULT_PUBLISHER if none)."""
    return validate(build(db, claim_id, verdict, publisher or DEFAULT_PUBLISHER))
