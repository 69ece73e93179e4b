"""Export published verdicts as ClaimReview: a DataFeed (JSON), JSON Lines or CSV."""

import csv
import io
import json

from review import verdicts
from review.claimreview.build import CONTEXT, Publisher, build, build_retraction
from review.claimreview.validate import validate
from review.errors import NotFound
from review.storage import Store


def export_records(db: Store, publisher: Publisher, since: str | None = None) -> tuple[list[dict], list[str]]:
    """Return the ClaimReview of every published verdict (since a date), and why any were refused.

    Retracted fact-checks follow, each as its retraction record (no rating, ``creativeWorkStatus``
    "Retracted", the reason as a ``correction``), so that readers of the feed withdraw them too.
    """
    records, refused = [], []
    for verdict in verdicts.published_since(db, since):
        record = build(db, verdict["claim_id"], verdict, publisher)
        problems = validate(record)
        if problems:
            refused.append(f"claim {verdict['claim_id']}: " + "; ".join(problems))
        else:
            records.append(record)
    for verdict in verdicts.retracted_since(db, since):
        records.append(build_retraction(db, verdict["claim_id"], verdict, publisher))
    return records, refused


def claim_record(db: Store, claim_id: int, publisher: Publisher) -> dict:
    """Return a claim's ClaimReview as aggregators should read it now: its public one, or its retraction.

    :raises NotFound: the claim has nothing published (or never had).
    """
    published = verdicts.published_revision(db, claim_id)
    if published:
        return build(db, claim_id, published, publisher)
    retracted = verdicts.retracted_revision(db, claim_id)
    if retracted:
        return build_retraction(db, claim_id, retracted, publisher)
    raise NotFound(f"claim {claim_id} has no published verdict")


def as_datafeed(records: list[dict], publisher: Publisher) -> dict:
    """Wrap records in a schema.org DataFeed (the shape Data Commons reads)."""
    return {
        "@context": CONTEXT,
        "@type": "DataFeed",
        "name": f"{publisher.name} fact-checks",
        "dataFeedElement": [{"@type": "DataFeedItem", "item": [r]} for r in records],
    }


CSV_COLUMNS = ["url", "claimReviewed", "rating", "conclusion", "ratingValue", "claimant", "firstAppearance",
               "datePublished", "dateModified", "status"]


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
        rating = r.get("reviewRating") or {}  # a retraction has none
        writer.writerow([neutralize(v) for v in [
            r.get("url"), r.get("claimReviewed"), rating.get("name"), rating.get("alternateName"),
            rating.get("ratingValue"), (item.get("author") or {}).get("name"),
            (item.get("firstAppearance") or {}).get("url"), r.get("datePublished"), r.get("dateModified"),
            r.get("creativeWorkStatus", "Published")]])
    return out.getvalue()


def serialize(records: list[dict], fmt: str, publisher: Publisher) -> str:
    """Serialize records as json (a DataFeed), jsonl (one ClaimReview per line) or csv."""
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if fmt == "csv":
        return to_csv(records)
    return json.dumps(as_datafeed(records, publisher), ensure_ascii=False, indent=2) + "\n"
