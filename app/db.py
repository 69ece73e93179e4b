"""Per-request database and search index handles.

A SQLite database is opened once per serving thread and kept for its next requests: opening one (the
file, its WAL, four PRAGMAs) cost about a sixth of a light page's CPU, and closing the last connection
checkpoints the WAL. The thread's connection is used by one request at a time, in autocommit between
transactions, so a request sees every write committed before its statements run, as a fresh connection
would. A PostgreSQL store is taken from (and given back to) the process's pool on each request.
"""

import os
import threading

from flask import Flask, current_app, g

import migrations
from review.indexing import set_org_name
from review.storage import is_url, open_store
from search_index import open_index, shared_index

THREAD_STORES = "claimdesk.thread_stores"


def get_db():
    """Return this request's database connection, opening it on first use."""
    if "db" not in g:
        location = current_app.config["DB"]
        g.db = open_store(location) if is_url(location) else _thread_store(location)
    return g.db


def _thread_store(path: str):
    """Return this thread's SQLite store on ``path``, opened again when the file was replaced (a restore)."""
    local = current_app.extensions.get(THREAD_STORES)
    if local is None:
        local = current_app.extensions.setdefault(THREAD_STORES, threading.local())
    kept = getattr(local, "stores", None)
    if kept is None:
        kept = local.stores = {}
    try:
        found = os.stat(path)
        identity = (found.st_dev, found.st_ino)
    except OSError:
        identity = None  # not there yet: SQLite creates it
    store, opened_on = kept.get(path, (None, None))
    if store is not None and (identity is None or opened_on != identity):
        kept.pop(path)
        store.close()
        store = None
    if store is None:
        store = open_store(path)
        found = os.stat(path)
        kept[path] = (store, (found.st_dev, found.st_ino))
    return store


def get_index():
    """Return the search index (readers only: web workers never hold a writer).

    The thread's open Whoosh index is kept across requests: it opens nothing when nothing changed.
    PostgreSQL search (``CLAIMDESK_SEARCH=postgres``) reads through this request's database connection.
    """
    if current_app.config["SEARCH"] == "postgres":
        return open_index(current_app.config["INDEX"], engine="postgres", store=get_db())
    return shared_index(current_app.config["INDEX"])


def open_search(config, db):
    """Open the configured search index for a command or a background loop (close it after use)."""
    return open_index(config["INDEX"], engine=config["SEARCH"], store=db)


def close_db(exception=None) -> None:
    """End the request's use of its store: a pooled one goes back, the thread's SQLite one stays open."""
    db = g.pop("db", None)
    if db is None:
        return
    if db.dialect != "sqlite":
        db.close()
    elif db.in_transaction:  # never left open by `with db.transaction()`; a stray one must not outlive the request
        kept = getattr(current_app.extensions.get(THREAD_STORES), "stores", {})
        for path, (store, _) in list(kept.items()):
            if store is db:
                del kept[path]
        db.close()  # rolls the transaction back


def init_app(app: Flask) -> None:
    """Apply pending migrations and register teardown and CLI commands."""
    database = open_store(app.config["DB"])
    try:
        migrations.apply(database)
        set_org_name(database, app.config["ORG_NAME"])  # our verdicts are indexed under it
    finally:
        database.close()
    app.teardown_appcontext(close_db)
