"""Property tests: whatever the input, the importers, the query parser and extraction never crash, and an
import never stores part of a record.

Examples per property are bounded for CI (CLAIMDESK_PROPERTY_EXAMPLES, default 40); bench/fuzz.py runs
the same properties with many more.
"""

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review.claimreview.store import import_bytes
from review.extraction.pipeline import extract_claims_many
from review.ingest.readers import read_bytes
from review.ingest.store import store_items
from review.jsontext import BadJson, load_json, read_json_values
from review.storage import open_store
from search_index import open_index
from search_index.base import Record
from tests.conftest import _template_db
from tests.review.claimreview.samples import JSON_VALUES, claimreview

EXAMPLES = int(os.environ.get("CLAIMDESK_PROPERTY_EXAMPLES", "40"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Text that is JSON, nearly JSON, or hostile JSON: deep nesting, numbers past Python's 4,300 digits.
DEEP = st.integers(90, 3000).map(lambda n: "[" * n + "]" * n)
LONG_NUMBER = st.integers(4200, 4400).map(lambda n: '{"body": "x", "n": ' + "7" * n + "}")
ARTICLE_FIELDS = st.fixed_dictionaries({}, optional={
    "title": JSON_VALUES, "body": st.text(max_size=300) | JSON_VALUES, "text": JSON_VALUES,
    "url": st.sampled_from(["https://x.example/a", "javascript:alert(1)", "", "http://"]) | JSON_VALUES,
    "published_at": st.sampled_from(["2024-03-05", "yesterday", "99999-01-01"]) | JSON_VALUES,
    "source": JSON_VALUES, "language": JSON_VALUES, "author": JSON_VALUES, "id": JSON_VALUES})
JSON_TEXT = st.one_of(
    JSON_VALUES.map(json.dumps), ARTICLE_FIELDS.map(json.dumps), st.lists(ARTICLE_FIELDS, max_size=4).map(json.dumps),
    DEEP, LONG_NUMBER, st.text(max_size=200),
    st.lists(ARTICLE_FIELDS.map(json.dumps) | DEEP | LONG_NUMBER, max_size=4).map("\n".join),
)
FILES = st.tuples(st.sampled_from(["a.json", "a.jsonl", "a.txt", "a.html", "a.xml", "a"]),
                  JSON_TEXT.map(lambda text: text.encode("utf-8", "surrogatepass")) | st.binary(max_size=300))


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "properties.db"
    path.write_bytes(_template_db())
    database = open_store(path)
    yield database
    database.close()


def test_reading_json_text_returns_values_or_says_why():
    @PROPERTY
    @given(JSON_TEXT)
    def check(text):
        try:
            load_json(text)
        except BadJson as error:
            assert error.reason and (error.line is None or error.line >= 1)
        for position, value in read_json_values(text):
            assert position is None or position >= 1
            assert not isinstance(value, BadJson) or value.reason

    check()


def _invariants(db) -> None:
    """A document is stored whole or not at all: with its outbox row and its event; no claim without it."""
    assert db.scalar("SELECT count(*) FROM claims WHERE document_id IS NOT NULL"
                     " AND document_id NOT IN (SELECT id FROM documents)") == 0
    assert db.scalar("SELECT count(*) FROM documents WHERE id NOT IN"
                     " (SELECT entity_id FROM index_outbox WHERE kind = 'document')") == 0
    assert db.scalar("SELECT count(*) FROM documents WHERE id NOT IN"
                     " (SELECT entity_id FROM events WHERE entity_type = 'document')") == 0
    assert db.scalar("SELECT count(*) FROM documents WHERE body IS NULL OR body = '' OR content_hash IS NULL") == 0


def test_document_import_never_crashes_and_stores_whole_records(store):
    @PROPERTY
    @given(st.lists(FILES, min_size=1, max_size=3), st.sampled_from([1, 3]))
    def check(files, chunk_size):
        before = store.scalar("SELECT count(*) FROM documents")
        items = [item for name, data in files for item in read_bytes(name, data)]
        report = store_items(store, items, chunk_size=chunk_size)
        assert len(report.outcomes) == len(items)
        for outcome in report.outcomes:
            assert outcome.status in ("added", "duplicate", "skipped", "failed")
            assert outcome.status != "failed" or outcome.reason
        assert store.scalar("SELECT count(*) FROM documents") - before == report.counts["added"]
        _invariants(store)

    check()


REVIEW_TEXT = st.one_of(
    JSON_TEXT,
    st.builds(lambda claim, url, rating: json.dumps(claimreview(claim, url=url, reviewRating=rating)),
              st.text(max_size=60), st.sampled_from(["https://c.example/1", "javascript:x", "/rel", ""]) | JSON_VALUES,
              JSON_VALUES),
    st.lists(st.builds(lambda claim: claimreview(claim), st.text(max_size=40)) | JSON_VALUES, max_size=3)
    .map(json.dumps),
)


def test_claimreview_import_never_crashes_and_stores_only_usable_records(store):
    @PROPERTY
    @given(st.sampled_from(["r.json", "r.jsonl", "r.html", "r"]), REVIEW_TEXT.map(lambda t: t.encode("utf-8", "replace")))
    def check(name, data):
        report = import_bytes(store, name, data)
        for outcome in report.outcomes:
            assert outcome.status in ("added", "updated", "refused")
            assert outcome.status != "refused" or outcome.reason
        incomplete = store.scalar("SELECT count(*) FROM prior_reviews WHERE claim_reviewed IS NULL OR"
                                  " claim_reviewed = '' OR url IS NULL OR url NOT LIKE 'http%' OR raw_json IS NULL")
        assert incomplete == 0

    check()


QUERY_WORDS = st.sampled_from(["turbine", "AND", "OR", "NOT", '"', "(", ")", "*", "?", "~", "^2", ":", "date:",
                               "date:2024", "date:2024-13", "source:", "source:\"Wire", "rating:false", "-", "+",
                               "[", "]", "{", "}", "TO", "\\", "'", "title:", "date:1999..2024", "\x00"])
QUERIES = st.lists(QUERY_WORDS | st.text(max_size=8), max_size=8).map(" ".join) | st.text(max_size=60)


def test_the_query_parser_never_crashes(tmp_path):
    index = open_index(str(tmp_path / "index"))
    index.rebuild([Record("document", 1, title="Turbines", body="The turbine plan passed in 2024.", source="Wire",
                          published="2024-03-05")])
    filters = st.fixed_dictionaries({}, optional={name: st.text(max_size=12) | st.sampled_from(["2024", "2024-02-30"])
                                                  for name in ("source", "date_from", "date_to", "rating")})

    @PROPERTY
    @given(QUERIES, filters, st.sampled_from(["document", "verdict"]), st.sampled_from(["relevance", "newest", "x"]))
    def check(query, chosen, kind, sort):
        results = index.search(query, kind=kind, filters=chosen, sort=sort, page=1, page_size=5)
        # The index holds one document: a hit can only be it, and the count is the hits on the page.
        assert {(hit.kind, hit.id) for hit in results.hits} <= ({("document", 1)} if kind == "document" else set())
        assert results.total >= len(results.hits) and (results.estimated or results.total == len(results.hits))

    try:
        check()
    finally:
        index.close()


def test_extraction_never_crashes_and_claims_point_into_the_text():
    @PROPERTY
    @given(st.lists(st.text(max_size=400) | st.sampled_from([
        "The mayor said 40 roads were repaved in 2023.", "«Nous avons 3 millions», a dit le maire.",
        "Unemployment fell to 4.1 percent\x00 in January.", "1" * 5000, "\u202e" * 10 + "50% of voters"]),
        min_size=1, max_size=3).map("\n\n".join))
    def check(text):
        [claims] = extract_claims_many([text])
        for claim in claims:
            assert 0 <= claim.start <= claim.end <= len(text)
            assert claim.text.strip()
            assert 0.0 <= claim.score <= 1.0

    check()
