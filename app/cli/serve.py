"""`claimdesk serve`: gunicorn plus a background process that keeps the search index current.

The command execs a fresh gunicorn (``app/cli/gunicorn_conf.py``): its master
imports nothing of Claimdesk, each worker imports the app itself, and the
indexer (``run_indexer``: the outbox, a rebuild when the index is missing or
of an older schema, the "checked before?" marks) runs in a process of its own.
"""

import ctypes
import json
import os
import signal
import sys
import threading
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from app.cli.common import fail, get_cli_db
from review.storage import open_store
from review.indexing import drain
from review.background import CYCLE_CPU, SHARE, Budget, lower_priority
from review.prior import refresh_marks
from search_index import open_index
from search_index.outbox import backlog

MARKS_LOCK = "claimdesk prior marks"
MARKS_BATCH = 100  # claims checked at most in one cycle
MARKS_CPU, MARKS_SHARE = CYCLE_CPU, SHARE  # a cycle's CPU for the marks, and their share of one core
BEHIND_REPEAT = 600  # seconds between two log lines saying indexing is behind
MAX_REQUESTS = 5000  # requests a worker serves before gunicorn replaces it (its memory stays near steady)
GUNICORN_CONF = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gunicorn_conf.py")


def htmx_path() -> str:
    return os.path.join(current_app.static_folder, "vendor", "htmx.min.js")


def control_socket(instance: str) -> str | None:
    """Return where this instance's gunicorn control socket lives: in its own instance folder.

    gunicorn's default ($XDG_RUNTIME_DIR or ~/.gunicorn) is one path per user, so a second
    instance on the machine would take over the first one's socket. None when the folder's path
    is too long for a Unix socket (the control socket is then left off).
    """
    path = os.path.join(os.path.abspath(instance), "gunicorn.ctl")
    return path if len(os.fsencode(path)) < 100 else None


def drain_loop(db_path: str, index_path: str, interval: float, stop: threading.Event, *,
               engine: str = "whoosh") -> None:
    """Keep the search index and the queue's prior-verdict marks in step with SQLite while the server runs.

    The first pass runs at once: an index that is missing or of an older schema is rebuilt then, while
    the workers serve (search says the index is being rebuilt until it has caught up). The marks keep to
    their budget (``review.background``): a bounded batch, at most ``MARKS_CPU`` seconds of CPU a cycle,
    then a pause in proportion, so they average at most ``MARKS_SHARE`` of one core.
    """
    db = open_store(db_path)
    said = None  # when the loop last said indexing is behind
    first, pause = True, 0.0
    while first or not stop.wait(max(interval, pause)):
        first, pause = False, 0.0
        try:
            drain(db, index_path, engine=engine)
            late = backlog(db, index_path)
            if late.behind and (said is None or time.monotonic() - said >= BEHIND_REPEAT):
                print(f"claimdesk: {late.message()}", file=sys.stderr, flush=True)
                said = time.monotonic()
            if db.try_lock(MARKS_LOCK):  # on PostgreSQL, one node marks the claims for all
                try:
                    index = open_index(index_path, engine=engine, store=db)
                    try:
                        budget = Budget(MARKS_CPU, MARKS_SHARE)
                        refresh_marks(db, index, limit=MARKS_BATCH, budget=budget)  # most important first
                        pause = budget.pause()
                    finally:
                        index.close()
                finally:
                    db.unlock(MARKS_LOCK)
        except Exception as error:  # noqa: BLE001 - keep the loop alive; the next pass retries
            print(f"claimdesk: background indexing failed, will retry: {error}", file=sys.stderr)


def run_indexer() -> None:
    """Run the drain loop as the server's indexer process, until SIGTERM or the server's end."""
    from app import create_app

    _die_with(int(os.environ.get("CLAIMDESK_INDEXER_PARENT", "0")))
    lower_priority()  # the web workers come first when both want a core
    config = create_app().config
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    drain_loop(config["DB"], config["INDEX"], config["DRAIN_INTERVAL"], stop, engine=config["SEARCH"])


def warm_up(app) -> int:
    """Compile the application's templates; return how many.

    Compiling the workspace's templates costs a fresh worker about 0.6 s of CPU on its first claim page
    (the queue's and the others' as much again). A worker warms up before it accepts a connection, so
    neither the first people after a start nor those after a worker's planned replacement
    (``--max-requests``) wait for it: the other workers serve meanwhile.
    """
    names = [name for name in app.jinja_env.list_templates() if name.endswith((".html", ".xml", ".txt"))]
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)


def _die_with(parent: int) -> None:
    """Have the kernel end this process when the server's master dies, however it dies (Linux)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    if parent and os.getppid() != parent:  # the master died before the request took effect
        sys.exit(0)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=max(2, os.cpu_count() or 1), show_default="one per core, at least 2", type=int,
              help="Worker processes (Python runs one request at a time per process on the CPU).")
@click.option("--threads", default=8, show_default=True, type=int,
              help="Threads per worker: requests waiting on the database or the index do not hold up the others.")
@click.option("--keep-alive", "keep_alive", default=75, show_default=True, type=int,
              help="Seconds an idle browser connection stays open; longer than a person's pause between clicks.")
@click.option("--max-requests", "max_requests", default=MAX_REQUESTS, show_default=True, type=int,
              help="Requests a worker serves before it is replaced, so its memory stays near its steady size.")
@with_appcontext
def serve(host: str, port: int, workers: int, threads: int, keep_alive: int, max_requests: int):
    """Serve the workbench with gunicorn (a production WSGI server)."""
    if not os.path.exists(htmx_path()):
        fail("The htmx asset is missing (app/static/vendor/htmx.min.js). Run `make assets` first.")
    config = current_app.config
    if config["DATABASE_URL"] and not config["SECRET_KEY_CONFIGURED"]:
        fail("On PostgreSQL every node must sign sessions with one key: set CLAIMDESK_SECRET_KEY to the same "
             "secret on every node (for example the output of `python3 -c 'import secrets; "
             "print(secrets.token_hex(32))'`); serve does not make a key of its own in this mode.")
    # create_app already made the secret key and applied migrations; apply waiting changes before serving.
    # A rebuild (missing or outdated index) is left to the indexer, so the server starts at once.
    db = get_cli_db()
    drain(db, config["INDEX"], wait=5, rebuild=False, engine=config["SEARCH"])
    db.close()
    environment = {**os.environ, "CLAIMDESK_SECRET_KEY": config["SECRET_KEY"], "CLAIMDESK_INSTANCE": config["INSTANCE"],
                   "CLAIMDESK_INDEX": config["INDEX"], "CLAIMDESK_SEARCH": config["SEARCH"]}
    environment.setdefault("CLAIMDESK_DB", config["DB"])
    environment["CLAIMDESK_SERVE"] = json.dumps({
        "bind": f"{host}:{port}", "workers": workers, "threads": threads, "keep_alive": keep_alive,
        "max_requests": max_requests, "control_socket": control_socket(config["INSTANCE"])})
    click.echo(f"Claimdesk on http://{host}:{port}/  (instance: {config['INSTANCE']})")
    sys.stdout.flush()
    sys.stderr.flush()
    # A fresh process: the master holds gunicorn alone, none of the application loaded here.
    os.execve(sys.executable, [sys.executable, "-m", "gunicorn", "--config", GUNICORN_CONF], environment)
