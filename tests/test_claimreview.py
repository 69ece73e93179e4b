"""ClaimReview export: the pure builder against a golden file, the validator, feed formats."""

import copy
import csv
import io
import json
from pathlib import Path

import pytest

from review import claimreview
from review.ratings import list_scale, scale_bounds

GOLDEN = Path(__file__).parent / "golden" / "claimreview_statistic.json"
PUBLISHER = claimreview.Publisher(name="Desk Example", url="https://desk.example", public_url="https://facts.example")
CLAIM = {"id": 7, "text": "Syrian media claim 2,500 terrorists were neutralized.", "claimant": "Syrian media",
         "claimant_kind": "media", "appeared_at": None}
VERDICT = {"claim_reviewed": "Government forces neutralized 2,500 terrorists.", "conclusion": "No independent confirmation",
           "published_at": "2024-12-10T09:00:00+00:00", "language": "en", "article_url": None, "revision": 1}
APPEARANCES = [{"url": "https://media.example/story", "title": "Army says 2,500 killed", "appeared_at": "2024-12-07"}]


def build(rating=None, bounds=(1, 5), **verdict):
    rating = rating or {"key": "unproven", "label": "Unproven", "rating_value": None}
    return claimreview.to_claimreview(CLAIM, {**VERDICT, **verdict}, rating, bounds, PUBLISHER, APPEARANCES,
                                      date_published="2024-12-10T09:00:00+00:00")


def test_matches_the_golden_file():
    record = build({"key": "false", "label": "False", "rating_value": 1})
    assert record == json.loads(GOLDEN.read_text())
    assert claimreview.validate(record) == []


def test_off_scale_ratings_carry_no_rating_value():
    record = build()
    assert "ratingValue" not in record["reviewRating"] and record["reviewRating"]["name"] == "Unproven"
    assert claimreview.validate(record) == []


def test_every_default_rating_exports_valid(db):
    bounds = scale_bounds(db)
    assert bounds == (1, 5)
    for rating in list_scale(db):
        record = build(rating, bounds)
        assert claimreview.validate(record) == [], rating["key"]
        if rating["rating_value"] is not None:
            assert record["reviewRating"]["worstRating"] == 1 and record["reviewRating"]["bestRating"] == 5


def _drop(record, path):
    target = record
    for key in path[:-1]:
        target = target[key]
    target.pop(path[-1])
    return record


@pytest.mark.parametrize("path,message", [
    (["@context"], "@context"),
    (["@type"], "@type"),
    (["claimReviewed"], "claimReviewed"),
    (["url"], "url"),
    (["reviewRating", "alternateName"], "alternateName"),
    (["author", "name"], "author.name"),
    (["datePublished"], "datePublished"),
    (["itemReviewed", "author"], "itemReviewed.author.name"),
    (["itemReviewed", "appearance"], None),
])
def test_validator_names_each_missing_property(path, message):
    record = _drop(copy.deepcopy(build()), path)
    problems = claimreview.validate(record)
    if message is None:  # firstAppearance alone is enough
        assert problems == []
        problems = claimreview.validate(_drop(record, ["itemReviewed", "firstAppearance"]))
        message = "appearance"
    assert any(message in p for p in problems), problems


@pytest.mark.parametrize("value,worst,best,ok", [(3, 1, 5, True), (6, 1, 5, False), (0, 0, 5, False), (1, 1, 5, True)])
def test_rating_value_must_be_within_the_scale(value, worst, best, ok):
    record = build({"key": "x", "label": "X", "rating_value": 1})
    record["reviewRating"].update(ratingValue=value, worstRating=worst, bestRating=best)
    assert (claimreview.validate(record) == []) is ok


def test_relative_url_is_refused():
    record = build()
    record["url"] = "/fact-checks/7"
    assert any("absolute" in p for p in claimreview.validate(record))


