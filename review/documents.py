"""Documents: turning article text into stored documents and their claims."""

import hashlib
import re
import unicodedata
from dataclasses import dataclass


from review import claims as claims_mod
from review.db import now
from review.errors import NotFound, ValidationError
from review.events import record_event
from review.extraction import Claim, extract_claims, extract_claims_many, segment
from review.indexing import enqueue
from review.storage import Store

MAX_TITLE = 200


@dataclass
class AddResult:
    """What happened to one incoming document."""

    status: str  # "added", "duplicate" or "skipped"
    document_id: int | None = None
    claims_new: int = 0
    claims_linked: int = 0
    reason: str = ""


def normalize_body(body: str) -> str:
    """Return the text used to recognize the same article twice: NFC, whitespace folded, lower case."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", body)).strip().lower()


def content_hash(body: str) -> str:
    return hashlib.sha256(normalize_body(body).encode("utf-8")).hexdigest()


def clean_body(body: str) -> str:
    """Normalize line endings and trim trailing spaces, keeping paragraphs."""
    body = unicodedata.normalize("NFC", body.replace("\r\n", "\n").replace("\r", "\n"))
    body = "\n".join(line.rstrip() for line in body.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", body).strip()


def split_title(text: str) -> tuple[str, str]:
    """Return (title, body): the first line when it looks like a headline, else the first sentence."""
    text = clean_body(text)
    first, _, rest = text.partition("\n")
    first = first.strip()
    looks_like_title = (
        rest.strip() and 0 < len(first) <= MAX_TITLE and not re.search(r"[.!?:;,]$", first)
        and len(first.split()) <= 25
    )
    if looks_like_title:
        return first, rest.strip()
    sentences = segment(text[:2000])
    title = sentences[0][2] if sentences else first
    if len(title) > MAX_TITLE:
        title = title[: MAX_TITLE - 1].rsplit(" ", 1)[0] + "…"
    return title, text


@dataclass
class Prepared:
    """A document ready to store: cleaned body, title, hash; claims are extracted from this body."""

    body: str
    title: str
    digest: str
    fields: dict


def prepare_document(*, body: str, title: str | None = None, url: str | None = None, source: str = "",
                     author: str | None = None, published_at: str | None = None, language: str | None = None,
                     origin: str = "paste", external_id: str | None = None) -> Prepared | None:
    """Clean a document's text and find its title; None when the body is empty."""
    body = clean_body(body or "")
    if not body:
        return None
    if title is None or not title.strip():
        title, body = split_title(body)
    title = re.sub(r"\s+", " ", title).strip()[:MAX_TITLE * 2]
    fields = dict(url=(url or "").strip() or None, source=source or "", author=author, published_at=published_at,
                  language=language, origin=origin, external_id=external_id)
    return Prepared(body=body, title=title, digest=content_hash(body), fields=fields)


def store_document(db: Store, prepared: Prepared, extracted: list[Claim], *,
                   actor_id: int | None = None) -> AddResult:
    """Store a prepared document with its extracted claims and queue it for indexing, in one transaction."""
    f = prepared.fields
    with db.transaction():
        duplicate = db.one("SELECT id FROM documents WHERE content_hash = ? OR (url IS NOT NULL AND url = ?)",
                        [prepared.digest, f["url"]])
        if duplicate:
            return AddResult("duplicate", document_id=duplicate["id"], reason="already stored")
        document_id = db.insert(
            "INSERT INTO documents (url, title, source, author, published_at, language, body, content_hash, origin,"
            " external_id, ingested_at, ingested_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [f["url"], prepared.title, f["source"], f["author"], f["published_at"], f["language"], prepared.body,
             prepared.digest, f["origin"], f["external_id"], now(), actor_id],
        )
        document = {"id": document_id, "url": f["url"], "published_at": f["published_at"], "source": f["source"]}
        counts = claims_mod.store_extracted(db, document, extracted, actor_id=actor_id)
        enqueue(db, "document", document["id"])
        record_event(db, actor_id, "document.add", "document", document["id"], title=prepared.title,
                     origin=f["origin"], claims=counts["new"], linked=counts["linked"])
    return AddResult("added", document["id"], counts["new"], counts["linked"])


def add_document(db: Store, *, actor_id: int | None = None, **fields) -> AddResult:
    """Store one document, extract its claims and queue it for indexing.

    Extraction runs before the write transaction, so the database is locked only to store.
    A document whose url or normalized body is already stored is a duplicate;
    an empty body is skipped. Neither is an error. Fields: see :func:`prepare_document`.
    """
    prepared = prepare_document(**fields)
    if prepared is None:
        return AddResult("skipped", reason="empty body")
    extracted = extract_claims(prepared.body, source=prepared.fields["source"] or None)
    return store_document(db, prepared, extracted, actor_id=actor_id)


