"""Checked before? in the domain: the consistency warning and matches in another language."""

import json

import pytest

from review import claims, prior, verdicts, workflow
from review.indexing import drain
from search_index import open_index
from tests.conftest import add_user

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
