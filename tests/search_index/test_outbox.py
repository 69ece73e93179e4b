"""The outbox drainer keeps the index in step with the database: batches, bulk backlogs, failures, the lock."""

import os
import subprocess
import sys
import textwrap

import pytest

from review.dates import now
from review.ingest.store import add_document
from review.indexing import drain, enqueue, pending_count, reindex
from search_index import outbox
from search_index.outbox import DrainLock
from search_index.whoosh_index import WhooshIndex
from tests.conftest import ROOT

ARTICLE = ("Harbor council approves offshore turbine plan\n\n"
           "The Harbor council approved an offshore turbine plan on Tuesday. The mayor said the turbines "
           "would power 40,000 homes by 2027.")


def ids(results) -> set[int]:
    return {hit.id for hit in results.hits}


def insert_document(db, title: str, body: str, source: str = "Reuters", published: str | None = None) -> int:
    """Insert a document row and queue it, as ingest does, without claim extraction."""
    with db.transaction():
        document_id = db.insert(
            "INSERT INTO documents (title, body, source, published_at, content_hash, ingested_at)"
            " VALUES (?, ?, ?, ?, ?, ?)", [title, body, source, published, f"{title}|{body}", now()])
        enqueue(db, "document", document_id)
    return document_id


# -- the outbox keeps the index in step ---------------------------------------------------------
def test_an_ingested_document_is_found_after_the_drain(app, db, index):
    added = add_document(db, body=ARTICLE, source="Harbor Gazette", published_at="2024-03-05")
    assert pending_count(db) >= 1
    assert drain(db, app.config["INDEX"]) >= 1
    results = index.search("turbine")
    assert ids(results) == {added.document_id}
    hit = results.hits[0]
    assert hit.fields["title"] == "Harbor council approves offshore turbine plan"
    assert hit.fields["source_name"] == "Harbor Gazette"
    assert hit.fields["published"].year == 2024
    assert "<mark>turbine</mark>" in hit.snippet
    assert pending_count(db) == 0


def test_an_edited_document_is_reindexed_and_a_deleted_one_removed(app, db, index):
    document_id = add_document(db, body=ARTICLE, source="Harbor Gazette").document_id
    drain(db, app.config["INDEX"])
    with db.transaction():
        db.execute("UPDATE documents SET title = ?, body = ? WHERE id = ?",
                   ["Harbor council delays ferry plan", "The ferry plan waits another year.", document_id])
        enqueue(db, "document", document_id)
    drain(db, app.config["INDEX"])
    assert ids(index.search("ferry")) == {document_id}
    assert index.search("turbine").total == 0
    with db.transaction():
        db.execute("DELETE FROM claim_appearances WHERE document_id = ?", [document_id])
        db.execute("DELETE FROM claims WHERE document_id = ?", [document_id])
        db.execute("DELETE FROM documents WHERE id = ?", [document_id])
        enqueue(db, "document", document_id)
    drain(db, app.config["INDEX"])
    assert index.search("ferry").total == 0
    assert index.stats()["documents"] == 0


def test_replaying_the_outbox_is_harmless(app, db, index):
    document_id = insert_document(db, "Grain exports", "Grain exports rose.")
    enqueue(db, "document", document_id)
    enqueue(db, "document", document_id)
    drain(db, app.config["INDEX"])
    assert index.search("grain").total == 1


def test_a_big_backlog_is_indexed_in_worker_processes_replacing_and_removing_records(app, db, index, monkeypatch):
    monkeypatch.setattr(outbox, "BULK_THRESHOLD", 20)  # an import-sized backlog, scaled down
    kept = [insert_document(db, f"Tin report {n}", f"Tin stocks fell in week {n}.") for n in range(12)]
    drain(db, app.config["INDEX"])  # below the threshold: the ordinary batches
    with db.transaction():
        db.execute("UPDATE documents SET body = 'Zinc stocks rose instead.' WHERE id = ?", [kept[0]])
        enqueue(db, "document", kept[0])
        db.execute("DELETE FROM documents WHERE id = ?", [kept[1]])
        enqueue(db, "document", kept[1])
    added = [insert_document(db, f"Nickel note {n}", f"Nickel output grew {n} percent.") for n in range(30)]
    assert pending_count(db) == 32

    assert drain(db, app.config["INDEX"], procs=2) == 32
    assert pending_count(db) == 0
    assert index.stats()["documents"] == 12 - 1 + 30
    assert ids(index.search("nickel", page_size=100)) == set(added)
    assert ids(index.search("zinc")) == {kept[0]}
    assert ids(index.search("\"stocks fell\"", page_size=100)) == set(kept[2:])  # the old text of the edited one is gone
    assert ids(index.search("tin", page_size=100)) == set(kept) - {kept[1]}
    assert ids(index.search('"nickel output"', page_size=100)) == set(added)


