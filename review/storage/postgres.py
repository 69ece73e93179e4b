"""The PostgreSQL implementation of the storage seam (psycopg 3 with a connection pool per process).

The domain writes SQL both databases read; this store translates the rest: ``?`` placeholders
become ``%s`` (a literal ``%`` doubles), ``LIKE`` compares without regard to case as SQLite's
does, every write inside a transaction runs under a savepoint so that a refused statement
(a unique key) leaves the transaction usable, as it does in SQLite. Only this module imports
``psycopg``; it is an optional dependency (``pip install 'claimdesk[postgres]'``).
"""

import contextlib
import functools
import os
import re
import threading
import weakref
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import psycopg
import psycopg_pool
from psycopg import adapt
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from review.storage.base import IntegrityError, Params, StoreError
from search_index.words import POSTGRES_SEPARATORS, POSTGRES_TEXT_CONFIG, prefix_words, read_query

POOL_MAX = int(os.environ.get("CLAIMDESK_DATABASE_POOL", "8"))
POOL_TIMEOUT = 10.0  # seconds to wait for a free connection before failing the request
TEXT_CONFIG = POSTGRES_TEXT_CONFIG  # the one analyzer's configuration (search_index/words.py)
_pools: dict[tuple[int, str], ConnectionPool] = {}
_pools_lock = threading.Lock()


class NumericLoader(adapt.Loader):
    """Load ``numeric`` (what sum() and avg() return) as int or float, as SQLite gives them."""

    def load(self, data) -> int | float:
        text = bytes(data).decode()
        try:
            return int(text)
        except ValueError:
            return float(text)


def _configure(conn: psycopg.Connection) -> None:
    conn.adapters.register_loader("numeric", NumericLoader)


def pool_for(url: str) -> ConnectionPool:
    """Return this process's pool for ``url`` (a forked worker opens its own)."""
    key = (os.getpid(), url)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            pool = ConnectionPool(url, min_size=1, max_size=POOL_MAX, timeout=POOL_TIMEOUT, open=True,
                                  kwargs={"autocommit": True}, configure=_configure, name="claimdesk",
                                  check=ConnectionPool.check_connection)  # a server restart leaves none stale
            _pools[key] = pool
    return pool


def close_pools(url: str | None = None) -> None:
    """Close this process's pools (for ``url`` only when given), e.g. before dropping a database."""
    with _pools_lock:
        for key in [k for k in _pools if url is None or k[1] == url]:
            pool = _pools.pop(key)
            if key[0] == os.getpid():
                pool.close()


_TOKEN = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|--[^\n]*|\?|%|\bLIKE\b|(?<![:\w]):([A-Za-z_]\w*)", re.I)


@functools.lru_cache(maxsize=2048)
def translate(sql: str) -> str:
    """Rewrite SQLite-style SQL for psycopg: ``?`` and ``:name`` placeholders, ``%``, ``LIKE``."""

    def replace(match: re.Match) -> str:
        token = match.group(0)
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        if token.upper() == "LIKE":
            return "ILIKE"
        if match.group(1):
            return f"%({match.group(1)})s"
        if token.startswith(("'", "--")):
            return token.replace("%", "%%")
        return token

    return _TOKEN.sub(replace, sql)


def translate_error(error: psycopg.Error) -> StoreError:
    """Return the store's error for a driver error, with the server's one-line message (as SQLite gives)."""
    message = (error.diag.message_primary if error.diag else None) or str(error)
    return IntegrityError(message) if isinstance(error, psycopg.errors.IntegrityError) else StoreError(message)


_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.I)


