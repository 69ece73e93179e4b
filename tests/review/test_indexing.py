"""What the index holds: records made from documents, imported reviews and published verdicts only."""

import pytest

from review.dates import now
from review.indexing import all_records, enqueue, index_key, load_record, load_records, pending_count
from review.ingest.store import add_document
from search_index import outbox


def add_prior_review(db, claim: str = "Wind turbines cause cancer") -> int:
    with db.transaction():
        return db.insert(
            "INSERT INTO prior_reviews (claim_reviewed, headline, review_body, rating_label, rating_key, publisher,"
            " url, date_published, raw_json, imported_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [claim, "No, they do not", "A review.", "Pants on Fire", "false", "PolitiFact",
             "https://factcheck.example/1", "2019-04-03", "{}", now(), now()])


def test_an_imported_review_is_a_verdict_under_its_negated_id(db):
    review_id = add_prior_review(db)
    record = load_record(db, "prior_review", review_id)
    assert (record.kind, record.id, record.rating, record.publisher) == ("verdict", -review_id, "false", "PolitiFact")
    assert record.body == "Wind turbines cause cancer No, they do not A review."
    assert record.extra["origin"] == "imported" and record.extra["rating_label"] == "Pants on Fire"
    assert index_key("prior_review", review_id) == ("verdict", -review_id)
    assert index_key("document", 4) == ("document", 4)
    assert [r.id for r in all_records(db)] == [-review_id]


def test_rows_that_are_gone_or_unpublished_load_as_nothing(db):
    assert load_record(db, "document", 999) is None
    assert load_record(db, "prior_review", 999) is None
    assert load_record(db, "verdict", 999) is None


def test_enqueue_refuses_a_kind_the_drainer_could_never_load(db):
    with pytest.raises(ValueError, match="unknown outbox kind"):
        enqueue(db, "claim", 1)
    with pytest.raises(ValueError, match="unknown outbox kind"):
        load_record(db, "claim", 1)
    enqueue(db, "document", 1)
    assert pending_count(db) == 1


def test_many_rows_load_as_each_loads_alone(db, monkeypatch):
    # The drainer reads an import's documents a few hundred at a time: the records must be those read one by one,
    # claimants (several, none) included, rows that are gone as None, over more than one chunk.
    monkeypatch.setattr(outbox, "PARAMETERS", 2)
    bodies = ["The mayor said the turbines would power 40,000 homes by 2027.",
              "Finance minister Jane Doe said inflation would fall to 3 percent in 2025. Governor Tom Lee said "
              "rates would rise by 2 percent in 2026, and the mayor said prices would fall 5 percent.",
              "Tin stocks fell.", "Zinc output grew in week 3."]
    documents = [add_document(db, body=body, source="Harbor Gazette", published_at="2024-03-05").stored_id
                 for body in bodies]
    wanted = [documents[3], 999, *documents[:3]]
    many = load_records(db, "document", wanted)
    assert list(many) == wanted and many[999] is None
    assert many == {entity_id: load_record(db, "document", entity_id) for entity_id in wanted}
    assert many[documents[1]].claimant.count(";") >= 1 and many[documents[2]].claimant == ""
    review_id = add_prior_review(db)
    assert load_records(db, "prior_review", [review_id, 998]) == {
        review_id: load_record(db, "prior_review", review_id), 998: None}
    with pytest.raises(ValueError, match="unknown outbox kind"):
        load_records(db, "claim", [1])