def test_a_bulk_backlog_of_long_texts_is_split_into_batches_that_fit_in_memory(app, db, index, monkeypatch):
    monkeypatch.setattr(outbox, "BULK_THRESHOLD", 5)
    monkeypatch.setattr(outbox, "BULK_CHARACTERS", 100)  # about three of these bodies per batch
    added = [insert_document(db, f"Cobalt {n}", f"Cobalt prices climbed again in week {n}.") for n in range(10)]
    assert drain(db, app.config["INDEX"]) == 10
    assert pending_count(db) == 0
    assert ids(index.search("cobalt", page_size=100)) == set(added)


class BrokenIndex(WhooshIndex):
    """An index whose writes fail, as after a crash between the database commit and the index write."""

    def __init__(self, path, **engine):
        super().__init__(path)

    def apply(self, records, removals, **options):
        raise OSError("disk full")


def test_a_failed_index_write_leaves_the_outbox_pending_until_a_later_drain(app, db, index, monkeypatch):
    document_id = insert_document(db, "Copper strike", "Miners at the copper mine went on strike.")
    monkeypatch.setattr(outbox, "open_index", BrokenIndex)
    with pytest.raises(OSError):
        drain(db, app.config["INDEX"])
    assert pending_count(db) == 1
    assert index.search("copper").total == 0
    monkeypatch.undo()
    assert drain(db, app.config["INDEX"]) == 1
    assert ids(index.search("copper")) == {document_id}
    assert pending_count(db) == 0


def test_a_second_drainer_skips_while_the_first_holds_the_lock(app, db, index):
    insert_document(db, "Sugar quota", "The sugar quota was cut.")
    lock = DrainLock(app.config["INDEX"])
    assert lock.acquire()
    try:
        assert drain(db, app.config["INDEX"]) == 0
        assert pending_count(db) == 1
    finally:
        lock.release()
    assert drain(db, app.config["INDEX"]) == 1
    assert index.search("sugar").total == 1


WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from review.dates import now
    from review.storage import open_store
    from review.indexing import drain, enqueue

    db = open_store({db!r})
    for n in range(15):
        with db.transaction():
            document_id = db.insert(
                "INSERT INTO documents (title, body, source, content_hash, ingested_at) VALUES (?, ?, ?, ?, ?)",
                ["Report {name} %d" % n, "zebra{name} report number %d" % n, "Wire", "{name}-%d" % n, now()])
            enqueue(db, "document", document_id)
        drain(db, {index!r}, wait=0.2)
