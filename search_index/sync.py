"""Apply the index_outbox to the search index: one drainer at a time, in batches.

Every write that should reach the index adds an outbox row (kind, id) in the
same transaction. Draining reads the *current* database row for each entry, so
replaying an entry is harmless: a row that is gone is deleted from the index.
Outbox rows are marked done only after the index commit, so a crash between
the two loses nothing; the entries are simply applied again.

Outbox kinds and their index keys: ``document`` -> ("document", id);
``verdict`` (our own, indexed while published) -> ("verdict", id);
``prior_review`` (imported from other fact-checkers) -> ("verdict", -id), so
both kinds of verdict share one index without their ids colliding.
"""

import fcntl
import os
import time
from collections.abc import Iterator


from review.db import now
from review.storage import Store
from search_index.base import Record
from search_index.whoosh_index import WhooshIndex

BATCH_ROWS = 500
BATCH_SECONDS = 1.0
BULK_THRESHOLD = 2000  # pending rows above which draining switches to bulk batches
BULK_ROWS = 20000
BULK_CHARACTERS = 50_000_000  # text held in memory per batch, so long articles do not exhaust it


class IndexBusy(RuntimeError):
    """Another process holds the index lock."""


def enqueue(db: Store, kind: str, entity_id: int) -> None:
    """Queue one entity for (re)indexing; call inside the transaction that changed it."""
    db.execute(
        "INSERT INTO index_outbox (kind, entity_id, queued_at) VALUES (?, ?, ?)", [kind, entity_id, now()]
    )


def document_record(doc: dict) -> Record:
    """Return the index record of a documents row."""
    return Record(kind="document", id=doc["id"], title=doc["title"], body=doc["body"], source=doc["source"],
                  url=doc["url"], published=doc["published_at"], language=doc["language"])


def prior_review_record(review: dict) -> Record:
    """Return the index record of a prior_reviews row: claim, headline and summary searched as one text."""
    return Record(
        kind="verdict", id=-review["id"], title=review.get("headline") or "",
        body=" ".join(filter(None, [review["claim_reviewed"], review.get("headline"), review.get("review_body")])),
        claimant=review.get("claimant") or "", rating=review.get("rating_key") or review.get("rating_label") or "",
        publisher=review.get("publisher") or "", url=review["url"], published=review.get("date_published"),
        language=review.get("language"),
        extra={"claim_reviewed": review["claim_reviewed"], "rating_label": review.get("rating_label") or "",
               "rating_key": review.get("rating_key") or "", "origin": "imported", "prior_review_id": review["id"]},
    )


def verdict_record(verdict: dict) -> Record:
    """Return the index record of a published verdict."""
    return Record(
        kind="verdict", id=verdict["id"], title=verdict["conclusion"] or "",
        body=" ".join(filter(None, [verdict["claim_reviewed"], verdict["conclusion"], verdict["explanation"]])),
        claimant=verdict.get("claimant") or "", rating=verdict["rating_key"] or "",
        publisher=verdict.get("publisher") or "", url=verdict.get("article_url"),
        published=verdict.get("published_at"), language=verdict.get("language"),
        extra={"claim_reviewed": verdict["claim_reviewed"], "rating_label": verdict.get("rating_label") or "",
               "rating_key": verdict["rating_key"] or "", "origin": "own", "claim_id": verdict["claim_id"]},
    )


VERDICT_SQL = (
    "SELECT v.*, c.claimant, r.label AS rating_label FROM verdicts v JOIN claims c ON c.id = v.claim_id"
    " LEFT JOIN rating_scale r ON r.key = v.rating_key WHERE v.id = ? AND v.status = 'published'"
)


def load_record(db: Store, kind: str, entity_id: int) -> Record | None:
    """Return the index record for a database row, or None when it should not be indexed."""
    if kind == "document":
        doc = db.one("SELECT * FROM documents WHERE id = ?", [entity_id])
        return document_record(doc) if doc else None
    if kind == "prior_review":
        review = db.one("SELECT * FROM prior_reviews WHERE id = ?", [entity_id])
        return prior_review_record(review) if review else None
    if kind == "verdict":
        verdict = db.one(VERDICT_SQL, [entity_id])
        return verdict_record(verdict) if verdict else None
    raise ValueError(f"unknown outbox kind {kind!r}")


def index_key(kind: str, entity_id: int) -> tuple[str, int]:
    """Return the index (kind, id) for an outbox entry; imported reviews use negative ids."""
    if kind == "prior_review":
        return ("verdict", -entity_id)
    return (kind, entity_id)


