"""Several machines, one desk: jobs queued on one node are worked by `claimdesk worker` on another.

A "node" here is a process with an instance folder of its own (its own index, no shared files) and the
test's database: the SQLite file, or the PostgreSQL database on the PostgreSQL run.
"""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from review import jobs
from review.storage import open_store
from tests.conftest import BACKEND, add_user, login, make_app
from tests.reliability.servers import ROOT, node_env

ARTICLE = "The ministry said {n},000 homes were rebuilt in 2023 across the region, up from 2,500 a year earlier."


def claimdesk(instance: Path, database_folder: Path, *args: str, secret: bool = True,
              timeout: float = 120) -> subprocess.CompletedProcess:
    """Run a claimdesk command as a node with its own instance folder on the test's database."""
    env = node_env(instance, database_folder)
    if not secret:
        env.pop("CLAIMDESK_SECRET_KEY", None)
    return subprocess.run([sys.executable, "-c", "from app.cli import main; main()", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def desk(tmp_path):
    """The desk's database, made by node A's app (which leaves jobs to workers)."""
    folder = tmp_path / "a"
    folder.mkdir()
    return make_app(folder, RUN_JOBS=False)


@pytest.fixture
def db(desk):
    database = open_store(desk.config["DB"])
    yield database
    database.close()


def test_an_upload_on_node_a_is_worked_by_a_worker_on_node_b(desk, db, tmp_path):
    client = desk.test_client()
    add_user(db, "checker1", "checker")
    login(client, "checker1")
    response = client.post("/documents/new", content_type="multipart/form-data", data={
        "mode": "upload", "files": [(io.BytesIO(ARTICLE.format(n=4).encode()), "homes.txt")]})
    assert response.status_code == 303
    job_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Waiting for a worker" in job_page  # node A left it for a worker

    done = claimdesk(tmp_path / "b", Path(desk.config["INSTANCE"]), "worker", "--once")
    assert done.returncode == 0, done.stderr
    assert "done: added 1" in done.stdout
    assert db.scalar("SELECT count(*) FROM documents") == 1
    assert db.one("SELECT state, worker FROM jobs")["state"] == "done"
    assert "Done: added 1" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_ingest_queue_stores_the_files_with_the_jobs_for_any_worker(desk, db, tmp_path):
    folder = tmp_path / "articles"
    (folder / "more").mkdir(parents=True)
    (folder / "one.txt").write_text("Homes\n" + ARTICLE.format(n=1))
    (folder / "more" / "two.txt").write_text("More homes\n" + ARTICLE.format(n=2))
    node_a = Path(desk.config["INSTANCE"])
    queued = claimdesk(node_a, node_a, "ingest", "--queue", str(folder))
    assert queued.returncode == 0, queued.stderr
    assert "Queued job 1:" in queued.stdout and "(2 file(s))" in queued.stdout
    assert db.scalar("SELECT count(*) FROM documents") == 0  # nothing extracted inline
    os.rename(folder, tmp_path / "gone")  # the worker reads the bytes from the database, not this disk

    worked = claimdesk(tmp_path / "b", node_a, "worker", "--once")
    assert worked.returncode == 0, worked.stderr
    assert sorted(r["title"] for r in db.query("SELECT title FROM documents")) == ["Homes", "More homes"]
    assert db.scalar("SELECT count(*) FROM claims") >= 2


def test_two_workers_never_take_the_same_job(desk, db, tmp_path):
    for n in range(12):
        jobs.enqueue(db, "ingest", {"source": "wire"}, files=[(f"a{n}.txt", ARTICLE.format(n=n + 10).encode())])
    node_a = Path(desk.config["INSTANCE"])
    command = [sys.executable, "-c", "from app.cli import main; main()", "worker", "--once"]
    workers = [subprocess.Popen(command, env=node_env(tmp_path / name, node_a), cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in ("b", "c")]
    outputs = [worker.communicate(timeout=180) for worker in workers]
    assert all(worker.returncode == 0 for worker in workers), [err for _, err in outputs]
    taken = [{line.split()[1] for line in out.splitlines() if line.startswith("Job ")} for out, _ in outputs]
    assert not taken[0] & taken[1]  # no job worked twice
    assert len(taken[0] | taken[1]) == 12
    assert db.scalar("SELECT count(*) FROM jobs WHERE state = 'done'") == 12
    assert db.scalar("SELECT count(*) FROM documents") == 12


@pytest.mark.skipif(BACKEND != "postgres", reason="a per-node key is refused only on PostgreSQL (one SQLite "
                                                  "file is one machine; its instance folder keeps the key)")
def test_serve_on_postgresql_refuses_to_make_a_key_of_its_own(desk, tmp_path):
    refused = claimdesk(tmp_path / "b", Path(desk.config["INSTANCE"]), "serve", "--port", "0", secret=False)
    assert refused.returncode == 1
    assert "set CLAIMDESK_SECRET_KEY to the same secret on every node" in refused.stderr
