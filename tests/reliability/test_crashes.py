"""kill -9 during `claimdesk ingest`, `claimdesk import-claimreview` and a served JSON upload (issue 12, item 3).

Each test starts the real process, waits until part of the work is committed, kills it with SIGKILL
(as a power cut or the OOM killer would) and then checks what a person relies on: what was committed
is whole (documents in whole commits, each with its claims, its event and its index entry; prior
reviews in whole files), no worker outlives the killed process, a rerun completes without doubling
anything, `claimdesk db check` passes, and the search index holds what the database holds. The kill
-9 reindex test (tests/search_index/test_outbox.py) lends its process helpers.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from review.storage import open_store
from search_index import open_index
from search_index.outbox import pending_count
from tests.conftest import add_user, make_app
from tests.reliability.servers import ROOT, Browser, node_env, serving
from tests.search_index.test_outbox import _alive, _children

pytestmark = [pytest.mark.reliability,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for the killed children")]

CHUNK = 100  # review.ingest.store.CHUNK_SIZE: documents per commit of `claimdesk ingest`
UPLOAD_CHUNK = 20  # documents per commit of an upload job (review/jobs.py)
REGIONS = ["Arden", "Belmoor", "Calder", "Dunmere", "Eskdale", "Fenwick", "Garrow", "Harlow", "Irwell", "Jessop"]


def articles(count: int) -> list[dict]:
    """Articles with claims, each one unique (its own number and a word of its own for the search index)."""
    return [{"title": f"Housing report {n}", "url": f"https://wire.example/housing/{n}", "source": "Test Wire",
             "published_at": "2024-03-01", "id": f"wire-{n}",
             "body": (f"The ministry said {n + 2},{n % 1000:03d} homes were rebuilt in {REGIONS[n % 10]} in 2023, "
                      f"up from {n + 1},500 a year earlier. Officials added that {n % 90 + 10} schools reopened in "
                      f"{REGIONS[(n + 3) % 10]} by March. Residents spoke of the marker word {word(n)}.")}
            for n in range(count)]


def word(n: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return "zorb" + letters[n // 676 % 26] + letters[n // 26 % 26] + letters[n % 26]


def claimdesk(instance: Path, *args: str, **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "from app.cli import main; main()", *args], cwd=ROOT,
                            env=node_env(instance, instance), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True, **popen)


def run(instance: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    process = claimdesk(instance, *args)
    out, err = process.communicate(timeout=timeout)
    return subprocess.CompletedProcess(args, process.returncode, out, err)


def kill_when(process: subprocess.Popen, db, sql: str, at_least: int, total: int, timeout: float = 120) -> int:
    """Wait until ``sql`` counts ``at_least`` committed rows, then SIGKILL the process and its children."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        count = db.scalar(sql)
        if count >= at_least:
            children = _children(process.pid)
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate(timeout=10)  # reap it and close its pipes
            deadline = time.monotonic() + 10
            while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert not any(_alive(pid) for pid in children), "a child outlived the killed process"
            return count
        time.sleep(0.01)
    out, err = process.communicate(timeout=10) if process.poll() is not None else ("", "")
    pytest.fail(f"the work ended before the kill ({db.scalar(sql)} of {total} committed): {err[-1500:]}")


def assert_documents_whole(db) -> int:
    """Every stored document has its claims, the event that counted them and its index entry queued or made."""
    documents = db.query("SELECT id FROM documents ORDER BY id")
    events = {row["entity_id"]: json.loads(row["details"]) for row in db.query(
        "SELECT entity_id, details FROM events WHERE action = 'document.add'")}
    claims = {row["document_id"]: row["n"] for row in db.query(
        "SELECT document_id, count(*) AS n FROM claims WHERE document_id IS NOT NULL GROUP BY document_id")}
    for document in documents:
        assert document["id"] in events, f"document {document['id']} has no event: a partial record"
        assert claims.get(document["id"], 0) == events[document["id"]]["claims"] > 0, document["id"]
    assert db.scalar("SELECT count(*) FROM events WHERE action = 'document.add'") == len(documents)
    return len(documents)


def assert_checked_and_indexed(instance: Path, db, kind: str, expected: int) -> None:
    index = open_index(instance / "index")
    try:
        deadline = time.monotonic() + 30
        while not (index.stats()[kind] == expected and pending_count(db) == 0) and time.monotonic() < deadline:
            time.sleep(0.2)  # a server's indexer drains on its own interval
        assert index.stats()[kind] == expected
    finally:
        index.close()
    check = run(instance, "db", "check")
    assert check.returncode == 0 and "All checks passed" in check.stdout, check.stdout + check.stderr


@pytest.fixture
def instance(tmp_path):
    folder = tmp_path / "instance"
    folder.mkdir()
    app = make_app(folder)
    db = open_store(app.config["DB"])
    yield folder, db
    db.close()


