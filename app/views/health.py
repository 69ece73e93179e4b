"""Operations: /healthz (the process answers), /readyz (it can serve), and one log line per request.

The readiness checks are shared with ``claimdesk status``. A request's log line names its id, the
user, the route, the status and the time taken; it never holds a query string, a form field, a
header value or a body, so passwords and tokens cannot reach the log.
"""

import logging
import os
import re
import stat
import sys
import time
import uuid
from dataclasses import dataclass
from urllib.parse import quote

from flask import Blueprint, Flask, current_app, g, jsonify, request

import migrations
from app.db import get_db
from review import jobs
from review.indexing import pending_count
from review.storage import describe
from search_index import open_index

bp = Blueprint("health", __name__)
log = logging.getLogger("claimdesk.requests")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


@dataclass(frozen=True)
class Check:
    """One readiness check: its name, whether it passed, and what it found."""

    name: str
    ok: bool
    detail: str


def readiness(config, db) -> list[Check]:
    """Check the database, its migrations, the search index, the index backlog and the job backlog."""
    try:
        db.scalar("SELECT 1")
    except Exception as error:  # noqa: BLE001 - any driver error means the database is not reachable
        return [Check("database", False, f"cannot read {describe(config['DB'])}: {error}")]
    checks = [Check("database", True, describe(config["DB"]))]
    pending = migrations.pending(db)
    checks.append(Check("migrations", not pending,
                        f"pending: {', '.join(pending)} (run `claimdesk db upgrade`)" if pending else "current"))
    index = open_index(config["INDEX"], engine=config["SEARCH"], store=db)
    try:
        present = index.exists()
    finally:
        index.close()
    checks.append(Check("index", present, config["INDEX"] if present else
                        f"missing at {config['INDEX']} (run `claimdesk reindex`)"))
    backlog, limit = pending_count(db), int(config["READY_MAX_OUTBOX"])
    checks.append(Check("outbox", backlog <= limit, f"{backlog} change(s) waiting for the index (limit {limit})"))
    waiting, most = jobs.queued_count(db), int(config["READY_MAX_JOBS"])
    checks.append(Check("jobs", waiting <= most, f"{waiting} job(s) waiting for a worker (limit {most})"))
    return checks


def private_files(config) -> list[Check]:
    """Check that the database and the secret key are readable by their owner only."""
    found = []
    for name, path in (("database file", config["DB"]), ("secret key", os.path.join(config["INSTANCE"], "secret_key"))):
        if os.path.exists(path):
            mode = stat.S_IMODE(os.stat(path).st_mode)
            found.append(Check(name, not mode & 0o077, f"{path} is {mode:04o}" + (
                f" (others can read it: chmod 600 {path})" if mode & 0o077 else "")))
    return found


@bp.get("/healthz")
def healthz():
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/readyz")
def readyz():
    checks = readiness(current_app.config, get_db())
    ready = all(c.ok for c in checks)
    body = {"ready": ready, "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in checks}}
    return jsonify(body), 200 if ready else 503


class _Stderr(logging.StreamHandler):
    """Write to whatever sys.stderr is now (servers and test runners swap it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


def init_app(app: Flask) -> None:
    """Time every request and log one line for it; register before the other hooks so it sees them all."""
    if app.config["REQUEST_LOG"] and not log.handlers:
        handler = _Stderr()
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    app.before_request(_start)
    app.after_request(_log)


def _start():
    g.request_started = time.perf_counter()
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex[:16]


def _log(response):
    started = g.get("request_started", time.perf_counter())
    request_id = g.get("request_id") or uuid.uuid4().hex[:16]
    response.headers["X-Request-ID"] = request_id
    if current_app.config["REQUEST_LOG"]:
        user = (g.get("user") or {}).get("username") or "-"
        route = request.url_rule.rule if request.url_rule else "-"
        log.info("request_id=%s user=%s method=%s route=%s path=%s status=%d ms=%.1f", request_id, user,
                 request.method, route, quote(request.path, safe="/-._~:@"), response.status_code,
                 (time.perf_counter() - started) * 1000)
    return response
