"""Checked before? Prior verdicts in the workspace, the queue mark, "Same claim", the consistency warning."""

import json
from urllib.parse import quote

import pytest

from review import claims, prior, verdicts, workflow
from review.indexing import drain
from search_index import open_index
from tests.conftest import add_user, make_app

HX = {"HX-Request": "true"}
REVIEW = {"@context": "https://schema.org", "@type": "ClaimReview",
          "url": "https://checker.example/reviews/bridge-48-million",
          "claimReviewed": "The new Riverton bridge cost $48 million.",
          "author": {"@type": "Organization", "name": "PolitiFact"}, "datePublished": "2016-05-02",
          "reviewRating": {"@type": "Rating", "alternateName": "Pants on Fire"},
          "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Mayor Kim"}}}


@pytest.fixture
def archive(app, db, tmp_path):
    from review.claimreview.store import import_paths

    path = tmp_path / "reviews.jsonl"
    path.write_text(json.dumps(REVIEW) + "\n")
    import_paths(db, [str(path)])
    drain(db, app.config["INDEX"])
    return app.config["INDEX"]


def make_claim(db):
    return claims.create_manual_claim(db, text="The mayor said the new Riverton bridge cost $48 million.",
                                      claimant="Mayor Kim", url="https://tv.example/clip")


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


def test_consistency_warning_when_the_rating_differs(db, archive):
    user = add_user(db, "cara")
    claim = make_claim(db)
    for action in ("accept", "start"):
        workflow.apply_action(db, claim["id"], action, user)
    index = open_index(archive)
    matches = prior.checked_before(db, index, claims.get_claim(db, claim["id"]))
    index.close()
    assert matches and matches[0].strong and matches[0].rating_key == "false"
    labels = {"true": "True", "false": "False"}
    assert prior.consistency_warnings(matches, "true", labels)
    assert prior.consistency_warnings(matches, "false", labels) == []


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


def test_a_match_in_another_language_is_shown_only_when_strong_and_marked(app, db, tmp_path):
    from review.claimreview.store import import_paths

    spanish = {**REVIEW, "url": "https://verificado.example/puente", "inLanguage": "es",
               "claimReviewed": "El nuevo puente de Riverton costó 48 millones de dólares.",
               "reviewRating": {"@type": "Rating", "alternateName": "Falso"}}
    path = tmp_path / "reviews.jsonl"
    # A Spanish desk's review of the same English claim: strong, so shown, and marked with its language.
    same_in_spanish = {**REVIEW, "url": "https://verificado.example/bridge", "inLanguage": "es"}
    path.write_text("\n".join(json.dumps(r) for r in (REVIEW, spanish, same_in_spanish)) + "\n")
    import_paths(db, [str(path)])
    drain(db, app.config["INDEX"])
    index = open_index(app.config["INDEX"])
    try:
        shown = prior.checked_before(db, index, claims.get_claim(db, make_claim(db)["id"]))
    finally:
        index.close()
    assert all(m.strong for m in shown)
    assert sorted(m.url for m in shown) == sorted([REVIEW["url"], same_in_spanish["url"]])  # the weak one is not
    assert {m.url: m.foreign_language for m in shown} == {REVIEW["url"]: False, same_in_spanish["url"]: True}


def publish_own(db, text: str) -> dict:
    """Take a claim through the real workflow to a published verdict of ours; return the claim."""
    cara, eddie = add_user(db, "cara"), add_user(db, "eddie", "editor")
    claim = claims.create_manual_claim(db, text=text, claimant="Mayor Kim", url="https://tv.example/clip")
    for action in ("accept", "start"):
        workflow.apply_action(db, claim["id"], action, cara)
    verdicts.save_draft(db, claims.get_claim(db, claim["id"]), cara, {
        "rating_key": "false", "conclusion": "The bridge cost $61 million", "claim_reviewed": text})
    workflow.apply_action(db, claim["id"], "submit", cara)
    return workflow.apply_action(db, claim["id"], "approve", eddie)


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
