"""The append-only audit log: who did what to which entity, when."""

import json


from review.dates import now
from review.storage import Store

# History labels of the events that are not workflow transitions (those: workflow.event_label).
EVENT_LABELS = {
    "claim.create": "Created", "claim.undo": "Undone", "claim.edit": "Claim edited", "claim.tags": "Tags changed",
    "claim.note": "Note added", "claim.link_prior": "Linked to a prior verdict", "verdict.create": "Verdict drafted",
    "verdict.edit": "Verdict edited", "evidence.add": "Evidence added", "evidence.edit": "Evidence edited",
    "evidence.remove": "Evidence removed", "verdict.recheck": "Re-check day set",
    "second_rating.request": "Second rating asked", "second_rating.cancel": "Second rating cancelled",
    "second_rating.rate": "Second rating given", "second_rating.agree": "Both ratings in: raters agree",
    "second_rating.disagree": "Both ratings in: raters disagree",
}


def record_event(
    db: Store,
    actor_id: int | None,
    action: str,
    entity_type: str,
    entity_id: int | None,
    **details,
) -> None:
    """Append one event row; call inside the transaction that made the change."""
    db.execute(
        "INSERT INTO events (at, actor_id, action, entity_type, entity_id, details)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [now(), actor_id, action, entity_type, entity_id, json.dumps(details, default=str)],
    )


def record_events(db: Store, actor_id: int | None, action: str, entity_type: str,
                  entries: list[tuple[int | None, dict]]) -> None:
    """Append one event row per (entity id, details) in one statement; call inside the transaction."""
    at = now()
    db.executemany(
        "INSERT INTO events (at, actor_id, action, entity_type, entity_id, details) VALUES (?, ?, ?, ?, ?, ?)",
        [[at, actor_id, action, entity_type, entity_id, json.dumps(details, default=str)]
         for entity_id, details in entries],
    )


def list_events(db: Store, entity_type: str, entity_id: int, limit: int = 200) -> list[dict]:
    """Return the events on one entity, newest first, with the actor's name."""
    rows = db.query(
        "SELECT e.*, u.username AS actor FROM events e LEFT JOIN users u ON u.id = e.actor_id"
        " WHERE e.entity_type = ? AND e.entity_id = ? ORDER BY e.id DESC LIMIT ?",
        [entity_type, entity_id, limit],
    )
    return [{**r, "details": json.loads(r["details"])} for r in rows]
