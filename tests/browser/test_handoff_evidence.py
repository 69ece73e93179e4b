"""Attaching a corpus passage: the exact sentences, grown and trimmed before saving; only the evidence list changes."""

from playwright.sync_api import expect

from review import claims, evidence, verdicts, workflow
from review.indexing import drain
from review.ingest.store import add_document
from review.storage import open_store
from review.users import find_user
from tests.browser.a11y import assert_accessible

BODY = ("The council met on Monday to close the year's accounts.\n\n"
        "The city budget lists $31 million for the new bridge. Officials confirmed the figure on Tuesday.\n\n"
        "Critics said the debate was rushed.")


def desk(app) -> tuple[int, int, int]:
    """A claim in progress, a pasted article without an address, and a published claim citing that article."""
    db = open_store(app.config["DB"])
    checker, editor = find_user(db, "checker"), find_user(db, "editor")
    document_id = add_document(db, body=BODY, title="Budget report", source="Riverton Herald",
                               published_at="2024-03-01", origin="paste").document_id
    working = claims.create_manual_claim(db, text="The mayor said the new bridge cost $48 million.",
                                         claimant="Mayor Elena Marsh", url="https://herald.example/bridge")
    published = claims.create_manual_claim(db, text="The bridge opened in 2023.", claimant="Mayor Elena Marsh",
                                           url="https://herald.example/opening")
    for claim in (working, published):
        for action in ("accept", "start"):
            workflow.apply_action(db, claim["id"], action, checker)
    evidence.add_evidence(db, published["id"], checker, document_id=document_id, stance="context",
                          excerpt="Officials confirmed the figure on Tuesday.")
    verdicts.save_draft(db, claims.get_claim(db, published["id"]), checker,
                        {"rating_key": "true", "conclusion": "It opened in May 2023", "explanation": "See the report."})
    workflow.apply_action(db, published["id"], "submit", checker)
    workflow.apply_action(db, published["id"], "approve", editor)
    drain(db, app.config["INDEX"])
    db.close()
    return working["id"], published["id"], document_id


def test_attach_an_exact_passage_and_nothing_else_moves(page, live_server, live_app, sign_in):
    claim_id, published_id, document_id = desk(live_app)
    sign_in("checker")
    page.goto(f"{live_server.url}/claims/{claim_id}")
    evidence_panel = page.get_by_role("region", name="Evidence")

    # A source by URL half filled in: it must survive the attach.
    evidence_panel.get_by_text("Add a source by URL", exact=True).click()
    evidence_panel.get_by_label("URL").fill("https://budget.example/2024")

    page.get_by_role("searchbox", name="Search the corpus").fill("bridge budget")
    page.get_by_role("button", name="Choose a passage to attach").click()
    passage_form = page.get_by_role("form", name="Passage to attach from Budget report")
    passage = passage_form.get_by_label("Passage")
    expect(passage).to_have_value("The city budget lists $31 million for the new bridge.")
    passage_form.get_by_role("button", name="Add the sentence after").click()
    expect(passage).to_have_value("The city budget lists $31 million for the new bridge. "
                                  "Officials confirmed the figure on Tuesday.")
    passage.fill("budget lists $31 million for the new bridge. Officials confirmed the figure")  # trimmed
    passage_form.get_by_label("Stance").select_option(label="Refutes the claim")
    passage_form.get_by_role("button", name="Attach passage").click()

    expect(page.get_by_role("status").filter(has_text="Attached as evidence (refutes the claim).")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Evidence attached: Budget report")).to_be_visible()
    expect(evidence_panel.get_by_role("heading", name="Evidence 1")).to_be_visible()
    expect(evidence_panel.get_by_role("blockquote")).to_have_text(
        "budget lists $31 million for the new bridge. Officials confirmed the figure")
    # Nothing else re-rendered: the URL form is still open with what was typed, the results still listed.
    expect(evidence_panel.get_by_label("URL")).to_have_value("https://budget.example/2024")
    expect(page.get_by_role("link", name="Budget report").first).to_be_visible()

    # Changing the stance saves it without running the search again.
    evidence_panel.get_by_label("Stance of Budget report").select_option(label="Context")
    evidence_panel.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Evidence saved.")).to_be_visible()
    expect(evidence_panel.get_by_label("URL")).to_have_value("https://budget.example/2024")
    expect(page.get_by_role("status").filter(has_text="Attached as evidence")).to_be_visible()

    db = open_store(live_app.config["DB"])
    stored = evidence.list_evidence(db, claim_id)[0]
    db.close()
    assert stored["excerpt"] == BODY[stored["excerpt_start"]:stored["excerpt_end"]]

    # The reader highlights the passage.
    evidence_panel.get_by_role("link", name="Budget report").click()
    expect(page.get_by_title("The evidence's excerpt")).to_have_text(stored["excerpt"])

    # The public page names a source without an address by outlet, title and date.
    page.goto(f"{live_server.url}/fact-checks/{published_id}/")
    expect(page.get_by_role("list").filter(has_text="Riverton Herald")).to_contain_text(
        "Riverton Herald, “Budget report”, 2024-03-01")
    assert_accessible(page)  # the public page
