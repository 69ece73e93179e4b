"""Storing prior reviews: re-imports update, ratings map to our scale, raw JSON, outbox and audit; LIAR."""

import copy
import csv
import json

import pytest

from review import ratings
from review.claimreview.store import import_bytes, import_paths
from review.indexing import pending_count
from tests.conftest import shared_path
from tests.review.claimreview.samples import PAGE, claimreview, stored, write


def test_reimport_updates_instead_of_duplicating(db, tmp_path):
    path = write(tmp_path, "reviews.json", [claimreview(), claimreview("Water is dry.", url=PAGE + "-2")])
    first = import_paths(db, [path])
    changed = claimreview(reviewRating={"alternateName": "Pants on Fire"})
    write(tmp_path, "reviews.json", [changed, claimreview("Water is dry.", url=PAGE + "-2")])
    again = import_paths(db, [path])
    assert (first.added, first.updated) == (2, 0)
    assert (again.added, again.updated, again.refused) == (0, 2, 0)
    rows = stored(db)
    assert len(rows) == 2 and rows[0]["rating_label"] == "Pants on Fire"


@pytest.mark.parametrize("label, key", [
    ("Pants on Fire", "false"), ("Falso", "false"), ("FALSE", "false"), ("barely-true", "mostly-false"),
    ("Four Pinocchios", None), ("False.", "false"), ("mostly_true", "mostly-true"), ("Mostly-True", "mostly-true"),
    ("  pants   on fire! ", "false"), ("Half true?", "half-true"),
])
def test_rating_labels_are_mapped_to_our_scale(db, label, key):
    import_bytes(db, "one.json", json.dumps(claimreview(reviewRating={"alternateName": label})).encode())
    [row] = stored(db)
    assert (row["rating_label"], row["rating_key"]) == (label.strip(), key)


def test_a_label_an_admin_mapped_maps_later_imports_as_published(db):
    ratings.save_mapping(db, "Four Pinocchios!", "false")
    import_bytes(db, "one.json", json.dumps(claimreview(reviewRating={"alternateName": "Four Pinocchios!"})).encode())
    [row] = stored(db)
    assert (row["rating_label"], row["rating_key"]) == ("Four Pinocchios!", "false")


def test_mapping_a_label_remaps_reviews_already_imported(db):
    import_bytes(db, "one.json", json.dumps(claimreview(reviewRating={"alternateName": "Four Pinocchios!"})).encode())
    assert stored(db)[0]["rating_key"] is None
    ratings.save_mapping(db, "four pinocchios", "false")
    assert stored(db)[0]["rating_key"] == "false"


def test_raw_json_is_kept_and_outbox_and_audit_written(db):
    node = claimreview(reviewRating={"alternateName": "Falso", "ratingValue": "1", "x-extra": [1, {"a": "é"}]})
    feed = {"@type": "DataFeed", "dataFeedElement": [{"@type": "DataFeedItem", "item": copy.deepcopy(node)}]}
    summary = import_bytes(db, "feed.json", json.dumps(feed).encode(), actor_id=None)
    [row] = stored(db)
    assert json.loads(row["raw_json"]) == node
    assert (row["source_file"], summary.added) == ("feed.json", 1)
    assert pending_count(db) == 1
    events = list(db.query("SELECT action, details FROM events WHERE action = 'prior_review.import'"))
    assert len(events) == 1 and json.loads(events[0]["details"])["added"] == 1


def test_half_characters_escaped_in_json_do_not_stop_the_import(db):
    data = b'[{"@type": "ClaimReview", "claimReviewed": "Moon \\ud83d", "url": "https://x.org/1"}]'
    assert import_bytes(db, "odd.json", data).added == 1
    [row] = stored(db)
    assert row["claim_reviewed"] == "Moon \ufffd" and json.loads(row["raw_json"])["claimReviewed"] == "Moon \ud83d"


LIAR_ROWS = 500


def liar_claimreviews(path) -> list[dict]:
    """Convert LIAR rows to ClaimReview; the URLs are synthetic (PolitiFact pages are not keyed by LIAR id)."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = [row for _, row in zip(range(LIAR_ROWS), csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))]
    return [{
        "@context": "https://schema.org", "@type": "ClaimReview",
        "url": f"https://www.politifact.com/liar/{row[0]}",  # synthetic, for the test only
        "claimReviewed": row[2],
        "author": {"@type": "Organization", "name": "PolitiFact", "url": "https://www.politifact.com/"},
        "reviewRating": {"@type": "Rating", "alternateName": row[1]},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": row[4]},
                         "appearance": {"@type": "CreativeWork", "name": row[13]}},
        "headline": f"LIAR {row[0]} (synthetic ClaimReview from the LIAR data set)",
    } for row in rows if len(row) == 14]


def test_liar_converted_to_claimreview_imports(db, tmp_path):
    records = liar_claimreviews(shared_path("data", "liar", "train.tsv"))
    assert len(records) >= LIAR_ROWS * 0.95
    path = write(tmp_path, "liar.jsonl", "\n".join(json.dumps(r) for r in records))
    summary = import_paths(db, [path])
    usable = [r for r in records if r["claimReviewed"].strip()]
    assert (summary.added, summary.updated, summary.refused) == (len(usable), 0, len(records) - len(usable))
    mapped = {r["rating_label"]: r["rating_key"]
              for r in db.query("SELECT DISTINCT rating_label, rating_key FROM prior_reviews")}
    assert {mapped[label] for label in ("pants-fire", "false")} == {"false"}
    assert (mapped["barely-true"], mapped["half-true"], mapped["mostly-true"]) == \
        ("mostly-false", "half-true", "mostly-true")
    assert db.scalar("SELECT count(*) FROM prior_reviews WHERE rating_key IS NULL") == 0
    assert db.scalar("SELECT count(*) FROM prior_reviews WHERE publisher = 'PolitiFact'") == \
        summary.added

