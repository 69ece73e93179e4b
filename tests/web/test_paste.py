"""The paste form: date, author and language; undated articles; pasted HTML; the text limit."""

from review.indexing import drain
from review.ingest import store
from tests.review.ingest.test_paste import ARTICLE  # noqa: F401 (helpers and fixtures)

PAGE = ("<!doctype html><html lang='en'><head><title>City news</title></head><body><h1>Mayor says crime fell 30%</h1>"
        "<script>alert('x')</script><article><p>The mayor said crime fell 30% in 2023 across the city, according to "
        "police figures released on Monday.</p><p>Opposition councillors said the police figures left out 4,000 "
        "unreported thefts.</p></article></body></html>")


def paste(client, **fields):
    return client.post("/documents/new", data={"mode": "paste", "text": ARTICLE, **fields})


def test_the_form_offers_date_author_and_language(checker_client):
    html = checker_client.get("/documents/new").get_data(as_text=True)
    for label in ("Publication date", "Author", "Language"):
        assert label in html
    assert 'name="published_at" type="date"' in html and 'hx-disabled-elt="find button[type=submit]"' in html


def test_a_date_author_and_language_given_are_stored(checker_client, db):
    response = paste(checker_client, published_at="2024-03-05", author="Jo Reyes", language="EN", source="Wire")
    assert response.status_code == 303
    document = db.one("SELECT published_at, author, language FROM documents")
    assert document == {"published_at": "2024-03-05", "author": "Jo Reyes", "language": "en"}
    assert {r["source_date"] for r in db.query("SELECT source_date FROM claims")} == {"2024-03-05"}


def test_without_a_date_the_article_and_its_claims_are_undated(checker_client, db):
    location = paste(checker_client).headers["Location"]
    assert db.scalar("SELECT published_at FROM documents") is None
    assert {r["source_date"] for r in db.query("SELECT source_date FROM claims")} == {None}  # not the ingest day
    assert "undated" in checker_client.get(location).get_data(as_text=True)
    assert db.scalar("SELECT language FROM documents") == "en"  # detected


def test_a_date_that_is_no_date_is_a_field_error(checker_client, db):
    response = paste(checker_client, published_at="last spring")
    assert response.status_code == 422 and "not a date format Claimdesk reads" in response.get_data(as_text=True)
    assert db.scalar("SELECT count(*) FROM documents") == 0


def test_pasted_html_is_read_like_an_uploaded_page(checker_client, db):
    checker_client.post("/documents/new", data={"mode": "paste", "text": PAGE, "source": "RT"})
    document = db.one("SELECT title, body, source FROM documents")
    assert document["title"] == "Mayor says crime fell 30%" and document["source"] == "RT"
    assert "<" not in document["body"] and "alert" not in document["body"]
    texts = [r["text"] for r in db.query("SELECT text FROM claims")]
    assert "The mayor said crime fell 30% in 2023 across the city." in texts
    assert not any("<" in t or "Htmlbody" in t for t in texts)


def test_text_over_the_limit_is_refused_naming_the_limit(app, checker_client, db):
    app.config["MAX_DOCUMENT_CHARS"] = 1000
    response = paste(checker_client, text=ARTICLE * 10)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "the text is 1,610 characters long, over the limit of 1,000 characters per document" in html
    assert "MAX_DOCUMENT_CHARS" in html and db.scalar("SELECT count(*) FROM documents") == 0


def test_a_date_filter_says_how_many_undated_documents_it_leaves_out(app, checker_client, db):
    store.add_pasted(db, text=ARTICLE, source="RT")
    store.add_pasted(db, text=ARTICLE.replace("4,000", "5,000"), source="RT", published_at="2024-06-01")
    drain(db, app.config["INDEX"])
    html = checker_client.get("/search/?q=source:rt+date:2024+homes").get_data(as_text=True)
    assert "The date filter leaves out 1 undated document from rt" in html
    assert 'href="/search/?q=source:rt+homes&amp;kind=document' in html
    plain = checker_client.get("/search/?q=homes").get_data(as_text=True)
    assert "undated document" not in plain


def test_the_reader_of_a_document_without_claims_says_why(checker_client, db):
    outcome = store.add_pasted(db, text="I think this is a wonderful day for everyone in town. We love it here.")
    html = checker_client.get(f"/documents/{outcome.document_id}").get_data(as_text=True)
    assert "No claims were found in this article." in html and "statement" in html


def test_a_claim_over_the_length_limit_is_a_field_error(checker_client, db):
    response = checker_client.post("/claims/new", data={"text": "The river rose 3 metres. " * 400, "claimant": "Mayor"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "keep the claim to 600 characters (this one has 9,999)" in html
    assert db.scalar("SELECT count(*) FROM claims") == 0
