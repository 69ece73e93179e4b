"""Claims: storing extracted and manual claims, linking repeats (the priority formula is review/priority.py)."""

import json

from review.authorship import record_author
from review.dates import clean_day_field, now
from review.desk_counts import claims_counted_together
from review.errors import NotFound, ValidationError
from review.events import record_event
from review.extraction.claim_text import claim_length_problem
from review.extraction.claimant_kinds import claimant_kind
from review.extraction.pipeline import Claim, normalize_claim
from review.permissions import require_edit_claim, require_tag
from review.priority import compute_priority, priorities_at
from review.states import CLAIM_TYPES, CLAIMANT_KINDS
from review.storage import Store
from review.text import text_field
from review.urls import clean_url_field
from review.versioning import bump, check_version


IN_LIST = 500  # values per IN (...) list: SQLite caps the parameters of a statement


def _pieces(values: list) -> list[list]:
    return [values[i:i + IN_LIST] for i in range(0, len(values), IN_LIST)]


def _marks(values: list) -> str:
    return ",".join("?" * len(values))


def _known_claims(db: Store, keys: set[str]) -> dict[str, tuple[int, int]]:
    """Return, per normalized text, the claim a new appearance of it counts for and the document of the claim found.

    A repeat of a claim a checker merged counts for the claim it was merged into; of several
    claims with the text, an unmerged one wins, then the oldest.
    """
    found: dict[str, dict] = {}
    for piece in _pieces(sorted(keys)):
        for row in db.query("SELECT id, duplicate_of, document_id, status, normalized_text FROM claims"
                            f" WHERE normalized_text IN ({_marks(piece)})", piece):
            best = found.get(row["normalized_text"])
            if best is None or (row["status"] == "merged", row["id"]) < (best["status"] == "merged", best["id"]):
                found[row["normalized_text"]] = row
    return {key: (row["id"] if row["duplicate_of"] is None else row["duplicate_of"], row["document_id"])
            for key, row in found.items()}


def _json_list(values: list) -> str:
    """Return ``json.dumps(values)``; an empty list (half of all claims' quantities, most of their dates) at no cost."""
    return "[]" if values == [] else json.dumps(values)


def store_extracted_many(
    db: Store, documents: list[tuple[dict, list[Claim]]], *, actor_id: int | None = None
) -> list[dict]:
    """Store the extracted claims of several documents in a few statements; a known claim gets another appearance.

    Call inside the documents' transaction. Documents are taken in order, as one call each would take them
    (a claim new in one and repeated in a later one is linked to it); each one's new claims are numbered by
    check-worthiness (``article_rank``). Returns each document's counts of new and linked claims.
    """
    stamp = now()
    keyed = [(document, [(claim, normalize_claim(claim.text)) for claim in extracted])
             for document, extracted in documents]  # each claim's key, worked out once
    known = _known_claims(db, {key for _, pairs in keyed for _, key in pairs})
    appeared: set[tuple] = set()
    ids = [document["id"] for document, _ in documents]
    for piece in _pieces(ids):
        appeared.update((r["claim_id"], r["document_id"]) for r in db.query(
            f"SELECT claim_id, document_id FROM claim_appearances WHERE document_id IN ({_marks(piece)})", piece))
    # A claim is a stored claim's id, or -1 - n for the n-th new claim of this batch (its id comes with the insert).
    fresh: list[tuple[dict, Claim, str]] = []  # new claims, in order
    appearances: list[tuple[int, dict, Claim]] = []
    added: dict[int, int] = {}  # claim -> appearances added here
    counts = []
    for document, pairs in keyed:
        document_id, new, linked = document["id"], 0, 0
        for claim, key in pairs:
            existing = known.get(key)
            if existing:
                claim_ref = existing[0]
                if existing[1] == document_id or (claim_ref, document_id) in appeared:
                    continue
                appeared.add((claim_ref, document_id))
                added[claim_ref] = added.get(claim_ref, 0) + 1
                linked += 1
            else:
                claim_ref = -1 - len(fresh)
                known[key] = (claim_ref, document_id)
                fresh.append((document, claim, key))
                new += 1
            appearances.append((claim_ref, document, claim))
        counts.append({"new": new, "linked": linked})
    mine: dict[int, list[int]] = {}  # document -> its new claims; their place, best first (ids follow insertion order)
    for n, (document, _, _) in enumerate(fresh):
        mine.setdefault(document["id"], []).append(n)
    rank = {n: place for ns in mine.values() for place, n in enumerate(sorted(ns, key=lambda n: -fresh[n][1].score), 1)}
    priority = priorities_at(stamp)
    rows = []
    for n, (document, claim, key) in enumerate(fresh):
        claimant = claim.claimant or {}
        source_date = (document.get("published_at") or "")[:10] or None  # an undated document's claims are undated
        appearance_count = 1 + added.get(-1 - n, 0)
        rows.append([document["id"], claim.sentence, claim.start, claim.end, claim.text, key, claimant.get("name"),
                     claimant.get("kind"), claim.claim_type, _json_list(claim.quantities), _json_list(claim.dates),
                     claim.score, priority(claim.score, appearance_count, source_date), source_date, appearance_count,
                     rank[n], actor_id, stamp, stamp])
    new_ids: list[int] = []  # of the n-th new claim
    if rows:
        with claims_counted_together(db) as inserted:  # the desk's counts once for the batch, not per row
            db.executemany(
                "INSERT INTO claims (document_id, sentence, sentence_start, sentence_end, text, normalized_text,"
                " claimant, claimant_kind, claim_type, quantities, dates, checkworthiness, priority, source_date,"
                " appearance_count, article_rank, created_by, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            stored = {}
            for piece in _pieces(sorted({document["id"] for document, _, _ in fresh})):
                stored.update(((r["document_id"], r["normalized_text"]), r["id"]) for r in db.query(
                    f"SELECT id, document_id, normalized_text FROM claims WHERE document_id IN ({_marks(piece)})", piece))
            new_ids = [stored[(document["id"], key)] for document, _, key in fresh]
            inserted.extend(new_ids)
    db.executemany(
        "INSERT INTO claim_appearances (claim_id, document_id, url, sentence, sentence_start, sentence_end,"
        " appeared_at, created_at, repeats) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [[new_ids[-1 - ref] if ref < 0 else ref, document["id"], document.get("url"), claim.sentence, claim.start,
          claim.end, document.get("published_at"), stamp, claim.repeats] for ref, document, claim in appearances])
    linked = {claim_id: n for claim_id, n in added.items() if claim_id > 0}
    db.executemany("UPDATE claims SET appearance_count = appearance_count + ? WHERE id = ?", [[n, i] for i, n in linked.items()])
    _refresh_priorities(db, linked)
    return counts


