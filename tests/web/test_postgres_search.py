"""CLAIMDESK_SEARCH=postgres: the desk searches in its PostgreSQL database, through the commands and the pages.

The query language and the results contract are tested on both engines in tests/search_index/ and
tests/web/test_search.py; here: the setting itself, the commands, "checked before?", and a desk that
switches engines or changes its word analysis.
"""

import json

import pytest

from review import claims, prior
from review.errors import ReviewError
from review.indexing import drain, enqueue
from review.ingest.store import add_document
from review.storage import open_store
from search_index import open_index
from tests.conftest import BACKEND, ClaimdeskRunner, make_app

on_postgres = pytest.mark.skipif(BACKEND != "postgres", reason="PostgreSQL search needs the PostgreSQL run")
REVIEW = {"@context": "https://schema.org", "@type": "ClaimReview",
          "url": "https://checker.example/reviews/bridge-48-million",
          "claimReviewed": "The new Riverton bridge cost $48 million.",
          "author": {"@type": "Organization", "name": "PolitiFact"}, "datePublished": "2016-05-02",
          "reviewRating": {"@type": "Rating", "alternateName": "Pants on Fire"},
          "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Mayor Kim"}}}


@pytest.mark.parametrize("settings, message", [
    ({"SEARCH": "elastic"}, "CLAIMDESK_SEARCH='elastic' is not a search engine; use one of: whoosh, postgres"),
    ({"SEARCH": "postgres"}, "CLAIMDESK_SEARCH=postgres searches in the PostgreSQL database: set "
                             "CLAIMDESK_DATABASE_URL=postgresql://... as well"),
])
def test_a_search_setting_that_cannot_work_is_refused_with_its_reason(tmp_path, settings, message):
    with pytest.raises(ReviewError) as refused:
        make_app(tmp_path, DB=str(tmp_path / "desk.db"), **settings)
    assert refused.value.message == message


def test_whoosh_stays_the_default(app):
    assert app.config["SEARCH"] == "whoosh"


@pytest.fixture
def pg_app(tmp_path):
    return make_app(tmp_path, SEARCH="postgres")


@pytest.fixture
def pg_db(pg_app):
    store = open_store(pg_app.config["DB"])
    yield store
    store.close()


@on_postgres
def test_commands_index_and_check_the_database_search(pg_app, pg_db, tmp_path):
    runner = ClaimdeskRunner(pg_app)
    article = tmp_path / "tolls.txt"
    article.write_text("Harbor tolls rise\n\nThe harbor raised its tolls by 4 percent, the port authority said.")
    ingested = runner.invoke(args=["ingest", str(article), "--source", "Harbor Gazette"])
    assert ingested.exit_code == 0, ingested.output
    assert not (tmp_path / "index" / "current").is_symlink()  # no Whoosh index: the records went to the database
    index = open_index(pg_app.config["INDEX"], engine="postgres", store=pg_db)
    assert [hit.fields["title"] for hit in index.search("tolls").hits] == ["Harbor tolls rise"]
    rebuilt = runner.invoke(args=["reindex"])
    assert rebuilt.exit_code == 0 and "Reindexed 1 documents and 0 verdicts" in rebuilt.output
    checked = runner.invoke(args=["db", "check"])
    assert "index: PostgreSQL search (1 documents, 0 verdicts" in checked.output, checked.output
    page = pg_app.test_client().get("/readyz").get_json()
    assert page["checks"]["index"]["ok"]


@on_postgres
def test_checked_before_finds_the_earlier_fact_check_in_the_database(pg_app, pg_db, tmp_path):
    from review.claimreview.store import import_paths
    from tests.conftest import PASSWORD, add_user

    path = tmp_path / "reviews.jsonl"
    path.write_text(json.dumps(REVIEW) + "\n")
    import_paths(pg_db, [str(path)])
    drain(pg_db, pg_app.config["INDEX"], engine="postgres")
    claim = claims.create_manual_claim(pg_db, text="The mayor said the new Riverton bridge cost $48 million.",
                                       claimant="Mayor Kim", url="https://tv.example/clip")
    add_user(pg_db, "cleo", "checker")
    client = pg_app.test_client()
    client.post("/login", data={"username": "cleo", "password": PASSWORD})
    html = client.get(f"/claims/{claim['id']}").get_data(as_text=True)
    assert "Checked before?" in html and "Pants on Fire" in html and "PolitiFact" in html
    index = open_index(pg_app.config["INDEX"], engine="postgres", store=pg_db)
    assert prior.refresh_marks(pg_db, index) == 1
    assert "Checked before:" in client.get("/").get_data(as_text=True)
    matched = ClaimdeskRunner(pg_app).invoke(args=["match", "--json", "Riverton bridge cost 48 million dollars"])
    assert matched.exit_code == 0 and json.loads(matched.output)[0]["url"] == REVIEW["url"], matched.output