def test_feed_formats():
    records = [build(), build(claim_reviewed="=HYPERLINK(\"http://evil\")", conclusion="@SUM(1)")]
    feed = json.loads(claimreview.serialize(records, "json", PUBLISHER))
    assert feed["@type"] == "DataFeed" and feed["dataFeedElement"][0]["item"][0]["@type"] == "ClaimReview"
    lines = claimreview.serialize(records, "jsonl", PUBLISHER).splitlines()
    assert [json.loads(line)["claimReviewed"] for line in lines][0] == VERDICT["claim_reviewed"]
    rows = list(csv.DictReader(io.StringIO(claimreview.serialize(records, "csv", PUBLISHER))))
    assert rows[1]["claimReviewed"].startswith("'=") and rows[1]["conclusion"].startswith("'@")
    assert rows[0]["claimReviewed"] == VERDICT["claim_reviewed"]


def test_correction_carries_date_modified_and_note():
    record = claimreview.to_claimreview(
        CLAIM, {**VERDICT, "published_at": "2024-12-12T10:00:00+00:00", "revision": 2},
        {"key": "false", "label": "False", "rating_value": 1}, (1, 5), PUBLISHER, APPEARANCES,
        date_published="2024-12-10T09:00:00+00:00", correction_note="Updated after the ministry's denial.")
    assert record["datePublished"] == "2024-12-10" and record["dateModified"] == "2024-12-12"
    assert record["correction"]["text"] == "Updated after the ministry's denial."


# -- round trip: what we export imports back unchanged in meaning ---------------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from review.claimreview_import import _label_key, load_mappings, parse_claimreviews  # noqa: E402

DEFAULT_SCALE = [("true", "True", 5), ("mostly-true", "Mostly true", 4), ("half-true", "Half true", 3),
                 ("mostly-false", "Mostly false", 2), ("false", "False", 1), ("misleading", "Misleading", None),
                 ("missing-context", "Missing context", None), ("unproven", "Unproven", None)]
words = st.text(alphabet=st.characters(categories=["L", "N"], max_codepoint=0x24F), min_size=1, max_size=12)
sentences = st.lists(words, min_size=2, max_size=12).map(" ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(claim_reviewed=sentences, conclusion=st.one_of(st.just(""), sentences), claimant=sentences,
       kind=st.sampled_from(["person", "organization", "media", "unnamed source"]),
       rating=st.sampled_from(DEFAULT_SCALE), day=st.dates(min_value=__import__("datetime").date(2000, 1, 1)),
       slug=st.from_regex(r"[a-z0-9]{1,20}", fullmatch=True))
def test_export_imports_back_unchanged_in_meaning(db, claim_reviewed, conclusion, claimant, kind, rating, day, slug):
    key, label, value = rating
    claim = {"id": 3, "text": claim_reviewed, "claimant": claimant, "claimant_kind": kind, "appeared_at": None}
    verdict = {"claim_reviewed": claim_reviewed, "conclusion": conclusion, "published_at": day.isoformat(),
               "language": "en", "article_url": f"https://desk.example/{slug}", "revision": 1}
    appearance = [{"url": f"https://source.example/{slug}", "title": None, "appeared_at": day.isoformat()}]
    record = claimreview.to_claimreview(claim, verdict, {"key": key, "label": label, "rating_value": value}, (1, 5),
                                        PUBLISHER, appearance, date_published=day.isoformat())
    assert claimreview.validate(record) == []
    parsed = parse_claimreviews(json.loads(json.dumps(record)))
    assert len(parsed) == 1
    fields = parsed[0][1].fields
    assert fields["claim_reviewed"] == claim_reviewed and fields["url"] == record["url"]
    assert fields["claimant"] == claimant and fields["publisher"] == PUBLISHER.name
    assert fields["date_published"][:10] == day.isoformat()
    mappings = load_mappings(db)
    mapped = [mappings.get(_label_key(n)) for n in (fields["rating_label"], fields.get("rating_name")) if n]
    assert key in mapped
    if value is not None:
        assert fields["rating_value"] == value and fields["best_rating"] == 5 and fields["worst_rating"] == 1
