"""The queue's priority and its parts, the bulk bar's controls, filtered tab counts, one-line source column, messages."""

from playwright.sync_api import expect

from review import claims
from review.storage import open_store
from tests.browser.conftest import expect_ready


def seed(app):
    db = open_store(app.config["DB"])
    for n, text in enumerate(["Officials said 2,500 people were evacuated from Aleppo on Monday.",
                              "The ministry reported 310 new cases of measles in 2024.",
                              "Unemployment fell to 4.1 percent in March, the statistics office said."]):
        claims.create_manual_claim(db, text=text, claimant="Someone", url=f"https://news.example/{n}",
                                   appeared_at="2024-05-02")
    db.close()


def test_priority_parts_bulk_controls_and_filtered_counts(page, live_server, live_app, sign_in):
    seed(live_app)
    sign_in("checker")
    expect_ready(page)
    rows = page.locator("#queue-rows tr.claim-row")
    expect(rows).to_have_count(3)
    expect(page.get_by_role("columnheader", name="Priority")).to_be_visible()
    expect(rows.first.locator(".priority-parts")).to_contain_text("score 35.0")
    # The bulk bar shows only the chosen action's own control.
    action = page.get_by_label("Bulk action")
    action.select_option("accept")
    expect(page.get_by_label("Dismiss reason")).to_be_hidden()
    expect(page.get_by_label("Assign to")).to_be_hidden()
    action.select_option("dismiss")
    expect(page.get_by_label("Dismiss reason")).to_be_visible()
    expect(page.get_by_label("Tag to add")).to_be_hidden()
    action.select_option("tag")
    expect(page.get_by_label("Tag to add")).to_be_visible()
    expect(page.get_by_label("Dismiss reason")).to_be_hidden()
    # The source column keeps each value on one line.
    assert rows.first.locator("td.source").evaluate("cell => getComputedStyle(cell).whiteSpace") == "nowrap"
    # Tab counts follow the search box.
    expect(page.locator("#count-new")).to_have_text("3")
    page.get_by_role("searchbox").first.fill("measles")
    expect(rows).to_have_count(1)
    expect(page.locator("#count-new")).to_have_text("1")
    # A message names the claim by its first words and leaves every row's buttons uncovered.
    page.goto(f"{live_server.url}/")
    expect_ready(page)
    expect(rows).to_have_count(3)
    rows.first.get_by_role("button", name="Accept").click()
    toast = page.locator("#toasts .toast").last
    expect(toast).to_contain_text("Accepted: “")
    box = toast.bounding_box()
    for button in page.locator("#queue-rows td.row-actions button").all():
        other = button.bounding_box()
        assert (box["x"] + box["width"] <= other["x"] or other["x"] + other["width"] <= box["x"]
                or box["y"] + box["height"] <= other["y"] or other["y"] + other["height"] <= box["y"])
    page.screenshot(path="/tmp/queue-items.png", caret="initial")
