"""`claimdesk db upgrade|check`, `claimdesk backup` and `claimdesk restore`: database maintenance."""

import os
import shutil
import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext

import migrations
from app.cli.common import fail, get_cli_db
from app.config import SETTINGS_FILE
from review import scorers
from review.dates import now
from review.indexing import pending_count, reindex
from review.storage import StoreError, create_private, describe, open_store
from search_index import open_index
from search_index.outbox import backlog


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
    click.echo(f"database: {describe(config['DB'])} ({'; '.join(damage) or 'ok'})")
    if damage:
        problems.append("the database failed its integrity check")
    pending = migrations.pending(database)
    if pending:
        problems.append(f"pending migrations: {', '.join(pending)} (run `claimdesk db upgrade`)")
    outbox = pending_count(database)
    late = backlog(database, config["INDEX"])
    if late.behind:
        problems.append(late.message())
    index = open_index(config["INDEX"], engine=config["SEARCH"], store=database)
    if not index.exists():
        problems.append(f"the search index at {config['INDEX']} is missing (run `claimdesk reindex`)")
    else:
        stats = index.stats()
        documents = database.scalar("SELECT count(*) FROM documents")
        where = "PostgreSQL search" if config["SEARCH"] == "postgres" else config["INDEX"]
        click.echo(f"index: {where} ({stats['documents']} documents, {stats['verdicts']} verdicts, "
                   f"{stats['bytes'] / 1e6:.1f} MB)")
        if outbox and not late.behind:
            problems.append(f"the index is stale: {outbox} change(s) not yet indexed (run `claimdesk reindex` "
                            "or start the server)")
        elif stats["documents"] != documents:
            problems.append(f"the index is stale: it holds {stats['documents']} documents, the database "
                            f"{documents} (run `claimdesk reindex`)")
    index.close()
    for line in scorers.describe():
        click.echo(line)
    problems.extend(scorers.problems(database))
    for problem in problems:
        click.echo(f"problem: {problem}", err=True)
    if problems:
        sys.exit(1)
    click.echo("All checks passed.")


BACKUP_TABLE = "claimdesk_backup"  # in the backup file only: the instance's secret key and settings


