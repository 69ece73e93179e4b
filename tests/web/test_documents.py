"""The "Add article" page (paste, upload, URL), the reader, and claims from a selection."""

import http.server
import io
import threading

import pytest

from review import claims
from tests.conftest import make_app
from tests.web.test_jobs import run_to_end

ARTICLE = ("Syrian media reports have claimed that the government forces have managed to neutralize a total of "
           "2,500 terrorists, with the help of Russian air support. In 2015, Russia intervened in the hostilities "
           "at the request of Damascus.")


def test_paste_extracts_claims_and_shows_them_highlighted(checker_client, db):
    response = checker_client.post("/documents/new", data={"mode": "paste", "text": ARTICLE, "source": "SANA"})
    assert response.status_code == 303
    page = checker_client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert 'class="claim-mark"' in html and "2,500 terrorists" in html
    assert "claims extracted" in page.headers["HX-Trigger"]
    assert db.scalar("SELECT count(*) FROM claims") >= 2
    again = checker_client.post("/documents/new", data={"mode": "paste", "text": ARTICLE, "source": "SANA"})
    assert "added=duplicate" in again.headers["Location"]


def test_paste_needs_text(checker_client):
    response = checker_client.post("/documents/new", data={"mode": "paste", "text": "too short"})
    assert response.status_code == 422 and "at least a sentence" in response.get_data(as_text=True)


def test_upload_reports_each_record(app, checker_client, db):
    jsonl = (b'{"title": "A", "body": "The ministry said 4,000 homes were rebuilt in 2023 across the region."}\n'
             b'{"title": "broken"\n'
             b'{"title": "C", "body": ""}\n')
    response = checker_client.post("/documents/new", data={
        "mode": "upload", "files": [(io.BytesIO(jsonl), "news.jsonl")]}, content_type="multipart/form-data")
    html = run_to_end(app, checker_client, response)
    assert "added 1" in html and "skipped 1 (empty)" in html and "news.jsonl:2" in html
    assert db.scalar("SELECT source FROM documents") == "news"


def test_upload_without_files(checker_client):
    response = checker_client.post("/documents/new", data={"mode": "upload"}, content_type="multipart/form-data")
    assert response.status_code == 422 and "choose one or more files" in response.get_data(as_text=True)


def test_url_to_a_private_address_is_refused(app, checker_client, db):
    response = checker_client.post("/documents/new", data={"mode": "url", "url": "http://127.0.0.1:9/article"})
    assert "refused: 127.0.0.1 resolves to a loopback address (127.0.0.1)" in run_to_end(app, checker_client, response)
    assert db.scalar("SELECT count(*) FROM documents") == 0


class ArticleHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the standard library's name
        body = (f"<html><head><title>Army claims</title><meta name='author' content='Jane Doe'></head><body>"
                f"<article><h1>Army claims</h1><p>{ARTICLE}</p><p>{ARTICLE.replace('2,500', '3,100')}</p></article>"
                f"</body></html>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def article_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ArticleHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/story"
    server.shutdown()
    server.server_close()


def test_url_is_fetched_when_private_addresses_are_allowed(tmp_path, article_server):
    from review.storage import open_store
    from tests.conftest import add_user, login

    app = make_app(tmp_path, ALLOW_PRIVATE_URLS=True)
    db = open_store(app.config["DB"])
    add_user(db, "cara")
    client = app.test_client()
    login(client, "cara")
    response = client.post("/documents/new", data={"mode": "url", "url": article_server})
    assert "Open the article" in run_to_end(app, client, response)
    document = db.one("SELECT title, url FROM documents")
    assert document == {"title": "Army claims", "url": article_server}


def test_selecting_text_in_the_reader_adds_a_claim(checker_client, db):
    location = checker_client.post("/documents/new", data={"mode": "paste", "text": ARTICLE}).headers["Location"]
    document_id = int(location.split("/documents/")[1].split("?")[0])
    response = checker_client.post(f"/documents/{document_id}/claims", data={"text": "Russia intervened in the hostilities"})
    assert response.status_code == 303
    claim = claims.get_claim(db, int(response.headers["Location"].rsplit("/", 1)[1]))
    body = db.scalar("SELECT body FROM documents WHERE id = ?", [document_id])
    assert body[claim["sentence_start"]:claim["sentence_end"]] == "Russia intervened in the hostilities"
    missing = checker_client.post(f"/documents/{document_id}/claims", data={"text": "This sentence is not there"})
    assert missing.status_code == 422


def test_reader_marks_a_sentence_holding_two_claims_once(checker_client, db):
    text = ("President Bashar Assad has vowed to eliminate terrorists who attacked the country, amid media reports "
            "that militants received training from Ukrainian military intelligence. The army said 300 fighters "
            "were killed in Hama on Monday.")
    location = checker_client.post("/documents/new", data={"mode": "paste", "text": text}).headers["Location"]
    document_id = int(location.split("/documents/")[1].split("?")[0])
    db.execute("INSERT INTO claims (document_id, sentence_start, sentence_end, text, normalized_text, created_at,"
               " updated_at) SELECT document_id, sentence_start, sentence_end, 'second claim in the sentence', 'x', 'now',"
               " 'now' FROM claims WHERE document_id = ? LIMIT 1", [document_id])
    db.execute("INSERT INTO claim_appearances (claim_id, document_id, sentence_start, sentence_end, created_at)"
               " SELECT id, document_id, sentence_start, sentence_end, 'now' FROM claims WHERE text = 'second claim in the sentence'")
    response = checker_client.get(f"/documents/{document_id}")
    assert response.status_code == 200