class PostgresStore:
    """A pooled PostgreSQL connection; autocommit outside transactions."""

    dialect = "postgres"

    def __init__(self, url: str):
        self.path = url
        self._pool = pool_for(url)
        try:
            self._conn = self._pool.getconn()
        except (psycopg.Error, psycopg_pool.PoolTimeout) as error:
            raise StoreError(f"cannot connect to PostgreSQL: {error}") from error
        self._depth = 0
        # A store dropped without close() gives its connection back, as a SQLite connection closes.
        self._release = weakref.finalize(self, self._pool.putconn, self._conn)

    # -- reading -------------------------------------------------------------------------------
    def query(self, sql: str, params: Params = ()) -> list[dict]:
        with self._cursor(sql, params) as cursor:
            return cursor.fetchall() if cursor.description else []

    def one(self, sql: str, params: Params = ()) -> dict | None:
        with self._cursor(sql, params) as cursor:
            return cursor.fetchone() if cursor.description else None

    def scalar(self, sql: str, params: Params = ()) -> Any:
        found = self.one(sql, params)
        return next(iter(found.values())) if found else None

    # -- writing -------------------------------------------------------------------------------
    def execute(self, sql: str, params: Params = ()) -> int:
        with self._cursor(sql, params) as cursor:
            return cursor.rowcount

    def insert(self, sql: str, params: Params = ()) -> int | None:
        found = self.one(f"{sql.rstrip().rstrip(';')} RETURNING id", params)
        return found["id"] if found else None

    def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        try:
            with self._guard(sql), self._conn.cursor() as cursor:
                cursor.executemany(translate(sql), list(rows))
        except psycopg.Error as error:
            raise translate_error(error) from error

    @contextlib.contextmanager
    def transaction(self) -> Iterator["PostgresStore"]:
        """One transaction; a nested block becomes a savepoint (psycopg nests them for us)."""
        self._depth += 1
        try:
            with self._conn.transaction():
                yield self
        except psycopg.Error as error:
            raise translate_error(error) from error
        finally:
            self._depth -= 1

    def text_match(self, table: str, key: str, words: dict[str | None, str]) -> tuple[str, list] | None:
        """Match through the table's GIN-indexed tsvector expression (``SEARCH_VECTORS``), whose
        text columns carry the weights A, B, ... so that a word can be asked of one column. Words,
        "phrases", ``word*`` and the last word as a prefix, as ``words.read_query`` reads them."""
        columns = SEARCH_VECTORS[table]
        parts = []
        for column, typed in words.items():
            weight = "ABCD"[columns.index(column)] if column else ""
            parts += [_tsquery_clause(clause, weight) for clause in read_query(typed, last_is_prefix=True)[0]]
        if not parts:
            return None
        return (f"{key} IN (SELECT id FROM {table} WHERE {search_vector(table)} @@ to_tsquery('{TEXT_CONFIG}', ?))",
                [" & ".join(parts)])

    @property
    def in_transaction(self) -> bool:
        return self._conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def close(self) -> None:
        self._release()

    # -- maintenance ---------------------------------------------------------------------------
    @contextlib.contextmanager
    def schema_change(self) -> Iterator["PostgresStore"]:
        """Run a migration as one transaction, alone: an advisory lock keeps a second process out."""
        with self.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(hashtext('claimdesk migrations'))")
            yield self

    def index_texts(self, table: str, ids: Sequence[int]) -> None:
        """Nothing to add: the full-text index is a GIN index on an expression, which PostgreSQL keeps row by row."""

    @contextlib.contextmanager
    def bulk_writes(self) -> Iterator["PostgresStore"]:
        """Run the block as it is: the server's shared buffers already hold what a batch rewrites."""
        yield self

    def try_lock(self, name: str) -> bool:
        """Take the lock ``name`` for every node of the desk (an advisory lock held by this connection);
        False when another session holds it. A connection that dies drops its locks."""
        return bool(self._conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [name]).fetchone()[0])

    def unlock(self, name: str) -> None:
        """Give back a lock taken with :meth:`try_lock`."""
        self._conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", [name])

    def run_script(self, script: str) -> None:
        """Execute several statements (a migration's SQL) inside the current transaction."""
        self._conn.execute(script)

    def integrity_problems(self) -> list[str]:
        """PostgreSQL checks its own pages (data checksums, pg_amcheck); report what it can see here."""
        invalid = self._conn.execute(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisvalid"
        ).fetchall()
        return [f"index {name} is invalid (REINDEX it)" for (name,) in invalid]

    def optimize(self) -> None:
        """Refresh the query planner's statistics."""
        self._conn.execute("ANALYZE")

    def checkpoint(self) -> None:
        """Nothing to fold: the server manages its write-ahead log."""

    def backup(self, path: str | os.PathLike) -> None:
        raise StoreError("a PostgreSQL database is backed up with pg_dump (pg_dump --format=custom "
                         "--file=claimdesk.dump URL) and restored with pg_restore")

    # -- internals -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def _guard(self, sql: str) -> Iterator[None]:
        """Inside a transaction, run a write under a savepoint: PostgreSQL aborts the whole
        transaction on a refused statement, SQLite only the statement."""
        if self._depth and _WRITE.match(sql):
            with self._conn.transaction():
                yield
        else:
            yield

    @contextlib.contextmanager
    def _cursor(self, sql: str, params: Params) -> Iterator[psycopg.Cursor]:
        try:
            with self._guard(sql), self._conn.cursor(row_factory=dict_row) as cursor:
                cursor.execute(translate(sql), params)
                yield cursor
        except psycopg.Error as error:
            raise translate_error(error) from error


def _tsquery_clause(clause, weight: str) -> str:
    """Return one clause of a typed query as tsquery text (the configuration stems each quoted word)."""
    if not clause.prefix:
        return "(" + " <-> ".join(f"'{word}':{weight}" if weight else f"'{word}'" for word in clause.words) + ")"
    word = clause.words[0]
    alternatives = [f"'{word}':*{weight}", *(f"'{w}':{weight}" if weight else f"'{w}'" for w in prefix_words(word))]
    return "(" + " | ".join(alternatives) + ")"


# The text columns of each table's full-text index, in weight order A, B, ... The index expression
# (migrations/postgres/0002_claims_fts.py) must read exactly as search_vector() writes it.
SEARCH_VECTORS = {"claims": ("text", "claimant")}


def search_vector(table: str) -> str:
    """Return the tsvector expression a table's GIN index is built on (migrations/postgres/0014)."""
    # Words as the one analyzer reads them: runs of letters and digits ("neutralized.The" is two words).
    return " || ".join(
        f"setweight(to_tsvector('{TEXT_CONFIG}', regexp_replace(coalesce({column}, ''), "
        f"'{POSTGRES_SEPARATORS}', ' ', 'g')), '{'ABCD'[i]}')" for i, column in enumerate(SEARCH_VECTORS[table]))
