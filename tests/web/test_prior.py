"""Checked before? in the browser's pages: the workspace panel, the queue mark, "Same claim"."""

from urllib.parse import quote

from review import claims, prior, verdicts, workflow
from review.indexing import drain
from search_index import open_index
from tests.conftest import make_app
from tests.review.test_prior import REVIEW, archive, make_claim, publish_own  # noqa: F401 (helpers and fixtures)

HX = {"HX-Request": "true"}


def test_workspace_shows_checked_before_and_links_the_same_claim(checker_client, db, archive):
    claim = make_claim(db)
    html = checker_client.get(f"/claims/{claim['id']}").get_data(as_text=True)
    assert "Checked before?" in html and "Pants on Fire" in html and "PolitiFact" in html and "2016" in html
    response = checker_client.post(f"/claims/{claim['id']}/prior", headers=HX, data={
        "url": REVIEW["url"], "prior_review_id": 1, "version": claim["version"]})
    assert response.status_code == 200 and "Linked as the same claim" in response.get_data(as_text=True)
    stored = claims.get_claim(db, claim["id"])
    assert stored["appearance_count"] == 2
    assert REVIEW["url"] in [a["url"] for a in claims.appearances(db, claim["id"])]


def test_queue_marks_claims_with_a_strong_prior_match(checker_client, db, archive):
    make_claim(db)
    claims.create_manual_claim(db, text="Hospital waiting lists grew by 12 percent in Harbor County.")
    index = open_index(archive)
    assert prior.refresh_marks(db, index) == 2
    index.close()
    html = checker_client.get("/").get_data(as_text=True)
    assert html.count("Checked before:") == 1 and "Pants on Fire" in html


def test_the_workspace_shows_the_warning_before_submission(checker_client, db, archive):
    claim = make_claim(db)
    me = db.one("SELECT id, role FROM users WHERE username = 'checker1'")
    for action in ("accept", "start"):
        workflow.apply_action(db, claim["id"], action, me)
    response = checker_client.post(f"/claims/{claim['id']}/verdict", headers=HX, data={
        "rating_key": "true", "conclusion": "The bridge cost $48 million", "claim_reviewed": "The bridge cost $48 million.",
        "version": claims.get_claim(db, claim["id"])["version"]})
    html = response.get_data(as_text=True)
    assert "PolitiFact rated a very similar claim" in html and "Pants on Fire" in html
    assert verdicts.open_revision(db, claim["id"])["rating_key"] == "true"  # a warning, not a block


def test_an_unrelated_claim_says_no_earlier_fact_check_and_links_to_search(checker_client, db, archive):
    claim = claims.create_manual_claim(db, text="Hospital waiting lists grew by 12 percent in Harbor County.")
    html = checker_client.get(f"/claims/{claim['id']}").get_data(as_text=True)
    assert "No earlier fact-check found." in html and "Search earlier fact-checks" in html
    assert "Pants on Fire" not in html and "Unknown publisher" not in html


def test_our_verdicts_are_indexed_under_our_organization_name(app, db, checker_client, tmp_path):
    """`publisher:<our name>` finds our published verdict, and a rename reaches the index."""
    text = "The new Riverton bridge cost $48 million, the mayor said."
    publish_own(db, text)
    drain(db, app.config["INDEX"])
    page = checker_client.get("/search/?kind=verdict&q=" + quote("publisher:claimdesk bridge")).get_data(as_text=True)
    assert "The new Riverton bridge cost $48 million" in page and "Claimdesk" in page

    renamed = make_app(tmp_path, ORG_NAME="Riverton Truth Desk")  # the desk restarts under its new name
    drain(db, renamed.config["INDEX"])
    page = checker_client.get("/search/?kind=verdict&q=" + quote('publisher:"riverton truth desk" bridge')).get_data(
        as_text=True)
    assert "The new Riverton bridge cost $48 million" in page and "Riverton Truth Desk" in page
    assert "$48 million" not in checker_client.get(
        "/search/?kind=verdict&q=" + quote("publisher:claimdesk bridge")).get_data(as_text=True)
    again = claims.create_manual_claim(db, text=text)
    index = open_index(renamed.config["INDEX"])
    try:
        prior.refresh_marks(db, index)
    finally:
        index.close()
    mark = db.one("SELECT prior_match_publisher FROM claims WHERE id = ?", [again["id"]])
    assert mark["prior_match_publisher"] == "Riverton Truth Desk"
