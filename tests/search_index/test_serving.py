"""`claimdesk serve` and the index: a light master, an indexer process apart, and a lost index rebuilt while serving."""

import shutil
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
from tests.conftest import add_user, make_app
from tests.reliability.servers import serving


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


def _nice(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


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
    with serving(instance, instance, 1, tmp_path, env={"CLAIMDESK_DRAIN_INTERVAL": "0.2"}) as (node,):
        yield node, {"Authorization": f"Bearer {token}"}, node.process, app.config["INDEX"]


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
    assert _nice(indexer[0]) == _nice(workers[0]) + 10  # the web worker comes first when both want a core

    lock = DrainLock(index_path)
    assert lock.acquire(wait=30)  # the indexer waits while the folder is gone
    try:
        shutil.rmtree(index_path)
        assert (search()["total"], search()["notice"]) == (0, REBUILDING)
    finally:
        lock.release()
    healed = _until(lambda: (found := search())["total"] == 1 and found)
    assert healed["notice"] is None
