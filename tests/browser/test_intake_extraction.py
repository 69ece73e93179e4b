"""Item 6: right-to-left text reads right to left, another language gets its claims, and no claims says why."""

from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import expect_ready
from tests.review.extraction.multilingual import article

SPEECH = ("Council member David Okafor said the city spent $4 million on the stadium last year. "
          "The army said: «Our forces killed 300 terrorists in Hama. The rest fled north to Idlib.»")
NOTHING = "What a wonderful evening it was. I think everyone loved the music. Let us hope for more."


def add_article(page, text: str, source: str) -> None:
    page.get_by_role("link", name="Add article").first.click()
    expect(page.get_by_role("heading", name="Add article")).to_be_visible()
    expect_ready(page)
    page.get_by_label("Source").fill(source)
    page.get_by_label("Article text").fill(text)
    page.get_by_role("button", name="Add and extract claims").click()


def test_an_arabic_article_reads_right_to_left_with_its_claims(page, live_server, live_app, sign_in):
    sign_in("checker")
    text, marked, _ = article("ar")
    add_article(page, text, "سانا")
    reader = page.locator("article.reader")
    expect(reader).to_have_attribute("lang", "ar")
    assert reader.locator("p").first.evaluate("p => getComputedStyle(p).direction") == "rtl"
    claims = page.locator(".claim-list")
    expect(claims).to_contain_text(marked[0])
    assert claims.get_by_role("link").first.evaluate("a => getComputedStyle(a).direction") == "rtl"
    page.screenshot(path=str(live_app.config["INSTANCE"]) + "/arabic-reader.png", caret="initial")
    assert_accessible(page)
    page.get_by_role("link", name="Queue").click()
    row = page.locator("#queue-rows tr", has_text="طفلا")
    expect(row).to_be_visible()
    assert row.get_by_role("link").first.evaluate("a => getComputedStyle(a).direction") == "rtl"


def test_quotes_titles_and_an_article_without_claims(page, live_server, live_app, sign_in):
    sign_in("checker")
    add_article(page, SPEECH, "City Desk")
    claims = page.locator(".claim-list")
    expect(claims).to_contain_text("Our forces killed 300 terrorists in Hama. The rest fled north to Idlib.")
    expect(claims.locator("li", has_text="$4 million")).to_contain_text("David Okafor")

    add_article(page, NOTHING, "Blog")
    notice = page.get_by_role("status").filter(has_text="No claims were found in this article.")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("none scored as check-worthy")
    assert_accessible(page)