def test_a_killed_ingest_keeps_whole_commits_and_a_rerun_completes(instance, tmp_path):
    folder, db = instance
    total = 2 * CHUNK
    source = tmp_path / "wire.jsonl"
    source.write_text("".join(json.dumps(a) + "\n" for a in articles(total)), encoding="utf-8")
    killed = claimdesk(folder, "ingest", str(source))
    kill_when(killed, db, "SELECT count(*) FROM documents", 1, total)
    stored = assert_documents_whole(db)
    assert 0 < stored < total and stored % CHUNK == 0, stored  # whole commits only

    again = run(folder, "ingest", str(source))
    assert again.returncode == 0, again.stderr
    assert f"added {total - stored}, duplicates {stored}," in again.stdout, again.stdout
    assert assert_documents_whole(db) == total
    assert db.scalar("SELECT count(DISTINCT url) FROM documents") == total
    assert_checked_and_indexed(folder, db, "documents", total)


def claimreview_files(folder: Path, files: int, each: int) -> int:
    folder.mkdir()
    for f in range(files):
        records = [{"@context": "https://schema.org", "@type": "ClaimReview",
                    "claimReviewed": f"Officials said {f * each + r + 2},000 homes were rebuilt in {REGIONS[r % 10]}.",
                    "url": f"https://checks.example.org/fact-checks/{f}-{r}", "datePublished": "2024-03-01",
                    "author": {"@type": "Organization", "name": "Example Checks", "url": "https://checks.example.org/"},
                    "reviewRating": {"@type": "Rating", "alternateName": "False"}}
                   for r in range(each)]
        (folder / f"reviews-{f:03d}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    return files * each


def test_a_killed_claimreview_import_keeps_whole_files_and_a_rerun_completes(instance, tmp_path):
    folder, db = instance
    each = 25
    total = claimreview_files(tmp_path / "reviews", 40, each)
    killed = claimdesk(folder, "import-claimreview", str(tmp_path / "reviews"))
    kill_when(killed, db, "SELECT count(*) FROM prior_reviews", each, total)
    stored = db.scalar("SELECT count(*) FROM prior_reviews")
    assert 0 < stored < total and stored % each == 0, stored  # one commit per file
    files = db.query("SELECT source_file, count(*) AS n FROM prior_reviews GROUP BY source_file")
    assert all(row["n"] == each for row in files)
    assert db.scalar("SELECT count(*) FROM events WHERE action = 'prior_review.import'") == len(files)

    again = run(folder, "import-claimreview", str(tmp_path / "reviews"))
    assert again.returncode == 0, again.stderr
    assert db.scalar("SELECT count(*) FROM prior_reviews") == total
    assert db.scalar("SELECT count(DISTINCT url) FROM prior_reviews") == total
    assert_checked_and_indexed(folder, db, "verdicts", total)


def test_a_server_killed_during_a_json_upload_keeps_whole_commits_and_the_upload_again_completes(instance, tmp_path):
    folder, db = instance
    add_user(db, "maria")
    total = 3 * UPLOAD_CHUNK
    upload = json.dumps(articles(total)).encode()
    with serving(folder, folder, 1, tmp_path) as (url,):
        browser = Browser(url, "maria")
        sent = browser.session.post(f"{url}/documents/new", data={"mode": "upload"},
                                    headers={"X-CSRFToken": browser.csrf},
                                    files={"files": ("wire.json", upload, "application/json")}, allow_redirects=False)
        assert sent.status_code == 303, sent.text[:500]
        count = 0
        deadline = time.monotonic() + 120
        while count < UPLOAD_CHUNK and time.monotonic() < deadline:
            count = db.scalar("SELECT count(*) FROM documents")
            time.sleep(0.01)
        assert count < total, "the upload ended before the kill"
        os.killpg(url.process.pid, signal.SIGKILL)  # the master, its worker and its indexer at once
        url.process.wait(timeout=10)
    stored = assert_documents_whole(db)
    assert 0 < stored < total and stored % UPLOAD_CHUNK == 0, stored

    with serving(folder, folder, 1, tmp_path) as (url,):
        browser = Browser(url, "maria")
        job = db.one("SELECT id, state, error FROM jobs ORDER BY id LIMIT 1")
        page = browser.get(f"/documents/jobs/{job['id']}").text
        assert "Stopped part-way" in page, page[:2000]
        sent = browser.session.post(f"{url}/documents/new", data={"mode": "upload"},
                                    headers={"X-CSRFToken": browser.csrf},
                                    files={"files": ("wire.json", upload, "application/json")}, allow_redirects=False)
        assert sent.status_code == 303
        deadline = time.monotonic() + 120
        while db.scalar("SELECT state FROM jobs ORDER BY id DESC LIMIT 1") not in ("done", "failed"):
            assert time.monotonic() < deadline, "the second upload did not finish"
            time.sleep(0.1)
        assert db.scalar("SELECT state FROM jobs ORDER BY id DESC LIMIT 1") == "done"
        assert assert_documents_whole(db) == total
        assert_checked_and_indexed(folder, db, "documents", total)
