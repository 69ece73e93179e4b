"""A desk's whole day in one browser session, as people use the screens (roles, labels and keys):

a checker pastes an article with a date and no address, triages its claim with the keyboard, searches the
corpus, attaches an exact passage, drafts a verdict with a rating and submits it without opening any hidden
panel; an editor reviews it (rating, conclusion, preview) and approves; the public page and the ClaimReview
export show it.
"""

import json

from playwright.sync_api import expect

from review import workflow
from review.indexing import drain
from review.ingest.store import add_document
from review.storage import open_store
from review.users import find_user
from tests.browser.conftest import expect_ready

ARTICLE = ('Foreign Minister Sergei Lavrov said on Tuesday: "Syrian media claim 2,500 terrorists were neutralized '
           'near Idlib." He spoke to reporters in Moscow after talks with his Turkish counterpart.')
CLAIM = "Syrian media claim 2,500 terrorists were neutralized near Idlib."
REPORT = ("The Syrian Observatory for Human Rights counted 112 fighters killed near Idlib during the offensive. "
          "Its monitors said no count close to 2,500 had been recorded by any hospital in the province.\n\n"
          "The group has tracked casualties in Syria since 2011.")
PASSAGE = "The Syrian Observatory for Human Rights counted 112 fighters killed near Idlib during the offensive."


