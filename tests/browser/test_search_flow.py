"""Search the corpus from the claim workspace and attach a passage as evidence."""

import pytest
from playwright.sync_api import expect

from review import claims, users, workflow
from review.ingest import store
from review.storage import open_store
from review.indexing import drain
from tests.browser.conftest import expect_ready
from tests.conftest import add_user, make_app
from tests.search_index.conftest import ENGINES

REPORT = ("The Syrian Observatory for Human Rights recorded 312 deaths among fighters in Idlib and Aleppo "
          "during the first week of the offensive, far fewer than the figure given by state media.")


@pytest.fixture(params=ENGINES)
def live_app(request, tmp_path):
    """The served app on each search engine: Whoosh, and PostgreSQL search on the PostgreSQL run."""
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True, SEARCH=request.param)
    db = open_store(app.config["DB"])
    add_user(db, "checker", "checker")
    db.close()
    return app


def prepare(app):
    db = open_store(app.config["DB"])
    store.add_document(db, body=REPORT, title="Observatory weekly count", source="Observatory",
                       url="https://observatory.example/week1", published_at="2024-12-06")
    claim = claims.create_manual_claim(db, text="Government forces neutralized 2,500 terrorists in Idlib.",
                                       claimant="Syrian media", url="https://media.example/a")
    workflow.apply_action(db, claim["id"], "take", users.find_user(db, "checker"))  # a checker changes only their claims
    drain(db, app.config["INDEX"], engine=app.config["SEARCH"])
    db.close()
    return claim["id"]


def test_search_attach_evidence(page, live_server, live_app, sign_in):
    claim_id = prepare(live_app)
    sign_in("checker")
    page.get_by_role("link", name="Search").click()
    expect(page.get_by_role("heading", name="Search", exact=True)).to_be_visible()
    expect_ready(page)
    page.get_by_role("searchbox").fill("observatory fighters")
    expect(page.locator("#search-results")).to_contain_text("Observatory weekly count")
    expect(page.locator("#search-results mark").first).to_be_visible()
    assert "q=observatory" in page.url

    page.goto(f"{live_server.url}/claims/{claim_id}")
    panel = page.locator(".search-panel")
    panel.get_by_role("searchbox").fill("deaths among fighters")
    expect(panel.locator("#ws-search-results")).to_contain_text("Observatory weekly count")
    assert "q=deaths" in page.url  # the workspace URL follows the search
    panel.get_by_role("button", name="Choose a passage to attach").first.click()
    panel.get_by_label("Stance").first.select_option("refutes")
    panel.get_by_role("button", name="Attach passage").first.click()
    evidence = page.locator("#evidence-panel")
    expect(evidence).to_contain_text("Refutes the claim")
    expect(evidence.locator("blockquote.excerpt")).to_contain_text("312 deaths among fighters")
    expect(page.locator(".history")).to_contain_text("Evidence added")
