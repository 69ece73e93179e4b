"""Store the ClaimReview records read from files as prior reviews, reporting what happened to each.

:func:`import_paths` (files and folders) and :func:`import_bytes` (an upload)
store the usable records, one transaction per file, map their rating labels to
our scale, queue them for the search index, and report the rest as
``FILE:POSITION: reason``.
"""

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from review.claimreview.jsonld import absolute_url
from review.claimreview.read import SUFFIXES, parse_bytes
from review.claimreview.record import Finding
from review.db import now
from review.errors import ValidationError
from review.events import record_event
from review.indexing import enqueue
from review.ratings import label_lookup, normalize_label
from review.storage import Store

COLUMNS = ("claim_reviewed", "claimant", "rating_label", "rating_value", "best_rating", "worst_rating",
           "rating_key", "publisher", "publisher_url", "url", "headline", "review_body", "date_published",
           "claim_date", "language", "raw_json", "source_file")


@dataclass
class Outcome:
    """What happened to one record of an import."""

    file: str
    position: str | None
    status: str  # added, updated or refused
    claim: str | None = None
    url: str | None = None
    review_id: int | None = None
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.position}" if self.position else self.file

    @property
    def messages(self) -> list[str]:
        lines = [f"{self.where}: {self.reason}"] if self.reason else []
        return lines + [f"{self.where}: warning: {text}" for text in self.warnings]


@dataclass
class ImportSummary:
    """Counts and per-record outcomes of one import run."""

    added: int = 0
    updated: int = 0
    refused: int = 0
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        """Return ``FILE:POSITION: reason`` for every refused record."""
        return [f"{o.where}: {o.reason}" for o in self.outcomes if o.status == "refused"]

    @property
    def warnings(self) -> list[str]:
        """Return ``FILE:POSITION: warning: ...`` for every kept record with an unreadable value."""
        return [f"{o.where}: warning: {text}" for o in self.outcomes for text in o.warnings]

    @property
    def messages(self) -> list[str]:
        """Return problems and warnings together, in file order."""
        return [line for o in self.outcomes for line in o.messages]

    def add(self, outcome: Outcome) -> None:
        """Count one outcome."""
        self.outcomes.append(outcome)
        setattr(self, outcome.status, getattr(self, outcome.status) + 1)

    def line(self) -> str:
        """Return the one-line summary ``added N, updated N, refused N``."""
        return f"added {self.added}, updated {self.updated}, refused {self.refused}"

    def listing(self, limit: int = 500) -> list[Outcome]:
        """Return up to ``limit`` outcomes in file order, refusals and warnings before plain successes."""
        notable = sum(1 for o in self.outcomes if o.reason or o.warnings)
        spare, shown = max(0, limit - notable), []
        for outcome in self.outcomes:
            if len(shown) >= limit:
                break
            if outcome.reason or outcome.warnings:
                shown.append(outcome)
            elif spare:
                shown.append(outcome)
                spare -= 1
        return shown


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


def store_findings(db: Store, name: str, findings: list[Finding], summary: ImportSummary,
                   *, actor_id: int | None = None) -> None:
    """Store one file's usable records in one transaction, adding an outcome per finding to summary."""
    mappings, stamp = label_lookup(db), now()
    counts = {"added": 0, "updated": 0, "refused": 0}
    with db.transaction():
        for finding in findings:
            outcome = _store_finding(db, name, finding, mappings, stamp)
            counts[outcome.status] += 1
            summary.add(outcome)
        if counts["added"] or counts["updated"]:
            record_event(db, actor_id, "prior_review.import", "prior_review", None, file=name, **counts)


def _store_finding(db, name: str, finding: Finding, mappings: dict, stamp: str) -> Outcome:
    """Store one finding's review (mapping its rating) and queue it for the index, or record the refusal."""
    if finding.review is None:
        return Outcome(name, finding.position, "refused", reason=finding.error)
    fields = dict(finding.review.fields, source_file=name)
    names = [n for n in (fields.get("rating_label"), fields.get("rating_name")) if n]
    fields["rating_key"] = next((mappings[key] for n in names if (key := normalize_label(n)) in mappings), None)
    status, review_id = store_review(db, fields, stamp)
    if status != "unchanged":
        enqueue(db, "prior_review", review_id)
    return Outcome(name, finding.position, "added" if status == "added" else "updated", fields["claim_reviewed"],
                   fields["url"], review_id, warnings=finding.review.warnings)


