"""Documents as the desk reads them: one document, the list, its claims, and the reader's passages.

Documents are stored by :mod:`review.ingest.store`, the one path for the web, the API and the CLI.
"""

import re

from review.errors import NotFound
from review.storage import Store


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


def count_undated(db: Store, *, source: str | None = None) -> int:
    """Return how many documents (of an outlet, any case) have no publication date."""
    if source:
        return db.scalar("SELECT count(*) FROM documents WHERE published_at IS NULL AND lower(source) = lower(?)",
                         [source])
    return db.scalar("SELECT count(*) FROM documents WHERE published_at IS NULL")


def document_claims(db: Store, document_id: int) -> list[dict]:
    """Return the claims found in a document (its own and repeats of earlier ones), in reading order."""
    return list(db.query(
        "SELECT c.id, c.text, c.claimant, c.claimant_kind, c.claim_type, c.status, c.checkworthiness,"
        " a.sentence_start, a.sentence_end, a.repeats FROM claim_appearances a JOIN claims c ON c.id = a.claim_id"
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
