"""The workspace's panels in a browser: a save swaps its own panel, and the other panels' forms keep working."""

from playwright.sync_api import expect

from tests.browser.conftest import claim_in_progress


def test_panels_swap_alone_and_forms_follow_the_version(page, live_server, live_app, sign_in):
    claim_id = claim_in_progress(live_app)
    sign_in("checker")
    page.goto(f"{live_server.url}/claims/{claim_id}")
    expect(page.locator("#main")).to_have_attribute("data-ready", "")
    page.evaluate("document.getElementById('verdict-panel').dataset.kept = 'yes'")

    page.locator("#notes-panel").get_by_label("Note").fill("Ask the city for the invoice.")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("#notes-panel .note-list")).to_contain_text("Ask the city for the invoice.")
    expect(page.locator("#history-panel")).to_contain_text("Note added")
    expect(page.locator("#verdict-panel[data-kept=yes]")).to_have_count(1)  # the verdict panel stayed as it was

    # A tag bumps the claim's version; the verdict form, not swapped, must send the new one.
    page.get_by_label("Add tags").fill("bridges")
    page.get_by_label("Add tags").press("Enter")
    expect(page.locator("#head-panel .tags-line")).to_contain_text("bridges")
    page.get_by_label("False", exact=True).check()
    page.fill("input[name=conclusion]", "The bridge cost $31 million")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#toasts")).to_contain_text("Verdict draft saved")
    expect(page.locator("#history-panel")).to_contain_text("Verdict drafted")
    page.locator("button[data-action=submit]").click()
    expect(page.locator(".claim-meta .state")).to_have_text("In review")
    expect(page.locator("#alerts")).to_be_empty()
