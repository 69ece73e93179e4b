"""`claimdesk serve` and the index: a light master, an indexer process apart, and a lost index rebuilt while serving."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from review import users
from review.indexing import drain
from review.ingest.store import add_document
from review.storage import open_store
from search_index.whoosh_index import REBUILDING
from search_index.writer_lock import DrainLock
from tests.conftest import CHEAP_HASH, add_user, database_env, make_app, without_secret


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _loads_numpy(pid: int) -> bool:
    return "numpy" in Path(f"/proc/{pid}/maps").read_text()


def _command_line(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def _until(condition, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    pytest.fail("timed out")


@pytest.fixture
def server(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    app = make_app(instance)
    db = open_store(app.config["DB"])
    add_document(db, body="Cocoa harvest\n\nThe cocoa harvest failed this year.", source="Wire")
    drain(db, app.config["INDEX"])
    token = users.issue_token(db, add_user(db, "bot", "editor")["id"])
    db.close()
    port, log = _free_port(), tmp_path / "server.log"
    # The instance's secret_key file signs sessions on SQLite; on PostgreSQL nodes share a configured key.
    env = {**without_secret(os.environ), "CLAIMDESK_INSTANCE": str(instance), **database_env(instance),
           "CLAIMDESK_INDEX": app.config["INDEX"], "CLAIMDESK_PASSWORD_HASH_METHOD": CHEAP_HASH,
           "CLAIMDESK_DRAIN_INTERVAL": "0.2"}
    command = [sys.executable, "-c", "from app.cli import main; main()", "serve", "--port", str(port),
               "--workers", "1", "--threads", "2"]
    with log.open("w") as stderr:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
    url = f"http://127.0.0.1:{port}"

    def ready():
        if process.poll() is not None:
            pytest.fail(f"server exited: {log.read_text()[-2000:]}")
        try:
            return requests.get(f"{url}/healthz", timeout=5).status_code == 200
        except requests.RequestException:
            return False

    try:
        _until(ready, 90)
        yield url, {"Authorization": f"Bearer {token}"}, process, app.config["INDEX"]
    finally:
        process.terminate()
        process.wait(30)


def test_the_master_holds_gunicorn_alone_the_indexer_runs_apart_and_heals_a_deleted_index(server):
    # One server for both promises: starting one takes seconds.
    url, auth, process, index_path = server

    def search():
        return requests.get(f"{url}/api/v1/search?q=cocoa", headers=auth).json()

    assert (search()["total"], search()["notice"]) == (1, None)
    children = _children(process.pid)
    indexer = [pid for pid in children if "run_indexer" in _command_line(pid)]
    workers = [pid for pid in children if pid not in indexer]
    assert len(indexer) == 1 and len(workers) == 1
    assert not _loads_numpy(process.pid)  # no index, no application in the master
    assert _loads_numpy(workers[0]) and _loads_numpy(indexer[0])

    lock = DrainLock(index_path)
    assert lock.acquire(wait=30)  # the indexer waits while the folder is gone
    try:
        shutil.rmtree(index_path)
        assert (search()["total"], search()["notice"]) == (0, REBUILDING)
    finally:
        lock.release()
    healed = _until(lambda: (found := search())["total"] == 1 and found)
    assert healed["notice"] is None
