"""PostgreSQL search keeps each verdict's re-ranking features beside its row, in the claim tables' form, so a
"checked before?" lookup reads them instead of computing them; its answers and scores are those computed from
the candidates' texts, and a table written before the features were kept is rebuilt by the next drain."""

import csv
import datetime as dt
import json

import numpy as np
import pytest

from review import matching
from review.dates import normalize_date
from review.indexing import prior_review_record
from search_index import open_index, outbox
from search_index.base import Record
from search_index.claim_table import GRAM_FIELDS, ClaimTable, feature_texts
from search_index.postgres_features import pack, table_of, unpack
from search_index.postgres_search import stored_fields
from tests.conftest import BACKEND, shared_path

on_postgres = pytest.mark.skipif(BACKEND != "postgres", reason="PostgreSQL search runs on the PostgreSQL run")
URL = "https://www.snopes.com/fact-check/{}/"
VERIFIED = 600  # the first verified claims, beside those the sampled queries repeat
QUERIES = 40


def checkthat() -> tuple[list[Record], list[str]]:
    """Return CheckThat! verified claims as the desk indexes imported fact-checks, and tweets repeating some."""
    folder = shared_path("data", "prior-claims")
    with (folder / "vclaims.jsonl").open(encoding="utf-8") as lines:
        vclaims = [json.loads(line) for line in lines if line.strip()]
    with (folder / "CT2022-Task2A-EN-Train-Dev_Queries.tsv").open(encoding="utf-8", newline="") as lines:
        queries = {row[0]: row[1] for row in csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE) if len(row) >= 2}
    answers = [line.split("\t") for line in
               (folder / "CT2022-Task2A-EN-Train_QRELs.tsv").read_text(encoding="utf-8").splitlines()]
    asked = answers[::len(answers) // QUERIES][:QUERIES]
    wanted = {answer[2] for answer in asked}
    chosen = [v for number, v in enumerate(vclaims) if number < VERIFIED or v["vclaim_id"] in wanted]
    records = []
    for number, vclaim in enumerate(chosen, 1):
        published = normalize_date(vclaim["date"])  # as the ClaimReview import reads it
        records.append(prior_review_record({
            "id": number, "claim_reviewed": vclaim["vclaim"], "headline": vclaim["title"],
            "review_body": vclaim["subtitle"], "publisher": "Snopes", "language": "en", "date_published": published,
            "url": URL.format(vclaim["vclaim_id"].removeprefix("vclaim-sno-")), "rating_label": "", "rating_key": ""}))
    return records, [queries[answer[0]].strip() for answer in asked]


def same(found: list[list[tuple[int, float]]], expected: list[list[tuple[int, float]]]) -> bool:
    """Return whether two runs of lookups rank the same fact-checks with the same scores.

    Equal up to the last bits: PostgreSQL sums a verdict's BM25 terms in the order it meets them, which a
    rewritten row can change (a no-op UPDATE moves 0.011757323333727705 to ...693).
    """
    return [[i for i, _ in row] for row in found] == [[i for i, _ in row] for row in expected] and all(
        score == pytest.approx(other, rel=1e-12, abs=1e-15)
        for row, other_row in zip(found, expected) for (_, score), (_, other) in zip(row, other_row))


def lookups(index, texts: list[str]) -> list[list[tuple[int, float]]]:
    """Return each text's five best prior fact-checks by the shipped re-ranker: (id, unrounded score)."""
    found = []
    for text in texts:
        words = matching._words(text)
        rerank = matching.Reranker(matching.claim_date_in(text), matching._words(matching.without_signature(text)))
        found.append([(hit.id, hit.score) for hit in index.similar(words, kind="verdict", limit=5, rerank=rerank)])
    return found


def test_features_hold_the_claim_tables_gram_sets_and_day():
    fields = {"title": "Hero wombats?", "body": "Wombats herded animals.", "published": dt.datetime(2020, 1, 14, 9),
              "url": "https://www.snopes.com/fact-check/hero-wombats-australia-fires/",
              "extra": {"claim_reviewed": "Wombats are herding animals into their burrows"}}
    built = ClaimTable.build([0, 1], [[], []], [feature_texts(fields), feature_texts({"title": "", "body": ""})])
    read = table_of([pack(fields), None], [None, {"title": "", "body": ""}])
    for name in GRAM_FIELDS:
        assert np.array_equal(read.grams[name].starts, built.grams[name].starts)
        assert np.array_equal(read.grams[name].values, built.grams[name].values)
    assert list(read.days) == list(built.days) == [dt.date(2020, 1, 14).toordinal(), 0]
    with pytest.raises(ValueError, match="does not hold the hashes"):
        unpack(pack(fields)[:-8])
    with pytest.raises(ValueError, match="does not hold the hashes"):
        table_of([pack(fields), pack(fields)[:-8]], [None, None])


@on_postgres
def test_a_lookup_reads_stored_features_and_scores_as_from_the_texts_and_an_old_table_is_rebuilt(db):
    records, texts = checkthat()
    postgres = open_index("", engine="postgres", store=db)
    postgres.rebuild([*records, Record("document", 1, title="Wombats", body="Wombats dig burrows.")])
    assert postgres.status() == "ready"
    rows = db.query("SELECT kind, fields, features FROM search_records ORDER BY kind, id")
    assert [row["features"] for row in rows if row["kind"] == "document"] == [None]
    for row in rows[1:]:
        assert bytes(row["features"]) == pack(stored_fields(row["fields"]))
    stored = lookups(postgres, texts)
    assert sum(bool(found) for found in stored) == QUERIES

    # A table written before the features were kept: the same answers and scores, computed from the texts.
    db.execute("UPDATE search_records SET features = NULL WHERE kind = 'verdict' AND id % 3 = 0")
    assert postgres.status() == "outdated"
    assert same(lookups(postgres, texts), stored)

    # The indexer's next drain rebuilds it, and the features are kept again.
    applied = outbox.drain(db, "", lambda store, kind, entity_id: None, index_key=lambda kind, i: (kind, i),
                           all_records=lambda store: iter(records), engine="postgres")
    assert applied == 0 and postgres.status() == "ready"
    assert db.scalar("SELECT count(*) FROM search_records WHERE features IS NULL") == 0
    assert same(lookups(postgres, texts), stored)
