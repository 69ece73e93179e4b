"""The search index: kept in step with SQLite through the outbox, the query language, bad input, snippets."""

import os
import subprocess
import sys
import textwrap

import pytest

from review.db import now
from review.documents import add_document
from search_index import sync
from search_index.base import Record
from search_index.sync import DrainLock, drain, enqueue, pending_count, reindex
from search_index.whoosh_index import WhooshIndex
from tests.conftest import ROOT

ARTICLE = ("Harbor council approves offshore turbine plan\n\n"
           "The Harbor council approved an offshore turbine plan on Tuesday. The mayor said the turbines "
           "would power 40,000 homes by 2027.")


def ids(results) -> set[int]:
    return {hit.id for hit in results.hits}


def insert_document(db, title: str, body: str, source: str = "Reuters", published: str | None = None) -> int:
    """Insert a document row and queue it, as ingest does, without claim extraction."""
    with db.transaction():
        document_id = db.insert(
            "INSERT INTO documents (title, body, source, published_at, content_hash, ingested_at)"
            " VALUES (?, ?, ?, ?, ?, ?)", [title, body, source, published, f"{title}|{body}", now()])
        enqueue(db, "document", document_id)
    return document_id


# -- the outbox keeps the index in step ---------------------------------------------------------
def test_an_ingested_document_is_found_after_the_drain(app, db, index):
    added = add_document(db, body=ARTICLE, source="Harbor Gazette", published_at="2024-03-05")
    assert pending_count(db) >= 1
    assert drain(db, app.config["INDEX"]) >= 1
    results = index.search("turbine")
    assert ids(results) == {added.document_id}
    hit = results.hits[0]
    assert hit.fields["title"] == "Harbor council approves offshore turbine plan"
    assert hit.fields["source_name"] == "Harbor Gazette"
    assert hit.fields["published"].year == 2024
    assert "<mark>turbine</mark>" in hit.snippet
    assert pending_count(db) == 0


def test_an_edited_document_is_reindexed_and_a_deleted_one_removed(app, db, index):
    document_id = add_document(db, body=ARTICLE, source="Harbor Gazette").document_id
    drain(db, app.config["INDEX"])
    with db.transaction():
        db.execute("UPDATE documents SET title = ?, body = ? WHERE id = ?",
                   ["Harbor council delays ferry plan", "The ferry plan waits another year.", document_id])
        enqueue(db, "document", document_id)
    drain(db, app.config["INDEX"])
    assert ids(index.search("ferry")) == {document_id}
    assert index.search("turbine").total == 0
    with db.transaction():
        db.execute("DELETE FROM claim_appearances WHERE document_id = ?", [document_id])
        db.execute("DELETE FROM claims WHERE document_id = ?", [document_id])
        db.execute("DELETE FROM documents WHERE id = ?", [document_id])
        enqueue(db, "document", document_id)
    drain(db, app.config["INDEX"])
    assert index.search("ferry").total == 0
    assert index.stats()["documents"] == 0


def test_replaying_the_outbox_is_harmless(app, db, index):
    document_id = insert_document(db, "Grain exports", "Grain exports rose.")
    enqueue(db, "document", document_id)
    enqueue(db, "document", document_id)
    drain(db, app.config["INDEX"])
    assert index.search("grain").total == 1


def test_a_big_backlog_is_indexed_in_worker_processes_replacing_and_removing_records(app, db, index, monkeypatch):
    monkeypatch.setattr(sync, "BULK_THRESHOLD", 20)  # an import-sized backlog, scaled down
    kept = [insert_document(db, f"Tin report {n}", f"Tin stocks fell in week {n}.") for n in range(12)]
    drain(db, app.config["INDEX"])  # below the threshold: the ordinary batches
    with db.transaction():
        db.execute("UPDATE documents SET body = 'Zinc stocks rose instead.' WHERE id = ?", [kept[0]])
        enqueue(db, "document", kept[0])
        db.execute("DELETE FROM documents WHERE id = ?", [kept[1]])
        enqueue(db, "document", kept[1])
    added = [insert_document(db, f"Nickel note {n}", f"Nickel output grew {n} percent.") for n in range(30)]
    assert pending_count(db) == 32

    assert drain(db, app.config["INDEX"], procs=2) == 32
    assert pending_count(db) == 0
    assert index.stats()["documents"] == 12 - 1 + 30
    assert ids(index.search("nickel", page_size=100)) == set(added)
    assert ids(index.search("zinc")) == {kept[0]}
    assert ids(index.search("\"stocks fell\"", page_size=100)) == set(kept[2:])  # the old text of the edited one is gone
    assert ids(index.search("tin", page_size=100)) == set(kept) - {kept[1]}
    assert ids(index.search('"nickel output"', page_size=100)) == set(added)


def test_a_bulk_backlog_of_long_texts_is_split_into_batches_that_fit_in_memory(app, db, index, monkeypatch):
    monkeypatch.setattr(sync, "BULK_THRESHOLD", 5)
    monkeypatch.setattr(sync, "BULK_CHARACTERS", 100)  # about three of these bodies per batch
    added = [insert_document(db, f"Cobalt {n}", f"Cobalt prices climbed again in week {n}.") for n in range(10)]
    assert drain(db, app.config["INDEX"]) == 10
    assert pending_count(db) == 0
    assert ids(index.search("cobalt", page_size=100)) == set(added)


class BrokenIndex(WhooshIndex):
    """An index whose writes fail, as after a crash between the database commit and the index write."""

    def apply(self, records, removals, **options):
        raise OSError("disk full")


