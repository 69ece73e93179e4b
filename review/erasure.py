"""Erasure of a person's name: a claimant, someone quoted, or a member of the desk.

The name is replaced by ``[erased]`` wherever the desk wrote or copied it about its claims: the
claims' text, sentence and claimant, their appearances' sentences, evidence (excerpt, title, note),
notes, every verdict revision's text, retraction reasons, the editors' review snapshots and the
events' details. Who did what and when stays: rows keep their user ids and timestamps, and events
keep their action, actor and time. A user whose username or display name is the name is renamed
(``erased-<id>``, shown as ``[erased]``) and deactivated. The search index is brought up to date
through the outbox (the verdicts and the documents whose claims changed), and the queue's own
full-text index follows the claims table.

Not rewritten: the documents' own text (an article as published; purge it to remove it) and the
ClaimReview records imported from other fact-checkers (their publication, re-imported from their
feeds). Backups made before still hold the name (docs/OPERATIONS.md).

The name matches whole words, in any case, with any spacing between its words.
"""

import json
import re
import unicodedata

from review.dates import now
from review.errors import ValidationError
from review.events import record_event
from review.extraction.pipeline import normalize_claim
from review.indexing import enqueue
from review.sessions import end_user_sessions
from review.storage import Store
from review.text import require_text

PLACEHOLDER = "[erased]"
MIN_LENGTH = 3
PAGE = 500
# table -> its text columns that may hold the name.
COLUMNS = {
    "claims": ("text", "sentence", "claimant", "retraction_reason"),
    "claim_appearances": ("sentence",),
    "evidence": ("excerpt", "title", "note"),
    "notes": ("body",),
    "verdicts": ("claim_reviewed", "conclusion", "explanation", "review_comment", "correction_note"),
}
JSON_COLUMNS = {"events": ("details",), "review_views": ("snapshot",)}


def name_pattern(name) -> re.Pattern:
    """Return the pattern that finds the name: whole words, any case, any spacing between its words.

    :raises ValidationError: no name, or one shorter than ``MIN_LENGTH`` characters.
    """
    clean = unicodedata.normalize("NFC", require_text(name, "name")).strip()
    words = clean.split()
    if len("".join(words)) < MIN_LENGTH:
        raise ValidationError({"name": f"give the name to erase (at least {MIN_LENGTH} letters)"})
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)", re.IGNORECASE)


