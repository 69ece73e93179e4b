"""The review queue: claims by state, filtered, in priority order, paged by cursor."""

import json
from dataclasses import dataclass, field

import sqlite_utils

TABS = [
    ("new", "New"),
    ("queued", "Queued"),
    ("in_progress", "In progress"),
    ("in_review", "In review"),
    ("published", "Published"),
    ("dismissed", "Dismissed"),
]
PAGE_SIZE = 50


@dataclass
class QueuePage:
    rows: list[dict]
    next_cursor: str | None
    tab: str
    filters: dict = field(default_factory=dict)


def tab_counts(db: sqlite_utils.Database, user_id: int | None) -> dict[str, int]:
    """Return the number of claims in each state, plus 'mine' (open claims assigned to the user)."""
    counts = {key: 0 for key, _ in TABS}
    for r in db.query("SELECT status, count(*) AS n FROM claims GROUP BY status"):
        counts[r["status"]] = r["n"]
    counts["mine"] = next(iter(db.query(
        "SELECT count(*) AS n FROM claims WHERE assignee_id = ? AND status IN ('queued', 'in_progress', 'in_review')",
        [user_id],
    )))["n"]
    return counts


def encode_cursor(claim: dict, sort: str) -> str:
    key = claim["priority"] if sort == "priority" else claim["source_date"]
    return f"{key}~{claim['id']}"


def list_queue(
    db: sqlite_utils.Database, *, tab: str = "new", user_id: int | None = None, sort: str = "priority",
    cursor: str | None = None, limit: int = PAGE_SIZE, filters: dict | None = None,
) -> QueuePage:
    """Return one page of the queue, after ``cursor`` (keyset pagination, never OFFSET)."""
    filters = {k: v for k, v in (filters or {}).items() if v}
    sort = "date" if sort == "date" else "priority"
    column = "c.priority" if sort == "priority" else "c.source_date"
    where, params = [], []
    if tab == "mine":
        where.append("c.assignee_id = ? AND c.status IN ('queued', 'in_progress', 'in_review')")
        params.append(user_id)
    else:
        where.append("c.status = ?")
        params.append(tab)
    if cursor:
        key, _, last_id = cursor.rpartition("~")
        try:
            last_id_int = int(last_id)
            key_value = float(key) if sort == "priority" else key
        except ValueError:
            key_value, last_id_int = None, None
        if last_id_int is not None:
            where.append(f"({column} < ? OR ({column} = ? AND c.id < ?))")
            params += [key_value, key_value, last_id_int]
    sql = (
        "SELECT c.id, c.text, c.claimant, c.claimant_kind, c.claim_type, c.checkworthiness, c.priority, c.status,"
        " c.source_date, c.appearance_count, c.version, c.document_id, d.source, d.title AS document_title,"
        " u.username AS assignee FROM claims c LEFT JOIN documents d ON d.id = c.document_id"
        " LEFT JOIN users u ON u.id = c.assignee_id"
        f" WHERE {' AND '.join(where)} ORDER BY {column} DESC, c.id DESC LIMIT ?"
    )
    rows = list(db.query(sql, params + [limit + 1]))
    next_cursor = encode_cursor(rows[limit - 1], sort) if len(rows) > limit else None
    rows = rows[:limit]
    return QueuePage(rows=rows, next_cursor=next_cursor, tab=tab, filters=filters)
