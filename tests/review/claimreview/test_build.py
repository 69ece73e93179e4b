"""Building our ClaimReview: the pure builder against a golden file, every rating of the scale, corrections."""

import json

from review.claimreview.build import to_claimreview
from review.claimreview.validate import validate
from review.ratings import list_scale, scale_bounds
from tests.review.claimreview.samples import APPEARANCES, CLAIM, GOLDEN, PUBLISHER, VERDICT, built


def test_matches_the_golden_file():
    record = built({"key": "false", "label": "False", "rating_value": 1})
    assert record == json.loads(GOLDEN.read_text())
    assert validate(record) == []


def test_off_scale_ratings_carry_no_rating_value():
    record = built()
    assert "ratingValue" not in record["reviewRating"] and record["reviewRating"]["name"] == "Unproven"
    assert validate(record) == []


def test_every_default_rating_exports_valid(db):
    bounds = scale_bounds(db)
    assert bounds == (1, 5)
    for rating in list_scale(db):
        record = built(rating, bounds)
        assert validate(record) == [], rating["key"]
        if rating["rating_value"] is not None:
            assert record["reviewRating"]["worstRating"] == 1 and record["reviewRating"]["bestRating"] == 5


def test_correction_carries_date_modified_and_note():
    record = to_claimreview(
        CLAIM, {**VERDICT, "published_at": "2024-12-12T10:00:00+00:00", "revision": 2},
        {"key": "false", "label": "False", "rating_value": 1}, (1, 5), PUBLISHER, APPEARANCES,
        date_published="2024-12-10T09:00:00+00:00", correction_note="Updated after the ministry's denial.")
    assert record["datePublished"] == "2024-12-10" and record["dateModified"] == "2024-12-12"
    assert record["correction"]["text"] == "Updated after the ministry's denial."

