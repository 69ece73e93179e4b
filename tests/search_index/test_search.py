"""Searching the index: the query language, filters, sorting, pages, bad input, snippets, similar records."""

import pytest

from search_index.base import Record


def ids(results) -> set[int]:
    return {hit.id for hit in results.hits}


@pytest.fixture
def index(any_index):
    """Every test here runs on each engine (tests/search_index/conftest.py)."""
    return any_index


# -- the query language --------------------------------------------------------------------------
@pytest.fixture
def corpus(index):
    index.rebuild([
        Record("document", 1, title="Wind farm subsidies cut", body="The government cut wind farm subsidies.",
               source="Harbor Gazette", published="2024-03-10"),
        Record("document", 2, title="Solar output", body="Solar output rose while wind output was flat.",
               source="Riverton Herald", published="2023-07-01"),
        Record("document", 3, title="Vaccination", body="<script>alert('x')</script> Vaccination rates fell.",
               source="Reuters", published="2022-01-05"),
        Record("document", 4, title="Undated note", body="A note about subsidence of the harbor wall.", source="Reuters"),
        Record("verdict", -1, title="No, wind turbines do not cause cancer",
               body="Wind turbines cause cancer. No, wind turbines do not cause cancer.", claimant="Jane Doe",
               rating="false", publisher="PolitiFact", published="2019-04-02", url="https://example.org/1",
               extra={"claim_reviewed": "Wind turbines cause cancer", "origin": "imported"}),
        Record("verdict", 7, title="Mostly true", body="The harbor handled a record tonnage.", claimant="Mayor Smith",
               rating="mostly-true", publisher="Claimdesk", published="2024-01-15", url="https://example.org/7",
               extra={"claim_reviewed": "The harbor handled a record tonnage", "origin": "own"}),
    ])
    return index


@pytest.mark.parametrize("q, filters, expected", [
    ("wind", {}, {1, 2}),
    ("Wind Farm", {}, {1}),
    ('"wind farm"', {}, {1}),
    ('"farm wind"', {}, set()),
    ("wind AND solar", {}, {2}),
    ("wind OR vaccination", {}, {1, 2, 3}),
    ("wind NOT solar", {}, {1}),
    ("(wind OR vaccination) AND NOT solar", {}, {1, 3}),
    ("source:reuters", {}, {3, 4}),
    ('source:"Harbor Gazette" wind', {}, {1}),
    ("subsid*", {}, {1, 4}),
    ("wind date:2024", {}, {1}),
    ("wind date:2023-01..2023-12", {}, {2}),
    ("wind date:..2023-12-31", {}, {2}),
    ("wind date:2024-03..", {}, {1}),
    ("wind", {"date_from": "2023-01-01", "date_to": "2023-12-31"}, {2}),
    ("wind", {"source": "Riverton Herald"}, {2}),
    ("", {"source": "reuters"}, {3, 4}),
])
def test_query_language_on_documents(corpus, q, filters, expected):
    results = corpus.search(q, kind="document", filters=filters)
    assert ids(results) == expected, results.notice


@pytest.mark.parametrize("q, filters, expected", [
    ("turbines", {}, {-1}),
    ("claimant:doe", {}, {-1}),
    ('claimant:"mayor smith"', {}, {7}),
    ("rating:false", {}, {-1}),
    ("harbor", {"rating": "mostly-true"}, {7}),
    ("", {"publisher": "PolitiFact"}, {-1}),
    ("", {"date_from": "2024"}, {7}),
])
def test_query_language_on_verdicts(corpus, q, filters, expected):
    assert ids(corpus.search(q, kind="verdict", filters=filters)) == expected


def test_sorting_by_date_puts_the_newest_first_and_undated_last(corpus):
    results = corpus.search("", kind="document", sort="date")
    assert [hit.id for hit in results.hits] == [1, 2, 3, 4]
    assert [hit.id for hit in corpus.search("wind OR vaccination", sort="date").hits] == [1, 2, 3]


def test_pages_split_the_results(corpus):
    first = corpus.search("", page=1, page_size=3)
    second = corpus.search("", page=2, page_size=3)
    assert (first.total, first.pages, len(first.hits), len(second.hits)) == (4, 2, 3, 1)


