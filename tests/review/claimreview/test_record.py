"""One ClaimReview to our fields: rating, publisher, claimant, dates, URLs, and why a record is refused."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review.claimreview.read import parse_claimreviews
from review.claimreview.record import Review, normalize_date
from tests.review.claimreview.samples import JSON_VALUES, PAGE, claimreview, only_review


def test_single_object_reads_every_field():
    fields = only_review(claimreview(headline="No, the moon is not cheese", inLanguage="en")).fields
    assert fields["claim_reviewed"] == "The moon is made of cheese."
    assert fields["url"] == PAGE
    assert (fields["rating_label"], fields["rating_value"], fields["best_rating"], fields["worst_rating"]) == \
        ("False", 1, 5, 1)
    assert (fields["publisher"], fields["publisher_url"]) == ("Example Checks", "https://checks.example.org/")
    assert (fields["claimant"], fields["claim_date"], fields["date_published"]) == \
        ("Senator Smith", "2016-02-20", "2016-03-01")
    assert (fields["headline"], fields["language"]) == ("No, the moon is not cheese", "en")


@pytest.mark.parametrize("item, claimant", [
    ({"@type": "Claim", "author": "Senator Smith"}, "Senator Smith"),
    ({"@type": "CreativeWork", "author": {"@type": "Person", "name": "Senator Smith"}}, "Senator Smith"),
    ({"@type": "Claim", "author": [{"@type": "Person", "name": "Smith"}, "Jones"]}, "Smith, Jones"),
    ({"@type": "Claim"}, None),
])
def test_item_reviewed_and_claimant_shapes(item, claimant):
    assert only_review(claimreview(itemReviewed=item)).fields["claimant"] == claimant


@pytest.mark.parametrize("author, publisher", [
    ("Example Checks", "Example Checks"),
    ([{"@type": "Organization", "name": "Example Checks"}, {"@type": "Person", "name": "A. Writer"}],
     "Example Checks, A. Writer"),
])
def test_author_as_string_or_list(author, publisher):
    assert only_review(claimreview(author=author)).fields["publisher"] == publisher


@pytest.mark.parametrize("rating, label, value", [
    ({"ratingValue": 2, "alternateName": "Mostly false"}, "Mostly false", 2),
    ({"ratingValue": "2", "alternateName": "Mostly false"}, "Mostly false", 2),
    ({"ratingValue": "2,5", "alternateName": "Half"}, "Half", 2.5),
    ({"alternateName": "Pants on Fire!"}, "Pants on Fire!", None),
    ({"ratingValue": "Falso"}, "Falso", None),
    ("False", "False", None),
    (None, None, None),
])
def test_rating_shapes(rating, label, value):
    fields = only_review(claimreview(reviewRating=rating)).fields
    assert (fields["rating_label"], fields["rating_value"]) == (label, value)


def test_rating_outside_the_scale_is_kept_verbatim():
    rating = {"ratingValue": 7, "bestRating": 5, "worstRating": 1, "alternateName": "  Four Pinocchios "}
    fields = only_review(claimreview(reviewRating=rating)).fields
    assert (fields["rating_label"], fields["rating_value"], fields["best_rating"]) == ("Four Pinocchios", 7, 5)


@pytest.mark.parametrize("text, expected", [
    ("2016-03-01", "2016-03-01"),
    ("2016-03-01T10:30:00Z", "2016-03-01T10:30:00+00:00"),
    ("2016-03-01T10:30:00+02:00", "2016-03-01T10:30:00+02:00"),
    ("2016/03/01", "2016-03-01"),
    ("March 1, 2016", "2016-03-01"),
    ("Tuesday, Mar. 1, 2016", "2016-03-01"),
    ("1 March 2016", "2016-03-01"),
    ("Tue, 01 Mar 2016 10:30:00 GMT", "2016-03-01T10:30:00+00:00"),
    ("13/03/2016", "2016-03-13"),
    ("03/13/2016", "2016-03-13"),
])
def test_dates_publishers_use(text, expected):
    assert normalize_date(text) == (expected, None)


@pytest.mark.parametrize("text, reason", [
    ("01/03/2016", "ambiguous"),
    ("31/02/2016", "not a valid date"),
    ("2016", "not a date format"),
    ("le 1er mars", "not a date format"),
])
def test_dates_that_are_not_guessed(text, reason):
    review = only_review(claimreview(datePublished=text))
    assert review.fields["date_published"] is None
    assert any(reason in warning and text in warning for warning in review.warnings), review.warnings


def test_relative_url_resolves_against_the_page_url():
    fields = only_review(claimreview(url="/fact-checks/moon"), base_url="https://checks.example.org/x/y").fields
    assert fields["url"] == "https://checks.example.org/fact-checks/moon"


@pytest.mark.parametrize("node, reason", [
    (claimreview(claimReviewed=""), "missing claimReviewed"),
    (claimreview(url=None), "missing url"),
    (claimreview(url="/fact-checks/moon"), "relative and there is no page URL"),
    (claimreview(url="javascript:alert(1)"), "must be a web address starting with http:// or https://"),
    (claimreview(url='https://f.example/"><svg/onload=alert(1)>'), "must not contain quotes, angle brackets"),
    ({**claimreview(), "@type": "Review"}, "its @type Review is not ClaimReview"),
])
def test_unusable_records_get_a_reason(node, reason):
    [(position, result)] = parse_claimreviews(node)
    assert position == 1 and reason in result


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON_VALUES, st.sampled_from([None, "https://x.org/page"]))
def test_parser_never_raises_on_arbitrary_json(value, base_url):
    for position, result in parse_claimreviews(value, base_url=base_url):
        assert isinstance(result, (Review, str))
        if isinstance(result, Review):
            assert result.fields["claim_reviewed"] and result.fields["url"].startswith(("http://", "https://"))