def test_a_failed_index_write_leaves_the_outbox_pending_until_a_later_drain(app, db, index, monkeypatch):
    document_id = insert_document(db, "Copper strike", "Miners at the copper mine went on strike.")
    monkeypatch.setattr(sync, "WhooshIndex", BrokenIndex)
    with pytest.raises(OSError):
        drain(db, app.config["INDEX"])
    assert pending_count(db) == 1
    assert index.search("copper").total == 0
    monkeypatch.undo()
    assert drain(db, app.config["INDEX"]) == 1
    assert ids(index.search("copper")) == {document_id}
    assert pending_count(db) == 0


def test_a_second_drainer_skips_while_the_first_holds_the_lock(app, db, index):
    insert_document(db, "Sugar quota", "The sugar quota was cut.")
    lock = DrainLock(app.config["INDEX"])
    assert lock.acquire()
    try:
        assert drain(db, app.config["INDEX"]) == 0
        assert pending_count(db) == 1
    finally:
        lock.release()
    assert drain(db, app.config["INDEX"]) == 1
    assert index.search("sugar").total == 1


WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from review.db import now, open_db
    from search_index.sync import drain, enqueue

    db = open_db({db!r})
    for n in range(15):
        with db.transaction():
            document_id = db.insert(
                "INSERT INTO documents (title, body, source, content_hash, ingested_at) VALUES (?, ?, ?, ?, ?)",
                ["Report {name} %d" % n, "zebra{name} report number %d" % n, "Wire", "{name}-%d" % n, now()])
            enqueue(db, "document", document_id)
        drain(db, {index!r}, wait=0.2)
""")


def test_two_processes_writing_and_draining_at_once_lose_nothing(app, db, index):
    scripts = [WRITER.format(root=str(ROOT), db=app.config["DB"], index=app.config["INDEX"], name=name)
               for name in ("alpha", "beta")]
    processes = [subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True)
                 for script in scripts]
    for process in processes:
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors
    drain(db, app.config["INDEX"], wait=10)
    assert pending_count(db) == 0
    assert index.search("zebraalpha").total == 15
    assert index.search("zebrabeta").total == 15


def test_an_open_searcher_sees_a_new_generation_on_its_next_search(app, db, index):
    insert_document(db, "Cocoa prices", "Cocoa prices fell.")
    drain(db, app.config["INDEX"])
    assert index.search("cocoa").total == 1
    before = index.stats()["generation"]
    with db.transaction():
        db.execute("INSERT INTO documents (title, body, source, content_hash, ingested_at) VALUES (?, ?, ?, ?, ?)",
                   ["More cocoa", "Cocoa stocks grew.", "Wire", "more-cocoa", now()])
    assert reindex(db, app.config["INDEX"]) == 2
    assert index.search("cocoa").total == 2
    assert index.stats()["generation"] != before
    assert not os.path.exists(os.path.join(app.config["INDEX"], before))


def test_reindex_command_reports_counts_and_db_check_sees_a_current_index(app, db, runner):
    insert_document(db, "Tin market", "The tin market reopened.")
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    assert "Reindexed 1 documents and 0 verdicts" in result.output
    assert pending_count(db) == 0
    assert "All checks passed" in runner.invoke(args=["db", "check"]).output


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


def test_a_prefix_matching_many_words_is_bounded(index):
    index.rebuild([Record("document", n, body=f"stock{n:03d}x rises") for n in range(1, 61)])
    results = index.search("stock*")
    assert "matches many words" in results.notice
    assert results.total == 20


@pytest.mark.parametrize("q, filters, notice", [
    ("", {}, None),
    ("   ", {}, None),
    ("wind " * 2000, {}, "cut to its first 1000 characters"),
    ('"wind farm', {}, "plain words"),
    ("(wind OR solar", {}, "plain words"),
    ("wind)", {}, "plain words"),
    ("AND", {}, None),
    ("NOT", {}, None),
    ("*", {}, None),
    ("foo:bar wind", {}, None),
    ("wind date:yesterday", {}, "Could not read the date"),
    ("wind", {"date_from": "2024-12-31", "date_to": "2023-01-01"}, "wrong way round"),
    ("wind date:2024..2023", {}, "wrong way round"),
    ("wind", {"date_from": "last week"}, "Could not read the date"),
    ("wind", {"source": "No Such Outlet"}, "Nothing matched with these filters"),
    ("wind", {"rating": ["false", ""], "publisher": None, "language": ""}, None),
    ("\x00<script>", {}, None),
])
def test_bad_input_gets_an_answer_not_an_exception(corpus, q, filters, notice):
    results = corpus.search(q, kind="document", filters=filters, page="x", page_size=None)
    assert results.total >= 0 and results.page == 1
    if notice:
        assert notice in (results.notice or "")


def test_reversed_dates_are_swapped(corpus):
    results = corpus.search("wind", filters={"date_from": "2024-12", "date_to": "2023-01"})
    assert ids(results) == {1, 2}


def test_unbalanced_quotes_still_find_the_words(corpus):
    assert ids(corpus.search('"wind farm')) == {1}


def test_snippets_escape_the_text_and_mark_the_words(corpus):
    hit = corpus.search("vaccination").hits[0]
    assert "&lt;script&gt;" in hit.snippet and "<script>" not in hit.snippet
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


def test_search_fragment_updates_the_tabs_out_of_band(checker_client):
    response = checker_client.get("/search/?q=wheat+exports&kind=document",
                                  headers={"HX-Request": "true", "HX-Target": "search-results"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="search-results"' in html
    assert 'id="search-tabs" aria-label="What to search" hx-swap-oob="true"' in html
    assert "q=wheat+exports&amp;kind=verdict" in html
    assert "<html" in checker_client.get("/search/?q=wheat").get_data(as_text=True)
