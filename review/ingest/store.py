"""Storing documents: the one path every article takes into the database.

The paste form, uploads and fetched URLs (web), ``POST /api/v1/documents`` and
``claimdesk ingest`` all call :func:`store_items` (the first two through
:func:`add_document`). For each :class:`~review.ingest.records.Item` it normalizes the
record (:func:`~review.ingest.records.prepare_record`), extracts the claims outside any
transaction, and stores the document, its claims and its index entry all-or-nothing.
A document whose URL or normalized text is already stored is a duplicate; an empty body
is skipped; neither is an error. What happened to each record is one
:class:`DocumentOutcome` of the returned :class:`~review.reports.Report`.
"""

import contextlib
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from review.claims import IN_LIST, store_extracted_many
from review.dates import now
from review.errors import ValidationError
from review.events import record_events
from review.extraction.pipeline import Claim, extract_claims_many
from review.indexing import enqueue_many
from review.ingest.formats import detect_format
from review.ingest.html import html_to_text, parse_html
from review.ingest.readers import read_items
from review.ingest.records import Item, Prepared, prepare_record, prepare_records
from review.ingest.space import stop_if_out_of_space
from review.reports import Outcome, Report
from review.storage import Store

CHUNK_SIZE = 100  # documents per commit for batch ingests
STATUSES = ("added", "duplicate", "skipped", "failed")
MIN_PASTED_WORDS = 5
PASTE_FIELDS = ("title", "url", "source", "published_at", "author", "language")
# A paste longer than this (about a quarter of a second of extraction) is stored by a job, not in the request.
INLINE_PASTE_CHARS = 20_000


@dataclass
class DocumentOutcome(Outcome):
    """What happened to one incoming document: added, duplicate, skipped or failed."""

    claims_new: int = 0
    claims_linked: int = 0

    @property
    def document_id(self) -> int | None:
        return self.stored_id


def new_report() -> Report:
    """Return an empty ingest report (its line reads "added N, duplicates N, skipped N (empty), failed N")."""
    return Report(STATUSES)


def store_items(
    db: Store,
    items: Iterable[Item],
    *,
    actor_id: int | None = None,
    chunk_size: int = 1,
    progress: Callable[[Outcome, int], None] | None = None,
    strict: bool = False,
    report: Report | None = None,
    max_chars: int | None = None,
) -> Report:
    """Store every readable item's document; count every item (read failures included) in the report.

    Items are taken ``chunk_size`` at a time: their claims are extracted in one batch outside
    any transaction (a slow read never holds the write lock), then the chunk is stored with
    one commit, each document in a savepoint of its own. When a document fails, the chunk is
    rolled back and stored again one transaction per document, so a failure never takes good
    documents with it.

    :param progress: called after each item is stored, with its outcome and the bytes of its file newly read.
    :param strict: store one item at a time and let a refused field (ValidationError) or a storage
        error propagate instead of counting the item as failed.
    :param max_chars: the longest document text accepted (default ``records.MAX_DOCUMENT_CHARS``).
    :return: the report (``report`` when given), with one :class:`DocumentOutcome` per item.
    """
    report = report if report is not None else new_report()
    consumed: dict[str, int] = {}
    batched = not strict and chunk_size > 1
    with db.bulk_writes() if batched else contextlib.nullcontext():  # a batch ingest: a larger page cache
        for chunk in _chunks(iter(items), max(1, chunk_size) if batched else 1):
            if len(chunk) > 1:
                outcomes = _store_chunk(db, chunk, actor_id, max_chars)
            else:
                outcomes = [_store_one(db, chunk[0], actor_id, strict, max_chars)]
            for item, outcome in zip(chunk, outcomes):
                report.add(outcome)
                if progress:
                    advanced = max(0, item.done - consumed.get(item.file, 0))
                    consumed[item.file] = max(item.done, consumed.get(item.file, 0))
                    progress(outcome, advanced)
    return report


def add_document(db: Store, *, actor_id: int | None = None, origin: str = "paste", max_chars: int | None = None,
                 **fields) -> DocumentOutcome:
    """Store one document given field by field (the API, the paste form, the demo, tests).

    Fields: those of :func:`~review.ingest.records.prepare_record`.

    :param max_chars: the longest text accepted (default ``records.MAX_DOCUMENT_CHARS``).
    :raises ValidationError: a field that cannot be used (a URL or date refused, a value not text,
        a text over the limit).
    """
    item = Item(origin, record=fields, origin=origin)
    return store_items(db, [item], actor_id=actor_id, strict=True, max_chars=max_chars).outcomes[0]


def add_pasted(db: Store, *, text: str, actor_id: int | None = None, max_chars: int | None = None,
               **fields) -> DocumentOutcome:
    """Add a document typed or pasted into the browser.

    Pasted HTML is read as an uploaded page is (main text, title, date, author); what the form
    gives (title, source, url, published_at, author, language) wins over what the page says.
    Without a publication date the document is undated.

    :raises ValidationError: on ``text``, when it is empty, too short to hold a claim or over the
        limit; on another field when it is refused.
    """
    with _as_form_fields():
        return add_document(db, origin="paste", actor_id=actor_id, max_chars=max_chars, **pasted_record(text, fields))


