"""Per-request database and search index handles."""

from flask import Flask, current_app, g

import migrations
from review.indexing import set_org_name
from review.storage import open_store
from search_index import shared_index


def get_db():
    """Return this request's database connection, opening it on first use."""
    if "db" not in g:
        g.db = open_store(current_app.config["DB"])
    return g.db


def get_index():
    """Return the search index (readers only: web workers never hold a writer).

    The thread's open index is kept across requests: it opens nothing when nothing changed.
    """
    return shared_index(current_app.config["INDEX"])


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
