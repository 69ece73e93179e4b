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

One writer at a time holds :class:`~search_index.writer_lock.DrainLock` (Whoosh: a lock in the
index folder) or :class:`StoreLock` (PostgreSQL search: a lock in the database, shared by every
node, so each outbox row is applied by one node); a writer killed mid-write leaves nothing that
blocks the next one.
:func:`backlog` tells how far behind the index is, for ``claimdesk db check`` and
the server's log.
"""

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Protocol

from search_index import open_index
from search_index.base import Record, SearchIndex
from search_index.writer_lock import DrainLock, lock_holder

BATCH_ROWS = 500
BATCH_SECONDS = 1.0
BULK_THRESHOLD = 2000  # pending rows above which draining switches to bulk batches
BULK_ROWS = 20000
BULK_CHARACTERS = 50_000_000  # text held in memory per batch, so long articles do not exhaust it
PARAMETERS = 500  # ids per UPDATE: SQLite caps the number of parameters
BEHIND_SECONDS = 300  # changes waiting longer than this mean indexing is behind (stuck, or no drainer runs)

RecordLoader = Callable[..., Record | None]  # (store, kind, entity_id) -> the record, or None to remove it
ManyLoader = Callable[..., dict[int, Record | None]]  # (store, kind, entity_ids) -> each id's record or None
IndexKey = Callable[[str, int], tuple[str, int]]  # (outbox kind, entity id) -> (index kind, index id)


class OutboxStore(Protocol):
    """The part of the domain's store the drainer uses (the index_outbox table lives there)."""

    def query(self, sql: str, params: Any = ()) -> list[dict]: ...
    def scalar(self, sql: str, params: Any = ()) -> Any: ...
    def execute(self, sql: str, params: Any = ()) -> int: ...
    def executemany(self, sql: str, rows: Iterable[Any]) -> None: ...
    def transaction(self) -> contextlib.AbstractContextManager: ...
    def try_lock(self, name: str) -> bool: ...
    def unlock(self, name: str) -> None: ...


class StoreLock:
    """The one-writer lock of PostgreSQL search: a lock in the database, so one node drains for all."""

    NAME = "claimdesk search writer"

    def __init__(self, store: "OutboxStore"):
        self.store = store

    def acquire(self, wait: float) -> bool:
        deadline = time.monotonic() + wait
        while not self.store.try_lock(self.NAME):
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)
        return True

    def release(self) -> None:
        self.store.unlock(self.NAME)


def writer_lock(store: "OutboxStore", index_path: str, engine: str) -> "DrainLock | StoreLock":
    """Return the lock one index writer holds: the index folder's for Whoosh, the database's for PostgreSQL."""
    return StoreLock(store) if engine == "postgres" else DrainLock(index_path)


class IndexBusy(RuntimeError):
    """Another process holds the index lock."""


def enqueue(store: OutboxStore, kind: str, entity_id: int) -> None:
    """Add one outbox row; call inside the transaction that changed the entity."""
    store.execute("INSERT INTO index_outbox (kind, entity_id, queued_at) VALUES (?, ?, ?)",
                  [kind, entity_id, _now()])


def enqueue_many(store: OutboxStore, kind: str, entity_ids: Iterable[int]) -> None:
    """Add one outbox row per id in one statement; call inside the transaction that changed them."""
    queued_at = _now()
    store.executemany("INSERT INTO index_outbox (kind, entity_id, queued_at) VALUES (?, ?, ?)",
                      [[kind, entity_id, queued_at] for entity_id in entity_ids])


def pending_count(store: OutboxStore) -> int:
    """Return how many outbox rows wait to be applied to the index."""
    return store.scalar("SELECT count(*) FROM index_outbox WHERE done_at IS NULL")


# -- how far behind the index is ----------------------------------------------------------------
@dataclass
class Backlog:
    """Changes waiting for the index: how many, since when, and who holds the index lock."""

    pending: int
    oldest: str | None  # queued_at of the oldest waiting change
    age: float  # seconds it has waited
    holder: str | None

    @property
    def behind(self) -> bool:
        """Return True when a change has waited longer than BEHIND_SECONDS."""
        return self.pending > 0 and self.age > BEHIND_SECONDS

    def message(self) -> str:
        """Say in one line how far behind indexing is, and the likely reason."""
        why = (f"the index lock is held by {self.holder}" if self.holder
               else "no process is indexing (start `claimdesk serve`, or run `claimdesk reindex`)")
        return (f"search indexing is behind: {self.pending} change(s) waiting, the oldest for "
                f"{int(self.age // 60)} minute(s) (queued {self.oldest}); {why}")


def backlog(store: OutboxStore, index_path: str) -> Backlog:
    """Return the outbox backlog and the index lock's holder."""
    row = store.query("SELECT count(*) AS pending, min(queued_at) AS oldest FROM index_outbox"
                      " WHERE done_at IS NULL")[0]
    age = 0.0
    if row["oldest"]:
        queued = datetime.fromisoformat(str(row["oldest"]))
        queued = queued if queued.tzinfo else queued.replace(tzinfo=timezone.utc)
        age = max(0.0, (datetime.now(timezone.utc) - queued).total_seconds())
    late = Backlog(row["pending"], row["oldest"], age, None)
    if late.behind:  # only then does it matter who holds the lock
        late.holder = lock_holder(index_path)
    return late


