"""Open the SQLite database the way every part of Claimdesk needs it."""

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timezone

import sqlite_utils

BUSY_TIMEOUT_MS = 5000


def open_db(path: str | os.PathLike) -> sqlite_utils.Database:
    """Open (creating if needed) the database with WAL, foreign keys and a busy timeout.

    The connection runs in autocommit mode; multi-statement writes go through
    :func:`transaction`, which starts with ``BEGIN IMMEDIATE``.
    """
    path = os.fspath(path)
    if os.path.dirname(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    conn.row_factory = None
    db = sqlite_utils.Database(conn)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    return db


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """Run a block as one write transaction, taking the write lock up front.

    A deferred transaction that reads and then writes can fail with SQLITE_BUSY
    regardless of the busy timeout; ``BEGIN IMMEDIATE`` waits for the lock first.
    Nested calls become savepoints.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        try:
            db.conn.execute("COMMIT")
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise


def now() -> str:
    """Return the current UTC time as an ISO 8601 string (seconds precision)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def row(db: sqlite_utils.Database, sql: str, params=()) -> dict | None:
    """Return the first row of a query as a dict, or None."""
    return next(iter(db.query(sql, params)), None)
