"""The SQLite implementation of the storage seam (the embedded default: one file, WAL)."""

import contextlib
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from review.storage.base import IntegrityError, Params, StoreError
from search_index.words import prefix_words, read_query

BUSY_TIMEOUT_MS = 5000
# Settings of a bulk write (review/ingest/store.py's batches), each safe in a crash: what a commit makes durable
# and the order in which it reaches the file are SQLite's as always.
BULK_SETTINGS = {
    # Pages kept in memory (KiB, as SQLite's negative cache_size): a batch inserts into the claim indexes at
    # places spread over the whole file, and SQLite's default 2 MiB cache reads most pages back.
    "cache_size": -65_536,
    # Statement journals in memory: each row a batch inserts into claims (a table with triggers) copies the pages
    # it changes aside in case that one statement fails; past 64 KiB SQLite writes the copy to a temporary file,
    # which was most of an ingest's kernel time (hundreds of MB a few thousand claims). The copy only ever undoes
    # one statement of an open transaction; a crash is recovered from the write-ahead log alone.
    "temp_store": 2,  # MEMORY
    # Fold the write-ahead log into the file every 10,000 pages (40 MB) instead of 1,000: a page a batch changes
    # in several commits is copied into the file once per fold. The log holds the same commits either way.
    "wal_autocheckpoint": 10_000,
}


def create_private(path: str) -> None:
    """Create an empty file readable by its owner only (0600), unless it exists."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def _fts5_clause(clause) -> str:
    """Return one clause of a typed query in FTS5's query syntax (FTS5 stems each quoted word itself)."""
    quoted = '"' + " ".join(clause.words) + '"'  # words are letters and digits only (words.WORD)
    if not clause.prefix:
        return quoted
    return "(" + " OR ".join([f"{quoted}*", *(f'"{word}"' for word in prefix_words(clause.words[0]))]) + ")"


