"""Item 3: a pasted article takes its date, author and language; without a date it is undated, and search says so."""

from playwright.sync_api import expect

from review.indexing import drain
from review.storage import open_store
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import expect_ready

DATED = ("The port authority said 1,800 containers were handled in March, a record for the harbour. "
         "The union said 200 dock workers were laid off in the same month.")
UNDATED = ("The port authority said 2,300 containers were handled in April, another record for the harbour. "
           "Dock workers said overtime had doubled since the spring.")
PAGE = ("<html><body><h1>Mayor says crime fell 30%</h1><script>document.title = 'x'</script>"
        "<p>The mayor said crime fell 30% in 2023 across the city, according to police figures released on Monday.</p>"
        "<p>Opposition councillors said the figures left out 4,000 unreported thefts.</p></body></html>")


def add_article(page, text: str, **fields) -> None:
    page.get_by_role("link", name="Add article").first.click()
    expect(page.get_by_role("heading", name="Add article")).to_be_visible()
    expect_ready(page)
    assert_accessible(page)
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    page.get_by_label("Article text").fill(text)
    page.get_by_role("button", name="Add and extract claims").click()


def test_paste_with_a_date_and_without_then_search_by_date(page, live_server, live_app, sign_in):
    sign_in("checker")
    add_article(page, DATED, **{"Source": "Harbour Gazette", "Publication date": "2024-03-30", "Author": "Ana Lima",
                                "Language": "en"})
    meta = page.locator(".page-head .meta")
    expect(meta).to_contain_text("2024-03-30")
    expect(meta).to_contain_text("Ana Lima")
    assert_accessible(page)
    expect(page.get_by_role("status").filter(has_text="claims extracted")).to_be_visible()

    add_article(page, UNDATED, Source="Harbour Gazette")
    expect(page.locator(".page-head .meta")).to_contain_text("undated")
    page.get_by_role("link", name="Queue").click()
    expect(page.locator("#queue-rows")).to_contain_text("2,300 containers")
    row = page.locator("#queue-rows tr", has_text="2,300 containers")
    expect(row).to_contain_text("undated")  # not the day it was pasted

    db = open_store(live_app.config["DB"])
    drain(db, live_app.config["INDEX"])
    db.close()
    page.get_by_role("link", name="Search").click()
    expect(page.get_by_role("heading", name="Search", exact=True)).to_be_visible()
    expect_ready(page)
    page.get_by_role("searchbox").fill("containers date:2024")
    results = page.locator("#search-results")
    expect(results).to_contain_text("1 result")
    expect(results).to_contain_text("The date filter leaves out 1 undated document")
    page.screenshot(path=str(live_app.config["INSTANCE"]) + "/search-undated.png", caret="initial")
    results.get_by_role("link", name="Search without the date").click()
    expect(page.locator("#search-results")).to_contain_text("2 results")


def test_pasted_html_reads_like_a_page(page, live_server, live_app, sign_in):
    sign_in("checker")
    add_article(page, PAGE, Source="City Desk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mayor says crime fell 30%")
    reader = page.locator("article.reader")
    expect(reader).to_contain_text("according to police figures")
    expect(reader).not_to_contain_text("<p>")
    expect(reader).not_to_contain_text("document.title")
    expect(page.locator(".claim-list")).to_contain_text("The mayor said crime fell 30% in 2023 across the city.")
