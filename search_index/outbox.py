"""Apply the index_outbox to the search index: one drainer at a time, in batches.

Every write that should reach the index adds an outbox row (kind, id) in the
same transaction (``enqueue``). Draining asks a record loader for the *current*
record of each entry, so replaying an entry is harmless: an entry whose loader
returns None is deleted from the index. Outbox rows are marked done only after
the index commit, so a crash between the two loses nothing; the entries are
simply applied again.

This module knows the outbox table, the lock and the engines, nothing of what
is indexed: the caller passes ``load_record(store, kind, id) -> Record | None``
and ``index_key(kind, id) -> (index kind, index id)`` for the removals.
"""

import fcntl
import os
import time
import contextlib
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from typing import Any, Protocol

from search_index import open_index
from search_index.base import Record, SearchIndex

BATCH_ROWS = 500
BATCH_SECONDS = 1.0
BULK_THRESHOLD = 2000  # pending rows above which draining switches to bulk batches
BULK_ROWS = 20000
BULK_CHARACTERS = 50_000_000  # text held in memory per batch, so long articles do not exhaust it
PARAMETERS = 500  # ids per UPDATE: SQLite caps the number of parameters

RecordLoader = Callable[..., Record | None]  # (store, kind, entity_id) -> the record, or None to remove it
IndexKey = Callable[[str, int], tuple[str, int]]  # (outbox kind, entity id) -> (index kind, index id)


class OutboxStore(Protocol):
    """The part of the domain's store the drainer uses (the index_outbox table lives there)."""

    def query(self, sql: str, params: Any = ()) -> list[dict]: ...
    def scalar(self, sql: str, params: Any = ()) -> Any: ...
    def execute(self, sql: str, params: Any = ()) -> int: ...
    def transaction(self) -> contextlib.AbstractContextManager: ...


class IndexBusy(RuntimeError):
    """Another process holds the index lock."""


def enqueue(store: OutboxStore, kind: str, entity_id: int) -> None:
    """Add one outbox row; call inside the transaction that changed the entity."""
    store.execute("INSERT INTO index_outbox (kind, entity_id, queued_at) VALUES (?, ?, ?)",
                  [kind, entity_id, _now()])


def pending_count(store: OutboxStore) -> int:
    """Return how many outbox rows wait to be applied to the index."""
    return store.scalar("SELECT count(*) FROM index_outbox WHERE done_at IS NULL")


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


def drain(store: OutboxStore, index_path: str, load_record: RecordLoader, *, index_key: IndexKey,
          wait: float = 0.0, procs: int = 1) -> int:
    """Apply pending outbox rows to the index; return how many were applied (0 if another drainer runs).

    ``procs`` worker processes analyze bulk batches (commands pass the core
    count; the server's background thread keeps 1, as workers are forked).
    """
    lock = DrainLock(index_path)
    if not lock.acquire(wait):
        return 0
    index = open_index(index_path)
    applied = 0
    try:
        for batch, bulk in _batches(store):
            applied += _apply_batch(store, index, batch, load_record, index_key, bulk=bulk, procs=procs)
    finally:
        index.close()
        lock.release()
    return applied


def reindex(store: OutboxStore, index_path: str, all_records: Callable[..., Iterable[Record]], *,
            wait: float = 60.0, procs: int = 1) -> int:
    """Rebuild the whole index from ``all_records(store)`` into a new generation, swap it in; return the count.

    Outbox rows queued before the rebuild started are marked done once the new
    generation is live; later ones stay pending for the next drain.

    :raises IndexBusy: another process kept the index lock for ``wait`` seconds.
    """
    lock = DrainLock(index_path)
    if not lock.acquire(wait):
        raise IndexBusy("another process is writing the search index; try again when it finishes")
    try:
        last = store.scalar("SELECT max(id) FROM index_outbox") or 0
        index = open_index(index_path)
        try:
            count = index.rebuild(all_records(store), procs=procs)
        finally:
            index.close()
        with store.transaction():
            store.execute("UPDATE index_outbox SET done_at = ? WHERE done_at IS NULL AND id <= ?", [_now(), last])
        return count
    finally:
        lock.release()


def _batches(store: OutboxStore) -> Iterator[tuple[list[dict], bool]]:
    """Yield (pending outbox rows, oldest first; whether the batch is bulk) until none is left.

    A backlog of more than BULK_THRESHOLD rows (an import) goes in batches of
    BULK_ROWS with one commit each: Whoosh rewrites small segments when it
    merges them, so one big commit costs about half of many small ones.
    """
    while True:
        bulk = pending_count(store) > BULK_THRESHOLD
        batch = store.query(
            "SELECT id, kind, entity_id FROM index_outbox WHERE done_at IS NULL ORDER BY id LIMIT ?",
            [BULK_ROWS if bulk else BATCH_ROWS],
        )
        if not batch:
            return
        yield batch, bulk


def _apply_batch(store: OutboxStore, index: SearchIndex, batch: list[dict], load_record: RecordLoader,
                 index_key: IndexKey, *, bulk: bool, procs: int) -> int:
    """Index one batch and mark done only what was committed.

    A batch stops reading at BULK_CHARACTERS of text, and a small one after ~1 s.
    """
    started = time.monotonic()
    latest: dict[tuple[str, int], Record | None] = {}
    done_ids = []
    characters = 0
    for entry in batch:
        key = (entry["kind"], entry["entity_id"])
        latest[key] = record = load_record(store, *key)
        done_ids.append(entry["id"])
        characters += len(record.body or "") if record else 0
        if characters > BULK_CHARACTERS or (not bulk and time.monotonic() - started > BATCH_SECONDS):
            break
    records = [record for record in latest.values() if record is not None]
    removals = [index_key(*key) for key, record in latest.items() if record is None]
    index.apply(records, removals, procs=procs if bulk else 1)
    with store.transaction():
        for start in range(0, len(done_ids), PARAMETERS):
            chunk = done_ids[start:start + PARAMETERS]
            store.execute(f"UPDATE index_outbox SET done_at = ? WHERE id IN ({','.join('?' * len(chunk))})",
                          [_now(), *chunk])
    return len(done_ids)


def _now() -> str:
    """Return the current UTC time as ISO 8601 (seconds precision), as the domain stamps its rows."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