def check_pasted(text: str, *, max_chars: int | None = None, **fields) -> None:
    """Refuse a paste as :func:`add_pasted` would, without storing it (before it is queued as a job).

    :raises ValidationError: as :func:`add_pasted`.
    """
    with _as_form_fields():
        prepare_record(**pasted_record(text, fields), origin="paste", max_chars=max_chars)


def pasted_record(text: str, fields: dict) -> dict:
    """Return the record of a paste: its text (a page's main text when it is HTML) and the form's fields."""
    if len((text or "").split()) < MIN_PASTED_WORDS:
        raise ValidationError({"text": "paste the article text (at least a sentence)"})
    record = {"body": text}
    if detect_format("paste", text.encode("utf-8", "replace")) == "html":
        page = parse_html(text)
        record = {key: value for key, value in page.items() if value}
        record["body"] = page.get("body") or html_to_text(text)
    record.update({key: value.strip() for key, value in fields.items()
                   if key in PASTE_FIELDS and isinstance(value, str) and value.strip()})
    record.setdefault("source", "")
    return record


@contextlib.contextmanager
def _as_form_fields() -> Iterator[None]:
    """Name a refused body as the form does: the article text."""
    try:
        yield
    except ValidationError as error:
        fields = dict(error.fields)
        if "body" in fields:
            fields["text"] = "the text " + fields.pop("body")
        raise ValidationError(fields) from None


def ingest_paths(
    db: Store,
    paths: Iterable[str],
    *,
    source: str | None = None,
    actor_id: int | None = None,
    progress: Callable[[Outcome, int], None] | None = None,
    allow_private: bool = False,
    chunk_size: int = CHUNK_SIZE,
    max_chars: int | None = None,
) -> Report:
    """Read files, folders and URLs and store every record; a failure never stops the rest.

    ``chunk_size=1`` commits every document on its own (see :func:`store_items`).

    :param source: the outlet for records that do not name one (default: each file's stem).
    :param progress: called after each item is stored, with its outcome and the bytes of its file newly read.
    :param allow_private: let URLs reach private, loopback and link-local addresses.
    :param max_chars: the longest document text accepted (default ``records.MAX_DOCUMENT_CHARS``).
    """
    items = read_items(paths, source=source, allow_private=allow_private)
    return store_items(db, items, actor_id=actor_id, chunk_size=chunk_size, progress=progress, max_chars=max_chars)


# -- one item, one chunk -----------------------------------------------------------------------------
def _failed(item: Item, reason: str) -> DocumentOutcome:
    return DocumentOutcome(item.file, item.position, "failed", reason=reason)


def _prepare(item: Item, strict: bool = False, max_chars: int | None = None) -> Prepared | DocumentOutcome:
    """Return the item's prepared record, or its outcome when it was unreadable, refused or empty."""
    if item.error is not None:
        return _failed(item, item.error)
    try:
        prepared = prepare_record(**dict(item.record, origin=item.origin), max_chars=max_chars)
    except ValidationError as error:
        if strict:
            raise
        prepared = error
    return _ready(item, prepared)


def _prepare_many(items: list[Item], max_chars: int | None = None) -> list[Prepared | DocumentOutcome]:
    """Return :func:`_prepare` of each item (not strict), the languages to detect detected together."""
    readable = [item for item in items if item.error is None]
    prepared = iter(prepare_records([dict(item.record, origin=item.origin) for item in readable], max_chars=max_chars))
    return [_failed(item, item.error) if item.error is not None else _ready(item, next(prepared)) for item in items]


def _ready(item: Item, prepared: Prepared | None | ValidationError) -> Prepared | DocumentOutcome:
    """Return a prepared record as it is; a refused or empty one as the item's outcome."""
    if isinstance(prepared, ValidationError):
        return _failed(item, "; ".join(f"{name} {reason}" for name, reason in prepared.fields.items()))
    if prepared is None:
        return DocumentOutcome(item.file, item.position, "skipped", reason="empty body")
    return prepared


def _store_one(db: Store, item: Item, actor_id: int | None, strict: bool,
               max_chars: int | None = None) -> DocumentOutcome:
    """Store one item in its own transaction; a failure rolls it back and is counted (unless strict)."""
    prepared = _prepare(item, strict, max_chars)
    if isinstance(prepared, DocumentOutcome):
        return prepared
    try:
        extracted = _extract([prepared])
        with db.transaction():
            return _store_documents(db, [(item, prepared, extracted[0])], actor_id)[0]
    except Exception as error:  # noqa: BLE001 - one bad record must not stop the batch; its transaction rolled back
        stop_if_out_of_space(error, item.where)  # a full disk would fail every record after it
        if strict:
            raise
        return _failed(item, f"could not store the record ({error})")


