"""The desk overview in the browser: a chart's bar opens the queue it counts; a re-check day comes due; the report prints."""

from playwright.sync_api import expect

from review import desk
from review.storage import open_store
from tests.browser.conftest import expect_ready
from tests.review.test_dashboard import build_desk, published_claim


def seed(app) -> int:
    db = open_store(app.config["DB"])
    try:
        known = build_desk(db, desk.today(db))
        return published_claim(db, known["people"]["ana"], known["people"]["eve"])
    finally:
        db.close()


def test_dashboard_chart_link_recheck_due_and_printed_report(page, live_server, live_app, sign_in, tmp_path):
    claim_id = seed(live_app)
    sign_in("eve")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Desk overview")).to_be_visible()
    expect_ready(page)
    ratings = page.locator("#chart-ratings")
    expect(ratings.locator("svg > title")).to_have_text("Published verdicts per rating (the numbers are in the table below)")
    # The numbers are a table screen readers always have; "Show the numbers" puts it on screen.
    numbers = ratings.get_by_role("table", name="Published verdicts per rating")
    expect(numbers).to_be_attached()
    expect(numbers).not_to_be_in_viewport()
    ratings.get_by_text("Show the numbers").click()
    expect(numbers.get_by_role("row", name="False 2")).to_be_visible()
    page.set_viewport_size({"width": 1400, "height": 2200})
    page.screenshot(path=str(tmp_path / "dashboard.png"), caret="initial", full_page=True)
    # The "False" bar (two verdicts) opens the queue filtered to them.
    ratings.locator("svg a").filter(has=page.locator("title", has_text="False: 2 verdicts")).click()
    expect(page.locator("#queue-matching")).to_have_text("2")
    expect(page.locator("#queue-rows tr.claim-row")).to_have_count(2)
    assert "rating=false" in page.url
    # Make that view where the queue opens: the Queue link now lands on it.
    expect_ready(page)
    page.get_by_role("button", name="Make this my start view").click()
    expect(page.get_by_role("status").filter(has_text="This view is now where your queue opens.")).to_be_visible()
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Desk overview")).to_be_visible()
    page.get_by_role("link", name="Queue", exact=True).click()
    expect(page.locator("#queue-matching")).to_have_text("2")
    # Set a re-check day on a published verdict: today, so it is due at once.
    page.goto(f"{live_server.url}/claims/{claim_id}")
    expect_ready(page)
    panel = page.locator("#verdict-panel")
    expect(panel.get_by_text("No re-check day set.")).to_be_visible()
    panel.get_by_label("Re-check by").fill(desk.today(open_store(live_app.config["DB"])).isoformat())
    panel.get_by_role("button", name="Set re-check day").click()
    expect(page.locator("#verdict-panel .recheck-due")).to_have_text("Re-check due")
    # It comes due on the dashboard and in the queue, with a badge.
    page.get_by_role("link", name="Dashboard").click()
    due = page.locator("#rechecks")
    expect(due.locator(".big")).to_have_text("1")
    due.locator(".big a").click()
    expect(page.locator("#queue-matching")).to_have_text("1")
    expect(page.locator(f"#claim-{claim_id} .recheck-due")).to_contain_text("Re-check due")
    # Re-checking opens a correction with the published verdict beside it.
    page.locator(f"#claim-{claim_id} a.open-claim").click()
    expect_ready(page)
    page.get_by_role("button", name="Re-check now (open a correction)").click()
    expect(page.get_by_role("complementary", name="Published verdict (revision 1)")).to_contain_text(
        "The count is still moving")
    page.screenshot(path=str(tmp_path / "recheck-correction.png"), caret="initial", full_page=True)
    # The report of published verdicts prints without the navigation.
    page.goto(f"{live_server.url}/reports/verdicts")
    expect(page.locator(".report-verdict")).to_have_count(5)
    page.emulate_media(media="print")
    expect(page.locator("header.topbar")).to_be_hidden()
    expect(page.get_by_role("form", name="Report period")).to_be_hidden()
    page.screenshot(path=str(tmp_path / "report-print.png"), caret="initial", full_page=True)
