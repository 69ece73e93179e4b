"""ClaimReview export: a pure function from claim and verdict to schema.org JSON-LD, and its validator."""

import csv
import io
import json
from dataclasses import dataclass
from urllib.parse import urlsplit


from review import claims as claims_mod
from review import verdicts
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


def public_path(claim_id: int, claim_reviewed: str) -> str:
    return f"/fact-checks/{claim_id}/{verdicts.slugify(claim_reviewed)}"


def _date(value: str | None) -> str | None:
    return value[:10] if value else None


def _absolute(url: str | None) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


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


def validate(record: dict) -> list[str]:
    """Return the problems that block approval and export (empty when the record is usable)."""
    problems = []
    if record.get("@context") not in (CONTEXT, "http://schema.org", "https://schema.org/"):
        problems.append("@context must be https://schema.org")
    if record.get("@type") != "ClaimReview":
        problems.append("@type must be ClaimReview")
    if not (record.get("claimReviewed") or "").strip():
        problems.append("claimReviewed is missing")
    if not _absolute(record.get("url")):
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
    first = verdicts.first_published_at(db, claim_id) or verdict.get("published_at") or verdict.get("updated_at")
    note = verdict.get("correction_note") if verdict.get("revision", 1) > 1 else None
    stand_in = dict(verdict)
    stand_in.setdefault("published_at", None)
    if not stand_in["published_at"]:
        stand_in["published_at"] = first
    return to_claimreview(claim, stand_in, rating, scale_bounds(db), publisher, appearances,
                          date_published=first, correction_note=note)


def problems_for(db: Store, claim_id: int, verdict: dict, publisher: Publisher) -> list[str]:
    """Return the validator's problems for a draft, as if it were published now."""
    return validate(build(db, claim_id, verdict, publisher))


def export_records(db: Store, publisher: Publisher, since: str | None = None) -> tuple[list[dict], list[str]]:
    """Return the ClaimReview of every published verdict (since a date), and why any were refused."""
    records, refused = [], []
    for verdict in verdicts.published_since(db, since):
        record = build(db, verdict["claim_id"], verdict, publisher)
        problems = validate(record)
        if problems:
            refused.append(f"claim {verdict['claim_id']}: " + "; ".join(problems))
        else:
            records.append(record)
    return records, refused


def as_datafeed(records: list[dict], publisher: Publisher) -> dict:
    """Wrap records in a schema.org DataFeed (the shape Data Commons reads)."""
    return {
        "@context": CONTEXT,
        "@type": "DataFeed",
        "name": f"{publisher.name} fact-checks",
        "dataFeedElement": [{"@type": "DataFeedItem", "item": [r]} for r in records],
    }


CSV_COLUMNS = ["url", "claimReviewed", "rating", "conclusion", "ratingValue", "claimant", "firstAppearance",
               "datePublished", "dateModified"]


def neutralize(cell) -> str:
    """Defuse spreadsheet formulas: a cell starting with = + - @ (or a tab/CR) gets a leading quote."""
    text = "" if cell is None else str(cell)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(records: list[dict]) -> str:
    """Return the records as CSV for spreadsheets, formula-injection safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in records:
        item = r.get("itemReviewed", {})
        writer.writerow([neutralize(v) for v in [
            r.get("url"), r.get("claimReviewed"), r["reviewRating"].get("name"), r["reviewRating"].get("alternateName"),
            r["reviewRating"].get("ratingValue"), (item.get("author") or {}).get("name"),
            (item.get("firstAppearance") or {}).get("url"), r.get("datePublished"), r.get("dateModified")]])
    return out.getvalue()


def serialize(records: list[dict], fmt: str, publisher: Publisher) -> str:
    """Serialize records as json (a DataFeed), jsonl (one ClaimReview per line) or csv."""
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if fmt == "csv":
        return to_csv(records)
    return json.dumps(as_datafeed(records, publisher), ensure_ascii=False, indent=2) + "\n"
