"""Real `claimdesk serve` processes for the reliability tests, and browser-like sessions against them."""

import os
import re
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from tests.conftest import CHEAP_HASH, PASSWORD, database_env, without_secret

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def node_env(instance: Path, database_folder: Path) -> dict:
    """The environment of a `claimdesk` process on the test's database (the SQLite file or PostgreSQL)."""
    return {**without_secret(os.environ), "CLAIMDESK_INSTANCE": str(instance), **database_env(database_folder),
            "CLAIMDESK_PASSWORD_HASH_METHOD": CHEAP_HASH}


class Node(str):
    """A serving node's URL, with its process (the leader of the node's process group) and its log."""

    process: subprocess.Popen
    log: Path


@contextmanager
def serving(instance: Path | None, database_folder: Path, count: int, logs: Path, *, env: dict | None = None):
    """Start ``count`` `claimdesk serve` processes on one database; yield their URLs (``Node``).

    :param instance: the instance folder all nodes share, or None for a folder of each node's own
        (``logs/node-N``: no shared disk, as on separate machines).
    :param env: settings added to every node's environment.
    """
    nodes = []
    try:
        for n in range(count):
            port, log = free_port(), logs / f"node-{n}.log"
            folder = instance or logs / f"node-{n}"
            with log.open("w") as stderr:
                process = subprocess.Popen(
                    [sys.executable, "-c", "from app.cli import main; main()", "serve", "--port", str(port),
                     "--workers", "1", "--threads", "4"],
                    env={**node_env(folder, database_folder), **(env or {})}, cwd=ROOT, stdout=subprocess.DEVNULL,
                    stderr=stderr, start_new_session=True)
            nodes.append((process, f"http://127.0.0.1:{port}", log))
        for process, url, log in nodes:
            wait_ready(process, url, log)
        urls = []
        for process, url, log in nodes:
            urls.append(Node(url))
            urls[-1].process, urls[-1].log = process, log
        yield urls
    finally:
        for process, _, _ in nodes:
            if process.poll() is None:
                os.killpg(process.pid, 15)
        for process, _, _ in nodes:
            process.wait(timeout=30)


def wait_ready(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited: {log.read_text()[-2000:]}")
        try:
            if requests.get(f"{url}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:  # not listening yet
            pass
        time.sleep(0.1)
    pytest.fail("server did not start within 90 s")


class Browser:
    """A person's browser on one node: a signed-in session that posts as htmx does, with the CSRF header."""

    def __init__(self, url: str, username: str):
        self.url = url
        self.session = requests.Session()
        form = self.session.get(f"{url}/login", timeout=30).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        signed = self.session.post(f"{url}/login", data={"username": username, "password": PASSWORD,
                                                         "csrf_token": token}, allow_redirects=False, timeout=30)
        assert signed.status_code == 303, signed.text[:300]
        page = self.session.get(f"{url}/", timeout=30).text
        self.csrf = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.session.get(f"{self.url}{path}", timeout=30, **kwargs)

    def post(self, path: str, data: dict, target: str | None = None) -> requests.Response:
        headers = {"X-CSRFToken": self.csrf}
        if target:
            headers.update({"HX-Request": "true", "HX-Target": target})
        return self.session.post(f"{self.url}{path}", data=data, headers=headers, allow_redirects=False, timeout=30)
