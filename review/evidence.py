"""Evidence on a claim: a corpus document or an external URL, with the exact excerpt and a stance."""

from review.authorship import record_author
from review.claims import get_claim
from review.dates import now
from review.documents import locate_excerpt
from review.errors import NotFound, ValidationError
from review.events import record_event
from review.permissions import require_attach_evidence
from review.storage import Store
from review.text import text_field
from review.urls import clean_url_field
from review.versioning import check_version

STANCES = {"supports": "Supports the claim", "refutes": "Refutes the claim", "context": "Context"}


def _check(fields: dict, *, has_document: bool) -> dict:
    errors = {}
    clean = {k: text_field(fields, k, errors, multiline=k in ("excerpt", "note")) or "" for k in fields}
    for name, required in (("url", not has_document), ("archive_url", False)):
        clean_url_field(clean, name, errors, required=required)
        clean[name] = clean[name] or ""
    if clean.get("stance", "context") not in STANCES:
        errors["stance"] = "choose supports, refutes or context"
    if not has_document and not clean.get("title") and not clean.get("excerpt") and "title" not in errors:
        errors["title"] = "give a title or the excerpt that matters"
    if errors:
        raise ValidationError(errors)
    return clean


def _exact_passage(document: dict, excerpt: str, near: int | None) -> tuple[str, int | None, int | None]:
    """Return the document's own text for an excerpt and its offsets (the excerpt as typed for a URL source).

    :raises ValidationError: the document does not contain the excerpt.
    """
    if not excerpt:
        return "", None, None
    span = locate_excerpt(document["body"], excerpt, near or 0)
    if span is None:
        why = ("the excerpt must be the article's own words; it differs from the article's text"
               " (add or remove whole words only)")
        raise ValidationError({"excerpt": why}, f"Not attached: {why}.")
    return document["body"][span[0]:span[1]], span[0], span[1]


def add_evidence(db: Store, claim_id: int, user: dict, *, document_id: int | None = None,
                 url: str = "", title: str = "", excerpt: str = "", archive_url: str = "", stance: str = "context",
                 note: str = "", excerpt_start: int | None = None, version: int | None = None) -> dict:
    """Attach a corpus document or an external URL as evidence, with the excerpt that matters.

    A document's excerpt is stored as the document's exact text with its offsets (``excerpt_start``,
    ``excerpt_end``), found near ``excerpt_start`` when given; whitespace typed differently does not matter.

    :raises ValidationError: no document and no valid URL, a bad stance or archive link, or an
        excerpt the document does not contain.
    :raises Forbidden: the user may not change this claim's evidence (not its assignee, or it is published).
    :raises Conflict: the claim changed since ``version`` (the one the form was rendered with).
    """
    document = None
    span: tuple = (None, None)
    if document_id:
        document = db.one("SELECT id, title, url, body FROM documents WHERE id = ?", [document_id])
        if not document:
            raise ValidationError({"document_id": f"document {document_id} does not exist"})
    clean = _check(dict(url=url, title=title, excerpt=excerpt, archive_url=archive_url, stance=stance or "context",
                        note=note), has_document=document is not None)
    if document:
        clean["excerpt"], *span = _exact_passage(document, clean["excerpt"], excerpt_start)
    with db.transaction():
        claim = get_claim(db, claim_id)
        require_attach_evidence(user, claim)
        check_version(db, claim, version)
        stamp = now()
        evidence_id = db.insert(
            "INSERT INTO evidence (claim_id, document_id, url, title, excerpt, excerpt_start, excerpt_end, archive_url,"
            " stance, note, added_by, added_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [claim_id, document_id or None, clean["url"] or (document["url"] if document else None),
             clean["title"] or (document["title"] if document else ""), clean["excerpt"], span[0], span[1],
             clean["archive_url"] or None, clean["stance"], clean["note"], user["id"], stamp, stamp])
        record_author(db, claim_id, user["id"])
        record_event(db, user["id"], "evidence.add", "claim", claim_id, evidence_id=evidence_id,
                     document_id=document_id, url=clean["url"], stance=clean["stance"])
    return get_evidence(db, evidence_id)


