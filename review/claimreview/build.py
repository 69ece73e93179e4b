"""Build the schema.org ClaimReview of a verdict: a pure builder, and :func:`build` from the store.

The builder reads the claim, its rating, its appearances and the publishing
organization; it knows nothing of the workflow, so the validator (and through it
the verdict transitions) can ask for a ClaimReview without an import cycle.
"""

import re
from dataclasses import dataclass

from review import claims as claims_mod
from review.ratings import get_rating, scale_bounds
from review.storage import Store

CONTEXT = "https://schema.org"
PERSON_KINDS = {"person"}


@dataclass
class Publisher:
    """The organization publishing the fact-checks, and where its public pages live."""

    name: str
    url: str
    public_url: str


DEFAULT_PUBLISHER = Publisher(name="Claimdesk", url="", public_url="http://127.0.0.1:5000")


def slugify(text: str, limit: int = 60) -> str:
    """Return the URL slug of a text: lower-case words joined by hyphens, at most ``limit`` characters.

    The slug ends at a word boundary: a word that does not fit is left out, not cut (a first word
    longer than the limit is the one exception).
    """
    words = re.findall(r"[a-z0-9]+", (text or "").lower())
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > limit:
            break
        slug = longer
    if not slug and words:
        slug = words[0][:limit]
    return slug or "fact-check"


def public_path(claim_id: int, claim_reviewed: str) -> str:
    """Return the path of a claim's public fact-check page."""
    return f"/fact-checks/{claim_id}/{slugify(claim_reviewed)}"


def first_published_at(db: Store, claim_id: int) -> str | None:
    """Return when the claim's verdict was first published (ClaimReview datePublished)."""
    found = db.one("SELECT min(published_at) AS at FROM verdicts WHERE claim_id = ? AND published_at IS NOT NULL",
                   [claim_id])
    return found["at"] if found else None


def _date(value: str | None) -> str | None:
    return value[:10] if value else None


def to_claimreview(claim: dict, verdict: dict, rating: dict, bounds: tuple, publisher: Publisher,
                   appearances: list[dict], *, date_published: str | None, correction_note: str | None = None) -> dict:
    """Build the ClaimReview JSON-LD for one published verdict (a pure function)."""
    worst, best = bounds
    # alternateName is what aggregators show: the desk's short conclusion, else the rating label.
    review_rating = {"@type": "Rating", "alternateName": verdict.get("conclusion") or rating["label"],
                     "name": rating["label"]}
    if rating.get("rating_value") is not None and worst is not None:
        review_rating.update(ratingValue=rating["rating_value"], bestRating=best, worstRating=worst)
    url = verdict.get("article_url") or publisher.public_url.rstrip("/") + public_path(claim["id"], verdict["claim_reviewed"])
    item = {"@type": "Claim"}
    if claim.get("claimant"):
        kind = "Person" if claim.get("claimant_kind") in PERSON_KINDS else "Organization"
        item["author"] = {"@type": kind, "name": claim["claimant"]}
    seen = [a for a in appearances if a.get("url")]
    if seen:
        works = [{"@type": "CreativeWork", "url": a["url"], **({"headline": a["title"]} if a.get("title") else {}),
                  **({"datePublished": _date(a["appeared_at"])} if a.get("appeared_at") else {})} for a in seen]
        item["appearance"] = works
        item["firstAppearance"] = works[0]
    claim_date = next((a.get("appeared_at") for a in appearances if a.get("appeared_at")), None) or claim.get("appeared_at")
    if claim_date:
        item["datePublished"] = _date(claim_date)
    record = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": verdict["claim_reviewed"],
        "reviewRating": review_rating,
        "author": {"@type": "Organization", "name": publisher.name, **({"url": publisher.url} if publisher.url else {})},
        "datePublished": _date(date_published or verdict.get("published_at")),
        "inLanguage": verdict.get("language") or "en",
        "itemReviewed": item,
    }
    if verdict.get("published_at") and _date(verdict["published_at"]) != record["datePublished"]:
        record["dateModified"] = _date(verdict["published_at"])
    if correction_note:
        record["correction"] = {"@type": "CorrectionComment", "text": correction_note,
                                "datePublished": _date(verdict.get("published_at"))}
    return record


def build(db: Store, claim_id: int, verdict: dict, publisher: Publisher) -> dict:
    """Build the ClaimReview for a claim's verdict revision from the database."""
    claim = claims_mod.get_claim(db, claim_id)
    rating = get_rating(db, verdict["rating_key"]) if verdict.get("rating_key") else {"label": ""}
    appearances = [
        {"url": a["url"] or a["document_url"], "title": a["title"], "appeared_at": a["published_at"] or a["appeared_at"]}
        for a in claims_mod.appearances(db, claim_id)
    ]
    if claim.get("appeared_url"):
        appearances.insert(0, {"url": claim["appeared_url"], "title": None, "appeared_at": claim.get("appeared_at")})
    first = first_published_at(db, claim_id) or verdict.get("published_at") or verdict.get("updated_at")
    note = verdict.get("correction_note") if verdict.get("revision", 1) > 1 else None
    stand_in = dict(verdict)
    stand_in.setdefault("published_at", None)
    if not stand_in["published_at"]:
        stand_in["published_at"] = first
    return to_claimreview(claim, stand_in, rating, scale_bounds(db), publisher, appearances,
                          date_published=first, correction_note=note)


def to_retraction(record: dict, claim: dict) -> dict:
    """Turn a ClaimReview into the record of its retraction (see docs/REMOVAL.md).

    The rating is removed, so that no reader takes the verdict as standing; ``creativeWorkStatus``
    says "Retracted"; ``correction`` carries the reason, dated; ``dateModified`` is the retraction's day.
    """
    retracted = {k: v for k, v in record.items() if k != "reviewRating"}
    day = _date(claim.get("retracted_at"))
    retracted["creativeWorkStatus"] = "Retracted"
    retracted["dateModified"] = day
    retracted["correction"] = {"@type": "CorrectionComment", "datePublished": day,
                               "text": f"Retracted: {claim.get('retraction_reason') or ''}".strip()}
    return retracted


def build_retraction(db: Store, claim_id: int, verdict: dict, publisher: Publisher) -> dict:
    """Build the retraction record of a claim whose fact-check (``verdict``, the retracted revision) was withdrawn."""
    return to_retraction(build(db, claim_id, verdict, publisher), claims_mod.get_claim(db, claim_id))
