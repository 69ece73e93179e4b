"""Small ones: one message per refused form, cleared by the next success; a conflict in plain words; readable
history times with the exact time on hover; no CSP report when something has added a style to an input htmx swaps."""

import re

from playwright.sync_api import expect

from review import claims
from review.storage import open_store
from review.users import find_user
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import claim_in_progress


def tag_behind_the_checkers_back(app, claim_id: int) -> None:
    db = open_store(app.config["DB"])
    claim = claims.get_claim(db, claim_id)
    claims.set_tags(db, claim_id, find_user(db, "editor"), add=["bridges"], version=claim["version"])
    db.close()


def test_conflict_in_plain_words_once_then_cleared_and_no_csp_report(page, live_server, live_app, sign_in, problems):
    claim_id = claim_in_progress(live_app)
    sign_in("checker")
    assert_accessible(page)  # the queue
    page.goto(f"{live_server.url}/claims/{claim_id}")

    # A password manager or an extension styles an input that htmx later swaps out of band (the claim's version):
    # settling must not copy the style attribute onto the new input (the strict CSP would report it).
    page.evaluate("document.getElementById('claim-version').style.outline = '2px solid orange'")
    page.get_by_label("Add tags").fill("roads")
    page.get_by_label("Add tags").press("Enter")
    expect(page.get_by_role("status").filter(has_text="Tags saved.")).to_be_visible()

    # A refused form says why once (the alert, no toast on top); the next success clears it.
    problems.allow(422)
    evidence = page.get_by_role("region", name="Evidence")
    evidence.get_by_text("Add a source by URL", exact=True).click()
    evidence.get_by_label("URL").fill("https://budget.example/2024")
    evidence.get_by_role("button", name="Add evidence").click()
    expect(page.get_by_role("alert")).to_contain_text("give a title or the excerpt that matters")
    expect(page.locator("#toasts .toast-error")).to_have_count(0)
    evidence.get_by_label("Title").fill("City budget 2024")
    evidence.get_by_role("button", name="Add evidence").click()
    expect(page.get_by_role("status").filter(has_text="Evidence attached: City budget 2024")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)

    # Someone else changes the claim; the checker's save is refused with who did what and when, in words.
    tag_behind_the_checkers_back(live_app, claim_id)
    problems.allow(409)
    verdict = page.get_by_role("region", name="Verdict", exact=True)
    verdict.get_by_label("Conclusion").fill("The bridge cost $31 million")
    verdict.get_by_role("button", name="Save draft").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("editor changed it (Tags changed) just now, after you opened this claim,"
                                  " so your change was not saved.")
    expect(alert).not_to_contain_text("claim.tags")
    expect(alert).to_have_count(1)  # one message: no toast repeating it
    expect(page.locator("#toasts .toast-error")).to_have_count(0)

    # History times read in the reader's time zone; the exact time is on hover.
    history = page.get_by_role("region", name="History")
    first = history.get_by_role("listitem").first.locator("time")
    expect(first).to_have_attribute("title", re.compile(r"\d{4}.*\d{1,2}:\d{2}:\d{2}"))
    expect(first).not_to_have_text(re.compile(r"T\d\d:|UTC$"))