""")


def test_two_processes_writing_and_draining_at_once_lose_nothing(app, db, index):
    scripts = [WRITER.format(root=str(ROOT), db=app.config["DB"], index=app.config["INDEX"], name=name)
               for name in ("alpha", "beta")]
    processes = [subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True)
                 for script in scripts]
    for process in processes:
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors
    drain(db, app.config["INDEX"], wait=10)
    assert pending_count(db) == 0
    assert index.search("zebraalpha").total == 15
    assert index.search("zebrabeta").total == 15


def test_an_open_searcher_sees_a_new_generation_on_its_next_search(app, db, index):
    insert_document(db, "Cocoa prices", "Cocoa prices fell.")
    drain(db, app.config["INDEX"])
    assert index.search("cocoa").total == 1
    before = index.stats()["generation"]
    with db.transaction():
        db.execute("INSERT INTO documents (title, body, source, content_hash, ingested_at) VALUES (?, ?, ?, ?, ?)",
                   ["More cocoa", "Cocoa stocks grew.", "Wire", "more-cocoa", now()])
    assert reindex(db, app.config["INDEX"]) == 2
    assert index.search("cocoa").total == 2
    assert index.stats()["generation"] != before
    assert not os.path.exists(os.path.join(app.config["INDEX"], before))


def test_reindex_command_reports_counts_and_db_check_sees_a_current_index(app, db, runner):
    insert_document(db, "Tin market", "The tin market reopened.")
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    assert "Reindexed 1 documents and 0 verdicts" in result.output
    assert pending_count(db) == 0
    assert "All checks passed" in runner.invoke(args=["db", "check"]).output


# -- a killed writer leaves nothing that blocks the next one ----------------------------------------------
KILLED_REBUILD = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from review.storage import open_store
    from search_index import outbox
    from search_index.base import Record

    def records(store):
        for n in range(400):  # enough for the multiprocess writer to fork both of its workers
            yield Record("document", n + 1, title="Walrus %d" % n, body="walrus census number %d" % n)
        open({ready!r}, "w").close()
        time.sleep(600)  # killed here, mid-rebuild, its workers alive

    outbox.reindex(open_store({db!r}), {index!r}, records, procs=2)
""")


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; workers die with their parent on Linux")
def test_a_killed_rebuild_leaves_no_workers_no_lock_and_no_half_generation(app, db, index, tmp_path, caplog):
    import signal
    import time

    insert_document(db, "Otter count", "The otter count rose.")
    assert drain(db, app.config["INDEX"]) == 1
    live = index.stats()["generation"]
    ready = tmp_path / "ready"
    script = KILLED_REBUILD.format(root=str(ROOT), db=app.config["DB"], index=app.config["INDEX"], ready=str(ready))
    errors = tmp_path / "stderr"
    with errors.open("w") as stderr:
        writer = subprocess.Popen([sys.executable, "-c", script], stderr=stderr)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists() and writer.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists(), errors.read_text() or "not ready in time"
        workers = _children(writer.pid)
        assert len(workers) >= 2  # the multiprocess writer's workers, waiting for more work
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in workers), "index workers outlived their killed parent"
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    assert outbox.lock_holder(app.config["INDEX"]) is None
    half = [name for name in os.listdir(app.config["INDEX"]) if name.startswith("gen-") and name != live]
    assert half  # the killed rebuild's generation, written halfway
    with caplog.at_level("WARNING", logger="claimdesk.index"):
        assert reindex(db, app.config["INDEX"], wait=0) == 1  # at once: nothing holds the lock
    assert "took over the search index lock" in caplog.text and half[0] in caplog.text
    live = index.stats()["generation"]
    assert [name for name in os.listdir(app.config["INDEX"]) if name.startswith("gen-")] == [live]
    assert index.search("otter").total == 1 and index.search("walrus").total == 0


def test_a_second_thread_of_one_process_waits_for_the_lock(app):
    import threading

    first = DrainLock(app.config["INDEX"])
    assert first.acquire()
    seen = []
    thread = threading.Thread(target=lambda: seen.append(DrainLock(app.config["INDEX"]).acquire()))
    thread.start()
    thread.join()
    assert seen == [False]
    assert outbox.lock_holder(app.config["INDEX"]).endswith("(this process)")
    first.release()
    assert outbox.lock_holder(app.config["INDEX"]) is None


# -- db check and the server's log say when indexing is behind -----------------------------------------------
def _stuck(app, db):
    """Queue a change 20 minutes ago and hold the index lock, as a stuck writer would."""
    insert_document(db, "Lynx sighting", "A lynx was seen.")
    db.execute("UPDATE index_outbox SET queued_at = ?", ["2000-01-01T00:00:00+00:00"])
    lock = DrainLock(app.config["INDEX"])
    assert lock.acquire()
    return lock


def test_db_check_says_indexing_is_behind_and_who_holds_the_lock(app, db, runner):
    lock = _stuck(app, db)
    try:
        result = runner.invoke(args=["db", "check"])
    finally:
        lock.release()
    assert result.exit_code == 1
    assert "search indexing is behind: 1 change(s) waiting" in result.stderr
    assert f"the index lock is held by pid {os.getpid()}" in result.stderr


def test_the_server_loop_logs_that_indexing_is_behind(app, db, capfd):
    import threading

    from app.cli.serve import drain_loop

    lock = _stuck(app, db)
    stop = threading.Event()
    loop = threading.Thread(target=drain_loop, args=(app.config["DB"], app.config["INDEX"], 0.01, stop))
    try:
        loop.start()
        deadline = __import__("time").monotonic() + 10
        seen = ""
        while "indexing is behind" not in seen and __import__("time").monotonic() < deadline:
            seen += capfd.readouterr().err
    finally:
        stop.set()
        loop.join()
        lock.release()
    assert seen.count("claimdesk: search indexing is behind: 1 change(s) waiting") == 1