def _replace(value, pattern: re.Pattern):
    """Return the value with the name replaced, walking JSON lists and objects; strings only change."""
    if isinstance(value, str):
        return pattern.sub(PLACEHOLDER, value)
    if isinstance(value, list):
        return [_replace(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _replace(v, pattern) for k, v in value.items()}
    return value


def _json_replace(text: str, pattern: re.Pattern) -> str:
    try:
        value = json.loads(text)
    except ValueError:
        return pattern.sub(PLACEHOLDER, text)
    changed = _replace(value, pattern)
    return text if changed == value else json.dumps(changed, default=str)


def _rows(db: Store, table: str, columns: tuple[str, ...], extra: str = ""):
    """Yield the table's rows page by page (by id), with the given columns."""
    last = 0
    while True:
        page = db.query(f"SELECT id, {', '.join(columns)}{extra} FROM {table} WHERE id > ? ORDER BY id LIMIT ?",
                        [last, PAGE])
        yield from page
        if len(page) < PAGE:
            return
        last = page[-1]["id"]


def _changes(row: dict, columns, pattern: re.Pattern, json_columns: bool = False) -> dict:
    out = {}
    for column in columns:
        value = row.get(column)
        if not isinstance(value, str) or not pattern.search(value if not json_columns else _decoded(value)):
            continue
        new = _json_replace(value, pattern) if json_columns else pattern.sub(PLACEHOLDER, value)
        if new != value:
            out[column] = new
    return out


def _decoded(text: str) -> str:
    """Return JSON text with its escapes read (a name stored as ``Jos\\u00e9`` must match ``José``)."""
    try:
        return json.dumps(json.loads(text), ensure_ascii=False)
    except ValueError:
        return text


def _users(db: Store, pattern: re.Pattern) -> list[dict]:
    return [u for u in db.query("SELECT id, username, display_name, active FROM users ORDER BY id")
            if pattern.fullmatch(u["username"].strip()) or pattern.fullmatch((u["display_name"] or "").strip())]


def plan_erasure(db: Store, name) -> dict:
    """Return how many rows of each kind hold the name, and the users it names, without changing anything.

    :raises ValidationError: no name, or too short a one.
    """
    pattern = name_pattern(name)
    counts = {}
    for table, columns in {**COLUMNS, **JSON_COLUMNS}.items():
        as_json = table in JSON_COLUMNS
        counts[table] = sum(1 for row in _rows(db, table, columns) if _changes(row, columns, pattern, as_json))
    people = _users(db, pattern)
    counts["users"] = len(people)
    return {"counts": counts, "users": [u["id"] for u in people], "total": sum(counts.values())}


def erase_name(db: Store, name, actor: dict) -> dict:
    """Replace the name with ``[erased]`` everywhere the module docstring lists; return the counts per table.

    :raises ValidationError: no name, or too short a one.
    """
    pattern = name_pattern(name)
    if pattern.fullmatch(actor.get("username", "")) or pattern.fullmatch(actor.get("display_name") or ""):
        raise ValidationError({"name": "this is your own name; another admin must erase it"})
    counts: dict[str, int] = {}
    claims: set[int] = set()
    with db.transaction():
        for table, columns in {**COLUMNS, **JSON_COLUMNS}.items():
            as_json = table in JSON_COLUMNS
            extra = ", claim_id" if table in ("claim_appearances", "evidence", "notes", "verdicts") else ""
            counts[table] = 0
            for row in list(_rows(db, table, columns, extra)):
                changes = _changes(row, columns, pattern, as_json)
                if not changes:
                    continue
                if table == "claims" and "text" in changes:
                    changes["normalized_text"] = normalize_claim(changes["text"])
                bump = ", version = version + 1" if table == "claims" else ""
                db.execute(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in changes)}{bump} WHERE id = ?",
                           [*changes.values(), row["id"]])
                counts[table] += 1
                claims.add(row["id"] if table == "claims" else row.get("claim_id"))
        counts["users"] = _erase_users(db, pattern)
        # Summary rows keyed by the old name now count nothing.
        db.execute("DELETE FROM claim_tallies WHERE claims <= 0")
        db.execute("DELETE FROM rating_tallies WHERE n <= 0")
        _reindex(db, sorted(c for c in claims if c is not None))
        record_event(db, actor["id"], "name.erase", "desk", None, **counts)  # never the name itself
    return counts


def _erase_users(db: Store, pattern: re.Pattern) -> int:
    people = _users(db, pattern)
    for person in people:
        db.execute("UPDATE users SET username = ?, display_name = ?, active = 0,"
                   " session_version = session_version + 1, updated_at = ? WHERE id = ?",
                   [f"erased-{person['id']}", PLACEHOLDER, now(), person["id"]])
        db.execute("UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                   [now(), person["id"]])
        end_user_sessions(db, person["id"])
    return len(people)


def _reindex(db: Store, claim_ids: list[int]) -> None:
    """Queue the changed claims' public verdicts and their documents for the search index."""
    for start in range(0, len(claim_ids), PAGE):
        ids = claim_ids[start:start + PAGE]
        marks = ", ".join("?" * len(ids))
        for row in db.query(f"SELECT id FROM verdicts WHERE status = 'published' AND claim_id IN ({marks})", ids):
            enqueue(db, "verdict", row["id"])
        documents = db.query(f"SELECT document_id FROM claims WHERE id IN ({marks}) AND document_id IS NOT NULL"
                             f" UNION SELECT document_id FROM claim_appearances WHERE claim_id IN ({marks})"
                             " AND document_id IS NOT NULL", ids + ids)
        for row in documents:
            enqueue(db, "document", row["document_id"])
