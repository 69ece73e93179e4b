"""Checked before? with the semantic extra: a claim worded differently from the fact-check still finds it."""

from playwright.sync_api import expect

from review import claims
from review.claimreview.store import import_bytes
from review.indexing import drain
from review.storage import open_store
from tests.browser.conftest import expect_ready
from tests.review.semantic.conftest import REVIEWS, claimreview_file, semantic_on  # noqa: F401 (the fixture)


def test_a_reworded_claim_shows_its_earlier_fact_check(semantic_on, page, live_server, live_app, sign_in):
    db = open_store(live_app.config["DB"])
    try:
        import_bytes(db, "reviews.json", claimreview_file(REVIEWS))
        drain(db, live_app.config["INDEX"])
        claim = claims.create_manual_claim(db, text="Vaccines are a plot by Bill Gates to implant microchips in people.")
    finally:
        db.close()
    sign_in("checker")
    page.goto(f"{live_server.url}/claims/{claim['id']}")
    expect_ready(page)
    panel = page.locator("#prior-panel")
    expect(panel.get_by_role("heading", name="Checked before?")).to_be_visible()
    expect(panel).to_contain_text("Bill Gates wants to microchip people through vaccines")
    expect(panel).to_contain_text("Example Checks")
    expect(panel).to_contain_text("strong match")
