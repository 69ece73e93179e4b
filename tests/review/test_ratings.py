"""The rating scale and label mappings, configurable without code."""

import pytest

from review import ratings
from review.errors import ValidationError


def test_a_politifact_style_scale_can_be_configured(db):
    ratings.save_rating(db, key="pants-on-fire", label="Pants on Fire!", rating_value=1, description="Ridiculous")
    ratings.save_rating(db, key="true", label="True", rating_value=6)
    assert ratings.scale_bounds(db) == (1, 6)
    assert ratings.get_rating(db, "pants-on-fire")["label"] == "Pants on Fire!"


@pytest.mark.parametrize("fields,field", [
    ({"key": "Bad Key", "label": "X"}, "key"),
    ({"key": "ok", "label": ""}, "label"),
    ({"key": "ok", "label": "X", "rating_value": "0"}, "rating_value"),
    ({"key": "ok", "label": "X", "rating_value": "high"}, "rating_value"),
])
def test_bad_labels_are_refused(db, fields, field):
    with pytest.raises(ValidationError) as error:
        ratings.save_rating(db, rating_value=fields.pop("rating_value", None), **fields)
    assert field in error.value.fields


def test_label_mapping_is_case_insensitive_and_editable(db):
    assert ratings.map_label(db, "Pants on Fire") == "false"
    assert ratings.map_label(db, "FALSO") == "false"
    assert ratings.map_label(db, "Mostly True") == "mostly-true"
    assert ratings.map_label(db, "Totally made up") is None
    ratings.save_mapping(db, "Totally made up", "false")
    assert ratings.map_label(db, "totally made up") == "false"
    ratings.delete_mapping(db, "Totally Made Up")
    assert ratings.map_label(db, "totally made up") is None
