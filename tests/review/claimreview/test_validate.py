"""The ClaimReview validator: each missing property named, ratings within the scale, absolute URLs."""

import copy
import subprocess
import sys

import pytest

from review.claimreview.validate import check, validate
from tests.review.claimreview.samples import built


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
    record = _drop(copy.deepcopy(built()), path)
    problems = validate(record)
    if message is None:  # an appearance is recommended, not required: nothing blocks without one
        assert problems == []
        record = _drop(record, ["itemReviewed", "firstAppearance"])
        assert validate(record) == []
        advice = [f for f in check(record) if not f.blocking]
        assert [f.field for f in advice] == ["appeared_url"] and "It can be published without" in advice[0].plain
        return
    assert any(message in p for p in problems), problems


@pytest.mark.parametrize("value,worst,best,ok", [(3, 1, 5, True), (6, 1, 5, False), (0, 0, 5, False), (1, 1, 5, True)])
def test_rating_value_must_be_within_the_scale(value, worst, best, ok):
    record = built({"key": "x", "label": "X", "rating_value": 1})
    record["reviewRating"].update(ratingValue=value, worstRating=worst, bestRating=best)
    assert (validate(record) == []) is ok


def test_relative_url_is_refused():
    record = built()
    record["url"] = "/fact-checks/7"
    assert any("absolute" in p for p in validate(record))



def test_the_validator_loads_without_the_workflow():
    """verdicts imports the validator directly, so the validator must not import verdicts or workflow."""
    code = ("import sys, review.claimreview.validate; "
            "assert not {'review.verdicts', 'review.workflow', 'review.claimreview.store'} & set(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True)