def _store_chunk(db: Store, chunk: list[Item], actor_id: int | None,
                 max_chars: int | None = None) -> list[DocumentOutcome]:
    """Store a chunk in one commit; on any failure store it again item by item."""
    prepared = _prepare_many(chunk, max_chars)
    ready = [(item, p) for item, p in zip(chunk, prepared) if isinstance(p, Prepared)]
    try:
        extracted = _extract([p for _, p in ready])
        with db.transaction():
            stored = iter(_store_documents(db, [(i, p, c) for (i, p), c in zip(ready, extracted)], actor_id))
        return [p if isinstance(p, DocumentOutcome) else next(stored) for p in prepared]
    except Exception as error:  # noqa: BLE001 - redo the chunk record by record; the batch rolled back
        stop_if_out_of_space(error, chunk[0].where)
        return [_store_one(db, item, actor_id, False, max_chars) for item in chunk]


def _extract(prepared: list[Prepared]) -> list[list[Claim]]:
    return extract_claims_many([p.body for p in prepared], sources=[p.fields["source"] or None for p in prepared],
                               languages=[p.fields["language"] for p in prepared])


def _stored_ids(db: Store, prepared: list[Prepared]) -> dict[tuple[str, str], int]:
    """Return the ids of stored documents with one of these texts or URLs, by ("hash", digest) and ("url", url)."""
    found: dict[tuple[str, str], int] = {}
    hashes = sorted({p.digest for p in prepared})
    urls = sorted({p.fields["url"] for p in prepared if p.fields["url"]})
    for column, values in (("content_hash", hashes), ("url", urls)):
        for start in range(0, len(values), IN_LIST):
            piece = values[start:start + IN_LIST]
            for row in db.query(f"SELECT id, {column} AS value FROM documents WHERE {column} IN"
                                f" ({','.join('?' * len(piece))})", piece):
                found[("hash" if column == "content_hash" else "url", row["value"])] = row["id"]
    return found


def _store_documents(db: Store, ready: list[tuple[Item, Prepared, list[Claim]]],
                     actor_id: int | None) -> list[DocumentOutcome]:
    """Store prepared documents with their claims, events and index entries in a few statements.

    Call inside a transaction. A document whose text or URL is stored already, or came earlier in
    ``ready``, is a duplicate. Returns one outcome per document, in order.
    """
    stored = _stored_ids(db, [p for _, p, _ in ready])
    earlier: dict[tuple[str, str], Prepared] = {}  # this batch's new documents, by text and URL
    fresh, duplicates = [], {}
    for n, (item, p, claims) in enumerate(ready):
        keys = [("hash", p.digest)] + ([("url", p.fields["url"])] if p.fields["url"] else [])
        same = next((key for key in keys if key in stored or key in earlier), None)
        if same is not None:
            duplicates[n] = same
            continue
        earlier.update((key, p) for key in keys)
        fresh.append((item, p, claims))
    stamp = now()
    if fresh:
        db.executemany(
            "INSERT INTO documents (url, title, source, author, published_at, language, body, content_hash, origin,"
            " external_id, ingested_at, ingested_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [[p.fields["url"], p.title, p.fields["source"], p.fields["author"], p.fields["published_at"],
              p.fields["language"], p.body, p.digest, p.fields["origin"], p.fields["external_id"], stamp, actor_id]
             for _, p, _ in fresh])
    ids = _stored_ids(db, [p for _, p, _ in fresh]) if fresh else {}
    documents = [{"id": ids[("hash", p.digest)], "url": p.fields["url"], "published_at": p.fields["published_at"],
                  "source": p.fields["source"]} for _, p, _ in fresh]
    counts = store_extracted_many(db, [(d, claims) for d, (_, _, claims) in zip(documents, fresh)], actor_id=actor_id)
    enqueue_many(db, "document", [d["id"] for d in documents])
    record_events(db, actor_id, "document.add", "document", [
        (d["id"], {"title": p.title, "origin": p.fields["origin"], "claims": c["new"], "linked": c["linked"]})
        for d, (_, p, _), c in zip(documents, fresh, counts)])
    added = iter(zip(documents, fresh, counts))
    outcomes = []
    for n, (item, p, _) in enumerate(ready):
        if n in duplicates:
            key = duplicates[n]
            same = stored[key] if key in stored else ids[("hash", earlier[key].digest)]
            outcomes.append(DocumentOutcome(item.file, item.position, "duplicate", reason="already stored",
                                            stored_id=same, title=p.title, url=p.fields["url"]))
            continue
        document, _, count = next(added)
        outcomes.append(DocumentOutcome(item.file, item.position, "added", stored_id=document["id"], title=p.title,
                                        url=p.fields["url"], numbers={"claims": count["new"], "linked": count["linked"]},
                                        claims_new=count["new"], claims_linked=count["linked"]))
    return outcomes


def _chunks(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    while chunk := list(itertools.islice(items, size)):
        yield chunk