def _refresh_priority(db: Store, claim_id: int) -> None:
    _refresh_priorities(db, [claim_id])


def _refresh_priorities(db: Store, claim_ids) -> None:
    for piece in _pieces(sorted(claim_ids)):
        claims = db.query("SELECT id, checkworthiness, appearance_count, source_date, boost, created_at FROM claims"
                          f" WHERE id IN ({_marks(piece)})", piece)
        db.executemany("UPDATE claims SET priority = ? WHERE id = ?", [
            [compute_priority(c["checkworthiness"], c["appearance_count"], c["source_date"], c["boost"],
                              c["created_at"]), c["id"]] for c in claims])


def store_extracted(
    db: Store, document: dict, extracted: list[Claim], *, actor_id: int | None = None
) -> dict:
    """Store a document's extracted claims inside its transaction; return counts of new and linked claims."""
    counts = store_extracted_many(db, [(document, extracted)], actor_id=actor_id)[0]
    rank_article_claims(db, document["id"])
    return counts


def rank_article_claims(db: Store, document_id: int) -> None:
    """Number an article's claims by check-worthiness, best first (the queue's per-article budget reads it)."""
    rows = db.query("SELECT id FROM claims WHERE document_id = ? ORDER BY checkworthiness DESC, id", [document_id])
    db.executemany("UPDATE claims SET article_rank = ? WHERE id = ?", [[n, r["id"]] for n, r in enumerate(rows, 1)])


def get_claim(db: Store, claim_id: int) -> dict:
    """Return one claim with its document's title, source and url.

    :raises NotFound: no such claim.
    """
    claim = db.one("SELECT c.*, d.title AS document_title, d.source AS source, d.url AS document_url,"
        " u.username AS assignee FROM claims c LEFT JOIN documents d ON d.id = c.document_id"
        " LEFT JOIN users u ON u.id = c.assignee_id WHERE c.id = ?",
        [claim_id],
    )
    if not claim:
        raise NotFound(f"claim {claim_id} not found")
    claim["quantities"] = json.loads(claim["quantities"])
    claim["dates"] = json.loads(claim["dates"])
    claim["tags"] = [r["tag"] for r in db.query("SELECT tag FROM claim_tags WHERE claim_id = ? ORDER BY tag", [claim_id])]
    return claim


