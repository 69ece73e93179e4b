"""Whoosh and PostgreSQL search keep one results contract: each fixture query gives the same number of
matches and the same top ten on both engines, and "checked before?" finds the same earlier fact-check.

The fixture keeps ranking ties away from the tenth place: a topic's strong articles name it in the title
and three times in a short body, its weak ones once in a long body (each of another length), and a query
with more than ten matches has exactly ten strong ones, or matches one topic's weak articles only.
"""

import pytest

from review.storage import open_store
from search_index import open_index
from search_index.base import Record
from tests.conftest import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "postgres", reason="PostgreSQL search runs on the PostgreSQL run")

# topic word, how many strong articles, a second word some of them pair it with
TOPICS = [("harbor", 6, "tolls"), ("wheat", 4, "exports"), ("vaccination", 3, "rates"), ("turbine", 5, "noise"),
          ("election", 2, "turnout")]
SOURCES = ["Harbor Gazette", "Reuters", "Riverton Herald"]
FILLER = ("the council met on tuesday and discussed the budget for parks roads and schools while residents asked "
          "about bus routes library hours and the new market square plans that were delayed again this spring")


def corpus() -> list[Record]:
    records, number = [], 0
    for topic, strong, partner in TOPICS:
        for i in range(strong):
            number += 1
            body = (f"The {topic} report came out. Officials said {topic} {partner} changed. "
                    f"Critics of the {topic} plan {'disagreed' if i % 2 else 'agreed'}.")
            if i == 0:
                body += f" Exports of {topic} {partner} fell." if partner == "exports" else f" {partner} of {topic}."
            records.append(Record("document", number, title=f"{topic.title()} {partner} update {i}", body=body,
                                  source=SOURCES[i % 3], published=None if i == 1 else f"{2021 + i % 4}-0{1 + i}-15",
                                  claimant="Ann Kim" if i == 2 else ""))
        for i in range(4):
            number += 1
            records.append(Record("document", number, title=f"Council notes {number}",
                                  body=f"{FILLER} and one passing mention of {topic} {FILLER} " + "item " * number,
                                  source=SOURCES[(i + 1) % 3], published=f"{2020 + i}-11-0{1 + i}"))
    for i in range(2):
        number += 1
        records.append(Record("document", number, title=f"Turbine election pledges {i}",
                              body="Turbine plans split the election. The election turned on turbine noise.",
                              source="Reuters", published="2023-02-01"))
    records += [
        Record("verdict", -1, title="No, wind turbines do not cause cancer", body="Wind turbines cause cancer. "
               "No, wind turbines do not cause cancer.", claimant="Jane Doe", rating="false", publisher="PolitiFact",
               published="2019-04-02", extra={"claim_reviewed": "Wind turbines cause cancer"}),
        Record("verdict", -2, title="Harbor tolls did rise", body="The harbor raised tolls by 4 percent. Harbor tolls "
               "did rise.", claimant="Ann Kim", rating="true", publisher="Harbor Checks", published="2024-03-05",
               extra={"claim_reviewed": "The harbor raised tolls by 4 percent"}),
        Record("verdict", 3, title="Wheat exports doubled? Not quite", body="Wheat exports doubled last year. Wheat "
               "exports rose by a tenth.", claimant="Mayor Smith", rating="mostly-false", publisher="Claimdesk",
               published="2023-06-01", extra={"claim_reviewed": "Wheat exports doubled last year"}),
        Record("verdict", 4, title="Vaccination rates fell", body="Vaccination rates fell in the county. They did "
               "fall, by two points.", claimant="Dr Lee", rating="true", publisher="Claimdesk", published="2022-01-05",
               extra={"claim_reviewed": "Vaccination rates fell in the county"}),
    ]
    return records


