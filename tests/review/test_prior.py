"""Checked before? Prior verdicts in the workspace, the queue mark, "Same claim", the consistency warning."""

import json

import pytest

from review import claims, prior, verdicts, workflow
from review.indexing import drain
from search_index import open_index
from tests.conftest import add_user

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