def create_manual_claim(
    db: Store, *, text: str, claimant: str = "", url: str = "", appeared_at: str = "",
    actor_id: int | None = None,
) -> dict:
    """Create a claim that has no document (heard on TV, seen on social media).

    :raises ValidationError: empty text, a malformed URL or date.
    """
    errors = {}
    text = text_field({"text": text}, "text", errors) or ""
    claimant = text_field({"claimant": claimant}, "claimant", errors) or ""
    if len(text) < 10 and "text" not in errors:
        errors["text"] = "write the claim as a full sentence (at least 10 characters)"
    elif claim_length_problem(text):
        errors["text"] = claim_length_problem(text)
    given = {"url": url, "appeared_at": appeared_at}
    clean_url_field(given, "url", errors)
    clean_day_field(given, "appeared_at", errors)
    if errors:
        raise ValidationError(errors)
    url, appeared_at = given["url"] or "", given["appeared_at"] or ""
    stamp = now()
    with db.transaction():
        source_date = (appeared_at or stamp)[:10]
        claim_id = db.insert(
            "INSERT INTO claims (text, normalized_text, claimant, claimant_kind, claim_type, checkworthiness,"
            " priority, appeared_url, appeared_at, source_date, created_by, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, 'event', 0.5, ?, ?, ?, ?, ?, ?, ?)",
            [text, normalize_claim(text), claimant.strip() or None, claimant_kind(claimant) if claimant.strip() else None,
             compute_priority(0.5, 1, source_date, 0.0, stamp), url or None, appeared_at or None, source_date,
             actor_id, stamp, stamp],
        )
        record_event(db, actor_id, "claim.create", "claim", claim_id, text=text, claimant=claimant, url=url)
    return get_claim(db, claim_id)


EDITABLE = ("text", "claimant", "claimant_kind", "claim_type", "appeared_url", "appeared_at")


def update_claim(db: Store, claim_id: int, user: dict, *, version: int | None, **changes) -> dict:
    """Edit the claim as it will be reviewed (text, claimant, type, appearance) after checking ``version``.

    Only its assignee or an editor may, while the claim is open (``permissions.why_not_edit_claim``);
    whoever changes it becomes an author of the revision being worked on.

    :raises Forbidden: the user may not change this claim now (not the assignee, or it is published).
    :raises ValidationError: an empty text or unknown type.
    :raises Conflict: the claim changed since ``version``.
    """
    errors = {}
    changes = {k: text_field(changes, k, errors) or "" for k in EDITABLE if changes.get(k) is not None}
    if "text" in changes and len(changes["text"]) < 10:
        errors["text"] = "write the claim as a full sentence (at least 10 characters)"
    elif "text" in changes and claim_length_problem(changes["text"]):
        errors["text"] = claim_length_problem(changes["text"])
    if changes.get("claim_type") and changes["claim_type"] not in CLAIM_TYPES:
        errors["claim_type"] = f"choose one of {', '.join(CLAIM_TYPES)}"
    if changes.get("claimant_kind") and changes["claimant_kind"] not in CLAIMANT_KINDS:
        errors["claimant_kind"] = f"choose one of {', '.join(CLAIMANT_KINDS)}"
    if changes.get("appeared_url"):
        clean_url_field(changes, "appeared_url", errors)
    if changes.get("appeared_at"):
        clean_day_field(changes, "appeared_at", errors)
    if errors:
        raise ValidationError(errors)
    with db.transaction():
        claim = get_claim(db, claim_id)
        check_version(db, claim, version)
        require_edit_claim(user, claim)
        before = {k: claim[k] for k in changes if claim[k] != (changes[k] or None)}
        if not before:
            return claim
        values = {k: (changes[k] or None) for k in before}
        if "text" in values:
            values["normalized_text"] = normalize_claim(values["text"])
        bump(db, claim_id, claim["version"], values)
        record_author(db, claim_id, user["id"])
        record_event(db, user["id"], "claim.edit", "claim", claim_id,
                     before=before, after={k: values[k] for k in before})
    return get_claim(db, claim_id)


def normalize_tag(tag: str) -> str:
    return " ".join((tag or "").strip().lower().split())[:40]


def set_tags(db: Store, claim_id: int, user: dict, *, add=(), remove=(), version: int | None = None) -> dict:
    """Add and remove tags on a claim: private desk labels, anyone at the desk may (checkers and up).

    :raises Conflict: the claim changed since ``version``.
    """
    add = [t for t in (normalize_tag(t) for t in add) if t]
    remove = [t for t in (normalize_tag(t) for t in remove) if t]
    with db.transaction():
        claim = get_claim(db, claim_id)
        check_version(db, claim, version)
        require_tag(user, claim)
        for tag in add:
            db.execute("INSERT INTO claim_tags (claim_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING", [claim_id, tag])
        for tag in remove:
            db.execute("DELETE FROM claim_tags WHERE claim_id = ? AND tag = ?", [claim_id, tag])
        if add or remove:
            bump(db, claim_id, claim["version"], {})
            record_event(db, user["id"], "claim.tags", "claim", claim_id, added=add, removed=remove)
    return get_claim(db, claim_id)