def the_corpus(app) -> None:
    """What the desk already holds: a monitoring report in the corpus, its own claims triaged long ago."""
    db = open_store(app.config["DB"])
    add_document(db, body=REPORT, title="Idlib casualty count", source="Syrian Observatory",
                 published_at="2024-05-03", url="https://observatory.example/idlib")
    checker = find_user(db, "checker")
    for claim in db.query("SELECT id FROM claims"):
        workflow.apply_action(db, claim["id"], "dismiss", checker, reason="not_checkworthy")
    drain(db, app.config["INDEX"])
    db.close()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def test_a_whole_day_from_a_pasted_article_to_the_export(page, live_server, live_app, sign_in, tmp_path):
    the_corpus(live_app)
    shots = tmp_path / "screens"
    sign_in("checker")

    # 1. Paste an article with its date and no address.
    page.get_by_role("link", name="Add article").first.click()
    expect_ready(page)
    page.get_by_label("Title").fill("Lavrov on the Idlib offensive")
    page.get_by_label("Source").fill("TASS")
    page.get_by_label("Publication date").fill("2024-05-02")
    page.get_by_label("Article text").fill(ARTICLE)
    page.get_by_role("button", name="Add and extract claims").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lavrov on the Idlib offensive")
    expect(page.locator(".page-head .meta")).to_contain_text("2024-05-02")
    expect(page.locator(".claim-list")).to_contain_text(CLAIM)

    # 2. Triage in the queue with the keyboard: move to the claim, accept it, open it from the Queued tab.
    # A full load: the keys below must reach a page htmx has bound (a boosted switch can show the
    # previous page's ready mark for a moment, and a key pressed then submits the row's form as a plain post).
    page.goto(f"{live_server.url}/")
    expect_ready(page)
    row = page.locator("#queue-rows tr.claim-row", has_text="2,500 terrorists")
    expect(row).to_contain_text("Sergei Lavrov")
    current = page.locator("#queue-rows tr.current")
    page.keyboard.press("j")
    for _ in range(10):  # j moves down the rows until the claim is the current one
        expect(current).to_have_count(1)
        if "2,500 terrorists" in current.inner_text():
            break
        page.keyboard.press("j")
    page.keyboard.press("a")
    expect(row).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="Accepted")).to_be_visible()
    page.get_by_role("link", name="Queued").click()
    expect_ready(page)
    expect(page.locator("#queue-rows tr.claim-row", has_text="2,500 terrorists")).to_be_visible()
    page.keyboard.press("j")
    page.keyboard.press("o")
    expect(page.get_by_role("heading", level=1)).to_have_text(CLAIM)
    expect_ready(page)
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_text("In progress", exact=True).first).to_be_visible()
    expect_ready(page, "#workspace")  # the new workspace's search form listens only once htmx has bound it

    # 3. Search the corpus and attach the exact passage that refutes the figure.
    page.get_by_role("searchbox", name="Search the corpus").fill("fighters killed idlib")
    page.get_by_role("button", name="Choose a passage to attach").click()
    passage_form = page.get_by_role("form", name="Passage to attach from Idlib casualty count")
    expect(passage_form.get_by_label("Passage")).to_have_value(PASSAGE)
    passage_form.get_by_label("Stance").select_option(label="Refutes the claim")
    passage_form.get_by_role("button", name="Attach passage").click()
    evidence_panel = page.get_by_role("region", name="Evidence")
    expect(evidence_panel.get_by_role("heading", name="Evidence 1")).to_be_visible()
    expect(evidence_panel.get_by_role("blockquote")).to_have_text(PASSAGE)

    # 4. Draft with a rating and submit, with nothing hidden to open (no address: advised, not required).
    verdict = page.get_by_role("region", name="Verdict", exact=True)
    verdict.get_by_label("False", exact=True).check()
    verdict.get_by_label("Conclusion", exact=False).fill("Monitors counted 112 fighters killed, not 2,500")
    verdict.get_by_label("Explanation").fill("The **Syrian Observatory** counted 112 fighters killed near Idlib.")
    verdict.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status").filter(has_text="Verdict draft saved")).to_be_visible()
    submit = page.get_by_role("button", name="Submit for review")
    expect(submit).to_be_enabled()
    page.screenshot(path=str(shots / "1-checker-draft.png"), full_page=True, caret="initial")
    submit.click()
    expect(page.get_by_text("In review", exact=True).first).to_be_visible()
    sign_out(page)

    # 5. The editor reviews what they approve and approves it.
    sign_in("editor")
    page.get_by_role("link", name="Verdicts").click()
    page.get_by_role("link", name=CLAIM).first.click()
    review = page.get_by_role("region", name="Verdict in review")
    expect(review.locator("dd .rating")).to_have_text("False")
    expect(review).to_contain_text("Monitors counted 112 fighters killed, not 2,500")
    preview = review.get_by_role("group").filter(has_text="Preview of the public page")
    expect(preview.locator(".verdict-line")).to_contain_text("False")
    expect(preview).to_contain_text("Monitors counted 112 fighters killed, not 2,500")
    page.screenshot(path=str(shots / "2-editor-review.png"), full_page=True, caret="initial")
    review.get_by_role("button", name="Approve and publish").click()
    expect(page.get_by_text("Published", exact=True).first).to_be_visible()

    # 6. The public page and the export show it.
    public_url = page.get_by_role("link", name="Public page").get_attribute("href")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export").click()
        page.get_by_role("button", name="Download JSON-LD feed").click()
    feed = json.loads(download.value.path().read_text(encoding="utf-8"))
    records = [item for item in feed.get("dataFeedElement", []) for item in item.get("item", [item])]
    ours = [r for r in records if r.get("claimReviewed") == CLAIM]
    assert len(ours) == 1, feed
    assert ours[0]["reviewRating"]["name"] == "False"
    assert ours[0]["reviewRating"]["alternateName"] == "Monitors counted 112 fighters killed, not 2,500"
    assert ours[0]["itemReviewed"]["author"]["name"] == "Sergei Lavrov"
    page.goto(f"{live_server.url}{public_url}" if public_url.startswith("/") else public_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(CLAIM)
    expect(page.get_by_text("Monitors counted 112 fighters killed, not 2,500")).to_be_visible()
    expect(page.get_by_role("link", name="Idlib casualty count")).to_have_attribute(
        "href", "https://observatory.example/idlib")
    page.screenshot(path=str(shots / "3-public-page.png"), full_page=True, caret="initial")
    db = open_store(live_app.config["DB"])
    assert db.scalar("SELECT status FROM claims WHERE text = ?", [CLAIM]) == "published"
    db.close()
