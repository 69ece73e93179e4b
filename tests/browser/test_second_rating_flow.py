"""Blind second rating in the browser: the admin turns it on, an editor asks a second checker, who finds the task in
their queue and rates without seeing the first rating; the editor then sees both side by side, the disagreement
marked, and approves the second."""

from playwright.sync_api import expect

from review import claims, verdicts, workflow
from review.storage import open_store
from review.users import find_user
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import claim_in_progress
from tests.conftest import add_user

FIRST_CONCLUSION = "The bridge cost far more than the mayor said"


def submitted_with_second_checker(app) -> int:
    claim_id = claim_in_progress(app)
    db = open_store(app.config["DB"])
    add_user(db, "checker2", "checker")
    checker = find_user(db, "checker")
    verdicts.save_draft(db, claims.get_claim(db, claim_id), checker, {
        "rating_key": "missing-context", "conclusion": FIRST_CONCLUSION,
        "explanation": "The council minutes list overruns the mayor left out."})
    workflow.apply_action(db, claim_id, "submit", checker)
    db.close()
    return claim_id


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_a_blind_second_rating_from_request_to_decision(page, live_server, live_app, sign_in, tmp_path):
    claim_id = submitted_with_second_checker(live_app)
    claim_url = f"{live_server.url}/claims/{claim_id}"

    sign_in("admin")
    page.goto(f"{live_server.url}/admin/desk")
    page.get_by_label("Let editors ask for blind second ratings").check()
    page.get_by_role("region", name="Blind second ratings").get_by_role("button", name="Save").click()
    expect(page.get_by_text("Editors can now ask for blind second ratings.")).to_be_visible()
    sign_out(page)

    sign_in("editor")
    page.goto(claim_url)
    panel = page.get_by_role("region", name="Blind second rating")
    panel.get_by_label("Second checker").select_option(label="checker2")
    panel.get_by_role("button", name="Ask for a blind second rating").click()
    expect(panel).to_contain_text("Waiting for checker2's rating")
    review = page.get_by_role("region", name="Verdict in review")
    expect(review.get_by_role("button", name="Approve and publish")).to_have_count(0)  # the claim waits for it
    sign_out(page)

    sign_in("checker2")
    tab = page.get_by_role("link", name="Second ratings")
    expect(tab.locator(".count")).to_have_text("1")
    tab.click()
    row = page.locator("#queue-rows tr.claim-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Your blind second rating")
    row.get_by_role("link", name="The mayor said the new bridge cost $48 million.").click()
    task = page.get_by_role("region", name="Blind second rating")
    expect(task).to_contain_text("editor asked you for a blind second rating")
    expect(page.locator("#verdict-panel")).to_contain_text("hidden from you until both ratings are in")
    expect(page.get_by_text(FIRST_CONCLUSION)).to_have_count(0)
    expect(page.locator(".rating.rating-missing-context")).to_have_count(0)
    expect(page.get_by_role("region", name="Verdict in review")).to_have_count(0)
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "second-rating-task.png"), caret="initial", full_page=True)
    task.get_by_label("Mostly false", exact=True).check()
    task.get_by_label("Your reasoning").fill("The signed contract puts the cost at $61 million, not $48 million.")
    task.get_by_role("button", name="Give my second rating").click()
    expect(page.get_by_text("Second rating saved. Both ratings are in.")).to_be_visible()
    sign_out(page)

    sign_in("editor")
    page.goto(claim_url)
    review = page.get_by_role("region", name="Verdict in review")
    expect(review.locator(".compare-mark")).to_contain_text("Raters disagree")
    first = review.get_by_role("region", name="First rating")
    second = review.get_by_role("region", name="Second rating")
    expect(first.locator(".rating")).to_have_text("Missing context")
    expect(first).to_contain_text("checker")
    expect(second.locator(".rating")).to_have_text("Mostly false")
    expect(second).to_contain_text("$61 million")
    expect(review.locator("#raters-disagree")).to_contain_text("Raters disagree")
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "second-rating-review.png"), caret="initial", full_page=True)
    review.get_by_role("button", name="Approve the second rating and publish").click()
    expect(page.get_by_text("Published", exact=True).first).to_be_visible()
    expect(page.locator(".published-verdict .rating")).to_have_text("Mostly false")
