"""The storage seam: the small interface the domain talks to, and where each database lives.

Domain functions take a :class:`Store` first and write SQL both SQLite and PostgreSQL read:
``?`` placeholders (the PostgreSQL store translates them), ``ON CONFLICT DO NOTHING``, no planner
hints, no PRAGMAs. New ids come from :meth:`Store.insert`, never from a cursor. Only the modules
of this package and ``migrations/`` import a database driver (``sqlite3``, ``sqlite_utils``,
``psycopg``): ``sqlite`` is the embedded default, ``postgres`` the multi-node one.
"""

import os
from urllib.parse import urlsplit, urlunsplit

from review.storage.base import IntegrityError, Params, Store, StoreError
from review.storage.sqlite import SqliteStore, create_private

__all__ = ["IntegrityError", "Params", "Store", "StoreError", "SqliteStore", "create_private", "describe",
           "is_url", "open_store"]


def is_url(location) -> bool:
    """Tell a PostgreSQL connection URL from a SQLite file path."""
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def open_store(location: str | os.PathLike) -> Store:
    """Open the store for a database location: a ``postgresql://`` URL or a SQLite file path."""
    if is_url(location):
        from review.storage.postgres import PostgresStore  # psycopg is an optional dependency

        return PostgresStore(location)
    return SqliteStore(location)


def describe(location: str | os.PathLike) -> str:
    """Return a database location fit to show (a page, a log line): a URL loses its password."""
    if not is_url(location):
        return os.fspath(location)
    parts = urlsplit(location)
    if parts.password is None:
        return location
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))
