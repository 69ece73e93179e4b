"""Submitting a verdict: what blocks it is said in plain words beside its field before Submit; an appearance is advice."""

from playwright.sync_api import expect

from review import claims, workflow
from tests.browser.a11y import assert_accessible
from review.storage import open_store
from review.users import find_user


def pasted_claim_in_progress(app) -> int:
    """A claim from a pasted article: no address, no claimant."""
    db = open_store(app.config["DB"])
    claim = claims.create_manual_claim(db, text="The council said crime fell 30% in 2024.", claimant="", url="")
    for action in ("accept", "start"):
        workflow.apply_action(db, claim["id"], action, find_user(db, "checker"))
    db.close()
    return claim["id"]


def test_submit_says_why_it_waits_and_the_verdict_form_fixes_it(page, live_server, live_app, sign_in):
    claim_id = pasted_claim_in_progress(live_app)
    sign_in("checker")
    page.goto(f"{live_server.url}/claims/{claim_id}")
    verdict = page.get_by_role("region", name="Verdict", exact=True)
    submit = page.get_by_role("button", name="Submit for review")

    # Before any draft: Submit is disabled and says why.
    expect(submit).to_be_disabled()
    expect(page.get_by_text("Not ready yet: Write and save a draft verdict first.")).to_be_visible()

    verdict.get_by_label("Explanation").fill("Police figures show a 4% fall.")
    verdict.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status").filter(has_text="Verdict draft saved")).to_be_visible()
    # Each blocker in plain words, next to the field that fixes it, and under the disabled button.
    expect(verdict.get_by_text("Choose a rating.", exact=True)).to_be_visible()
    claimant = verdict.get_by_label("Claimant")
    expect(claimant).to_have_accessible_description("Say who made the claim (Claimant).")
    expect(verdict.get_by_label("Conclusion", exact=False)).to_have_accessible_description(
        "Write the conclusion readers will see (one short line).")
    expect(submit).to_be_disabled()
    expect(submit).to_have_accessible_description(
        "Not ready yet: Choose a rating. Write the conclusion readers will see (one short line)."
        " Say who made the claim (Claimant).")
    expect(page.get_by_text("itemReviewed")).to_have_count(0)  # no schema words

    verdict.get_by_label("Mostly false", exact=True).check()
    verdict.get_by_label("Conclusion", exact=False).fill("Police figures show a 4% fall")
    claimant.fill("Riverton City Council")
    verdict.get_by_role("button", name="Save draft").click()
    expect(submit).to_be_enabled()
    # No address for where the claim appeared: advised, not required.
    advice = verdict.get_by_text("Add where the claim appeared (a web address) if you can")
    expect(advice).to_be_visible()
    verdict.get_by_label("Where it appeared").fill("https://council.example/minutes/2024-11")
    verdict.get_by_role("button", name="Save draft").click()
    expect(advice).to_have_count(0)
    expect(page.get_by_role("heading", level=1).locator("xpath=following-sibling::p[1]")).to_contain_text(
        "Claimed by Riverton City Council")
    expect(page.get_by_role("link", name="https://council.example/minutes/2024-11")).to_be_visible()
    assert_accessible(page)  # the workspace, with a draft
    submit.click()
    expect(page.get_by_text("In review", exact=True).first).to_be_visible()
    expect(page.locator("#alerts")).to_be_empty()