def check_base_url(base_url: str | None) -> str | None:
    """Return a page URL given by the user, or raise ValidationError when it is not an absolute http(s) URL."""
    base_url = (base_url or "").strip() or None
    if base_url and absolute_url(base_url, None)[1]:
        raise ValidationError({"base_url": "Give the page's full address, starting with http:// or https://."})
    return base_url


def import_bytes(db: Store, name: str, data: bytes, *, base_url: str | None = None,
                 actor_id: int | None = None, summary: ImportSummary | None = None) -> ImportSummary:
    """Import one file's content (an upload); return the summary with an outcome per record.

    :param base_url: the page URL for relative links, when the file does not give one.
    :raises ValidationError: when base_url is not an absolute http(s) URL.
    """
    summary = summary if summary is not None else ImportSummary()
    findings = parse_bytes(name, data, base_url=check_base_url(base_url))
    store_findings(db, name, findings, summary, actor_id=actor_id)
    return summary


def import_uploads(db: Store, files: Iterable[tuple[str, bytes]], *, base_url: str | None = None,
                   actor_id: int | None = None) -> ImportSummary:
    """Import several uploaded files; return one summary.

    :raises ValidationError: when no file is given or base_url is not an absolute http(s) URL.
    """
    files = list(files)
    if not files:
        raise ValidationError({"files": "Choose one or more ClaimReview files (.json, .jsonl or .html)."})
    base_url = check_base_url(base_url)
    summary = ImportSummary()
    for name, data in files:
        import_bytes(db, os.path.basename(name) or "upload", data, base_url=base_url, actor_id=actor_id,
                     summary=summary)
    return summary


def walk_files(path: str | os.PathLike) -> Iterator[Path]:
    """Yield the ClaimReview files under a folder by suffix, recursively and sorted, skipping hidden entries.

    Linked folders are not followed, so a link loop cannot make the walk endless.
    """
    for child in sorted(Path(path).iterdir()):
        if child.name.startswith("."):
            continue
        if child.is_dir():
            if child.is_symlink():
                continue
            yield from walk_files(child)
        elif child.suffix.lower() in SUFFIXES:
            yield child


def import_paths(db: Store, paths: Iterable[str | os.PathLike], *, base_url: str | None = None,
                 actor_id: int | None = None) -> ImportSummary:
    """Import ClaimReview files and folders (recursively); return the summary.

    :param base_url: the page URL for relative links, when a file does not give one.
    :raises ValidationError: when base_url is not an absolute http(s) URL.
    """
    base_url = check_base_url(base_url)
    summary = ImportSummary()
    for path in paths:
        try:
            files = list(walk_files(path)) if os.path.isdir(path) else [Path(path)]
        except OSError as error:
            summary.add(Outcome(str(path), None, "refused", reason=f"cannot read folder: {error.strerror}"))
            continue
        for file in files:
            try:
                data = file.read_bytes()
            except OSError as error:
                summary.add(Outcome(str(file), None, "refused", reason=f"cannot read: {error.strerror}"))
                continue
            store_findings(db, str(file), parse_bytes(str(file), data, base_url=base_url), summary,
                           actor_id=actor_id)
    return summary


def recent_reviews(db: Store, limit: int = 20) -> list[dict]:
    """Return the most recently imported or updated prior reviews, with the label of their mapped rating."""
    return list(db.query(
        "SELECT p.id, p.claim_reviewed, p.claimant, p.rating_label, p.rating_key, r.label AS rating_name,"
        " p.publisher, p.url, p.date_published, p.updated_at FROM prior_reviews p"
        " LEFT JOIN rating_scale r ON r.key = p.rating_key ORDER BY p.updated_at DESC, p.id DESC LIMIT ?",
        [limit],
    ))