@click.command()
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def backup(path: str):
    """Write a consistent copy of the database, the secret key and the settings to PATH (one SQLite file, 0600).

    The search index is not copied: `claimdesk restore` rebuilds it from the database.
    """
    if os.path.exists(path):
        fail(f"{path} already exists; choose a new file name")
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        fail(f"cannot write backup to {path}: folder {directory} does not exist")
    if not os.access(directory, os.W_OK):
        fail(f"cannot write backup to {path}: folder {directory} is not writable")
    config = current_app.config
    source = get_cli_db()
    if source.dialect != "sqlite":
        fail("backup copies a SQLite database; back up PostgreSQL with pg_dump (and keep INSTANCE/secret_key)")
    started = time.monotonic()
    try:
        create_private(path)  # password and token hashes, and the secret key: owner only
        source.backup(path)
        copy = open_store(path)
        copy.execute(f"CREATE TABLE {BACKUP_TABLE} (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        copy.executemany(f"INSERT INTO {BACKUP_TABLE} (name, value) VALUES (?, ?)", _instance_files(config).items())
        copy.close()
    except StoreError as error:
        if os.path.exists(path):
            os.remove(path)
        fail(f"cannot write backup to {path}: {error}")
    click.echo(f"Backed up {config['DB']} to {path} in {time.monotonic() - started:.1f}s (readable by you only; "
               "with the secret key and the publishing settings).")
    click.echo("The search index is not in the backup: `claimdesk restore` rebuilds it from the database.")


def _instance_files(config) -> dict[str, str]:
    found = {"secret_key": config["SECRET_KEY"]}
    settings = os.path.join(config["INSTANCE"], SETTINGS_FILE)
    if os.path.exists(settings):
        with open(settings, encoding="utf-8") as handle:
            found["settings"] = handle.read()
    return found


@click.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace an instance that holds data (stop its server first).")
@with_appcontext
def restore(path: str, force: bool):
    """Restore a backup made by `claimdesk backup PATH`: check it, replace the database, rebuild the index.

    Refuses to replace a database that holds users, claims or documents unless --force is given; the
    replaced file is kept beside it.
    """
    config = current_app.config
    live = get_cli_db()
    if live.dialect != "sqlite":
        fail("restore reads SQLite backups; restore a PostgreSQL database with pg_restore")
    held = live.one("SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM claims) AS claims,"
                    " (SELECT count(*) FROM documents) AS documents")
    live.close()
    if any(held.values()) and not force:
        fail(f"{config['DB']} holds a live instance ({held['users']} users, {held['claims']} claims, "
             f"{held['documents']} documents); stop its server and pass --force to replace it")
    staged = config["DB"] + ".restoring"
    for leftover in (staged, staged + "-wal", staged + "-shm"):
        if os.path.exists(leftover):
            os.remove(leftover)
    create_private(staged)
    shutil.copyfile(path, staged)
    files, counts = _check_backup(path, staged)
    kept = _swap_in(config["DB"], staged, keep=any(held.values()))
    _restore_instance_files(config, files)
    database = get_cli_db()
    try:
        records = reindex(database, config["INDEX"], procs=os.cpu_count() or 1)
    finally:
        database.close()
    click.echo(f"Restored {path}: {counts['users']} users, {counts['claims']} claims, {counts['documents']} documents"
               + (f"; the replaced database is kept as {kept}" if kept else "") + ".")
    click.echo("Secret key restored: sessions signed before the backup stay valid." if "secret_key" in files
               else "The backup holds no secret key: the instance keeps its own; everyone signs in again.")
    click.echo(f"Rebuilt the search index from the database ({records} records).")


def _check_backup(path: str, staged: str) -> tuple[dict, dict]:
    """Check the staged copy (integrity, a Claimdesk schema), upgrade it; return its instance files and counts."""
    copy = None
    try:
        copy = open_store(staged)
        damage = copy.integrity_problems()
        if damage:
            raise ValueError(f"it failed its integrity check: {'; '.join(damage[:3])}")
        counts = copy.one("SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM claims) AS claims,"
                          " (SELECT count(*) FROM documents) AS documents")
        try:
            files = {r["name"]: r["value"] for r in copy.query(f"SELECT name, value FROM {BACKUP_TABLE}")}
            copy.execute(f"DROP TABLE {BACKUP_TABLE}")
        except Exception:  # noqa: BLE001 - a plain copy of a database has no such table
            files = {}
        migrations.apply(copy)
        copy.checkpoint()
    except Exception as error:  # noqa: BLE001 - whatever the driver says, the file is not a usable backup
        if copy is not None:
            copy.close()
        for leftover in (staged, staged + "-wal", staged + "-shm"):
            if os.path.exists(leftover):
                os.remove(leftover)
        fail(f"{path} is not a Claimdesk backup: {error}")
    copy.close()
    return files, counts


def _swap_in(db_path: str, staged: str, *, keep: bool) -> str | None:
    """Put the staged database in place; keep the replaced one beside it when it held data."""
    current = open_store(db_path)
    current.checkpoint()  # fold its log in, so the file set aside is complete on its own
    current.close()
    kept = f"{db_path}.replaced-{now().replace(':', '')[:17]}" if keep else None
    if kept:
        os.replace(db_path, kept)
    for log in (db_path + "-wal", db_path + "-shm"):
        if os.path.exists(log):
            os.remove(log)
    os.replace(staged, db_path)
    return kept


def _restore_instance_files(config, files: dict) -> None:
    for name, content in (("secret_key", files.get("secret_key")), (SETTINGS_FILE, files.get("settings"))):
        if content:
            target = os.path.join(config["INSTANCE"], name)
            create_private(target + ".tmp")
            with open(target + ".tmp", "w", encoding="utf-8") as handle:
                handle.write(content)
            os.replace(target + ".tmp", target)
