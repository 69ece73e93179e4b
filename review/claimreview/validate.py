"""Validate a ClaimReview record: what blocks approval and export, and what is only advised.

:func:`check` lists each finding once, with the form field that fixes it, a plain sentence for the
desk and the schema.org property it concerns; :func:`validate` keeps the blocking ones in schema
words (export reports), :func:`readiness` builds the record a verdict revision would publish now
and answers in plain words per field. None of them knows the workflow: the verdict transitions
call them before a revision goes to review or is published.

An appearance (where the claim was made) is recommended by ClaimReview consumers, not required:
a record without one is published with a warning.
"""

from dataclasses import dataclass

from review.claimreview.build import CONTEXT, DEFAULT_PUBLISHER, Publisher, build
from review.storage import Store
from review.urls import is_web_url


@dataclass(frozen=True)
class Finding:
    field: str  # the form field that fixes it ("publisher": the desk's settings, an admin's)
    plain: str  # what to do, in the desk's words
    schema: str  # the same in schema.org words
    blocking: bool = True


def check(record: dict) -> list[Finding]:
    """Return every finding on a built record, blocking ones and advice."""
    found = []

    def add(field, plain, schema, blocking=True):
        found.append(Finding(field, plain, schema, blocking))

    if record.get("@context") not in (CONTEXT, "http://schema.org", "https://schema.org/"):
        add("record", "The record is not schema.org ClaimReview.", "@context must be https://schema.org")
    if record.get("@type") != "ClaimReview":
        add("record", "The record is not a ClaimReview.", "@type must be ClaimReview")
    if not (record.get("claimReviewed") or "").strip():
        add("claim_reviewed", "Write the claim as reviewed.", "claimReviewed is missing")
    if not is_web_url(record.get("url")):
        add("article_url", "The fact-check's address must be a full web address (https://…); leave it empty"
            " to publish on the desk's public page.", "url must be an absolute http(s) URL")
    rating = record.get("reviewRating") or {}
    if not (rating.get("alternateName") or "").strip():
        add("rating_key", "Choose a rating.", "reviewRating.alternateName is missing")
    if "ratingValue" in rating:
        worst, best, value = rating.get("worstRating"), rating.get("bestRating"), rating.get("ratingValue")
        if not all(isinstance(v, (int, float)) for v in (worst, best, value)):
            add("rating_key", "This rating has no usable value on the scale; an admin must fix the rating scale.",
                "ratingValue, worstRating and bestRating must be numbers")
        elif worst < 1 or not worst <= value <= best:
            add("rating_key", "This rating's value lies outside the rating scale; an admin must fix the scale.",
                f"ratingValue {value} is outside worstRating {worst}..bestRating {best} (worstRating >= 1)")
    if not ((record.get("author") or {}).get("name") or "").strip():
        add("publisher", "The desk has no organization name to publish under; an admin sets CLAIMDESK_ORG_NAME.",
            "author.name (the publishing organization) is missing")
    if not record.get("datePublished"):
        add("publisher", "The publication date is missing.", "datePublished is missing")
    item = record.get("itemReviewed") or {}
    if item.get("@type") != "Claim":
        add("record", "The record does not review a claim.", "itemReviewed must be a Claim")
    if not ((item.get("author") or {}).get("name") or "").strip():
        add("claimant", "Say who made the claim (Claimant).", "itemReviewed.author.name (who made the claim) is missing")
    if not (item.get("appearance") or item.get("firstAppearance")):
        add("appeared_url", "Add where the claim appeared (a web address) if you can: fact-check aggregators use it"
            " to show this fact-check next to the claim. It can be published without.",
            "itemReviewed has no appearance or firstAppearance (recommended)", blocking=False)
    return found


def validate(record: dict) -> list[str]:
    """Return the problems that block approval and export, in schema.org words (empty when usable)."""
    return [f.schema for f in check(record) if f.blocking]


def readiness(db: Store, claim_id: int, verdict: dict, publisher: Publisher | None = None) -> dict:
    """Return what blocks publishing a verdict revision now and what is advised, in plain words.

    ``blockers`` maps the field that fixes each problem to what to do; ``warnings`` lists advice.
    """
    blockers: dict[str, str] = {}
    warnings = []
    for finding in check(build(db, claim_id, verdict, publisher or DEFAULT_PUBLISHER)):
        if not finding.blocking:
            warnings.append(finding.plain)
        elif finding.field in blockers:
            blockers[finding.field] += " " + finding.plain
        else:
            blockers[finding.field] = finding.plain
    return {"blockers": blockers, "warnings": warnings}


def problems_for(db: Store, claim_id: int, verdict: dict, publisher: Publisher | None = None) -> list[str]:
    """Return what blocks publishing a verdict revision now, in plain words (by DEFAULT_PUBLISHER if none)."""
    return list(readiness(db, claim_id, verdict, publisher)["blockers"].values())
