"""The `claimdesk` command: serve, db, user, demo, backup (and more as features land)."""

import os
import sqlite3
import sys
import threading
import time

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

import migrations
from review import users
from review.db import open_db
from review.errors import ReviewError
from review.prior import refresh_marks
from search_index import open_index
from search_index.sync import drain, pending_count


def _create_app():
    from app import create_app

    return create_app()


class ClaimdeskCommand(click.Command):
    """A command whose domain errors become one clean line and exit status 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ReviewError as error:
            raise click.ClickException(error.message) from None


class CommandGroup(click.Group):
    command_class = ClaimdeskCommand
    group_class = type


class ClaimdeskGroup(FlaskGroup):
    """Flask's CLI machinery, without Flask's own development commands."""

    command_class = ClaimdeskCommand
    group_class = CommandGroup

    def __init__(self, **kwargs):
        super().__init__(create_app=_create_app, add_default_commands=False, add_version_option=False,
                         load_dotenv=False, set_debug_flag=False, **kwargs)


def register_commands(app) -> None:
    """Make every claimdesk command available on app.cli too (the test runner uses it)."""
    for command in main.commands.values():
        app.cli.add_command(command)


main = ClaimdeskGroup(help="Claimdesk, the fact-checking review workbench. "
                           "Settings come from CLAIMDESK_* environment variables (CLAIMDESK_INSTANCE, CLAIMDESK_DB, ...).")


def get_cli_db():
    return open_db(current_app.config["DB"])


def fail(message: str) -> None:
    raise click.ClickException(message)


DRAIN_WAIT = 30  # seconds to wait for another process that holds the index writer


def drain_before_exit(db) -> None:
    """Apply this command's changes to the search index, so the next command sees them."""
    drain(db, current_app.config["INDEX"], wait=DRAIN_WAIT, procs=os.cpu_count() or 1)
    waiting = pending_count(db)
    if waiting:
        click.echo(f"{waiting} change(s) still wait for the search index (another process is indexing; "
                   "the server catches up, or run `claimdesk reindex`).", err=True)


# -- serve ---------------------------------------------------------------------
def htmx_path() -> str:
    return os.path.join(current_app.static_folder, "vendor", "htmx.min.js")


def drain_loop(db_path: str, index_path: str, interval: float, stop: threading.Event) -> None:
    """Keep the search index and the queue's prior-verdict marks in step with SQLite while the server runs."""
    db = open_db(db_path)
    while not stop.wait(interval):
        try:
            drain(db, index_path)
            index = open_index(index_path)
            try:
                refresh_marks(db, index, limit=100)  # "checked before?" marks, most important claims first
            finally:
                index.close()
        except Exception as error:  # noqa: BLE001 - keep the loop alive; the next pass retries
            print(f"claimdesk: background indexing failed, will retry: {error}", file=sys.stderr)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, type=int, help="Gunicorn worker processes.")
@with_appcontext
def serve(host: str, port: int, workers: int):
    """Serve the workbench with gunicorn (a production WSGI server)."""
    from gunicorn.app.base import BaseApplication

    if not os.path.exists(htmx_path()):
        fail("The htmx asset is missing (app/static/vendor/htmx.min.js). Run `make assets` first.")
    config = current_app.config
    # create_app already made the secret key and applied migrations; drain once before forking.
    db = get_cli_db()
    drain(db, config["INDEX"], wait=5)
    db.close()
    os.environ.setdefault("CLAIMDESK_SECRET_KEY", config["SECRET_KEY"])
    stop = threading.Event()

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", 4)
            self.cfg.set("accesslog", "-")
            self.cfg.set("when_ready", lambda server: threading.Thread(
                target=drain_loop, args=(config["DB"], config["INDEX"], config["DRAIN_INTERVAL"], stop),
                daemon=True).start())

        def load(self):
            from app import create_app

            return create_app()

    click.echo(f"Claimdesk on http://{host}:{port}/  (instance: {config['INSTANCE']})")
    Server().run()
    stop.set()


# -- db ------------------------------------------------------------------------
@main.group(cls=CommandGroup)
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
    integrity = database.execute("PRAGMA integrity_check").fetchone()[0]
    click.echo(f"database: {config['DB']} ({integrity})")
    if integrity != "ok":
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
        documents = database.execute("SELECT count(*) FROM documents").fetchone()[0]
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


# -- users ---------------------------------------------------------------------
@main.group(cls=CommandGroup)
def user():
    """Manage users and their API tokens."""


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@user.command("add")
@click.argument("name")
@click.option("--role", required=True, help="checker, editor or admin.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@with_appcontext
def user_add(name: str, role: str, password_stdin: bool):
    """Add a user NAME with a role; the password comes from a prompt or stdin."""
    if role not in users.ROLES:
        fail(f"unknown role {role!r}; choose one of {', '.join(users.ROLES)}")
    created = users.create_user(get_cli_db(), name, role, _read_password(password_stdin))
    click.echo(f"Created {created['role']} {created['username']}.")


@user.command("password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@with_appcontext
def user_password(name: str, password_stdin: bool):
    """Set a new password for NAME (ends their sessions and tokens)."""
    database = get_cli_db()
    found = users.find_user(database, name)
    users.set_password(database, found["id"], _read_password(password_stdin), actor_id=None)
    click.echo(f"Password changed for {found['username']}.")


@user.command("token")
@click.argument("name")
@click.option("--label", default="cli", help="A note on what the token is for.")
@with_appcontext
def user_token(name: str, label: str):
    """Print a new API token for NAME (shown once; only its hash is stored)."""
    database = get_cli_db()
    found = users.find_user(database, name)
    click.echo(users.issue_token(database, found["id"], label=label))


@user.command("list")
@with_appcontext
def user_list():
    """List users with their roles."""
    for row in users.list_users(get_cli_db()):
        click.echo(f"{row['username']:<20} {row['role']:<8} {'active' if row['active'] else 'deactivated'}")


# -- backup --------------------------------------------------------------------
@main.command()
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
        target = sqlite3.connect(path)
        with target:
            source.conn.backup(target)
        target.close()
    except sqlite3.Error as error:
        if os.path.exists(path):
            os.remove(path)
        fail(f"cannot write backup to {path}: {error}")
    click.echo(f"Backed up {current_app.config['DB']} to {path} in {time.monotonic() - started:.1f}s.")


from app.cli import (  # noqa: E402,F401 - register their commands
    claimreview,
    demo,
    export,
    extract,
    ingest,
    match,
)