def test_a_short_prefix_is_searched_as_a_word(corpus):
    results = corpus.search("wi*")
    assert "at least 3" in results.notice
    assert results.total == 0


def test_a_prefix_matching_many_words_is_bounded(index, engine):
    """Whoosh expands a prefix into its 20 most common words; PostgreSQL's GIN index reads every one."""
    index.rebuild([Record("document", n, body=f"stock{n:03d}x rises") for n in range(1, 61)])
    results = index.search("stock*")
    if engine == "whoosh":
        assert "matches many words" in results.notice
        assert results.total == 20
    else:
        assert results.notice is None and results.total == 60


@pytest.mark.parametrize("q, filters, expected, notice", [
    ("", {}, {1, 2, 3, 4}, None),
    ("   ", {}, {1, 2, 3, 4}, None),
    ("wind " * 2000, {}, {1, 2}, "cut to its first 1000 characters"),
    ('"wind farm', {}, {1}, "plain words"),
    ("(wind OR solar", {}, {1, 2}, "plain words"),
    ("wind)", {}, {1, 2}, "plain words"),
    ("AND", {}, set(), None),
    ("NOT", {}, set(), None),
    ("*", {}, set(), None),
    ("foo:bar wind", {}, set(), None),
    ("wind date:yesterday", {}, {1, 2}, "Could not read the date"),
    ("wind", {"date_from": "2024-12-31", "date_to": "2023-01-01"}, {1, 2}, "wrong way round"),
    ("wind date:2024..2023", {}, {1, 2}, "wrong way round"),
    ("wind", {"date_from": "last week"}, {1, 2}, "Could not read the date"),
    ("wind", {"source": "No Such Outlet"}, set(), "Nothing matched with these filters"),
    ("wind", {"rating": ["false", ""], "publisher": None, "language": ""}, set(), "Nothing matched"),
    ("\x00<script>", {}, {3}, None),
])
def test_bad_input_gets_an_answer_not_an_exception(corpus, q, filters, expected, notice):
    results = corpus.search(q, kind="document", filters=filters, page="x", page_size=None)
    assert ids(results) == expected
    assert (results.total, results.estimated, results.page, results.page_size) == (len(expected), False, 1, 20)
    if notice:
        assert notice in (results.notice or "")
    else:
        assert results.notice is None


def test_reversed_dates_are_swapped(corpus):
    results = corpus.search("wind", filters={"date_from": "2024-12", "date_to": "2023-01"})
    assert ids(results) == {1, 2}


def test_unbalanced_quotes_still_find_the_words(corpus):
    assert ids(corpus.search('"wind farm')) == {1}


def test_snippets_escape_the_text_and_mark_the_words(corpus):
    hit = corpus.search("vaccination").hits[0]
    assert "&lt;/script&gt;" in hit.snippet and "<script>" not in hit.snippet
    assert "<mark>Vaccination</mark>" in hit.snippet


def test_similar_finds_verdicts_by_their_words(corpus):
    hits = corpus.similar("do wind turbines really cause cancer?", kind="verdict", limit=5)
    assert [hit.id for hit in hits][:1] == [-1]
    assert corpus.similar("", kind="verdict") == []


def test_stats_count_each_kind(corpus):
    stats = corpus.stats()
    assert (stats["documents"], stats["verdicts"]) == (4, 2) and stats["bytes"] > 0


def test_an_empty_index_answers_every_kind_of_search(index):
    for kind in ("document", "verdict"):
        assert index.search("wind", kind=kind, filters={"date_from": "2020"}).total == 0
        assert index.search("", kind=kind, filters={"source": "x", "date_to": "2020"}).total == 0
        assert index.similar("wind turbines", kind=kind) == []
    assert index.stats()["documents"] == 0


def test_records_without_searchable_words_are_indexed(index):
    index.rebuild([Record("document", 1, title="The", body=""), Record("document", 2, title="", body="Of the a")])
    index.add([Record("document", 3, title="It is", body="")])
    assert index.stats()["documents"] == 3
    assert index.search("", page_size=5).total == 3
