"""Claims per article, set per source: an editor sets a source's budget and the queue's New tab follows it."""

from playwright.sync_api import expect

from review.ingest.store import add_document
from review.storage import open_store
from tests.browser.conftest import expect_ready

PLACES = ["Aleppo", "Hama", "Homs", "Idlib", "Daraa", "Latakia"]


def seed(app) -> int:
    """Store one Wire article with six claims; return how many claims it has."""
    db = open_store(app.config["DB"])
    body = " ".join(f"The ministry said {n + 2},{n}00 people were evacuated from {place} on Monday."
                    for n, place in enumerate(PLACES))
    doc_id = add_document(db, title="Evacuations", source="Wire", body=body, published_at="2024-05-02").document_id
    total = db.scalar("SELECT count(*) FROM claims WHERE document_id = ?", [doc_id])
    db.close()
    return total


def test_an_editor_sets_a_sources_budget_and_the_queue_shows_that_many(page, live_server, live_app, sign_in):
    total = seed(live_app)
    assert total > 2
    sign_in("editor")
    expect_ready(page)
    rows = page.locator("#queue-rows tr.claim-row")
    expect(rows).to_have_count(min(total, 5))
    page.get_by_role("link", name="Claims per article, by source").click()
    expect(page.get_by_role("heading", name="Claims per article")).to_be_visible()
    page.get_by_label("Claims per article from Wire").fill("2")
    page.get_by_role("row", name="Wire").get_by_role("button", name="Save").click()
    expect(page.locator("#toasts")).to_contain_text("New shows 2 claims of each article from Wire.")
    expect(page.get_by_label("Claims per article from Wire")).to_have_value("2")
    page.screenshot(path="/tmp/source-budgets.png", caret="initial")
    page.get_by_role("link", name="Queue").click()
    expect_ready(page)
    expect(rows).to_have_count(2)
    rows.first.get_by_role("link", name="More from this article").click()
    expect(rows).to_have_count(total)
    page.screenshot(path="/tmp/source-budgets-more.png", caret="initial")
