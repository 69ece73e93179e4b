"""`claimdesk db upgrade|check` and `claimdesk backup`: database maintenance."""

import os
import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext

import migrations
from app.cli.common import fail, get_cli_db
from review.indexing import pending_count
from review.storage import StoreError
from search_index import open_index


@click.group()
def db():
    """Database maintenance: upgrade and check."""


@db.command("upgrade")
@with_appcontext
def db_upgrade():
    """Apply pending schema migrations."""
    database = get_cli_db()
    applied = migrations.apply(database)
    click.echo(f"Applied {len(applied)} migration(s): {', '.join(applied)}" if applied else "Database is up to date.")


@db.command("check")
@with_appcontext
def db_check():
    """Check database integrity, migrations and whether the search index is current."""
    config = current_app.config
    database = get_cli_db()
    problems = []
    damage = database.integrity_problems()
    click.echo(f"database: {config['DB']} ({'; '.join(damage) or 'ok'})")
    if damage:
        problems.append("the database failed its integrity check")
    pending = migrations.pending(database)
    if pending:
        problems.append(f"pending migrations: {', '.join(pending)} (run `claimdesk db upgrade`)")
    outbox = pending_count(database)
    index = open_index(config["INDEX"])
    if not index.exists():
        problems.append(f"the search index at {config['INDEX']} is missing (run `claimdesk reindex`)")
    else:
        stats = index.stats()
        documents = database.scalar("SELECT count(*) FROM documents")
        click.echo(f"index: {config['INDEX']} ({stats['documents']} documents, {stats['verdicts']} verdicts, "
                   f"{stats['bytes'] / 1e6:.1f} MB)")
        if outbox:
            problems.append(f"the index is stale: {outbox} change(s) not yet indexed (run `claimdesk reindex` "
                            "or start the server)")
        elif stats["documents"] != documents:
            problems.append(f"the index is stale: it holds {stats['documents']} documents, the database "
                            f"{documents} (run `claimdesk reindex`)")
    index.close()
    for problem in problems:
        click.echo(f"problem: {problem}", err=True)
    if problems:
        sys.exit(1)
    click.echo("All checks passed.")


@click.command()
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def backup(path: str):
    """Write a consistent copy of the database to PATH (SQLite online backup)."""
    if os.path.exists(path):
        fail(f"{path} already exists; choose a new file name")
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        fail(f"cannot write backup to {path}: folder {directory} does not exist")
    if not os.access(directory, os.W_OK):
        fail(f"cannot write backup to {path}: folder {directory} is not writable")
    source = get_cli_db()
    started = time.monotonic()
    try:
        source.backup(path)
    except StoreError as error:
        if os.path.exists(path):
            os.remove(path)
        fail(f"cannot write backup to {path}: {error}")
    click.echo(f"Backed up {current_app.config['DB']} to {path} in {time.monotonic() - started:.1f}s.")
