"""Export published verdicts as ClaimReview: a DataFeed (JSON), JSON Lines or CSV."""

import csv
import io
import json

from review import verdicts
from review.claimreview.build import CONTEXT, Publisher, build
from review.claimreview.validate import validate
from review.storage import Store


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