@on_postgres
def test_a_desk_moving_from_whoosh_fills_the_database_search_on_its_first_drain(tmp_path):
    whoosh_app = make_app(tmp_path)
    db = open_store(whoosh_app.config["DB"])
    add_document(db, body="Wheat exports\n\nWheat exports fell by a tenth.", source="Reuters",
                 published_at="2024-02-01")
    drain(db, whoosh_app.config["INDEX"])  # indexed by Whoosh only; the outbox is done
    index = open_index(whoosh_app.config["INDEX"], engine="postgres", store=db)
    assert index.status() == "missing" and index.search("wheat").total == 0
    drain(db, whoosh_app.config["INDEX"], engine="postgres")
    assert index.status() == "ready" and index.search("wheat").total == 1
    # Words analysed by another version of the analysis are analysed again on the next drain.
    db.execute("UPDATE search_records SET fields = jsonb_set(fields, '{analysis}', '0'), terms = ''::tsvector")
    assert index.status() == "outdated" and index.search("wheat").total == 0
    drain(db, whoosh_app.config["INDEX"], engine="postgres")
    assert index.status() == "ready" and index.search("wheat exports").total == 1
    enqueue(db, "document", 1)  # a removal reaches the database search too
    db.execute("DELETE FROM claim_appearances")
    db.execute("DELETE FROM claims")
    db.execute("DELETE FROM documents")
    drain(db, whoosh_app.config["INDEX"], engine="postgres")
    assert index.search("wheat").total == 0
    db.close()


@on_postgres
def test_the_verdicts_word_counts_follow_every_change(pg_db, tmp_path):
    """BM25's word counts are kept by each write (not recounted): after replacing, adding and removing
    verdicts they equal a fresh count, and "checked before?" scores equal Whoosh's."""
    from search_index.base import Record

    def verdict(number: int, body: str) -> Record:
        return Record("verdict", number, title=f"Check {number}", body=body, published="2024-01-0%d" % (number % 9 + 1),
                      extra={"claim_reviewed": body.split(".")[0]})

    postgres = open_index("", engine="postgres", store=pg_db)
    postgres.rebuild([verdict(1, "Wheat exports doubled last year."), verdict(-2, "The harbor raised tolls by 4 percent."),
                      verdict(3, "Vaccination rates fell in the county.")])
    postgres.apply([verdict(1, "Wheat exports rose by a tenth, not double."), verdict(4, "Wheat prices doubled.")],
                   [("verdict", -2)])
    postgres.apply([verdict(4, "Wheat prices doubled in the harbor towns.")], [("verdict", 3), ("verdict", 99)])
    kept = pg_db.query("SELECT term, docs, words FROM search_terms ORDER BY term")
    pg_db.execute("DELETE FROM search_terms")
    pg_db.execute("INSERT INTO search_terms (kind, term, docs, words) SELECT 'verdict', u.lexeme, count(*), 0"
                  " FROM search_records r, unnest(ts_filter(r.terms, '{c}')) AS u WHERE r.kind = 'verdict'"
                  " GROUP BY u.lexeme")
    pg_db.execute("INSERT INTO search_terms (kind, term, docs, words) SELECT 'verdict', '', count(*), sum(words)"
                  " FROM search_records WHERE kind = 'verdict'")
    recounted = pg_db.query("SELECT term, docs, words FROM search_terms ORDER BY term")
    assert [row for row in kept if row["docs"]] == recounted
    assert {row["term"]: row["docs"] for row in recounted}[""] == 2
    whoosh = open_index(str(tmp_path / "index"))  # built from what is left (Whoosh counts deleted records too)
    try:
        whoosh.rebuild([verdict(1, "Wheat exports rose by a tenth, not double."),
                        verdict(4, "Wheat prices doubled in the harbor towns.")])
        for claim in ("wheat prices doubled", "wheat exports doubled"):
            found = [(hit.id, round(hit.score, 4)) for hit in postgres.similar(claim, kind="verdict")]
            assert found == [(hit.id, round(hit.score, 4)) for hit in whoosh.similar(claim, kind="verdict")]
    finally:
        whoosh.close()