def drain(store: OutboxStore, index_path: str, load_record: RecordLoader, *, index_key: IndexKey,
          all_records: Callable[..., Iterable[Record]] | None = None, wait: float = 0.0, procs: int = 1,
          engine: str = "whoosh", load_records: ManyLoader | None = None) -> int:
    """Apply pending outbox rows to the index; return how many were applied (0 if another drainer runs).

    When ``all_records`` is given and the index is lost (no live generation
    although outbox rows were applied before: its folder was deleted) or of an
    older schema, it is first rebuilt from ``all_records(store)``, with searches
    saying so meanwhile; the outbox rows that covers count as applied.
    ``procs`` worker processes analyze such a rebuild (commands pass the core count; the server's
    background thread keeps 1, as workers are forked). Outbox batches are analyzed in this process:
    the engine's packed writer costs less CPU and less wall time than Whoosh's worker processes
    (all of Reuters-21578 drained: 38.6 CPU-s and 24.3 s wall in two workers, 14.8 and 14.8 in one).
    ``engine="postgres"`` applies them to the search table of ``store`` instead of a Whoosh folder.
    ``load_records(store, kind, ids)``, when given, loads a batch's records up to PARAMETERS at a time
    (returning the records ``load_record`` would), instead of one call per outbox row.
    """
    lock = writer_lock(store, index_path, engine)
    if not lock.acquire(wait):
        return 0
    index = open_index(index_path, engine=engine, store=store)
    applied = 0
    try:
        if all_records is not None and needs_rebuild(store, index):
            applied += _rebuild(store, index, all_records, procs=procs, recovering=True)[1]
        for batch, bulk in _batches(store):
            applied += _apply_batch(store, index, batch, load_record, index_key, bulk=bulk, load_records=load_records)
    finally:
        index.close()
        lock.release()
    return applied


def reindex(store: OutboxStore, index_path: str, all_records: Callable[..., Iterable[Record]], *,
            wait: float = 60.0, procs: int = 1, engine: str = "whoosh") -> int:
    """Rebuild the whole index from ``all_records(store)`` into a new generation, swap it in; return the count.

    Outbox rows queued before the rebuild started are marked done once the new
    generation is live; later ones stay pending for the next drain.

    :raises IndexBusy: another process kept the index lock for ``wait`` seconds.
    """
    lock = writer_lock(store, index_path, engine)
    if not lock.acquire(wait):
        raise IndexBusy("another process is writing the search index; try again when it finishes")
    try:
        index = open_index(index_path, engine=engine, store=store)
        try:
            return _rebuild(store, index, all_records, procs=procs)[0]
        finally:
            index.close()
    finally:
        lock.release()


def needs_rebuild(store: OutboxStore, index: SearchIndex) -> bool:
    """Return whether the index must be rebuilt from the database: of an older schema, or lost.

    Lost: no live generation although outbox rows were applied to one (a fresh
    instance has none, and builds its index from the outbox as it fills).
    """
    found = index.status()
    if found == "outdated":
        return True
    return found == "missing" and store.scalar(
        "SELECT count(*) FROM (SELECT 1 FROM index_outbox WHERE done_at IS NOT NULL LIMIT 1) AS applied") > 0


def _rebuild(store: OutboxStore, index: SearchIndex, all_records, *, procs: int,
             recovering: bool = False) -> tuple[int, int]:
    """Rebuild the index from ``all_records(store)``, mark the outbox rows queued before it done.

    Return (records indexed, outbox rows marked done).
    """
    last = store.scalar("SELECT max(id) FROM index_outbox") or 0
    count = index.rebuild(all_records(store), procs=procs, recovering=recovering)
    with store.transaction():
        marked = store.execute("UPDATE index_outbox SET done_at = ? WHERE done_at IS NULL AND id <= ?",
                               [_now(), last])
    return count, marked


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


def _loaded(store: OutboxStore, batch: list[dict], load_record: RecordLoader,
            load_records: ManyLoader | None) -> Iterator[tuple[dict, Record | None]]:
    """Yield each outbox row of a batch, in order, with its current record (None: remove it from the index)."""
    if load_records is None:
        for entry in batch:
            yield entry, load_record(store, entry["kind"], entry["entity_id"])
        return
    for start in range(0, len(batch), PARAMETERS):
        chunk = batch[start:start + PARAMETERS]
        found: dict[tuple[str, int], Record | None] = {}
        for kind in dict.fromkeys(entry["kind"] for entry in chunk):
            ids = list(dict.fromkeys(entry["entity_id"] for entry in chunk if entry["kind"] == kind))
            found.update(((kind, entity_id), record) for entity_id, record in load_records(store, kind, ids).items())
        for entry in chunk:
            yield entry, found[entry["kind"], entry["entity_id"]]


def _apply_batch(store: OutboxStore, index: SearchIndex, batch: list[dict], load_record: RecordLoader,
                 index_key: IndexKey, *, bulk: bool, load_records: ManyLoader | None = None) -> int:
    """Index one batch and mark done only what was committed.

    A batch stops reading at BULK_CHARACTERS of text, and a small one after ~1 s.
    """
    started = time.monotonic()
    latest: dict[tuple[str, int], Record | None] = {}
    done_ids = []
    characters = 0
    for entry, record in _loaded(store, batch, load_record, load_records):
        key = (entry["kind"], entry["entity_id"])
        latest[key] = record
        done_ids.append(entry["id"])
        characters += len(record.body or "") if record else 0
        if characters > BULK_CHARACTERS or (not bulk and time.monotonic() - started > BATCH_SECONDS):
            break
    records = [record for record in latest.values() if record is not None]
    removals = [index_key(*key) for key, record in latest.items() if record is None]
    index.apply(records, removals)
    with store.transaction():
        for start in range(0, len(done_ids), PARAMETERS):
            chunk = done_ids[start:start + PARAMETERS]
            store.execute(f"UPDATE index_outbox SET done_at = ? WHERE id IN ({','.join('?' * len(chunk))})",
                          [_now(), *chunk])
    return len(done_ids)


def _now() -> str:
    """Return the current UTC time as ISO 8601 (seconds precision), as the domain stamps its rows."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
