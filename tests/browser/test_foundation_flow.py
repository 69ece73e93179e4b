"""Sign in, add an article, see its claims in the queue, find it in search, sign out."""

from playwright.sync_api import expect

from review.storage import open_store
from review.indexing import drain
from tests.browser.conftest import expect_ready

ARTICLE = (
    "Syrian media reports have claimed that the government forces have managed to neutralize a total of "
    "2,500 terrorists, with the help of Russian air support. In 2015, Russia intervened in the hostilities "
    "at the request of Damascus and helped Assad's forces restore control over most of the country."
)


def test_login_queue_logout(page, live_server, sign_in):
    sign_in("checker")
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    expect(page.locator("nav.tabs")).to_contain_text("New")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/login")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/login?next=/")


def test_pasted_article_reaches_queue_and_search(page, live_server, live_app, sign_in):
    sign_in("checker")
    page.get_by_role("link", name="Add article").click()
    page.fill("input[name=source]", "SANA")
    page.fill("textarea[name=text]", ARTICLE)
    page.get_by_role("button", name="Add and extract claims").click()
    expect(page.locator(".claim-mark").first).to_be_visible()
    expect(page.locator("#toasts")).to_contain_text("claims extracted")
    page.get_by_role("link", name="Queue").click()
    expect(page.locator("#queue-rows")).to_contain_text("2,500 terrorists")
    expect(page.locator("#queue-rows")).to_contain_text("Syrian media")
    db = open_store(live_app.config["DB"])
    drain(db, live_app.config["INDEX"])  # what the server's background loop does
    db.close()
    page.get_by_role("link", name="Search").click()
    expect(page.get_by_role("heading", name="Search", exact=True)).to_be_visible()
    expect_ready(page)
    page.get_by_role("searchbox").fill("neutralize terrorists")
    expect(page.locator("#search-results")).to_contain_text("1 result")
    expect(page.locator("#search-results mark").first).to_be_visible()
    assert "q=neutralize" in page.url
