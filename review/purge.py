"""Purge: remove a document or a claim for good, with every copy of its text the desk keeps.

A purge is for what must not be kept (a court order, a privacy request, an article ingested by
mistake); it is not part of the workflow, which never deletes (a wrong fact-check is *retracted*).
Only an admin purges, after seeing what will go (:func:`plan_purge`). One transaction removes:

- the claims: the claim purged, or every claim extracted from the document purged;
- each claim's verdict revisions (the published one leaves the search index), who wrote them, the
  editors' review snapshots, its timings, notes, tags, evidence and appearances;
- what other claims hold of them: appearances in the purged document or links to a purged verdict
  (their appearance counts drop), evidence quoting the purged document (the removal noted in that
  claim's history), and merges into a purged claim (those claims are reopened as new);
- the text that events copied (a claim's creation, edits, evidence excerpts): those events keep who
  did what and when, with their details emptied;
- the index outbox's entries for them, replaced by removals, so the drainer deletes the document and
  the verdicts from the search index (documents and verdicts alike); the claims' own full-text index
  follows the claims table.

One event says that the purge happened: who, when, what kind and id, and how many rows went; never
the text. Backups made before the purge still hold it (docs/OPERATIONS.md says how to rotate them).
"""

import json

from review.errors import NotFound, ValidationError
from review.events import record_event
from review.indexing import enqueue
from review.storage import Store

KINDS = ("document", "claim")
EMPTIED = json.dumps({"purged": True})


def marks(ids) -> str:
    """Return the placeholders of an SQL ``IN`` list for ``ids`` (never empty: callers check first)."""
    return ", ".join("?" * len(ids))


def _subject(db: Store, kind: str, entity_id) -> dict:
    if kind not in KINDS:
        raise ValidationError({"kind": "choose document or claim"})
    try:
        entity_id = int(entity_id)
    except (TypeError, ValueError):
        raise ValidationError({"id": "give the number of the document or claim"}) from None
    table = "documents" if kind == "document" else "claims"
    label = "title" if kind == "document" else "text"
    row = db.one(f"SELECT id, {label} AS label FROM {table} WHERE id = ?", [entity_id])
    if row is None:
        raise NotFound(f"{kind} {entity_id} not found")
    return row


def plan_purge(db: Store, kind: str, entity_id) -> dict:
    """Return what purging a document or claim would remove, for the person to confirm first.

    The plan holds ``kind``, ``id``, ``label`` (the title or the claim, shown only to confirm),
    ``claim_ids``, ``verdict_ids`` and ``counts`` (rows per kind, and how many verdicts are public).

    :raises ValidationError: an unknown kind or an id that is not a number.
    :raises NotFound: no such document or claim.
    """
    subject = _subject(db, kind, entity_id)
    documents = [subject["id"]] if kind == "document" else []
    if kind == "document":
        claim_ids = [r["id"] for r in db.query("SELECT id FROM claims WHERE document_id = ? ORDER BY id", documents)]
    else:
        claim_ids = [subject["id"]]
    verdicts = (db.query(f"SELECT id, status FROM verdicts WHERE claim_id IN ({marks(claim_ids)})", claim_ids)
                if claim_ids else [])
    plan = {"kind": kind, "id": subject["id"], "label": subject["label"], "claim_ids": claim_ids,
            "document_ids": documents, "verdict_ids": [v["id"] for v in verdicts]}
    plan["counts"] = {
        "documents": len(documents), "claims": len(claim_ids), "verdicts": len(verdicts),
        "public_verdicts": sum(v["status"] in ("published", "retracted") for v in verdicts),
        "evidence": len(_evidence(db, plan)), "appearances": len(_appearances(db, plan)),
        "reopened": len(_merged_in(db, claim_ids)),
    }
    return plan


def _where(column: str, ids: list) -> tuple[str, list]:
    return (f"{column} IN ({marks(ids)})", list(ids)) if ids else ("1 = 0", [])


def _either(*parts: tuple[str, list]) -> tuple[str, list]:
    return " OR ".join(p[0] for p in parts), [value for p in parts for value in p[1]]


def _evidence(db: Store, plan: dict) -> list[dict]:
    where, params = _either(_where("claim_id", plan["claim_ids"]), _where("document_id", plan["document_ids"]))
    return db.query(f"SELECT id, claim_id FROM evidence WHERE {where}", params)


def _appearances(db: Store, plan: dict) -> list[dict]:
    where, params = _either(_where("claim_id", plan["claim_ids"]), _where("document_id", plan["document_ids"]),
                            _where("verdict_id", plan["verdict_ids"]))
    return db.query(f"SELECT id, claim_id, document_id FROM claim_appearances WHERE {where}", params)


def _merged_in(db: Store, claim_ids: list) -> list[dict]:
    if not claim_ids:
        return []
    return db.query(f"SELECT id, status FROM claims WHERE duplicate_of IN ({marks(claim_ids)})"
                    f" AND id NOT IN ({marks(claim_ids)})", claim_ids + claim_ids)


