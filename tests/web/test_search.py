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