def claim_context(db: Store, claim: dict, *, around: int = 400) -> dict | None:
    """Return the passage around the claim's sentence in its source document, split for highlighting."""
    if not claim["document_id"] or claim["sentence_start"] is None:
        return None
    document = db.one("SELECT id, title, source, url, published_at, body FROM documents WHERE id = ?",
                   [claim["document_id"]])
    body, start, end = document["body"], claim["sentence_start"], claim["sentence_end"]
    left = body.rfind("\n", 0, max(0, start - around))
    left = 0 if left < 0 else left + 1
    right = body.find("\n", min(len(body), end + around))
    right = len(body) if right < 0 else right
    document.pop("body")
    return {"document": document, "before": body[left:start], "sentence": body[start:end], "after": body[end:right],
            "cut_before": left > 0, "cut_after": right < len(body)}


def appearances(db: Store, claim_id: int) -> list[dict]:
    """Return the documents where the claim (or claims merged into it) appears, oldest first."""
    return list(db.query(
        "SELECT a.*, d.title, d.source, d.url AS document_url, d.published_at FROM claim_appearances a"
        " LEFT JOIN documents d ON d.id = a.document_id"
        " WHERE a.claim_id = ? OR a.claim_id IN (SELECT id FROM claims WHERE duplicate_of = ?)"
        " ORDER BY coalesce(d.published_at, a.created_at), a.id",
        [claim_id, claim_id],
    ))


def notes(db: Store, claim_id: int) -> list[dict]:
    """Return the claim's discussion, oldest first."""
    return list(db.query(
        "SELECT n.*, u.username AS author FROM notes n LEFT JOIN users u ON u.id = n.author_id"
        " WHERE n.claim_id = ? ORDER BY n.id", [claim_id]))


def create_claim_from_selection(db: Store, document_id: int, text: str, *, actor_id: int | None) -> dict:
    """Create a claim from a passage a checker selected in a document's text.

    :raises ValidationError: the passage is too short or not in the document.
    :raises NotFound: no such document.
    """
    text = " ".join((text or "").split())
    if len(text) < 10:
        raise ValidationError({"text": "select a whole sentence (at least 10 characters)"})
    if claim_length_problem(text):
        raise ValidationError({"text": claim_length_problem(text)})
    document = db.one("SELECT id, body, source, url, published_at FROM documents WHERE id = ?", [document_id])
    if not document:
        raise NotFound(f"document {document_id} not found")
    flat = " ".join(document["body"].split())
    position = flat.find(text)
    if position < 0:
        raise ValidationError({"text": "that passage is not in the document's text"})
    start, end = _offsets_in_body(document["body"], position, len(text))
    stamp = now()
    source_date = (document["published_at"] or stamp)[:10]
    with db.transaction():
        claim_id = db.insert(
            "INSERT INTO claims (document_id, sentence, sentence_start, sentence_end, text, normalized_text, claimant,"
            " claimant_kind, claim_type, checkworthiness, priority, source_date, created_by, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'event', 0.5, ?, ?, ?, ?, ?)",
            [document_id, document["body"][start:end], start, end, text, normalize_claim(text),
             document["source"] or None, claimant_kind(document["source"]) if document["source"] else None,
             compute_priority(0.5, 1, source_date, 0.0, stamp), source_date, actor_id, stamp, stamp])
        db.execute(
            "INSERT INTO claim_appearances (claim_id, document_id, url, sentence, sentence_start,"
            " sentence_end, appeared_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [claim_id, document_id, document["url"], document["body"][start:end], start, end,
             document["published_at"], stamp])
        record_event(db, actor_id, "claim.create", "claim", claim_id, document_id=document_id, text=text)
    return get_claim(db, claim_id)


def _offsets_in_body(body: str, flat_start: int, flat_length: int) -> tuple[int, int]:
    """Map a position in the whitespace-folded body back to offsets in the stored body."""
    flat_index, start = 0, None
    previous_space = True
    for i, char in enumerate(body):
        if char.isspace():
            if previous_space:
                continue
            previous_space = True
        else:
            previous_space = False
        if flat_index == flat_start and start is None:
            start = i
        flat_index += 1
        if start is not None and flat_index == flat_start + flat_length:
            return start, i + 1
    return start or 0, len(body)