def get_evidence(db: Store, evidence_id: int) -> dict:
    """Return one piece of evidence.

    :raises NotFound: no such evidence.
    """
    found = db.one("SELECT e.*, u.username AS added_by_name FROM evidence e LEFT JOIN users u ON u.id = e.added_by"
                    " WHERE e.id = ?", [evidence_id])
    if not found:
        raise NotFound(f"evidence {evidence_id} not found")
    return found


def list_evidence(db: Store, claim_id: int, *, include_removed: bool = False) -> list[dict]:
    """Return a claim's evidence, oldest first (removed items only when asked).

    Evidence from a corpus document carries the document's outlet, title, date and URL
    (``document_source``, ``document_title``, ``document_published_at``, ``document_url``) so a
    citation can name them.
    """
    where = "" if include_removed else "AND e.removed_at IS NULL"
    return list(db.query(
        "SELECT e.*, u.username AS added_by_name, d.source AS document_source, d.title AS document_title,"
        " d.published_at AS document_published_at, d.url AS document_url FROM evidence e"
        " LEFT JOIN users u ON u.id = e.added_by LEFT JOIN documents d ON d.id = e.document_id"
        f" WHERE e.claim_id = ? {where} ORDER BY e.id", [claim_id]))


def update_evidence(db: Store, evidence_id: int, user: dict, *, version: int | None = None, **fields) -> dict:
    """Edit the stance, note, excerpt, title or archive link of a piece of evidence.

    :raises Forbidden: the user may not change this claim's evidence (not its assignee, or it is published).
    """
    evidence = get_evidence(db, evidence_id)
    allowed = {k: v for k, v in fields.items() if k in ("stance", "note", "excerpt", "title", "archive_url") and v is not None}
    clean = _check({"url": evidence["url"] or "", **{k: evidence[k] or "" for k in allowed}, **allowed},
                   has_document=evidence["document_id"] is not None or bool(evidence["url"]))
    if "excerpt" in allowed and evidence["document_id"] and clean["excerpt"] != (evidence["excerpt"] or ""):
        document = db.one("SELECT id, body FROM documents WHERE id = ?", [evidence["document_id"]])
        clean["excerpt"], start, end = _exact_passage(document, clean["excerpt"], evidence["excerpt_start"])
        allowed.update(excerpt_start=start, excerpt_end=end)
        clean.update(excerpt_start=start, excerpt_end=end)
    with db.transaction():
        claim = get_claim(db, evidence["claim_id"])
        require_attach_evidence(user, claim)
        check_version(db, claim, version)
        changes = {k: clean[k] for k in allowed if (evidence[k] if k.startswith("excerpt_") else evidence[k] or "") != clean[k]}
        if changes:
            record_author(db, evidence["claim_id"], user["id"])
            db.execute(f"UPDATE evidence SET {', '.join(f'{k} = ?' for k in changes)}, updated_at = ? WHERE id = ?",
                       [*changes.values(), now(), evidence_id])
            record_event(db, user["id"], "evidence.edit", "claim", evidence["claim_id"], evidence_id=evidence_id,
                         before={k: evidence[k] for k in changes}, after=changes)
    return get_evidence(db, evidence_id)


def remove_evidence(db: Store, evidence_id: int, user: dict, *, version: int | None = None) -> None:
    """Remove evidence softly: it stays in the database and the removal is in the history.

    :raises Forbidden: the user may not change this claim's evidence (not its assignee, or it is published).
    """
    evidence = get_evidence(db, evidence_id)
    with db.transaction():
        claim = get_claim(db, evidence["claim_id"])
        require_attach_evidence(user, claim)
        check_version(db, claim, version)
        record_author(db, evidence["claim_id"], user["id"])
        db.execute("UPDATE evidence SET removed_at = ?, removed_by = ? WHERE id = ? AND removed_at IS NULL",
                   [now(), user["id"], evidence_id])
        record_event(db, user["id"], "evidence.remove", "claim", evidence["claim_id"], evidence_id=evidence_id,
                     title=evidence["title"], url=evidence["url"])
