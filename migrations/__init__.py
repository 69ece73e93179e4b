"""Numbered, append-only schema migrations: sqlite-utils' Migrations for SQLite, the same steps for PostgreSQL.

Each ``NNNN_name.py`` module in this folder defines ``up(db)``. They are
registered in file-name order; never edit one that has been applied, add a new one.
``postgres/`` holds each one's PostgreSQL twin under the same name (applied by this runner,
recorded in ``claimdesk_migrations``).
"""

import importlib
import os
import pkgutil

import sqlite_utils
from sqlite_utils import Migrations

MIGRATION_SET = "claimdesk"


def _load(upto: str | None = None) -> Migrations:
    migrations = Migrations(MIGRATION_SET)
    for name in names("sqlite"):
        if upto is not None and name > upto:
            break
        module = importlib.import_module(f"{__name__}.{name}")
        migrations(name=name)(module.up)
    return migrations


def names(dialect: str = "sqlite") -> list[str]:
    """Return the migration names for a database kind, in the order they apply."""
    folder = __path__ if dialect == "sqlite" else [os.path.join(__path__[0], "postgres")]
    return sorted(m.name for m in pkgutil.iter_modules(folder) if m.name[:4].isdigit())


def pending(store) -> list[str]:
    """Return the names of migrations not yet applied to the store."""
    if store.dialect == "postgres":
        return _postgres_pending(store)
    return [m.name for m in _load().pending(store.sqlite_database())]


def apply(store, upto: str | None = None) -> list[str]:
    """Apply pending migrations (up to and including ``upto`` when given) in one write transaction;
    return the names applied."""
    if store.dialect == "postgres":
        return _postgres_apply(store, upto)
    migrations = _load(upto)
    database = store.sqlite_database()
    todo = [m.name for m in migrations.pending(database)]
    if todo:
        # One schema-change transaction: two processes starting at once cannot both apply.
        with store.schema_change():
            todo = [m.name for m in migrations.pending(database)]
            migrations.apply(database)
    return todo


def run_script(db: sqlite_utils.Database, script: str) -> None:
    """Execute SQL statements one by one inside the current transaction (triggers included).

    ``executescript`` would commit first, so statements are split where SQLite says one is complete.
    """
    import sqlite3

    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        db.execute(statement)


POSTGRES_LEDGER = """CREATE TABLE IF NOT EXISTS claimdesk_migrations (
    migration_set TEXT NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (migration_set, name))"""


def _postgres_pending(store, upto: str | None = None) -> list[str]:
    exists = store.scalar("SELECT to_regclass('claimdesk_migrations') IS NOT NULL")
    done = {r["name"] for r in store.query("SELECT name FROM claimdesk_migrations WHERE migration_set = ?",
                                           [MIGRATION_SET])} if exists else set()
    return [n for n in names("postgres") if n not in done and (upto is None or n <= upto)]


def _postgres_apply(store, upto: str | None) -> list[str]:
    from review.dates import now

    if not _postgres_pending(store, upto):
        return []
    with store.schema_change():  # an advisory lock: a second process waits, then finds nothing to do
        store.execute(POSTGRES_LEDGER)
        todo = _postgres_pending(store, upto)
        for name in todo:
            importlib.import_module(f"{__name__}.postgres.{name}").up(store)
            store.execute("INSERT INTO claimdesk_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
                          [MIGRATION_SET, name, now()])
    return todo
