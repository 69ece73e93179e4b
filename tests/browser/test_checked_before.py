"""Checked before? in the workspace: a strong match with its publisher, or plainly none and a way to search."""

import json
import re

from playwright.sync_api import expect

from review import claims
from review.claimreview.store import import_paths
from review.indexing import drain
from review.storage import open_store
from tests.browser.conftest import expect_ready

REVIEW = {"@context": "https://schema.org", "@type": "ClaimReview",
          "url": "https://checker.example/reviews/bridge-48-million",
          "claimReviewed": "The new Riverton bridge cost $48 million.",
          "author": {"@type": "Organization", "name": "PolitiFact"}, "datePublished": "2016-05-02",
          "reviewRating": {"@type": "Rating", "alternateName": "Pants on Fire"}}


def seed(app, tmp_path):
    path = tmp_path / "reviews.jsonl"
    path.write_text(json.dumps(REVIEW) + "\n")
    db = open_store(app.config["DB"])
    try:
        import_paths(db, [str(path)])
        drain(db, app.config["INDEX"])
        same = claims.create_manual_claim(db, text="The mayor said the new Riverton bridge cost $48 million.")
        other = claims.create_manual_claim(db, text="Hospital waiting lists grew by 12 percent in Harbor County.")
    finally:
        db.close()
    return same["id"], other["id"]


def test_checked_before_shows_strong_matches_only(page, live_server, live_app, sign_in, tmp_path):
    same, other = seed(live_app, tmp_path)
    sign_in("checker")
    page.goto(f"{live_server.url}/claims/{same}")
    expect_ready(page)
    panel = page.locator("#prior-panel")
    expect(panel.get_by_role("heading", name="Checked before?")).to_be_visible()
    expect(panel).to_contain_text("Pants on Fire")
    expect(panel).to_contain_text("PolitiFact")
    expect(panel).to_contain_text("strong match")
    page.goto(f"{live_server.url}/claims/{other}")
    expect_ready(page)
    expect(panel).to_contain_text("No earlier fact-check found.")
    expect(panel).not_to_contain_text("Pants on Fire")
    panel.get_by_role("link", name="Search earlier fact-checks").click()
    expect(page).to_have_url(re.compile(r"/search/?\?.*kind=verdict"))
    expect(page.get_by_role("searchbox").first).to_have_value(re.compile("Hospital waiting lists"))
