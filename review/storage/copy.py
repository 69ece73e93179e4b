"""Copy an embedded desk (SQLite) into a PostgreSQL database, and prove the copy equal.

:func:`copy_desk` fills a freshly migrated PostgreSQL database table by table, parents before
children, in one transaction (a failure leaves the target as it was). Columns that point back into
their own table (a claim merged into a later one) are filled after their table. The target's own
triggers are off while rows arrive, so the summary rows the dashboard keeps are copied as they
are, not counted twice. :func:`verify` then compares every table's row count and a checksum of its
rows (order-free: the sum of the rows' hashes), read back from both databases.

Tables the target has and the source lacks (PostgreSQL's search table) are left to ``reindex``;
SQLite's full-text shadow tables are not copied (PostgreSQL indexes the text itself).
"""

import graphlib
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from review.storage.base import Store, StoreError

BATCH = 1000
LEDGERS = {"claimdesk_migrations", "schema_migrations"}  # each database keeps its own migration ledger
MODULUS = 2 ** 256


@dataclass
class TableCopy:
    """One table's copy: rows in each database and whether their checksums agree."""

    table: str
    source_rows: int = 0
    target_rows: int = 0
    checksum_ok: bool = False
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.note != "" or (self.source_rows == self.target_rows and self.checksum_ok)

    def line(self) -> str:
        if self.note:
            return f"{self.table}: {self.note}"
        verdict = "checksum equal" if self.ok else "DIFFERENT"
        return f"{self.table}: {self.source_rows:,} rows copied, {self.target_rows:,} read back, {verdict}"


class CopyRefused(StoreError):
    """The target is not a fresh PostgreSQL desk (or the source is not SQLite)."""


def copy_desk(source: Store, target: Store, *, progress: Callable[[str, int], None] | None = None) -> list[str]:
    """Copy every table of ``source`` that ``target`` also has; return the tables copied, in order.

    :raises CopyRefused: the source is not SQLite, the target not PostgreSQL, or the target already
        holds a desk (users, documents, claims or prior reviews).
    """
    if source.dialect != "sqlite" or target.dialect != "postgres":
        raise CopyRefused("migrate-to-postgres copies a SQLite desk into a PostgreSQL database")
    for table in ("users", "documents", "claims", "prior_reviews"):
        if target.scalar(f"SELECT count(*) FROM {table}"):
            raise CopyRefused(f"the PostgreSQL database already holds a desk ({table} has rows); "
                              "give an empty database")
    tables, deferred = _plan(source, target)
    with target.transaction():
        for table in reversed(tables):  # the target's seed rows (the rating scale) give way to the desk's
            target.execute(f"DELETE FROM {table}")
        for table in tables:
            target.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            _copy_table(source, target, table, deferred.get(table, []), progress)
            target.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    return tables


def verify(source: Store, target: Store) -> list[TableCopy]:
    """Compare row counts and checksums of every table of the target, read back from both databases."""
    tables, _ = _plan(source, target)
    results = []
    for table in _target_tables(target):
        if table not in tables:
            results.append(TableCopy(table, note="not in the embedded desk; `claimdesk reindex` fills it"))
            continue
        columns, key = _shared_columns(source, target, table), _key(target, table)
        copy = TableCopy(table)
        copy.source_rows, source_sum = _checksum(source, table, columns, key)
        copy.target_rows, target_sum = _checksum(target, table, columns, key)
        copy.checksum_ok = source_sum == target_sum
        results.append(copy)
    return results


# -- planning -------------------------------------------------------------------------------------
def _plan(source: Store, target: Store) -> tuple[list[str], dict[str, list[str]]]:
    """Return the tables to copy, parents first, and per table the columns to fill after it."""
    present = set(_source_tables(source))
    tables = [t for t in _target_tables(target) if t in present]
    graph: dict[str, set[str]] = {t: set() for t in tables}
    deferred: dict[str, list[str]] = {}
    for row in target.query(
            "SELECT tc.table_name AS child, kcu.column_name AS col, ccu.table_name AS parent"
            " FROM information_schema.table_constraints tc"
            " JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name"
            "  AND kcu.table_schema = tc.table_schema"
            " JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name"
            "  AND ccu.table_schema = tc.table_schema"
            " WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'"):
        child, parent = row["child"], row["parent"]
        if child not in graph or parent not in graph:
            continue
        if child == parent:
            deferred.setdefault(child, []).append(row["col"])
        else:
            graph[child].add(parent)
    return list(graphlib.TopologicalSorter(graph).static_order()), deferred


