"""Store the ClaimReview records read from files as prior reviews, reporting what happened to each.

:func:`import_paths` (files and folders) and :func:`import_bytes` (an upload)
store the usable records, one transaction per file, map their rating labels to
our scale, queue them for the search index, and report the rest as
``FILE:POSITION: reason``.
"""

import os
from collections.abc import Iterable
from dataclasses import dataclass

from review.claimreview.jsonld import absolute_url
from review.claimreview.read import SUFFIXES, parse_bytes
from review.claimreview.record import Finding
from review.dates import now
from review.scorers import refresh_embeddings
from review.errors import ValidationError
from review.events import record_event
from review.indexing import enqueue
from review.ingest.files import read_files
from review.ratings import label_lookup, normalize_label
from review.reports import Outcome, Report
from review.storage import Store

COLUMNS = ("claim_reviewed", "claimant", "rating_label", "rating_value", "best_rating", "worst_rating",
           "rating_key", "publisher", "publisher_url", "url", "headline", "review_body", "date_published",
           "claim_date", "language", "raw_json", "source_file")


STATUSES = ("added", "updated", "refused")


@dataclass
class ReviewOutcome(Outcome):
    """What happened to one ClaimReview record: added, updated or refused (``title`` is the claim reviewed)."""

    @property
    def claim(self) -> str | None:
        return self.title

    @property
    def review_id(self) -> int | None:
        return self.stored_id


def new_report() -> Report:
    """Return an empty import report (its line reads "added N, updated N, refused N")."""
    return Report(STATUSES)


def store_review(db: Store, fields: dict, stamp: str) -> tuple[str, int]:
    """Insert a review or update the one with the same url and claim; return (added|updated|unchanged, id)."""
    values = [fields.get(column) for column in COLUMNS]
    existing = db.one(
        f"SELECT id, {', '.join(COLUMNS)} FROM prior_reviews WHERE url = ? AND claim_reviewed = ?",
        [fields["url"], fields["claim_reviewed"]],
    )
    if existing is None:
        review_id = db.insert(
            f"INSERT INTO prior_reviews ({', '.join(COLUMNS)}, imported_at, updated_at)"
            f" VALUES ({', '.join('?' * len(COLUMNS))}, ?, ?)", [*values, stamp, stamp])
        return "added", review_id
    if [existing[column] for column in COLUMNS] == values:
        return "unchanged", existing["id"]
    db.execute(f"UPDATE prior_reviews SET {', '.join(f'{c} = ?' for c in COLUMNS)}, updated_at = ? WHERE id = ?",
               [*values, stamp, existing["id"]])
    return "updated", existing["id"]


def store_findings(db: Store, name: str, findings: list[Finding], report: Report,
                   *, actor_id: int | None = None) -> None:
    """Store one file's usable records in one transaction, adding an outcome per finding to the report."""
    mappings, stamp = label_lookup(db), now()
    counts = {"added": 0, "updated": 0, "refused": 0}
    with db.transaction():
        for finding in findings:
            outcome = _store_finding(db, name, finding, mappings, stamp)
            counts[outcome.status] += 1
            report.add(outcome)
        if counts["added"] or counts["updated"]:
            record_event(db, actor_id, "prior_review.import", "prior_review", None, file=name, **counts)
    if counts["added"] or counts["updated"]:
        refresh_embeddings(db)  # with the semantic extra: embed the new reviews once, for hybrid matching


def _store_finding(db, name: str, finding: Finding, mappings: dict, stamp: str) -> ReviewOutcome:
    """Store one finding's review (mapping its rating) and queue it for the index, or record the refusal."""
    if finding.review is None:
        return ReviewOutcome(name, finding.position, "refused", reason=finding.error)
    fields = dict(finding.review.fields, source_file=name)
    names = [n for n in (fields.get("rating_label"), fields.get("rating_name")) if n]
    fields["rating_key"] = next((mappings[key] for n in names if (key := normalize_label(n)) in mappings), None)
    status, review_id = store_review(db, fields, stamp)
    if status != "unchanged":
        enqueue(db, "prior_review", review_id)
    return ReviewOutcome(name, finding.position, "added" if status == "added" else "updated",
                         warnings=finding.review.warnings, stored_id=review_id, title=fields["claim_reviewed"],
                         url=fields["url"])


def check_base_url(base_url: str | None) -> str | None:
    """Return a page URL given by the user, or raise ValidationError when it is not an absolute http(s) URL."""
    base_url = (base_url or "").strip() or None
    if base_url and absolute_url(base_url, None)[1]:
        raise ValidationError({"base_url": "Give the page's full address, starting with http:// or https://."})
    return base_url


def import_bytes(db: Store, name: str, data: bytes, *, base_url: str | None = None,
                 actor_id: int | None = None, report: Report | None = None) -> Report:
    """Import one file's content (an upload); return the report with an outcome per record.

    :param base_url: the page URL for relative links, when the file does not give one.
    :raises ValidationError: when base_url is not an absolute http(s) URL.
    """
    report = report if report is not None else new_report()
    findings = parse_bytes(name, data, base_url=check_base_url(base_url))
    store_findings(db, name, findings, report, actor_id=actor_id)
    return report


def import_uploads(db: Store, files: Iterable[tuple[str, bytes]], *, base_url: str | None = None,
                   actor_id: int | None = None) -> Report:
    """Import several uploaded files; return one report.

    :raises ValidationError: when no file is given or base_url is not an absolute http(s) URL.
    """
    files = list(files)
    if not files:
        raise ValidationError({"files": "Choose one or more ClaimReview files (.json, .jsonl or .html)."})
    base_url = check_base_url(base_url)
    report = new_report()
    for name, data in files:
        import_bytes(db, os.path.basename(name) or "upload", data, base_url=base_url, actor_id=actor_id,
                     report=report)
    return report


def import_paths(db: Store, paths: Iterable[str | os.PathLike], *, base_url: str | None = None,
                 actor_id: int | None = None) -> Report:
    """Import ClaimReview files, and the .json, .jsonl and .html files in folders (recursively); return the report.

    :param base_url: the page URL for relative links, when a file does not give one.
    :raises ValidationError: when base_url is not an absolute http(s) URL.
    """
    base_url = check_base_url(base_url)
    report = new_report()
    for file in read_files(paths, suffixes=SUFFIXES):
        if file.error is not None:
            report.add(ReviewOutcome(file.name, None, "refused", reason=file.problem))
        else:
            store_findings(db, file.name, parse_bytes(file.name, file.data, base_url=base_url), report,
                           actor_id=actor_id)
    return report


def recent_reviews(db: Store, limit: int = 20) -> list[dict]:
    """Return the most recently imported or updated prior reviews, with the label of their mapped rating."""
    return list(db.query(
        "SELECT p.id, p.claim_reviewed, p.claimant, p.rating_label, p.rating_key, r.label AS rating_name,"
        " p.publisher, p.url, p.date_published, p.updated_at FROM prior_reviews p"
        " LEFT JOIN rating_scale r ON r.key = p.rating_key ORDER BY p.updated_at DESC, p.id DESC LIMIT ?",
        [limit],
    ))
