"""The editor's review screen: what they approve, as it will be published, and what changed since they last saw it."""

from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.conftest import claim_in_progress


def draft_and_submit(page, rating: str, conclusion: str) -> None:
    page.get_by_label(rating, exact=True).check()
    page.get_by_label("Conclusion").fill(conclusion)
    page.get_by_label("Explanation").fill("The **city budget** lists $31 million.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status").filter(has_text="Verdict draft saved")).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("In review", exact=True).first).to_be_visible()


def test_editor_sees_what_they_approve_and_what_changed_after_send_back(page, live_server, live_app, sign_in):
    claim_id = claim_in_progress(live_app)
    sign_in("checker")
    page.goto(f"{live_server.url}/claims/{claim_id}")
    draft_and_submit(page, "Mostly false", "The bridge cost $31 million")
    page.get_by_role("button", name="Sign out").click()

    sign_in("editor")
    page.get_by_role("link", name="Verdicts").click()
    page.get_by_role("link", name="The mayor said the new bridge cost $48 million.").click()
    review = page.get_by_role("region", name="Verdict in review")
    expect(review.locator("dd .rating")).to_have_text("Mostly false")
    expect(review).to_contain_text("The bridge cost $31 million")
    expect(review).to_contain_text("by checker")
    expect(review).to_contain_text("First submission")
    preview = review.get_by_role("group").filter(has_text="Preview of the public page")
    expect(preview.locator(".verdict-line")).to_contain_text("Mostly false")
    expect(preview.locator(".explanation strong")).to_have_text("city budget")
    # The decision sits with what it decides on, as the primary actions.
    expect(review.get_by_role("button", name="Approve and publish")).to_have_class("primary")
    review.get_by_label("Comment for the checker").fill("Is it false rather than mostly false?")
    review.get_by_role("button", name="Send back").click()
    expect(page.get_by_text("In progress", exact=True).first).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in("checker")
    page.goto(f"{live_server.url}/claims/{claim_id}")
    expect(page.locator("#verdict-panel")).to_contain_text("Is it false rather than mostly false?")
    draft_and_submit(page, "False", "The bridge cost $31 million")
    page.get_by_role("button", name="Sign out").click()

    sign_in("editor")
    page.goto(f"{live_server.url}/claims/{claim_id}")
    review = page.get_by_role("region", name="Verdict in review")
    changes = review.get_by_role("region", name="What changed since the version you last saw")
    rating_row = changes.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Rating"))
    expect(rating_row).to_contain_text("Changed")
    expect(rating_row.locator("del")).to_have_text("Mostly false")
    expect(rating_row.locator("ins")).to_have_text("False")
    expect(changes.get_by_role("rowheader", name="Conclusion")).to_have_count(0)  # unchanged, listed as such
    expect(changes).to_contain_text("Unchanged: Conclusion")
    assert_accessible(page)  # the review screen
    review.get_by_role("button", name="Approve and publish").click()
    expect(page.get_by_text("Published", exact=True).first).to_be_visible()
    expect(page.get_by_role("region", name="Verdict in review")).to_have_count(0)
