"""Extract stored documents again, after the extraction rules or the model improved.

Claims a person has touched stay exactly as they are, whatever their state.
A claim nobody has touched (still new, never edited, assigned, tagged, noted,
given evidence, a verdict or a merge, with no history and no other
appearance) is machine output: when the current rules no longer find it, it
is removed, so an upgrade does not leave the old wording next to the new one
in the queue. Claims found for the first time are added (or linked to the
same claim from another document).
"""

from review.claims import store_extracted
from review.events import record_event
from review.extraction.pipeline import extract_claims_many, normalize_claim
from review.reports import Outcome, Report
from review.storage import Store

UNTOUCHED_SQL = """
SELECT c.id, c.normalized_text FROM claims c
WHERE c.document_id = ? AND c.status = 'new' AND c.version = 1 AND c.created_by IS NULL
  AND c.assignee_id IS NULL AND c.duplicate_of IS NULL AND c.boost = 0 AND c.appearance_count = 1
  AND NOT EXISTS (SELECT 1 FROM claims m WHERE m.duplicate_of = c.id)
  AND NOT EXISTS (SELECT 1 FROM claim_tags t WHERE t.claim_id = c.id)
  AND NOT EXISTS (SELECT 1 FROM notes n WHERE n.claim_id = c.id)
  AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.claim_id = c.id)
  AND NOT EXISTS (SELECT 1 FROM verdicts v WHERE v.claim_id = c.id)
  AND NOT EXISTS (SELECT 1 FROM events ev WHERE ev.entity_type = 'claim' AND ev.entity_id = c.id)
  AND NOT EXISTS (SELECT 1 FROM claim_appearances a WHERE a.claim_id = c.id
                  AND (a.document_id IS NULL OR a.document_id != c.document_id))
"""

KNOWN_SQL = (
    "SELECT normalized_text FROM claims WHERE document_id = ? UNION SELECT c.normalized_text FROM"
    " claim_appearances a JOIN claims c ON c.id = a.claim_id WHERE a.document_id = ?"
)


def new_report() -> Report:
    """Return an empty re-extraction report: one outcome per document, counting new, linked, known and removed."""
    return Report(("reextracted",))


def summary_line(report: Report) -> str:
    """Return the one-line summary the command prints."""
    return (f"Re-extracted {report.count('reextracted')} document(s): {report.count('new')} new claim(s), "
            f"{report.count('linked')} linked to claims from other documents, {report.count('known')} already "
            f"known, {report.count('removed')} untouched claim(s) the rules no longer find removed.")


def reextract_documents(db: Store, document_ids: list[int], report: Report) -> None:
    """Extract documents again, one transaction per document, adding an outcome per document to ``report``."""
    marks = ", ".join("?" * len(document_ids))
    documents = list(db.query(
        f"SELECT id, url, published_at, source, body FROM documents WHERE id IN ({marks}) ORDER BY id", document_ids
    ))
    extracted = extract_claims_many([d["body"] for d in documents], sources=[d["source"] or None for d in documents])
    for document, claims in zip(documents, extracted):
        with db.transaction():
            removed = _remove_lost(db, document["id"], {normalize_claim(claim.text) for claim in claims})
            known = {r["normalized_text"] for r in db.query(KNOWN_SQL, [document["id"], document["id"]])}
            counts = store_extracted(db, document, [c for c in claims if normalize_claim(c.text) not in known])
            if removed or counts["new"] or counts["linked"]:
                record_event(db, None, "reextracted", "document", document["id"], removed=removed, **counts)
        report.add(Outcome(f"document {document['id']}", None, "reextracted", stored_id=document["id"],
                           numbers={"new": counts["new"], "linked": counts["linked"], "removed": removed,
                                    "known": len(claims) - counts["new"] - counts["linked"]}))


def _remove_lost(db: Store, document_id: int, found: set[str]) -> int:
    """Delete the document's untouched claims whose text is no longer found; return how many."""
    lost = [r["id"] for r in db.query(UNTOUCHED_SQL, [document_id]) if r["normalized_text"] not in found]
    for claim_id in lost:
        db.execute("DELETE FROM claims WHERE id = ?", [claim_id])  # appearances and tags go with it
    return len(lost)
