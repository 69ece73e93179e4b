"""Draft a verdict, approve it as an editor, open the public page, download the export."""

import json

from playwright.sync_api import expect

from review import claims, workflow
from review.storage import open_store
from review.users import find_user

PRIOR = {"@context": "https://schema.org", "@type": "ClaimReview", "url": "https://checker.example/bridge-cost",
         "claimReviewed": "The new bridge cost $48 million.", "datePublished": "2023-05-02",
         "author": {"@type": "Organization", "name": "PolitiFact"},
         "reviewRating": {"@type": "Rating", "alternateName": "True"}}


def claim_in_progress(app, tmp_path):
    from review.claimreview.store import import_paths
    from review.indexing import drain

    db = open_store(app.config["DB"])
    path = tmp_path / "prior.jsonl"
    path.write_text(json.dumps(PRIOR) + "\n")
    import_paths(db, [str(path)])
    drain(db, app.config["INDEX"])
    checker = find_user(db, "checker")
    claim = claims.create_manual_claim(
        db, text="The mayor said the new bridge cost $48 million.", claimant="Mayor Elena Marsh",
        url="https://herald.example/bridge", appeared_at="2024-03-02")
    for action in ("accept", "start"):
        workflow.apply_action(db, claim["id"], action, checker)
    db.close()
    return claim["id"]


def test_draft_approve_publish_export(page, live_server, live_app, sign_in, tmp_path):
    claim_id = claim_in_progress(live_app, tmp_path)
    sign_in("checker")
    page.goto(f"{live_server.url}/claims/{claim_id}")
    page.get_by_label("Mostly false", exact=True).check()
    page.fill("input[name=conclusion]", "The bridge cost $31 million")
    page.fill("textarea[name=claim_reviewed]", "The new bridge cost $48 million.")
    page.fill("textarea[name=explanation]", "The **city budget** lists $31 million.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#toasts")).to_contain_text("Verdict draft saved")
    # A strongly matching prior verdict rated it True: the form warns before submission.
    expect(page.locator("#prior-panel")).to_contain_text("PolitiFact")
    expect(page.locator(".verdict-panel .warnings")).to_contain_text("PolitiFact rated a very similar claim")
    page.locator("button[data-action=submit]").click()
    expect(page.locator(".claim-meta .state")).to_have_text("In review")
    page.get_by_role("button", name="Sign out").click()

    sign_in("editor")
    page.get_by_role("link", name="Verdicts").click()
    expect(page.locator("main")).to_contain_text("The new bridge cost $48 million.")
    page.get_by_role("link", name="The new bridge cost $48 million.").click()
    page.locator("button[data-action=approve]").click()
    expect(page.locator(".claim-meta .state")).to_have_text("Published")

    with page.expect_popup() as popup:
        page.get_by_role("link", name="Public page").click()
    public = popup.value
    expect(public.locator("h1")).to_contain_text("The new bridge cost $48 million.")
    expect(public.locator(".verdict-line")).to_contain_text("Mostly false")
    expect(public.locator(".explanation strong")).to_have_text("city budget")
    embedded = json.loads(public.locator("script[type='application/ld+json']").text_content())
    assert embedded["reviewRating"]["ratingValue"] == 2 and embedded["itemReviewed"]["author"]["name"] == "Mayor Elena Marsh"
    public.close()

    page.get_by_role("link", name="Export").click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download JSON-LD feed").click()
    with open(download_info.value.path(), encoding="utf-8") as handle:
        feed = json.load(handle)
    assert feed["dataFeedElement"][0]["item"][0]["claimReviewed"] == "The new bridge cost $48 million."
