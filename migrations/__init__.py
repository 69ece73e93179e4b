"""Numbered, append-only schema migrations on sqlite-utils' Migrations.

Each ``NNNN_name.py`` module in this folder defines ``up(db)``. They are
registered in file-name order; never edit one that has been applied, add a new one.
"""

import importlib
import pkgutil

import sqlite_utils
from sqlite_utils import Migrations

MIGRATION_SET = "claimdesk"


def _load() -> Migrations:
    migrations = Migrations(MIGRATION_SET)
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name[:4].isdigit())
    for name in names:
        module = importlib.import_module(f"{__name__}.{name}")
        migrations(name=name)(module.up)
    return migrations


def pending(store) -> list[str]:
    """Return the names of migrations not yet applied to the store."""
    return [m.name for m in _load().pending(store.sqlite_database())]


def apply(store) -> list[str]:
    """Apply pending migrations in one write transaction; return the names applied."""
    migrations = _load()
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
