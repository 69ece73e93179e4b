"""The search page and the search API: fragments, and the index's filters read from the request."""

from urllib.parse import quote

import pytest

from review import users
from review.ingest.store import add_document
from review.indexing import drain
from tests.conftest import add_user, make_app
from tests.search_index.conftest import ENGINES


@pytest.fixture(params=ENGINES)
def app(request, tmp_path):
    """The app on each search engine: Whoosh, and PostgreSQL search on the PostgreSQL run."""
    return make_app(tmp_path, SEARCH=request.param)


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
    drain(db, app.config["INDEX"], engine=app.config["SEARCH"])


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


# -- every search box reads words the same way (one analyzer definition: search_index/words.py) ----------------
IDLIB = ('Idlib offensive\n\n"Syrian media claim 2,500 terrorists were neutralized near Idlib," Foreign Minister '
         "Sergei Lavrov said on Tuesday. The ministry added that 40 fighters were captured.")
HARBOR = "Harbor tolls rise\n\nMayor Ann Kim said the harbor raised its tolls by 4 percent."
PRIOR = {"claim_reviewed": "Syrian media claim 2,500 terrorists were neutralized near Idlib.", "claimant": "Sergei Lavrov",
         "publisher": "Verify Syria", "rating_label": "False", "rating_key": "false", "url": "https://verify.example/idlib",
         "date_published": "2024-05-03", "language": "en", "raw_json": "{}"}
OTHER_PRIOR = {"claim_reviewed": "The harbor raised its tolls by 4 percent.", "claimant": "Ann Kim",
               "publisher": "Harbor Checks", "rating_label": "True", "rating_key": "true",
               "url": "https://harbor.example/tolls", "date_published": "2024-03-05", "language": "en", "raw_json": "{}"}


@pytest.fixture
def idlib(app, db):
    """The article, an unrelated one, an earlier fact-check of its claim and an unrelated one, all indexed."""
    from review.claimreview.store import store_review
    from review.indexing import enqueue

    add_document(db, body=IDLIB, source="SANA", published_at="2024-05-02")
    add_document(db, body=HARBOR, source="Riverton Herald", published_at="2024-03-05")
    for review in (PRIOR, OTHER_PRIOR):
        enqueue(db, "prior_review", store_review(db, review, "2024-05-04T00:00:00Z")[1])
    drain(db, app.config["INDEX"], engine=app.config["SEARCH"])
    return db.scalar("SELECT id FROM claims WHERE text LIKE 'Syrian media%'")


SHOWN = {  # what a box's page shows when it finds the claim, its article or its earlier fact-check
    "claim": "Syrian media claim 2,500 terrorists",
    "document": 'class="hit-title" dir="auto">Idlib offensive',
    "verdict": 'target="_blank" dir="auto">Syrian media claim 2,500',
}
BOXES = {  # a search box: (its URL for a typed query, what it finds, the filters it suggests)
    "queue": (lambda claim, q: f"/?tab=all&q={q}", "claim", ("claimant", "source")),
    "search: documents": (lambda claim, q: f"/search/?kind=document&q={q}", "document", ("claimant", "source")),
    "search: earlier fact-checks": (lambda claim, q: f"/search/?kind=verdict&q={q}", "verdict",
                                    ("claimant", "publisher", "rating")),
    "workspace: documents": (lambda claim, q: f"/claims/{claim}?kind=document&q={q}", "document", ()),
    "workspace: earlier fact-checks": (lambda claim, q: f"/claims/{claim}?kind=verdict&q={q}", "verdict", ()),
}
QUERIES = [  # (what is typed, whether the box finds it, the filter it needs the box to suggest)
    ("neutralized", True, None), ("Neutralized", True, None), ("neutralizing", True, None),
    ("neutralization", True, None), ("terrorist", True, None), ("neutraliz*", True, None), ("neutral*", True, None),
    ("terror*", True, None), ("neutralized*", True, None), ("terrorists neutralized", True, None),
    ('"terrorists were neutralized"', True, None), ('"terrorists neutralized"', False, None),
    ('"neutralize terrorists"', False, None), ("neutralized bankers", False, None), ("nothing", False, None),
    ("claimant:lavrov", True, "claimant"), ("claimant:lavrov neutraliz*", True, "claimant"),
    ("claimant:kim neutralized", False, "claimant"), ("source:sana neutralized", True, "source"),
    ("source:riverton neutralized", False, "source"), ('publisher:"verify syria" neutralized', True, "publisher"),
    ("publisher:harbor neutralized", False, "publisher"), ("rating:false neutralized", True, "rating"),
    ("rating:true neutralized", False, "rating"),
]


@pytest.mark.parametrize("box", BOXES)
def test_every_search_box_reads_words_alike(checker_client, idlib, box):
    """Words, other forms of them, prefixes, phrases and the filters a box suggests find the same things."""
    url, finds, suggests = BOXES[box]
    wrong = []
    for q, found, needs in QUERIES:
        if needs and needs not in suggests:
            continue
        page = checker_client.get(url(idlib, quote(q))).get_data(as_text=True)
        if (SHOWN[finds] in page) != found:
            wrong.append(f"{q!r} {'found nothing' if found else 'found the claim'}")
    assert not wrong, wrong


@pytest.mark.parametrize("box", ["queue", "search: documents", "search: earlier fact-checks"])
def test_each_box_shows_the_filters_it_reads(checker_client, idlib, box):
    url, _, suggests = BOXES[box]
    page = checker_client.get(url(idlib, "")).get_data(as_text=True)
    box_markup = next(tag for tag in page.split("<input") if 'name="q"' in tag)
    placeholder = box_markup.split("placeholder=")[1]
    assert all(f"{name}:" in placeholder for name in suggests), placeholder


def test_the_queue_filter_reads_the_claimant_and_source_fields_too(checker_client, idlib):
    assert SHOWN["claim"] in checker_client.get("/?tab=all&claimant=lavrov&q=neutraliz").get_data(as_text=True)
    assert SHOWN["claim"] not in checker_client.get("/?tab=all&source=riverton+herald&q=neutraliz").get_data(
        as_text=True)


@pytest.mark.parametrize("q", ["claimant:lavrov", 'claimant:"sergei lavrov"', "source:sana", "date:2024-05",
                               "idlib source:sana date:2024"])
def test_each_filter_the_search_page_suggests_works_on_documents(checker_client, idlib, q):
    page = checker_client.get(f"/search/?kind=document&q={quote(q)}").get_data(as_text=True)
    assert SHOWN["document"] in page and "claims by" in page


def test_the_queue_lists_every_claim_without_any_filter(checker_client, idlib):
    """The desk overview links to the "all" tab; without a filter it lists every claim (it failed with a 500)."""
    response = checker_client.get("/?tab=all")
    assert response.status_code == 200 and SHOWN["claim"] in response.get_data(as_text=True)
