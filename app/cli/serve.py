"""`claimdesk serve`: gunicorn plus a background loop that keeps the search index current."""

import os
import sys
import threading
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from app import create_app
from app.cli.common import fail, get_cli_db
from review.storage import open_store
from review.indexing import drain
from review.prior import refresh_marks
from search_index import open_index
from search_index.outbox import backlog

BEHIND_REPEAT = 600  # seconds between two log lines saying indexing is behind


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


def drain_loop(db_path: str, index_path: str, interval: float, stop: threading.Event) -> None:
    """Keep the search index and the queue's prior-verdict marks in step with SQLite while the server runs."""
    db = open_store(db_path)
    said = None  # when the loop last said indexing is behind
    while not stop.wait(interval):
        try:
            drain(db, index_path)
            late = backlog(db, index_path)
            if late.behind and (said is None or time.monotonic() - said >= BEHIND_REPEAT):
                print(f"claimdesk: {late.message()}", file=sys.stderr, flush=True)
                said = time.monotonic()
            index = open_index(index_path)
            try:
                refresh_marks(db, index, limit=100)  # "checked before?" marks, most important claims first
            finally:
                index.close()
        except Exception as error:  # noqa: BLE001 - keep the loop alive; the next pass retries
            print(f"claimdesk: background indexing failed, will retry: {error}", file=sys.stderr)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=max(2, os.cpu_count() or 1), show_default="one per core, at least 2", type=int,
              help="Worker processes (Python runs one request at a time per process on the CPU).")
@click.option("--threads", default=8, show_default=True, type=int,
              help="Threads per worker: requests waiting on the database or the index do not hold up the others.")
@click.option("--keep-alive", "keep_alive", default=75, show_default=True, type=int,
              help="Seconds an idle browser connection stays open; longer than a person's pause between clicks.")
@with_appcontext
def serve(host: str, port: int, workers: int, threads: int, keep_alive: int):
    """Serve the workbench with gunicorn (a production WSGI server)."""
    from gunicorn.app.base import BaseApplication  # only this command needs gunicorn

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
            socket = control_socket(config["INSTANCE"])
            if "control_socket" in self.cfg.settings:  # gunicorn 25.1 and later
                self.cfg.set("control_socket_disable", socket is None)
                if socket:
                    self.cfg.set("control_socket", socket)
            self.cfg.set("workers", workers)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", threads)
            # Idle keep-alive connections wait in the worker's poller, not in a thread: a long keep-alive is cheap,
            # and a short one (gunicorn's 2 s) closes connections just as a browser reuses them.
            self.cfg.set("keepalive", keep_alive)
            self.cfg.set("accesslog", None)  # the app logs one line per request itself (app/views/health.py)
            self.cfg.set("when_ready", lambda server: threading.Thread(
                target=drain_loop, args=(config["DB"], config["INDEX"], config["DRAIN_INTERVAL"], stop),
                daemon=True).start())

        def load(self):
            return create_app()

    click.echo(f"Claimdesk on http://{host}:{port}/  (instance: {config['INSTANCE']})")
    Server().run()
    stop.set()