DOCUMENT_QUERIES = [
    ("harbor", {}), ("Harbor", {}), ("wheat", {}), ("harbor wheat", {}), ('"wheat exports"', {}),
    ('"exports wheat"', {}), ('"harbor tolls"', {}), ("harbor OR wheat", {}), ("harbor NOT wheat", {}),
    ("(harbor OR wheat) AND NOT election", {}), ("vaccin*", {}), ("turb*", {}), ("elect* OR harb*", {}),
    ("vaccin* OR turb*", {}), ("harbor OR election", {}), ("turbine election", {}),
    ("source:reuters", {}), ('source:"harbor gazette" harbor', {}), ("harbor date:2023", {}),
    ("wheat date:2021..2023-06", {}), ("turbine date:..2022", {}), ("claimant:kim", {}), ('claimant:"ann kim"', {}),
    ("harbor", {"source": "Riverton Herald"}), ("turbine", {"date_from": "2022", "date_to": "2024"}),
    ("", {"source": "reuters"}), ("council", {}), ("tolls OR turnout", {}), ("disagreed", {}),
    ('"turbine noise" OR "election turnout"', {}), ("nothing-like-this", {}), ("zebra", {}),
]
VERDICT_QUERIES = [
    ("turbines", {}), ("claimant:doe", {}), ('claimant:"mayor smith"', {}), ("rating:false", {}),
    ("harbor", {"rating": "true"}), ("", {"publisher": "Claimdesk"}), ("wheat OR vaccination", {}),
    ("exports date:2023", {}), ("publisher:politifact", {}),
]
CLAIMS = ["do wind turbines really cause cancer?", "Harbor tolls went up 4 percent, says Kim",
          "wheat exports doubled", "county vaccination rates fell sharply"]


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    """Both engines holding the fixture: a Whoosh folder and a database of this module's own (built once)."""
    from tests.conftest import _postgres

    databases = _postgres()[0]
    url = databases.create()
    store = open_store(url)
    whoosh = open_index(str(tmp_path_factory.mktemp("engines") / "index"))
    postgres = open_index("", engine="postgres", store=store)
    records = corpus()
    for index in (whoosh, postgres):
        index.rebuild(records)
    yield whoosh, postgres
    whoosh.close()
    store.close()
    databases.drop(url)


@pytest.mark.parametrize("kind, q, filters", [("document", q, f) for q, f in DOCUMENT_QUERIES]
                         + [("verdict", q, f) for q, f in VERDICT_QUERIES])
def test_each_fixture_query_gives_the_same_matches_and_top_ten(engines, kind, q, filters):
    whoosh, postgres = (index.search(q, kind=kind, filters=filters, page_size=10) for index in engines)
    assert postgres.total == whoosh.total, q
    assert {hit.id for hit in postgres.hits} == {hit.id for hit in whoosh.hits}, q
    assert postgres.notice == whoosh.notice


def test_the_fixture_queries_find_something_and_some_find_more_than_ten(engines):
    totals = {q: engines[0].search(q, filters=f).total for q, f in DOCUMENT_QUERIES}
    assert sum(1 for total in totals.values() if total > 10) >= 5
    assert sum(1 for total in totals.values() if total == 0) >= 2


@pytest.mark.parametrize("claim", CLAIMS)
def test_checked_before_finds_the_same_fact_check(engines, claim):
    whoosh, postgres = (index.similar(claim, kind="verdict", limit=5) for index in engines)
    assert [hit.id for hit in postgres][:1] == [hit.id for hit in whoosh][:1]
    assert {hit.id for hit in postgres} == {hit.id for hit in whoosh}
    assert [round(hit.score, 4) for hit in postgres] == pytest.approx([round(hit.score, 4) for hit in whoosh], abs=1e-3)


@pytest.mark.parametrize("claim", [*CLAIMS, "Harbor tolls went up 4 percent, says Kim. March 8, 2024",
                                   "Wind turbines cause cancer — Jane Doe (@jdoe) April 1, 2019",
                                   "Wheat exports and harbor tolls doubled as vaccination rates fell. March 8, 2024"])
def test_checked_before_reranks_to_the_same_order_and_scores(engines, claim):
    """The shipped re-ranker scores each engine's candidates alike: PostgreSQL reads the 4-gram sets and days
    it stored when the verdicts were written, Whoosh those of its claim tables."""
    from review import matching

    ranked = []
    for index in engines:
        text = matching._words(claim)
        rerank = matching.Reranker(matching.claim_date_in(claim), matching._words(matching.without_signature(claim)))
        ranked.append([(hit.id, hit.score) for hit in index.similar(text, kind="verdict", limit=5, rerank=rerank)])
    whoosh, postgres = ranked
    assert whoosh and [i for i, _ in postgres] == [i for i, _ in whoosh]
    assert len(whoosh) == 3 or "doubled as" not in claim
    assert [score for _, score in postgres] == pytest.approx([score for _, score in whoosh], rel=1e-6)
