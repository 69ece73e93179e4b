"""Jobs: uploads, fetches and ClaimReview imports from the browser run outside the request, with progress."""

import io
import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from app import jobs as job_runner
from review import jobs
from review.storage import open_store
from tests.conftest import add_user

HTMX = {"HX-Request": "true"}
ARTICLE = "The ministry said 4,000 homes were rebuilt in 2023 across the region, up from 2,500 a year earlier."


def run_to_end(app, client, response) -> str:
    """Follow a queued job's redirect once the runner has worked it; return the job page's HTML."""
    assert response.status_code == 303, response.get_data(as_text=True)
    assert job_runner.runner(app).wait_idle(60)
    return client.get(response.headers["Location"]).get_data(as_text=True)


def upload(client, *files):
    return client.post("/documents/new", data={"mode": "upload", "files": [(io.BytesIO(data), name) for name, data in files]},
                       content_type="multipart/form-data")


def test_an_upload_runs_as_a_job_row_and_reports_each_record(app, checker_client, db):
    lines = json.dumps({"title": "A", "body": ARTICLE}) + "\n" + '{"title": "broken"\n'
    response = upload(checker_client, ("news.jsonl", lines.encode()))
    html = run_to_end(app, checker_client, response)
    assert "Done: added 1, duplicates 0, skipped 0 (empty), failed 1" in html
    assert "news.jsonl:2" in html and "malformed JSON" in html and "Open the article" in html
    job = db.one("SELECT j.kind, j.state, j.progress, j.total, j.error, u.username FROM jobs j"
                 " JOIN users u ON u.id = j.created_by")
    assert job == {"kind": "ingest", "state": "done", "progress": len(lines), "total": len(lines), "error": None,
                   "username": "checker1"}
    assert db.scalar("SELECT count(*) FROM job_files WHERE data IS NOT NULL") == 0  # the bytes go once done


def test_the_job_page_polls_while_running_and_stops_when_done(app, checker_client, db, make_user):
    job_id = jobs.enqueue(db, "ingest", {"source": ""}, files=[("a.txt", b"x" * 10)],
                          actor_id=make_user("eve")["id"])
    db.execute("UPDATE jobs SET state = 'running', progress = 4, worker = ? WHERE id = ?", [jobs.worker_name(), job_id])
    page = checker_client.get(f"/documents/jobs/{job_id}").get_data(as_text=True)
    assert "<html" in page and 'hx-trigger="every 1s"' in page and 'value="40"' in page and "Started by eve" in page
    fragment = checker_client.get(f"/documents/jobs/{job_id}", headers={**HTMX, "HX-Target": "job"})
    assert fragment.status_code == 200
    html = fragment.get_data(as_text=True)
    assert "<html" not in html and html.lstrip().startswith('<section class="card job" id="job"')
    db.execute("UPDATE jobs SET state = 'done', result = ? WHERE id = ?",
               [json.dumps({"line": "added 0", "counts": {}, "outcomes": [], "outcomes_total": 0}), job_id])
    done = checker_client.get(f"/documents/jobs/{job_id}", headers={**HTMX, "HX-Target": "job"}).get_data(as_text=True)
    assert "Done: added 0" in done and "hx-trigger" not in done


def test_a_job_killed_mid_way_shows_failed_with_its_reason_after_a_restart(app, checker_client, db, make_user, tmp_path):
    job_id = jobs.enqueue(db, "ingest", {"source": ""}, files=[("big.jsonl", b"{}\n" * 100)],
                          actor_id=make_user("eve")["id"])
    # Another process takes the job, records some progress and is killed before it ends.
    script = textwrap.dedent(f"""
        import sys, time
        from review import jobs
        from review.storage import open_store
        db = open_store({app.config["DB"]!r})
        job = jobs.take_next(db, jobs.worker_name())
        db.execute("UPDATE jobs SET progress = 120 WHERE id = ?", [job["id"]])
        print("taken", flush=True)
        time.sleep(60)
    """)
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                          cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__)))) as worker:
        try:
            assert worker.stdout.readline().strip() == "taken"
            assert db.scalar("SELECT state FROM jobs WHERE id = ?", [job_id]) == "running"
        finally:
            worker.send_signal(signal.SIGKILL)
    page = checker_client.get(f"/documents/jobs/{job_id}").get_data(as_text=True)
    assert "Failed: Stopped part-way: the server was stopped or restarted while this job ran (120 of 300 done)" in page
    assert "hx-trigger" not in page
    assert db.scalar("SELECT state FROM jobs WHERE id = ?", [job_id]) == "failed"


