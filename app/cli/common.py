"""Helpers every claimdesk command shares: the database, clean failures, the index before exit."""

import os

import click
from flask import current_app

from review.storage import open_store
from review.indexing import drain, pending_count

DRAIN_WAIT = 30  # seconds to wait for another process that holds the index writer


def get_cli_db():
    """Open the configured database for one command."""
    return open_store(current_app.config["DB"])


def fail(message: str) -> None:
    """Stop the command with a one-line error and exit status 1."""
    raise click.ClickException(message)


def drain_before_exit(db) -> None:
    """Apply this command's changes to the search index, so the next command sees them."""
    drain(db, current_app.config["INDEX"], wait=DRAIN_WAIT, procs=os.cpu_count() or 1,
          engine=current_app.config["SEARCH"])
    waiting = pending_count(db)
    if waiting:
        click.echo(f"{waiting} change(s) still wait for the search index (another process is indexing; "
                   "the server catches up, or run `claimdesk reindex`).", err=True)
