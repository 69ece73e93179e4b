"""Rating labels are compared in one normalized form, when admins map them and when imports look them up."""

import pytest

from review import ratings


@pytest.mark.parametrize("label, normalized", [
    ("Four Pinocchios!", "four pinocchios"),
    ("False.", "false"),
    ("mostly_true", "mostly true"),
    ("Mostly-True", "mostly true"),
    ("  PANTS   on\tFire!! ", "pants on fire"),
    ("¡Falso!", "falso"),
    ("Engañoso", "engañoso"),
    ("Didn’t happen", "didnt happen"),
    ("", ""),
    (None, ""),
])
def test_normalize_label(label, normalized):
    assert ratings.normalize_label(label) == normalized


@pytest.mark.parametrize("label, key", [
    ("Four Pinocchios!", "false"), ("four pinocchios", "false"), ("FOUR-PINOCCHIOS", "false"),
    ("False.", "false"), ("mostly_true", "mostly-true"), ("Mostly True", "mostly-true"), ("mostly-true", "mostly-true"),
])
def test_map_label_after_an_admin_maps_a_label_with_punctuation(db, label, key):
    ratings.save_mapping(db, "Four Pinocchios!", "false")
    assert ratings.map_label(db, label) == key


def test_mappings_stored_under_the_old_normalization_keep_working(db):
    # Stored before labels lost their hyphens and inner punctuation: lookups normalize both sides.
    db.execute("INSERT INTO rating_mappings (label, rating_key) VALUES (?, ?)", ["two-pinocchios", "mostly-false"])
    assert ratings.map_label(db, "Two Pinocchios") == "mostly-false"
    ratings.save_mapping(db, "Two Pinocchios", "half-true")  # replaces the old spelling instead of adding a twin
    assert [m["label"] for m in ratings.list_mappings(db) if "pinocchios" in m["label"]] == ["two pinocchios"]
    assert ratings.map_label(db, "two-pinocchios") == "half-true"
    ratings.delete_mapping(db, "Two-Pinocchios!")
    assert ratings.map_label(db, "Two Pinocchios") is None
