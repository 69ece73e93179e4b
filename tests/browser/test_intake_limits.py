"""Item 7: work in flight shows an indicator and a disabled button; uploads run as jobs with a progress bar;
a job killed mid-way reads as failed with its reason; repeats fold into one claim; an over-long claim is refused."""

import json
import os
import signal
import subprocess
import sys
import textwrap

from playwright.sync_api import expect

from review import jobs
from review.storage import open_store
from review.users import find_user
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import expect_ready

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REPEATED = ("The mayor said crime fell 30% in 2023 across the city. Police figures were released on Monday. "
            "The mayor said that crime fell 30% in 2023 across the whole city. Critics were not convinced. "
            "The mayor said crime fell 30% in 2023 across the city.")


def open_add(page, tab: str | None = None) -> None:
    page.get_by_role("link", name="Add article").first.click()
    expect(page.get_by_role("heading", name="Add article")).to_be_visible()
    if tab:
        page.get_by_role("link", name=tab).click()
        expect(page.get_by_role("link", name=tab)).to_have_attribute("aria-current", "page")
    expect_ready(page)


def test_a_paste_in_flight_shows_an_indicator_and_disables_its_button(page, live_server, sign_in):
    sign_in("checker")
    open_add(page)
    held = []
    page.route("**/documents/new", lambda route: held.append(route) if route.request.method == "POST"
               else route.continue_())
    page.get_by_label("Article text").fill(REPEATED)
    button = page.get_by_role("button", name="Add and extract claims")
    button.click()
    expect(button).to_be_disabled()
    expect(page.get_by_role("status").filter(has_text="Reading the article and extracting claims")).to_be_visible()
    assert len(held) == 1
    held[0].continue_()
    page.unroute("**/documents/new")
    claims = page.locator(".claim-list")
    expect(claims.locator("li", has_text="crime fell 30%")).to_contain_text("stated 3 times here")
    expect(claims.locator("li", has_text="crime fell 30%")).to_have_count(1)


def test_an_upload_runs_as_a_job_with_a_progress_bar(page, live_server, live_app, sign_in, tmp_path):
    records = [{"title": f"Harbour report {n}", "body": f"The port authority said {1000 + n} containers were "
                f"handled in week {n}, up {n}% on the year before."} for n in range(1, 41)]
    upload = tmp_path / "harbour.jsonl"
    upload.write_text("\n".join(json.dumps(r) for r in records) + "\n{\"title\": \"broken\"\n")
    sign_in("checker")
    open_add(page, "Upload files")
    page.get_by_label("Files").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and extract claims").click()
    job = page.locator("#job")
    expect(job.get_by_role("heading")).to_contain_text("Article ingest")
    expect(job).to_contain_text("Started by checker")
    expect(job).to_contain_text("Done: added 40, duplicates 0, skipped 0 (empty), failed 1", timeout=60_000)
    expect(job.get_by_role("row", name="harbour.jsonl:41")).to_contain_text("malformed JSON")
    expect(page.get_by_role("status").filter(has_text="Ingested: added 40")).to_be_visible()
    page.screenshot(path=str(live_app.config["INSTANCE"]) + "/job-done.png", caret="initial")
    assert_accessible(page)
    job.get_by_role("link", name="Harbour report 7").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour report 7")


def test_a_running_job_polls_and_a_killed_one_reads_failed(page, live_server, live_app, sign_in):
    db = open_store(live_app.config["DB"])
    job_id = jobs.enqueue(db, "ingest", {"source": ""}, files=[("big.jsonl", b"{}\n" * 100)],
                          actor_id=find_user(db, "checker")["id"])
    script = textwrap.dedent(f"""
        import time
        from review import jobs
        from review.storage import open_store
        db = open_store({live_app.config["DB"]!r})
        job = jobs.take_next(db, jobs.worker_name())
        db.execute("UPDATE jobs SET progress = 120 WHERE id = ?", [job["id"]])
        print("taken", flush=True)
        time.sleep(120)
    """)
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=ROOT) as worker:
        try:
            assert worker.stdout.readline().strip() == "taken"
            sign_in("checker")
            page.goto(f"{live_server.url}/documents/jobs/{job_id}")
            job = page.locator("#job")
            expect(job).to_contain_text("Working: 40% done.")
            expect(job.get_by_role("progressbar", name="Progress")).to_have_attribute("value", "40")
            page.screenshot(path=str(live_app.config["INSTANCE"]) + "/job-running.png", caret="initial")
            assert_accessible(page)
        finally:
            worker.send_signal(signal.SIGKILL)  # the worker dies mid-way, as in a restart
    db.close()
    failed = page.get_by_role("region", name="Article ingest").get_by_role("alert")
    expect(failed).to_have_text("Failed: Stopped part-way: the server was stopped or restarted while this job ran "
                                "(120 of 300 done). What was stored before stays; start the job again for the rest.")
    page.reload()
    expect(page.get_by_role("region", name="Article ingest").get_by_role("alert")).to_contain_text("Stopped part-way")


def test_an_over_long_claim_is_a_field_error(page, live_server, sign_in, problems):
    problems.allow(422)
    sign_in("checker")
    page.goto(f"{live_server.url}/claims/new")
    page.get_by_label("Claim", exact=True).fill("The river rose 3 metres in 2024 after the storm. " * 20)
    page.get_by_role("button", name="Create claim").click()
    expect(page.locator("#text-error")).to_contain_text("keep the claim to 600 characters (this one has 979)")


def test_a_claimreview_import_runs_as_a_job(page, live_server, live_app, sign_in, tmp_path):
    record = {"@type": "ClaimReview", "claimReviewed": "The river never floods.", "url": "https://checks.example.org/river",
              "reviewRating": {"alternateName": "False"}, "author": {"@type": "Organization", "name": "Checks"},
              "datePublished": "2024-05-01"}
    upload = tmp_path / "checks.json"
    upload.write_text(json.dumps(record))
    sign_in("admin")
    page.goto(f"{live_server.url}/admin/imports")
    expect_ready(page)
    page.get_by_label("ClaimReview files").set_input_files(str(upload))
    page.get_by_role("button", name="Import").click()
    job = page.get_by_role("region", name="ClaimReview import")
    expect(job).to_contain_text("Done: added 1, updated 0, refused 0", timeout=60_000)
    expect(job.get_by_role("link", name="The river never floods.")).to_be_visible()
    expect(page.locator("#recent-reviews")).to_contain_text("The river never floods.")
    assert_accessible(page)


def test_a_busy_indicator_is_shown_or_hidden_never_half_faded(page, live_server, sign_in):
    """The moment a request ends, its "Uploading…" line is gone: a half-faded one is grey on white that nobody
    can read (axe caught it mid-fade after a fast import)."""
    sign_in("admin")
    page.goto(f"{live_server.url}/admin/imports")
    expect_ready(page)
    busy = page.get_by_role("status").filter(has_text="Uploading")
    form = page.locator("form").filter(has=page.get_by_label("ClaimReview files"))
    form.evaluate("form => form.classList.add('htmx-request')")  # what htmx does while the upload runs
    expect(busy).to_be_visible()
    form.evaluate("form => form.classList.remove('htmx-request')")  # the answer arrived
    assert_accessible(page)
    expect(busy).to_be_hidden()
