"""The search index behind one small interface; Whoosh is the embedded implementation.

Nothing outside this package imports whoosh, and this package imports nothing of
``review``: it is given records (``base.Record``) and, for the outbox drainer
(``outbox``), a function that loads them.
"""

import os
import threading

from search_index.base import FILTERS, Hit, Record, Results, SearchIndex
from search_index.whoosh_index import WhooshIndex

SHARED_PER_THREAD = 4  # open indexes a thread keeps (a server has one; a test run makes many)


class _ThreadIndexes(dict):
    """A thread's open indexes, closed when the thread ends (a server started per request thread
    would otherwise leave their files to the garbage collector)."""

    def __del__(self):
        for index in self.values():
            try:
                index.close()
            except Exception:  # noqa: BLE001 - closing at thread exit must never raise
                pass


class _PerThread(threading.local):
    def __init__(self):
        self.indexes = _ThreadIndexes()


_per_thread = _PerThread()


ENGINES = ("whoosh", "postgres")


def open_index(path: str, *, engine: str = "whoosh", store=None) -> SearchIndex:
    """Open the index at ``path`` (writers create an empty one when missing).

    ``engine="postgres"`` searches in the PostgreSQL database of ``store`` instead (``path`` is then
    unused): every app node shares that search.
    """
    if engine == "postgres":
        if store is None or getattr(store, "dialect", None) != "postgres":
            raise ValueError("PostgreSQL search needs the desk's data in PostgreSQL (CLAIMDESK_DATABASE_URL)")
        from search_index.postgres_search import PostgresSearch

        return PostgresSearch(store)
    if engine != "whoosh":
        raise ValueError(f"unknown search engine {engine!r} (use one of: {', '.join(ENGINES)})")
    return WhooshIndex(path)


def shared_index(path: str) -> SearchIndex:
    """Return this thread's open index at ``path``, kept across requests (never close it).

    An open index checks for new commits with one ``stat`` per search and keeps
    its searchers, so a request opens nothing when nothing changed. One per
    thread, as Whoosh's readers are not shared between threads.
    """
    indexes = _per_thread.indexes
    key = (os.getpid(), os.path.abspath(path))
    found = indexes.pop(key, None) or WhooshIndex(path)
    indexes[key] = found  # most recently used last
    while len(indexes) > SHARED_PER_THREAD:
        indexes.pop(next(iter(indexes))).close()
    return found


__all__ = ["ENGINES", "FILTERS", "Hit", "Record", "Results", "SearchIndex", "WhooshIndex", "open_index", "shared_index"]