class DrainLock:
    """A non-blocking file lock so only one process drains at a time."""

    def __init__(self, index_path: str):
        os.makedirs(index_path, exist_ok=True)
        self.path = os.path.join(index_path, ".drain.lock")
        self.fd = None

    def acquire(self, wait: float = 0.0) -> bool:
        """Take the lock, waiting up to ``wait`` seconds; return whether it was taken."""
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(self.fd)
                    self.fd = None
                    return False
                time.sleep(0.05)

    def release(self) -> None:
        """Let the next drainer in."""
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def pending_count(db: Store) -> int:
    """Return how many outbox rows wait to be applied to the index."""
    return db.one("SELECT count(*) AS n FROM index_outbox WHERE done_at IS NULL")["n"]


def _batches(db: Store) -> Iterator[tuple[list[dict], bool]]:
    """Yield (pending outbox rows, oldest first; whether the batch is bulk) until none is left.

    A backlog of more than BULK_THRESHOLD rows (an import) goes in batches of
    BULK_ROWS with one commit each: Whoosh rewrites small segments when it
    merges them, so one big commit costs about half of many small ones.
    """
    while True:
        bulk = pending_count(db) > BULK_THRESHOLD
        batch = list(db.query(
            "SELECT id, kind, entity_id FROM index_outbox WHERE done_at IS NULL ORDER BY id LIMIT ?",
            [BULK_ROWS if bulk else BATCH_ROWS],
        ))
        if not batch:
            return
        yield batch, bulk


def _apply_batch(db: Store, index: WhooshIndex, batch: list[dict], *, bulk: bool,
                 procs: int) -> int:
    """Index one batch and mark done only what was committed.

    A batch stops reading at BULK_CHARACTERS of text, and a small one after ~1 s.
    """
    started = time.monotonic()
    latest: dict[tuple[str, int], Record | None] = {}
    done_ids = []
    characters = 0
    for entry in batch:
        key = (entry["kind"], entry["entity_id"])
        latest[key] = record = load_record(db, *key)
        done_ids.append(entry["id"])
        characters += len(record.body or "") if record else 0
        if characters > BULK_CHARACTERS or (not bulk and time.monotonic() - started > BATCH_SECONDS):
            break
    records = [record for record in latest.values() if record is not None]
    removals = [index_key(*key) for key, record in latest.items() if record is None]
    index.apply(records, removals, procs=procs if bulk else 1)
    with db.transaction():
        for start in range(0, len(done_ids), 500):  # SQLite caps the number of parameters
            chunk = done_ids[start:start + 500]
            db.execute(f"UPDATE index_outbox SET done_at = ? WHERE id IN ({','.join('?' * len(chunk))})",
                       [now(), *chunk])
    return len(done_ids)


def drain(db: Store, index_path: str, *, wait: float = 0.0, procs: int = 1) -> int:
    """Apply pending outbox rows to the index; return how many were applied (0 if another drainer runs).

    ``procs`` worker processes analyze bulk batches (commands pass the core
    count; the server's background thread keeps 1, as workers are forked).
    """
    lock = DrainLock(index_path)
    if not lock.acquire(wait):
        return 0
    index = WhooshIndex(index_path)
    applied = 0
    try:
        for batch, bulk in _batches(db):
            applied += _apply_batch(db, index, batch, bulk=bulk, procs=procs)
    finally:
        index.close()
        lock.release()
    return applied


def all_records(db: Store) -> Iterator[Record]:
    """Yield every record the index should hold, straight from SQLite."""
    for doc in db.query("SELECT * FROM documents ORDER BY id"):
        yield document_record(doc)
    for review in db.query("SELECT * FROM prior_reviews ORDER BY id"):
        yield prior_review_record(review)
    for verdict in db.query(VERDICT_SQL.replace("v.id = ? AND ", ""), []):
        yield verdict_record(verdict)


def reindex(db: Store, index_path: str, *, wait: float = 60.0, procs: int = 1) -> int:
    """Rebuild the whole index from SQLite into a new generation, swap it in and return the record count.

    Outbox rows queued before the rebuild started are marked done once the new
    generation is live; later ones stay pending for the next drain.

    :raises IndexBusy: another process kept the index lock for ``wait`` seconds.
    """
    lock = DrainLock(index_path)
    if not lock.acquire(wait):
        raise IndexBusy("another process is writing the search index; try again when it finishes")
    try:
        last = db.one("SELECT max(id) AS id FROM index_outbox")["id"] or 0
        index = WhooshIndex(index_path)
        try:
            count = index.rebuild(all_records(db), procs=procs)
        finally:
            index.close()
        with db.transaction():
            db.execute("UPDATE index_outbox SET done_at = ? WHERE done_at IS NULL AND id <= ?", [now(), last])
        return count
    finally:
        lock.release()
