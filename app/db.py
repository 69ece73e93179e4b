"""Per-request database and search index handles."""

from flask import Flask, current_app, g

import migrations
from review.indexing import set_org_name
from review.storage import open_store
from search_index import open_index, shared_index


def get_db():
    """Return this request's database connection, opening it on first use."""
    if "db" not in g:
        g.db = open_store(current_app.config["DB"])
    return g.db


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
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_app(app: Flask) -> None:
    """Apply pending migrations and register teardown and CLI commands."""
    database = open_store(app.config["DB"])
    try:
        migrations.apply(database)
        set_org_name(database, app.config["ORG_NAME"])  # our verdicts are indexed under it
    finally:
        database.close()
    app.teardown_appcontext(close_db)