class SqliteStore:
    """SQLite with WAL, foreign keys and a busy timeout; autocommit outside transactions."""

    dialect = "sqlite"

    def __init__(self, path: str | os.PathLike):
        self.path = os.fspath(path)
        if os.path.dirname(self.path):
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
        if self.path != ":memory:":
            create_private(self.path)  # it holds password and token hashes; SQLite gives its -wal/-shm the same mode
        self._conn = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
        for pragma in (f"busy_timeout = {BUSY_TIMEOUT_MS}", "journal_mode = WAL", "foreign_keys = ON",
                       "synchronous = NORMAL"):
            self._conn.execute(f"PRAGMA {pragma}")
        self._savepoints = 0

    # -- reading -------------------------------------------------------------------------------
    def query(self, sql: str, params: Params = ()) -> list[dict]:
        cursor = self._run(sql, params)
        columns = [c[0] for c in cursor.description or ()]
        return [dict(zip(columns, r)) for r in cursor.fetchall()]

    def one(self, sql: str, params: Params = ()) -> dict | None:
        cursor = self._run(sql, params)
        found = cursor.fetchone()
        return dict(zip([c[0] for c in cursor.description], found)) if found is not None else None

    def scalar(self, sql: str, params: Params = ()) -> Any:
        found = self._run(sql, params).fetchone()
        return found[0] if found is not None else None

    # -- writing -------------------------------------------------------------------------------
    def execute(self, sql: str, params: Params = ()) -> int:
        return self._run(sql, params).rowcount

    def insert(self, sql: str, params: Params = ()) -> int | None:
        returned = self._run(f"{sql.rstrip().rstrip(';')} RETURNING id", params).fetchall()
        return returned[0][0] if returned else None

    def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        try:
            self._conn.executemany(sql, rows)
        except sqlite3.IntegrityError as error:
            raise IntegrityError(str(error)) from error

    @contextlib.contextmanager
    def transaction(self) -> Iterator["SqliteStore"]:
        """Take the write lock up front (``BEGIN IMMEDIATE``): a deferred transaction that reads and
        then writes can fail with SQLITE_BUSY regardless of the busy timeout."""
        if self._conn.in_transaction:
            self._savepoints += 1
            name = f"sp{self._savepoints}"
            self._conn.execute(f"SAVEPOINT {name}")
            try:
                yield self
            except BaseException:
                self._conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                self._conn.execute(f"RELEASE SAVEPOINT {name}")
                raise
            else:
                self._conn.execute(f"RELEASE SAVEPOINT {name}")
            finally:
                self._savepoints -= 1
            return
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise
        else:
            try:
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    def text_match(self, table: str, key: str, words: dict[str | None, str]) -> tuple[str, list] | None:
        """Match through the table's FTS5 index ``<table>_fts`` (kept by triggers), whose tokenizer is
        the one analyzer's (``search_index.words.FTS5_TOKENIZE``): words, "phrases", ``word*`` and the
        last word as a prefix, as ``words.read_query`` reads them."""
        parts = []
        for column, typed in words.items():
            terms = [_fts5_clause(clause) for clause in read_query(typed, last_is_prefix=True)[0]]
            if terms:
                parts.append(f"{column} : ({' AND '.join(terms)})" if column else " AND ".join(terms))
        if not parts:
            return None
        index = f"{table}_fts"
        return f"{key} IN (SELECT rowid FROM {index} WHERE {index} MATCH ?)", [" AND ".join(parts)]

    def index_texts(self, table: str, ids: Sequence[int]) -> None:
        """Add the rows to ``<table>_fts`` as its insert trigger would have (migration 0045 lets the claims'
        trigger stand aside during a batch): one statement for many rows costs FTS5 a fraction of one per row."""
        index = f"{table}_fts"
        columns = [row[1] for row in self._conn.execute(f"PRAGMA table_info({index})")]
        values = ", ".join(f"coalesce({column}, '')" for column in columns)
        for start in range(0, len(ids), 500):  # SQLite's older builds cap a statement at 999 parameters
            piece = list(ids[start:start + 500])
            self._run(f"INSERT INTO {index} (rowid, {', '.join(columns)}) SELECT id, {values} FROM {table}"
                      f" WHERE id IN ({','.join('?' * len(piece))}) ORDER BY id", piece)

    @contextlib.contextmanager
    def bulk_writes(self) -> Iterator["SqliteStore"]:
        """Apply ``BULK_SETTINGS`` for the block (a larger page cache, statement journals in memory, rarer
        checkpoints); the connection's own settings come back after."""
        settings = dict(BULK_SETTINGS)
        if self._temporary_objects():  # changing temp_store would drop them (a test's temporary trigger)
            del settings["temp_store"]
        before = {name: self._conn.execute(f"PRAGMA {name}").fetchone()[0] for name in settings}
        for name, value in settings.items():
            self._conn.execute(f"PRAGMA {name} = {value}")
        try:
            yield self
        finally:
            if self._temporary_objects():
                before.pop("temp_store", None)
            for name, value in before.items():
                self._conn.execute(f"PRAGMA {name} = {value}")

    def _temporary_objects(self) -> int:
        return self._conn.execute("SELECT count(*) FROM temp.sqlite_master").fetchone()[0]

    @property
    def in_transaction(self) -> bool:
        return self._conn.in_transaction

    def close(self) -> None:
        self._conn.close()

    # -- maintenance (used by commands and the migrations runner) --------------------------------
    @contextlib.contextmanager
    def schema_change(self) -> Iterator["SqliteStore"]:
        """Run a migration as one write transaction with foreign keys checked at the end, not per
        statement, so that a table can be rebuilt (SQLite's way of dropping a constrained column)."""
        self._conn.execute("PRAGMA foreign_keys = OFF")
        try:
            with self.transaction():
                yield self
                broken = self._conn.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise IntegrityError(f"the migration left {len(broken)} broken reference(s), first in {broken[0][0]}")
        finally:
            self._conn.execute("PRAGMA foreign_keys = ON")

    def try_lock(self, name: str) -> bool:
        """Always True: an embedded desk is one machine, where SQLite's write lock and the index
        folder's lock already order its processes."""
        return True

    def unlock(self, name: str) -> None:
        """Nothing to give back (see :meth:`try_lock`)."""

    def sqlite_database(self):
        """Return a sqlite-utils view of this connection (for the migrations runner only)."""
        import sqlite_utils  # imported here: a command that only reads (``claimdesk match``) starts without it

        return sqlite_utils.Database(self._conn)

    def integrity_problems(self) -> list[str]:
        """Return what SQLite's integrity check reports (empty when the file is sound)."""
        results = [r[0] for r in self._conn.execute("PRAGMA integrity_check").fetchall()]
        return [] if results == ["ok"] else results

    def optimize(self) -> None:
        """Refresh the query planner's statistics."""
        self._conn.execute("ANALYZE")

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database file."""
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def backup(self, path: str | os.PathLike) -> None:
        """Write a consistent copy of the database to ``path`` (SQLite online backup)."""
        target = sqlite3.connect(os.fspath(path))
        try:
            self._conn.backup(target)
        except sqlite3.Error as error:
            raise StoreError(str(error)) from error
        finally:
            target.close()

    def _run(self, sql: str, params: Params) -> sqlite3.Cursor:
        try:
            return self._conn.execute(sql, params)
        except sqlite3.IntegrityError as error:
            raise IntegrityError(str(error)) from error
