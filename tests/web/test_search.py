"""The search page and the search API: fragments, and the index's filters read from the request."""

import pytest

from review import users
from review.ingest.store import add_document
from review.indexing import drain
from tests.conftest import add_user


def test_search_fragment_updates_the_tabs_out_of_band(checker_client):
    response = checker_client.get("/search/?q=wheat+exports&kind=document",
                                  headers={"HX-Request": "true", "HX-Target": "search-results"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="search-results"' in html
    assert 'id="search-tabs" aria-label="What to search" hx-swap-oob="true"' in html
    assert "q=wheat+exports&amp;kind=verdict" in html
    assert "<html" in checker_client.get("/search/?q=wheat").get_data(as_text=True)


@pytest.fixture
def two_sources(app, db):
    add_document(db, body="Harbor tolls rise\n\nThe harbor raised its tolls by 4 percent.", source="Harbor Gazette",
                 published_at="2024-03-05")
    add_document(db, body="Harbor dredging ends\n\nDredging of the harbor ended on Friday.", source="Riverton Herald",
                 published_at="2023-06-01")
    drain(db, app.config["INDEX"])


@pytest.mark.parametrize("filters, titles", [
    ("", {"Harbor tolls rise", "Harbor dredging ends"}),
    ("&source=riverton+herald", {"Harbor dredging ends"}),
    ("&date_from=2024-01", {"Harbor tolls rise"}),
    ("&language=fr", set()),
])
def test_the_page_and_the_api_read_the_same_filters(app, db, checker_client, two_sources, filters, titles):
    page = checker_client.get(f"/search/?q=harbor{filters}").get_data(as_text=True)
    assert {title for title in ("Harbor tolls rise", "Harbor dredging ends") if title in page} == titles
    token = users.issue_token(db, add_user(db, "bot", "editor")["id"])
    found = app.test_client().get(f"/api/v1/search?q=harbor{filters}", headers={"Authorization": f"Bearer {token}"})
    assert found.status_code == 200
    assert {hit["title"] for hit in found.get_json()["hits"]} == titles


# -- every search box reads words the same way (one analysis: search_index/analysis.py) ---------------------------
@pytest.fixture
def hama(app, db):
    add_document(db, body="Hama fighting\n\nThe defence ministry said Syrian forces neutralized.The 20 terrorists near "
                          "Hama, and that 300 Zürich bankers had fled.", source="SANA", published_at="2024-05-02")
    drain(db, app.config["INDEX"])
    return db.scalar("SELECT id FROM claims")


BOXES = {  # a search box: (its URL for a typed query, what its page shows when it finds the claim or its article)
    "queue": (lambda claim, q: f"/?tab=new&q={q}", "Syrian forces neutralized"),
    "search page, documents": (lambda claim, q: f"/search/?kind=document&q={q}", "Hama fighting"),
    "claim workspace": (lambda claim, q: f"/claims/{claim}?q={q}", 'class="hit-title" dir="auto">Hama fighting'),
}


@pytest.mark.parametrize("box", BOXES)
@pytest.mark.parametrize("q, found", [
    ("neutralized", True), ("Neutralized", True), ("neutralizing", True), ("neutrality", True), ("neutral*", True),
    ("neutralized*", True), ("neutraliz*", False), ("neutralized terrorists", True), ("terrorist", True),
    ("neutralized terrorists hama", True), ("neutralized bankers", False), ("nothing", False),
])
def test_every_search_box_reads_words_alike(checker_client, hama, box, q, found):
    """Word forms, prefixes and stems agree across the boxes (a prefix is read as its stem's prefix, as FTS5 does)."""
    url, shows = BOXES[box]
    if box == "queue":
        q = q.rstrip("*")  # the queue's box reads its last word as a prefix itself
    elif box != "queue" and q == "neutralized bankers":
        q = '"neutralized bankers"'  # two claims of one article: a phrase in the article boxes
    page = checker_client.get(url(hama, q)).get_data(as_text=True)
    assert (shows in page) == found, (box, q)


@pytest.mark.parametrize("q", ["claimant:ministry", 'claimant:"defence ministry"', "source:sana", "date:2024-05",
                               "hama source:sana date:2024"])
def test_each_filter_the_search_page_suggests_works_on_documents(checker_client, hama, q):
    page = checker_client.get(f"/search/?kind=document&q={q}").get_data(as_text=True)
    assert "Hama fighting" in page and "claims by" in page
