"""The page's ready mark (claimdesk.js): off while a boosted page switch is on its way, back once htmx bound a page.

Tests wait for the mark (expect_ready) before they type; a mark left on the page being replaced let them type
into a page about to go.
"""

import threading

from flask import abort, request
from playwright.sync_api import expect

from review.indexing import drain
from review.ingest import store
from review.storage import open_store
from tests.browser.conftest import expect_ready


def test_a_boosted_switch_takes_the_mark_off_until_the_new_page_is_bound(page, live_server, live_app, sign_in,
                                                                         problems):
    db = open_store(live_app.config["DB"])
    store.add_document(db, body="The observatory counted 312 fighters in Idlib.", title="Observatory weekly count",
                       source="Observatory", url="https://observatory.example/week1", published_at="2024-12-06")
    drain(db, live_app.config["INDEX"])
    db.close()
    search_answers = threading.Event()
    queue_fails = threading.Event()

    @live_app.before_request
    def hold_or_refuse():  # the server answers the search page only when the test says so
        if request.path.startswith("/search"):
            search_answers.wait(60)
        if request.path == "/" and queue_fails.is_set():
            abort(503)

    sign_in("checker")
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    expect_ready(page)
    page.get_by_role("link", name="Search").click()
    # The queue is still on screen while the search page is on its way: it no longer says it is ready.
    expect(page.locator("#main")).not_to_have_attribute("data-ready", "")
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    search_answers.set()
    expect(page.get_by_role("heading", name="Search", exact=True)).to_be_visible()
    expect_ready(page)
    # Bound: typing searches without a press of Enter.
    page.get_by_role("searchbox").fill("observatory fighters")
    expect(page.locator("#search-results")).to_contain_text("Observatory weekly count")

    # A switch the server refuses leaves the page as it was, and ready again.
    problems.allow(503)
    queue_fails.set()
    page.get_by_role("link", name="Queue").click()
    expect_ready(page)
    expect(page.get_by_role("heading", name="Search", exact=True)).to_be_visible()
    page.get_by_role("searchbox").fill("idlib")
    expect(page.locator("#search-results")).to_contain_text("Observatory weekly count")
