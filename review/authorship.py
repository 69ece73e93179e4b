"""Who wrote what: the authors of each verdict revision, for the four-eyes rule.

Everyone who writes or changes a revision counts as its author: the checker who drafts it, an
editor who changes the draft after sending it back, the editor who opens a correction, and
anyone who changes the claim's fields, appearances or evidence while the revision is being
worked on. Changes made before the first draft exists count for the revision that draft will
have. Nobody approves a revision they authored (``permissions.why_not_approve``).
"""

from review.dates import now
from review.storage import Store


def current_revision(db: Store, claim_id: int) -> int:
    """Return the number of the revision being worked on: the open one, else the next one."""
    found = db.one("SELECT revision, status FROM verdicts WHERE claim_id = ? ORDER BY revision DESC LIMIT 1",
                   [claim_id])
    if found is None:
        return 1
    return found["revision"] if found["status"] in ("draft", "in_review") else found["revision"] + 1


def record_author(db: Store, claim_id: int, user_id: int | None, *, revision: int | None = None) -> None:
    """Count the user as an author of the claim's revision being worked on (or of ``revision``).

    Call inside the transaction that made the change.
    """
    if user_id is None:
        return
    db.execute("INSERT INTO revision_authors (claim_id, revision, user_id, first_at) VALUES (?, ?, ?, ?)"
               " ON CONFLICT DO NOTHING",
               [claim_id, revision or current_revision(db, claim_id), user_id, now()])


def authors_of(db: Store, claim_id: int, revision: int) -> list[int]:
    """Return the ids of the revision's authors, in the order they first changed it."""
    return [r["user_id"] for r in db.query(
        "SELECT user_id FROM revision_authors WHERE claim_id = ? AND revision = ? ORDER BY first_at, user_id",
        [claim_id, revision])]


def with_authors(db: Store, verdict: dict | None) -> dict | None:
    """Return the verdict revision with ``authors``: every user who wrote or changed it."""
    if verdict is None:
        return None
    authors = authors_of(db, verdict["claim_id"], verdict["revision"])
    if verdict.get("author_id") and verdict["author_id"] not in authors:
        authors.insert(0, verdict["author_id"])
    return {**verdict, "authors": authors}