def purge(db: Store, kind: str, entity_id, actor: dict) -> dict:
    """Remove a document or a claim and every copy of its text; return the plan it carried out.

    :raises ValidationError: an unknown kind or an id that is not a number.
    :raises NotFound: no such document or claim.
    """
    with db.transaction():
        plan = plan_purge(db, kind, entity_id)
        claims, verdicts, documents = plan["claim_ids"], plan["verdict_ids"], plan["document_ids"]
        others = _release_others(db, plan, actor)
        _empty_events(db, plan)
        if claims:
            for table in ("review_views", "revision_authors", "verdict_timings"):
                db.execute(f"DELETE FROM {table} WHERE claim_id IN ({marks(claims)})", claims)
            db.execute(f"DELETE FROM verdicts WHERE claim_id IN ({marks(claims)})", claims)
            db.execute(f"UPDATE claims SET duplicate_of = NULL WHERE id IN ({marks(claims)})", claims)
            db.execute(f"DELETE FROM claims WHERE id IN ({marks(claims)})", claims)  # notes, tags go with them
        if documents:
            db.execute(f"DELETE FROM documents WHERE id IN ({marks(documents)})", documents)
        # Summary rows keyed by a claimant's name or a source that no longer count anything.
        db.execute("DELETE FROM claim_tallies WHERE claims <= 0")
        db.execute("DELETE FROM rating_tallies WHERE n <= 0")
        _replace_outbox(db, "verdict", verdicts)
        _replace_outbox(db, "document", documents)
        for document_id in sorted(others):  # their claimant lists changed
            enqueue(db, "document", document_id)
        record_event(db, actor["id"], f"{kind}.purge", kind, plan["id"], claims=claims, verdicts=verdicts,
                     documents=documents, **{k: v for k, v in plan["counts"].items()
                                             if k in ("evidence", "appearances", "reopened")})
    return plan


def _release_others(db: Store, plan: dict, actor: dict) -> set[int]:
    """Take out what other claims hold of the purged ones; return the documents whose records change."""
    claims = set(plan["claim_ids"])
    touched_documents: set[int] = set()
    removed_evidence: dict[int, list[int]] = {}
    for item in _evidence(db, plan):
        if item["claim_id"] not in claims:
            removed_evidence.setdefault(item["claim_id"], []).append(item["id"])
        db.execute("DELETE FROM evidence WHERE id = ?", [item["id"]])
    for claim_id, ids in removed_evidence.items():
        _empty_evidence_events(db, claim_id, set(ids))
        for evidence_id in ids:
            record_event(db, actor["id"], "evidence.remove", "claim", claim_id, evidence_id=evidence_id, purged=True)
    for row in _appearances(db, plan):
        db.execute("DELETE FROM claim_appearances WHERE id = ?", [row["id"]])
        if row["claim_id"] not in claims:
            db.execute("UPDATE claims SET appearance_count = CASE WHEN appearance_count > 1"
                       " THEN appearance_count - 1 ELSE 1 END WHERE id = ?", [row["claim_id"]])
            if row["document_id"] is not None and row["document_id"] not in plan["document_ids"]:
                touched_documents.add(row["document_id"])
    for row in _merged_in(db, list(claims)):
        status = "new" if row["status"] == "merged" else row["status"]
        db.execute("UPDATE claims SET duplicate_of = NULL, status = ?, version = version + 1 WHERE id = ?",
                   [status, row["id"]])
        record_event(db, actor["id"], "claim.reopen", "claim", row["id"], **{"from": row["status"], "to": status},
                     because="the claim it was merged into was purged")
    if claims:
        for row in db.query(f"SELECT DISTINCT a.document_id FROM claim_appearances a WHERE a.claim_id IN"
                            f" ({marks(list(claims))}) AND a.document_id IS NOT NULL", list(claims)):
            touched_documents.add(row["document_id"])
        for row in db.query(f"SELECT DISTINCT document_id FROM claims WHERE id IN ({marks(list(claims))})"
                            " AND document_id IS NOT NULL", list(claims)):
            touched_documents.add(row["document_id"])
    return touched_documents - set(plan["document_ids"])


def _empty_evidence_events(db: Store, claim_id: int, evidence_ids: set[int]) -> None:
    """Empty the details of another claim's events about evidence that quoted the purged document."""
    for event in db.query("SELECT id, details FROM events WHERE entity_type = 'claim' AND entity_id = ?"
                          " AND action LIKE 'evidence.%'", [claim_id]):
        if json.loads(event["details"] or "{}").get("evidence_id") in evidence_ids:
            db.execute("UPDATE events SET details = ? WHERE id = ?", [EMPTIED, event["id"]])


def _empty_events(db: Store, plan: dict) -> None:
    """Keep the purged rows' events (who did what, when) but not the text their details copied."""
    for entity_type, ids in (("claim", plan["claim_ids"]), ("document", plan["document_ids"])):
        if ids:
            db.execute(f"UPDATE events SET details = ? WHERE entity_type = ? AND entity_id IN ({marks(ids)})",
                       [EMPTIED, entity_type, *ids])


def _replace_outbox(db: Store, kind: str, ids: list) -> None:
    """Drop the outbox's entries for purged rows and queue their removal from the search index."""
    if not ids:
        return
    db.execute(f"DELETE FROM index_outbox WHERE kind = ? AND entity_id IN ({marks(ids)})", [kind, *ids])
    for entity_id in ids:
        enqueue(db, kind, entity_id)


REMOVALS = ("document.purge", "claim.purge", "name.erase")


def recent_removals(db: Store, limit: int = 20) -> list[dict]:
    """Return the latest purges and erasures, newest first: who, when, what (never the text)."""
    rows = db.query("SELECT e.at, e.action, e.entity_type, e.entity_id, e.details, u.username AS actor FROM events e"
                    " LEFT JOIN users u ON u.id = e.actor_id WHERE e.action IN (?, ?, ?) ORDER BY e.id DESC LIMIT ?",
                    [*REMOVALS, limit])
    return [{**r, "details": json.loads(r["details"] or "{}")} for r in rows]
