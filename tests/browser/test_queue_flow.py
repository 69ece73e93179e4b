"""Keyboard triage in the queue, undo, a bulk action, and a claim moved to review."""

from playwright.sync_api import expect

from review import claims
from review.storage import open_store
from tests.browser.conftest import expect_ready

TEXTS = [
    "Officials said 2,500 people were evacuated from Aleppo on Monday.",
    "The ministry reported 310 new cases of measles in 2024.",
    "Unemployment fell to 4.1 percent in March, the statistics office said.",
    "The mayor claimed the new bridge cost $48 million.",
    "Police said 12 people were arrested after the protest.",
    "The company said it will cut 1,200 jobs next year.",
    "Exports rose by 7 percent in the first quarter.",
    "The report found 40 percent of rivers are polluted.",
]


def seed(app):
    db = open_store(app.config["DB"])
    ids = [claims.create_manual_claim(db, text=t, claimant="Someone", url=f"https://news.example/{i}")["id"]
           for i, t in enumerate(TEXTS)]
    db.close()
    return ids


def status_of(app, claim_id):
    db = open_store(app.config["DB"])
    try:
        return claims.get_claim(db, claim_id)["status"]
    finally:
        db.close()


def test_keyboard_triage_undo_and_bulk(page, live_server, live_app, sign_in):
    seed(live_app)
    sign_in("checker")
    rows = page.locator("#queue-rows tr.claim-row")
    expect(rows).to_have_count(8)
    page.keyboard.press("j")
    expect(page.locator("#queue-rows tr.current")).to_have_count(1)
    # Five triage decisions with the keyboard only: accept, accept, dismiss (opinion), accept, dismiss (other).
    for key, reason in [("a", None), ("a", None), ("d", "2"), ("a", None), ("d", "5")]:
        before = rows.count()
        page.keyboard.press(key)
        if reason:
            expect(page.locator("#dismiss-dialog")).to_be_visible()
            page.keyboard.press(reason)
        expect(rows).to_have_count(before - 1)
        expect(page.locator("#queue-rows tr.current")).to_have_count(1)  # focus moved to the next row
    expect(page.locator("#count-new")).to_have_text("3")
    expect(page.locator("#count-queued")).to_have_text("3")
    expect(page.locator("#count-dismissed")).to_have_text("2")
    # Undo the last decision from its toast.
    page.locator("#toasts .toast").last.get_by_role("button", name="Undo").click()
    expect(rows).to_have_count(4)
    expect(page.locator("#count-dismissed")).to_have_text("1")
    # Bulk: select two rows with x and accept them together (once the undone row is back in place).
    expect_ready(page, "#queue-rows")
    page.locator("#queue-rows tr.claim-row td.score").first.click()
    expect(page.locator("#queue-rows tr.current")).to_have_count(1)
    page.keyboard.press("x")
    expect(page.locator("#selected-count")).to_have_text("1")
    page.keyboard.press("j")
    expect(page.locator("#queue-rows tr.current")).to_have_count(1)
    page.keyboard.press("x")
    expect(page.locator("#selected-count")).to_have_text("2")
    page.locator("#bulk-form select[name=bulk_action]").select_option("accept")
    page.get_by_role("button", name="Apply to selected").click()
    expect(rows).to_have_count(2)
    expect(page.locator("#count-queued")).to_have_text("5")


def test_open_a_claim_and_move_it_to_review(page, live_server, live_app, sign_in, problems):
    problems.allow(422)
    ids = seed(live_app)
    sign_in("checker")
    page.keyboard.press("j")
    page.keyboard.press("o")
    expect(page.locator("h1.claim-text")).to_be_visible()
    claim_id = int(page.url.rsplit("/", 1)[1])
    assert claim_id in ids
    for action, state in [("accept", "Queued"), ("start", "In progress")]:
        page.locator(f"button[data-action={action}]").click()
        expect(page.locator(".claim-meta .state")).to_have_text(state)
    # No verdict yet: Submit is disabled and says why.
    expect(page.locator("button[data-action=submit]")).to_be_disabled()
    expect(page.get_by_text("Not ready yet: Write and save a draft verdict first.")).to_be_visible()
    page.get_by_label("False", exact=True).check()
    page.fill("input[name=conclusion]", "The official figure is lower")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#toasts")).to_contain_text("Verdict draft saved")
    page.locator("button[data-action=submit]").click()
    expect(page.locator(".claim-meta .state")).to_have_text("In review")
    assert status_of(live_app, claim_id) == "in_review"
    expect(page.locator(".history")).to_contain_text("Submitted for review")
    expect(page.locator("button[data-action=approve]")).to_have_count(0)  # a checker cannot approve


def test_conflict_is_shown_not_swallowed(page, live_server, live_app, sign_in, problems):
    problems.allow(409)
    ids = seed(live_app)
    sign_in("checker")
    page.goto(f"{live_server.url}/claims/{ids[0]}")
    db = open_store(live_app.config["DB"])
    db.execute("UPDATE claims SET status = 'queued', version = version + 1 WHERE id = ?", [ids[0]])
    db.close()
    page.locator("button[data-action=accept]").click()
    expect(page.locator("#alerts")).to_contain_text("after you opened this claim")
    expect(page.locator("#alerts")).to_contain_text("Reload to see the change")
    expect(page.locator("#toasts .toast-error")).to_have_count(0)  # one message for one refusal
    expect(page.locator("h1.claim-text")).to_be_visible()  # the workspace stays on screen
    assert status_of(live_app, ids[0]) == "queued"
