"""Gunicorn's configuration for `claimdesk serve`, read by a fresh gunicorn process from the settings it is given.

This file imports nothing of Claimdesk, so gunicorn's master (which only
forks, watches and restarts workers) stays small: each worker imports the
application itself (no preloading), and the background indexer runs in a
process of its own (``app.cli.serve.run_indexer``), started when the master is
ready and stopped when it exits.
"""

import json
import os
import signal
import subprocess
import sys

_settings = json.loads(os.environ["CLAIMDESK_SERVE"])

wsgi_app = "app:create_app()"
bind = _settings["bind"]
workers = _settings["workers"]
worker_class = "gthread"
threads = _settings["threads"]
# Idle keep-alive connections wait in the worker's poller, not in a thread: a long keep-alive is cheap,
# and a short one (gunicorn's 2 s) closes connections just as a browser reuses them.
keepalive = _settings["keep_alive"]
accesslog = None  # the app logs one line per request itself (app/views/health.py)
# A worker is replaced after this many requests (with jitter, so not all at once): its memory stays near its
# steady size whatever caches a long run fills.
max_requests = _settings["max_requests"]
max_requests_jitter = max(1, max_requests // 10)
# gunicorn 25.1 and later: this instance's own control socket (another instance's is never taken over).
control_socket_disable = _settings["control_socket"] is None
if _settings["control_socket"]:
    control_socket = _settings["control_socket"]

_indexer: list[subprocess.Popen] = []


def when_ready(server):
    """Start the background indexer in its own process."""
    _indexer.append(subprocess.Popen(
        [sys.executable, "-c", "from app.cli.serve import run_indexer; run_indexer()"],
        env={**os.environ, "CLAIMDESK_INDEXER_PARENT": str(os.getpid())}))


def post_worker_init(worker):
    """Compile every template before the worker takes its first request (see ``app.cli.serve.warm_up``)."""
    from app.cli.serve import warm_up

    warm_up(worker.wsgi)


def on_exit(server):
    """Stop the background indexer with the server."""
    for process in _indexer:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