def add_documents(db: Store, records: list[dict], *, actor_id: int | None = None) -> list[AddResult]:
    """Store many documents in one transaction, extracting their claims in one batch first.

    Each document is all-or-nothing inside its own savepoint; an exception rolls back the whole batch
    (callers retry record by record).
    """
    prepared = [prepare_document(**record) for record in records]
    ready = [p for p in prepared if p is not None]
    extracted = iter(extract_claims_many([p.body for p in ready], sources=[p.fields["source"] or None for p in ready]))
    results = []
    with db.transaction():
        for p in prepared:
            if p is None:
                results.append(AddResult("skipped", reason="empty body"))
            else:
                results.append(store_document(db, p, next(extracted), actor_id=actor_id))
    return results


def add_pasted(db: Store, *, text: str, title: str = "", source: str = "", url: str = "",
               actor_id: int | None = None) -> AddResult:
    """Add a document typed or pasted into the browser.

    :raises ValidationError: the text is empty or too short to hold a claim.
    """
    if len((text or "").split()) < 5:
        raise ValidationError({"text": "paste the article text (at least a sentence)"})
    if url and not url.startswith(("http://", "https://")):
        raise ValidationError({"url": "must start with http:// or https://"})
    return add_document(db, body=text, title=title or None, url=url or None, source=source.strip(),
                        origin="paste", actor_id=actor_id)


def get_document(db: Store, document_id: int) -> dict:
    """Return one document.

    :raises NotFound: no such document.
    """
    document = db.one("SELECT * FROM documents WHERE id = ?", [document_id])
    if not document:
        raise NotFound(f"document {document_id} not found")
    return document


def list_documents(db: Store, *, cursor: int | None = None, limit: int = 50) -> dict:
    """Return the newest documents first, with their claim counts, paged by id."""
    params: list = []
    where = ""
    if cursor:
        where = "WHERE d.id < ?"
        params.append(cursor)
    rows = list(db.query(
        "SELECT d.id, d.title, d.source, d.url, d.published_at, d.ingested_at, d.origin,"
        " (SELECT count(*) FROM claim_appearances a WHERE a.document_id = d.id) AS claim_count"
        f" FROM documents d {where} ORDER BY d.id DESC LIMIT ?",
        params + [limit + 1],
    ))
    next_cursor = rows[limit - 1]["id"] if len(rows) > limit else None
    return {"rows": rows[:limit], "next_cursor": next_cursor}


def document_claims(db: Store, document_id: int) -> list[dict]:
    """Return the claims found in a document (its own and repeats of earlier ones), in reading order."""
    return list(db.query(
        "SELECT c.id, c.text, c.claimant, c.claimant_kind, c.claim_type, c.status, c.checkworthiness,"
        " a.sentence_start, a.sentence_end FROM claim_appearances a JOIN claims c ON c.id = a.claim_id"
        " WHERE a.document_id = ? ORDER BY a.sentence_start, c.id",
        [document_id],
    ))


def highlight_claims(body: str, claims: list[dict]) -> list[dict]:
    """Cut a body into paragraphs of plain and claim passages, for the reader to render escaped."""
    spans = sorted(
        ((c["sentence_start"], c["sentence_end"], c) for c in claims if c["sentence_start"] is not None),
        key=lambda span: (span[0], span[1], span[2]["id"]),
    )
    pieces, position = [], 0
    for start, end, claim in spans:
        if start < position:
            continue
        if start > position:
            pieces.append({"text": body[position:start], "claim": None})
        pieces.append({"text": body[start:end], "claim": claim})
        position = end
    if position < len(body):
        pieces.append({"text": body[position:], "claim": None})
    paragraphs: list[list[dict]] = [[]]
    for piece in pieces:
        if piece["claim"] is not None:
            paragraphs[-1].append(piece)
            continue
        chunks = re.split(r"\n\s*\n|\n", piece["text"])
        for i, chunk in enumerate(chunks):
            if i:
                paragraphs.append([])
            if chunk:
                paragraphs[-1].append({"text": chunk, "claim": None})
    return [p for p in paragraphs if any(x["text"].strip() for x in p)]


def add_records(db: Store, records: list[dict], *, origin: str, source: str = "",
                actor_id: int | None = None) -> list[AddResult]:
    """Store records read from an upload or a fetched page; each succeeds or is reported on its own."""
    results = []
    for record in records:
        fields = {k: record.get(k) for k in ("title", "url", "author", "published_at", "language", "external_id")}
        results.append(add_document(db, body=record.get("body") or "", source=record.get("source") or source,
                                    origin=origin, actor_id=actor_id, **fields))
    return results