def _target_tables(target: Store) -> list[str]:
    return [r["table_name"] for r in target.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        " AND table_type = 'BASE TABLE' ORDER BY table_name") if r["table_name"] not in LEDGERS]


def _source_tables(source: Store) -> list[str]:
    return [r["name"] for r in source.query("SELECT name FROM sqlite_master WHERE type = 'table'")
            if r["name"] not in LEDGERS and not r["name"].startswith("sqlite_")]


def _shared_columns(source: Store, target: Store, table: str) -> list[str]:
    """Return the columns both databases have, except the target's generated ones, in the target's order."""
    have = {r["name"] for r in source.query("SELECT name FROM pragma_table_info(?)", [table])}
    return [r["column_name"] for r in target.query(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ?"
        " AND is_generated = 'NEVER' ORDER BY ordinal_position", [table]) if r["column_name"] in have]


def _key(target: Store, table: str) -> list[str]:
    return [r["column_name"] for r in target.query(
        "SELECT kcu.column_name FROM information_schema.table_constraints tc"
        " JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name"
        "  AND kcu.table_schema = tc.table_schema"
        " WHERE tc.table_schema = 'public' AND tc.table_name = ? AND tc.constraint_type = 'PRIMARY KEY'"
        " ORDER BY kcu.ordinal_position", [table])]


# -- copying --------------------------------------------------------------------------------------
def _copy_table(source: Store, target: Store, table: str, deferred: list[str],
                progress: Callable[[str, int], None] | None) -> None:
    columns = _shared_columns(source, target, table)
    key = _key(target, table)
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    identity = target.scalar("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public'"
                             " AND table_name = ? AND is_identity = 'YES'", [table])
    overriding = " OVERRIDING SYSTEM VALUE" if identity else ""
    insert = f"INSERT INTO {table} ({names}){overriding} VALUES ({marks})"
    later: list[list] = []
    copied = 0
    for rows in _batches(source, table, columns, key):
        values = []
        for row in rows:
            if deferred and key and any(row[c] is not None for c in deferred):
                later.append([row[c] for c in deferred] + [row[k] for k in key])
                row = {**row, **{c: None for c in deferred}}
            values.append([_value(row[c]) for c in columns])
        target.executemany(insert, values)
        copied += len(values)
        if progress:
            progress(table, copied)
    if later:
        sets = ", ".join(f"{c} = ?" for c in deferred)
        target.executemany(f"UPDATE {table} SET {sets} WHERE " + " AND ".join(f"{k} = ?" for k in key), later)
    if identity:
        for column in (r["column_name"] for r in target.query(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'"
                " AND table_name = ? AND is_identity = 'YES'", [table])):
            target.scalar(f"SELECT setval(pg_get_serial_sequence(?, ?), coalesce(max({column}), 0) + 1, false)"
                          f" FROM {table}", [table, column])


def _batches(source: Store, table: str, columns: list[str], key: list[str]) -> Iterator[list[dict]]:
    """Read a table in batches: by its one-column key when it has one, else whole."""
    names = ", ".join(columns)
    if len(key) != 1:
        yield source.query(f"SELECT {names} FROM {table}")
        return
    last = None
    while True:
        after = f" WHERE {key[0]} > ?" if last is not None else ""
        rows = source.query(f"SELECT {names} FROM {table}{after} ORDER BY {key[0]} LIMIT {BATCH}",
                            [last] if last is not None else [])
        if not rows:
            return
        yield rows
        last = rows[-1][key[0]]


def _value(value):
    return bytes(value) if isinstance(value, memoryview) else value


# -- checking -------------------------------------------------------------------------------------
def _checksum(store: Store, table: str, columns: list[str], key: list[str]) -> tuple[int, int]:
    """Return a table's row count and the sum of its rows' hashes (the same in any order)."""
    total, count = 0, 0
    for rows in _batches(store, table, columns, key):
        for row in rows:
            digest = hashlib.sha256(repr([_canonical(row[c]) for c in columns]).encode()).digest()
            total = (total + int.from_bytes(digest, "big")) % MODULUS
            count += 1
    return count, total


def _canonical(value):
    """One spelling of a value for both databases (PostgreSQL's bytes come as memoryview, floats alike)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, memoryview | bytearray):
        return bytes(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
