"""Documents as the desk reads them: one document, the list, its claims, and the reader's passages.

Documents are stored by :mod:`review.ingest.store`, the one path for the web, the API and the CLI.
"""

import re

from review.errors import NotFound
from review.storage import Store
from search_index.words import FIELD_NAMES, analyze, prefix_matches, read_query


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


def parse_span(value: str | None, body: str) -> tuple[int, int] | None:
    """Return a "START-END" offsets argument as a span inside the body, or None when it is not one."""
    match = re.fullmatch(r"(\d+)-(\d+)", value or "")
    if not match:
        return None
    start, end = int(match.group(1)), int(match.group(2))
    return (start, end) if 0 <= start < end <= len(body) else None


def highlight_claims(body: str, claims: list[dict], passage: tuple[int, int] | None = None) -> list[dict]:
    """Cut a body into paragraphs of plain and claim passages, for the reader to render escaped.

    ``passage`` (start, end) marks a piece of evidence's excerpt; it wins over a claim it overlaps.
    """
    spans = sorted(
        ((c["sentence_start"], c["sentence_end"], c) for c in claims if c["sentence_start"] is not None),
        key=lambda span: (span[0], span[1], span[2]["id"]),
    )
    if passage:
        spans = [s for s in spans if s[1] <= passage[0] or s[0] >= passage[1]]
        spans = sorted(spans + [(passage[0], passage[1], None)], key=lambda span: span[0])
    pieces, position = [], 0
    for start, end, claim in spans:
        if start < position:
            continue
        if start > position:
            pieces.append({"text": body[position:start], "claim": None})
        if claim is None:
            pieces.append({"text": body[start:end], "claim": None, "passage": True})
        else:
            pieces.append({"text": body[start:end], "claim": claim})
        position = end
    if position < len(body):
        pieces.append({"text": body[position:], "claim": None})
    paragraphs: list[list[dict]] = [[]]
    for piece in pieces:
        if piece["claim"] is not None or piece.get("passage"):
            paragraphs[-1].append(piece)
            continue
        chunks = re.split(r"\n\s*\n|\n", piece["text"])
        for i, chunk in enumerate(chunks):
            if i:
                paragraphs.append([])
            if chunk:
                paragraphs[-1].append({"text": chunk, "claim": None})
    return [p for p in paragraphs if any(x["text"].strip() for x in p)]


# -- passages: the exact sentences of a document that a piece of evidence quotes -------------
MAX_PASSAGE_SENTENCES = 8


def _sentences(body: str) -> list[tuple[int, int]]:
    """Return the (start, end) offsets of the body's sentences, in order."""
    from review.extraction.sentences import segment  # the extraction pipeline's one splitter

    return [(start, end) for start, end, _ in segment(body)] or ([(0, len(body))] if body.strip() else [])


def _query_score(query: str):
    """Return a function counting the parts of a search query a text holds, read as the search boxes read it."""
    clauses, _ = read_query(query, fields=FIELD_NAMES)
    tests = []
    for clause in clauses:
        if clause.prefix:
            tests.append(lambda terms, typed=clause.words[0]: any(prefix_matches(typed, t) for t in terms))
        else:
            wanted = set(analyze(" ".join(clause.words)))
            tests.append(lambda terms, wanted=wanted: wanted <= terms)
    return lambda text: sum(test(set(analyze(text))) for test in tests)


def find_passage(db: Store, document_id: int, query: str) -> dict:
    """Return the document's sentence that best matches a search query, as a passage.

    The sentence holding the most of the query's words wins (the first one on a tie); a query
    that matches nothing gives the first sentence.

    :raises NotFound: no such document.
    """
    document = get_document(db, document_id)
    spans = _sentences(document["body"])
    if not spans:
        return _passage(document, spans, 0, -1)
    score = _query_score(query or "")
    scores = [score(document["body"][s:e]) for s, e in spans]
    best = max(range(len(spans)), key=lambda i: (scores[i], -i))
    return _passage(document, spans, best, best)


def extend_passage(db: Store, document_id: int, start: int, end: int, *, before: int = 0, after: int = 0) -> dict:
    """Return the passage covering the sentences between offsets, grown by whole sentences either side.

    :raises NotFound: no such document.
    """
    document = get_document(db, document_id)
    spans = _sentences(document["body"])
    if not spans:
        return _passage(document, spans, 0, -1)
    first = next((i for i, (s, e) in enumerate(spans) if e > start), len(spans) - 1)
    last = next((i for i in range(len(spans) - 1, -1, -1) if spans[i][0] < max(end, start + 1)), first)
    first, last = max(0, first - max(0, before)), min(len(spans) - 1, max(first, last) + max(0, after))
    last = min(last, first + MAX_PASSAGE_SENTENCES - 1)
    return _passage(document, spans, first, last)


def _passage(document: dict, spans: list[tuple[int, int]], first: int, last: int) -> dict:
    if last < first:
        return {"document_id": document["id"], "start": 0, "end": 0, "text": "", "has_before": False,
                "has_after": False}
    start, end = spans[first][0], spans[last][1]
    return {"document_id": document["id"], "start": start, "end": end, "text": document["body"][start:end],
            "has_before": first > 0, "has_after": last < len(spans) - 1}


def locate_excerpt(body: str, excerpt: str, near: int = 0) -> tuple[int, int] | None:
    """Return where an excerpt lies in a body, as (start, end), or None when the body does not hold it.

    Whitespace may differ (a text box turns line breaks into spaces); the occurrence nearest to
    ``near`` wins, so a trimmed passage keeps its place.
    """
    words = excerpt.split()
    if not words:
        return None
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    found = [(m.start(), m.end()) for m in pattern.finditer(body)]
    if not found:
        return None
    return min(found, key=lambda span: abs(span[0] - near))
