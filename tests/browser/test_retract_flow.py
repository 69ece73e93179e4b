"""Retracting a fact-check in the browser: one editor asks with the reason, another approves, the public page
becomes a retraction notice."""

import pytest
from playwright.sync_api import expect

from review.storage import open_store
from review.users import find_user
from tests.conftest import add_user
from tests.review.test_retraction import publish

pytestmark = pytest.mark.browser
REASON = "The ministry's table counts homes, not buildings; our figure was wrong."


def test_one_editor_requests_another_approves_and_the_public_page_says_retracted(page, live_server, live_app, sign_in,
                                                                                   tmp_path):
    db = open_store(live_app.config["DB"])
    add_user(db, "editor2", "editor")
    claim_id = publish(db, find_user(db, "checker"), find_user(db, "editor"))["id"]
    db.close()

    sign_in("editor")
    page.goto(f"{live_server.url}/claims/{claim_id}")
    actions = page.locator("#actions-panel")
    actions.get_by_label("Reason for the retraction").fill(REASON)
    actions.get_by_role("button", name="Request retraction").click()
    expect(page.locator("#actions-panel .retraction-pending")).to_contain_text("Another editor must approve or decline it")
    expect(page.locator(".claim-meta .state")).to_have_text("Published")
    expect(page.locator("#actions-panel").get_by_role("button", name="Approve retraction")).to_have_count(0)
    page.screenshot(path=str(tmp_path / "retraction-requested.png"), caret="initial", full_page=True)
    page.get_by_role("button", name="Sign out").click()

    sign_in("editor2")
    page.goto(f"{live_server.url}/claims/{claim_id}")
    page.locator("#actions-panel").get_by_role("button", name="Approve retraction").click()
    expect(page.locator(".claim-meta .state")).to_have_text("Retracted")
    expect(page.locator("#history-panel")).to_contain_text("Retraction requested")

    page.goto(f"{live_server.url}/fact-checks/{claim_id}/")
    expect(page.get_by_role("note")).to_contain_text("Retracted on")
    expect(page.get_by_role("note")).to_contain_text("Its verdict no longer stands.")
    expect(page.locator(".retraction-reason")).to_have_text(REASON)
    expect(page.locator(".retracted-verdict del.rating")).to_have_text("False")
    expect(page.locator("script[type='application/ld+json']")).to_have_count(0)
    page.screenshot(path=str(tmp_path / "retraction-notice.png"), caret="initial", full_page=True)
    import shutil
    for name in ("retraction-requested.png", "retraction-notice.png"):
        shutil.copy(tmp_path / name, f"/tmp/r17/{name}")