def test_a_job_of_this_process_is_not_taken_for_abandoned(db):
    job_id = jobs.enqueue(db, "ingest", {})
    assert jobs.take_next(db, jobs.worker_name())["id"] == job_id
    assert jobs.fail_abandoned(db) == 0
    assert jobs.take_next(db, jobs.worker_name()) is None  # nothing else waits


def test_a_fetch_that_fails_ends_the_job_failed_with_the_reason(app, checker_client, db):
    response = checker_client.post("/documents/new", data={"mode": "url", "url": "http://127.0.0.1:9/article"})
    html = run_to_end(app, checker_client, response)
    assert "Failed: url: refused: 127.0.0.1 resolves to a loopback address (127.0.0.1)" in html
    assert db.scalar("SELECT count(*) FROM documents") == 0


@pytest.mark.parametrize("data, message", [
    ({"mode": "upload"}, "choose one or more files"),
    ({"mode": "url", "url": " "}, "required: a web address starting with http:// or https://"),
    ({"mode": "url", "url": "javascript:alert(1)"}, "must be a web address starting with http:// or https://"),
    ({"mode": "url", "url": "ftp://files.example.org/story.txt"}, "must be a web address starting with http://"),
    ({"mode": "url", "url": 'https://news.example/a"onmouseover="x'}, "must not contain quotes"),
])
def test_nothing_to_work_on_is_refused_before_queueing(checker_client, db, data, message):
    response = checker_client.post("/documents/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.scalar("SELECT count(*) FROM jobs") == 0


def test_a_claimreview_import_runs_as_a_job(app, admin_client, db):
    record = {"@type": "ClaimReview", "claimReviewed": "Water is dry.", "url": "https://checks.example.org/water",
              "reviewRating": {"alternateName": "False"}, "author": {"name": "Checks"}}
    response = admin_client.post("/admin/imports", data={"files": [(io.BytesIO(json.dumps(record).encode()), "one.json")]},
                                 content_type="multipart/form-data")
    assert response.headers["Location"].startswith("/admin/imports/jobs/")
    html = run_to_end(app, admin_client, response)
    assert "Done: added 1, updated 0, refused 0" in html and "Water is dry." in html
    assert db.scalar("SELECT kind FROM jobs") == "claimreview-import"


def test_the_runner_works_jobs_queued_before_a_restart(app, checker_client, db):
    user = add_user(db, "eve")
    job_id = jobs.enqueue(db, "ingest", {"source": "wire"}, files=[("a.txt", ARTICLE.encode())], actor_id=user["id"])
    checker_client.get(f"/documents/jobs/{job_id}")  # a page view wakes the runner for waiting jobs
    assert job_runner.runner(app).wait_idle(60)
    assert jobs.get_job(db, job_id)["state"] == "done"
    assert db.scalar("SELECT source FROM documents") == "wire"


def test_two_workers_never_take_the_same_job(app):
    first, second = open_store(app.config["DB"]), open_store(app.config["DB"])
    try:
        jobs.enqueue(first, "ingest", {})
        taken = [jobs.take_next(first, "host:1:a"), jobs.take_next(second, "host:2:b")]
        assert [job is not None for job in taken] == [True, False]
    finally:
        first.close()
        second.close()


def test_a_long_paste_runs_as_a_job_and_a_refused_one_is_refused_at_once(app, checker_client, db):
    long_text = " ".join(f"The ministry said {n:,} homes were rebuilt in district {n} in 2023." for n in range(400))
    assert len(long_text) > 20_000
    response = checker_client.post("/documents/new", data={"mode": "paste", "text": long_text, "source": "Wire",
                                                           "published_at": "2024-02-01", "title": "Rebuilding"})
    assert response.headers["Location"].startswith("/documents/jobs/")
    html = run_to_end(app, checker_client, response)
    assert "Done: added 1" in html and "Open the article" in html and "Rebuilding" in html
    assert db.one("SELECT title, source, published_at FROM documents") == {
        "title": "Rebuilding", "source": "Wire", "published_at": "2024-02-01"}
    refused = checker_client.post("/documents/new", data={"mode": "paste", "text": long_text + " More.",
                                                          "published_at": "soon"})
    assert refused.status_code == 422 and "not a date format Claimdesk reads" in refused.get_data(as_text=True)
    assert db.scalar("SELECT count(*) FROM jobs") == 1
