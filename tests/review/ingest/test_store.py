"""Storing: duplicates, empty records and failures counted per record; the command."""

import io
import json

import pytest

from review import users
from review.indexing import pending_count
from review.ingest.records import content_hash
from review.ingest.store import add_document, ingest_paths
from tests.web.test_jobs import run_to_end
from tests.conftest import ClaimdeskRunner, add_user, login, shared_path
from tests.review.ingest.samples import ARTICLE, RSS_FEED, documents, jsonl, write


# -- duplicates, empty records, failures ------------------------------------------
def test_duplicates_are_counted_not_stored_twice(db, tmp_path):
    path = write(tmp_path / "news.jsonl", jsonl(
        {"title": "A", "body": ARTICLE, "url": "https://x.example/a"},
        {"title": "A again", "body": "  " + ARTICLE.upper() + "\n"},  # same text, other case and spacing
        {"title": "A moved", "body": "Different text entirely, 5 people said.", "url": "https://x.example/a"},
    ))
    summary = ingest_paths(db, [path])
    assert (summary.added, summary.duplicates) == (1, 2)
    again = ingest_paths(db, [path])
    assert (again.added, again.duplicates, again.failed) == (0, 3, 0)
    assert len(documents(db)) == 1


def test_the_same_words_spaced_with_any_whitespace_are_one_article(db, tmp_path):
    words = ARTICLE.split()
    spacings = [" ", "\u00a0", "\u2003", "\t", "\u3000", " \u202f ", "\u2028"]  # no-break, em, ideographic...
    respaced = "".join(word + spacings[n % len(spacings)] for n, word in enumerate(words))
    path = write(tmp_path / "spaced.jsonl", jsonl({"title": "A", "body": ARTICLE},
                                                  {"title": "A respaced", "body": respaced.upper()},
                                                  {"title": "A changed", "body": respaced.replace(words[3], "x")}))
    summary = ingest_paths(db, [path])
    assert [o.status for o in summary.outcomes] == ["added", "duplicate", "added"]
    assert content_hash(respaced) == content_hash(ARTICLE) != content_hash(respaced.replace(words[3], "x"))


def test_empty_bodies_are_skipped_not_failures(db, tmp_path):
    briefs = jsonl({"title": "BRIEF ONE", "body": ""}, {"title": "BRIEF", "body": " \n "},
                   {"title": "Full", "body": ARTICLE})
    path = write(tmp_path / "briefs.jsonl", briefs)
    summary = ingest_paths(db, [path, write(tmp_path / "blank.txt", "\n\n")])
    assert (summary.added, summary.skipped, summary.failed) == (1, 3, 0)


def test_failures_name_the_file_and_line_and_the_rest_goes_on(db, tmp_path):
    lines = [json.dumps({"title": "One", "body": ARTICLE}),
             json.dumps({"title": "Two", "body": "Exports rose by 7 percent in June, the customs office said."}),
             '{"title": "Three", "body": "unterminated',
             json.dumps({"title": "Four", "body": "Wheat output fell to 3.1 million tonnes, the ministry said."})
             .replace("Wheat", "Wheat\xff"),  # written as latin-1 below: one byte 0xff
             json.dumps(["not", "an", "object"]),
             json.dumps({"title": "Six", "body": "The port handled 900 ships in 2023, its director said."})]
    path = write(tmp_path / "news.jsonl", "\n".join(lines).encode("latin-1"))
    summary = ingest_paths(db, [path])
    assert summary.problems == [
        f"{path}:3: malformed JSON: Unterminated string starting at (column 28)",
        f"{path}:4: not UTF-8 (byte 0xff at offset 32)",
        f"{path}:5: not a JSON object (got an array)",
    ]
    assert (summary.added, summary.failed) == (3, 3)
    assert [d["title"] for d in documents(db)] == ["One", "Two", "Six"]



def test_a_record_that_fails_to_store_leaves_nothing_behind(db, tmp_path):
    # A database error after the document row and its claims are written, just before the outbox row.
    if db.dialect == "postgres":
        db.execute("CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                   " IF (SELECT title FROM documents WHERE id = NEW.entity_id) = 'Poison' THEN"
                   " RAISE EXCEPTION 'poisoned record' USING ERRCODE = 'check_violation'; END IF;"
                   " RETURN NEW; END $$")
        db.execute("CREATE TRIGGER poison BEFORE INSERT ON index_outbox FOR EACH ROW EXECUTE FUNCTION poison()")
    else:
        db.execute("CREATE TEMP TRIGGER poison BEFORE INSERT ON index_outbox"
                   " WHEN (SELECT title FROM documents WHERE id = NEW.entity_id) = 'Poison'"
                   " BEGIN SELECT RAISE(ABORT, 'poisoned record'); END")
    path = write(tmp_path / "mixed.jsonl", jsonl(
        {"title": "Poison", "body": "Officials said 2,500 fighters were killed in the offensive last week."},
        {"title": "Fine", "body": ARTICLE},
    ))
    summary = ingest_paths(db, [path])
    assert summary.problems == [f"{path}:1: could not store the record (poisoned record)"]
    assert [d["title"] for d in documents(db)] == ["Fine"]
    fine_id = documents(db)[0]["id"]
    assert db.scalar("SELECT count(*) FROM claim_appearances WHERE document_id != ?", [fine_id]) == 0



# -- the command -------------------------------------------------------------------
def test_cli_ingest_prints_a_summary_indexes_and_exits_zero(runner, db, index, tmp_path):
    folder = tmp_path / "articles"
    write(folder / "a.txt", "Crime falls\n\n" + ARTICLE)
    write(folder / "feed.rss", RSS_FEED)
    write(folder / "empty.jsonl", jsonl({"title": "BRIEF", "body": ""}, {"title": "Dup", "body": ARTICLE}))
    result = runner.invoke(args=["ingest", str(folder), "--source", "Desk"])
    assert result.exit_code == 0, result.output
    assert "added 3, duplicates 1, skipped 1 (empty), failed 0" in result.stdout
    assert result.stderr == ""
    assert pending_count(db) == 0
    assert index.stats()["documents"] == 3
    assert {d["source"] for d in documents(db)} == {"Desk"}


def test_cli_ingest_reports_failures_on_stderr_and_exits_one(runner, tmp_path):
    path = write(tmp_path / "news.jsonl", '{"title": "A", "body": "Exports rose 7 percent, the office said."}\n{bad\n')
    result = runner.invoke(args=["ingest", path, str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:2: malformed JSON: Expecting property name enclosed in double quotes (column 2)",
        f"{tmp_path / 'missing.txt'}: cannot read file (no such file or folder)",
    ]
    assert "added 1, duplicates 0, skipped 0 (empty), failed 2" in result.stdout


def test_cli_ingest_has_help(runner):
    result = runner.invoke(args=["ingest", "--help"])
    assert result.exit_code == 0 and "--source" in result.output and "JSONL" in result.output



# -- the shared news files ------------------------------------------------------------
def test_the_first_reuters_stories_import_as_they_are(db, tmp_path):
    lines = shared_path("data", "news", "reuters21578.jsonl").read_bytes().splitlines(keepends=True)[:300]
    path = write(tmp_path / "reuters21578.jsonl", b"".join(lines))
    summary = ingest_paths(db, [path])
    assert summary.failed == 0 and summary.skipped > 0
    assert summary.added + summary.skipped + summary.duplicates == 300
    docs = documents(db)
    assert {d["source"] for d in docs} == {"reuters21578"}
    assert (docs[0]["title"], docs[0]["published_at"], docs[0]["external_id"]) == ("BAHIA COCOA REVIEW",
                                                                                   "1987-02-26T15:01:01", "1")
    assert all(d["published_at"].startswith("1987-") for d in docs)


def test_the_bbc_stories_keep_their_ids(db, tmp_path):
    lines = shared_path("data", "news", "bbc_news.jsonl").read_bytes().splitlines(keepends=True)[:20]
    summary = ingest_paths(db, [write(tmp_path / "bbc_news.jsonl", b"".join(lines))])
    assert (summary.added, summary.failed) == (20, 0)
    first = documents(db)[0]
    assert (first["title"], first["external_id"], first["source"]) == ("Ad sales boost Time Warner profit",
                                                                       "business/001", "bbc_news")



# -- one path for the web, the API and the command -------------------------------------------
def paste(app, db, tmp_path, url):
    client = app.test_client()
    login(client, add_user(db, "cara")["username"])
    response = client.post("/documents/new", data={"mode": "paste", "text": ARTICLE, "url": url, "source": "Desk"})
    assert response.status_code == 303, response.get_data(as_text=True)


def upload(app, db, tmp_path, url):
    client = app.test_client()
    login(client, add_user(db, "cara")["username"])
    data = json.dumps({"body": ARTICLE, "url": url, "source": "Desk"}).encode()
    response = client.post("/documents/new", data={"mode": "upload", "files": [(io.BytesIO(data), "one.json")]},
                           content_type="multipart/form-data")
    run_to_end(app, client, response)


def api(app, db, tmp_path, url):
    token = users.issue_token(db, add_user(db, "bot")["id"])
    response = app.test_client().post("/api/v1/documents", json={"body": ARTICLE, "url": url, "source": "Desk"},
                                      headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.get_json()


def command(app, db, tmp_path, url):
    path = write(tmp_path / "one.jsonl", jsonl({"body": ARTICLE, "url": url, "source": "Desk"}))
    result = ClaimdeskRunner(app).invoke(args=["ingest", path])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("entry_point", [paste, upload, api, command], ids=lambda f: f.__name__)
def test_every_entry_point_stores_a_document_the_same_way(app, db, tmp_path, entry_point):
    entry_point(app, db, tmp_path, "HTTPS://Herald.Example:443/2024/crime")
    [document] = db.query("SELECT url, title, source, body, content_hash FROM documents")
    assert document["url"] == "https://herald.example/2024/crime"
    assert (document["title"], document["source"]) == ("Crime fell by 12 percent in Riverton last year, the police "
                                                        "chief said on Monday.", "Desk")
    assert document["content_hash"] == content_hash(ARTICLE)
    assert db.scalar("SELECT count(*) FROM claims") >= 1
    assert db.scalar("SELECT count(*) FROM events WHERE action = 'document.add'") == 1
    again = add_document(db, body="Something else entirely, said 3 people.", url="https://herald.example/2024/crime")
    assert again.status == "duplicate" and again.document_id is not None


@pytest.mark.parametrize("fields, errors", [
    ({"title": 42}, {"title": "must be text"}),
    ({"published_at": "someday"}, {"published_at": "'someday' is not a date format Claimdesk reads"}),
    ({"language": ["en"]}, {"language": "must be text"}),  # the API declaration refuses a wrong type first
    ({"url": "javascript:void(0)"}, {"url": "must be a web address starting with http:// or https://"}),
])
def test_the_api_refuses_fields_it_cannot_store_with_422(app, db, fields, errors):
    token = users.issue_token(db, add_user(db, "bot")["id"])
    response = app.test_client().post("/api/v1/documents", json={"body": ARTICLE, **fields},
                                      headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == errors
    assert db.scalar("SELECT count(*) FROM documents") == 0


def test_the_api_reads_a_publishers_date(app, db):
    token = users.issue_token(db, add_user(db, "bot")["id"])
    response = app.test_client().post("/api/v1/documents", json={"body": ARTICLE, "published_at": "March 5, 2024"},
                                      headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201
    assert db.scalar("SELECT published_at FROM documents") == "2024-03-05"


def test_the_report_has_one_outcome_per_record_in_reading_order(db, tmp_path):
    path = write(tmp_path / "mixed.jsonl", jsonl({"title": "One", "body": ARTICLE}, {"title": "Empty", "body": ""},
                                                 {"title": "Again", "body": ARTICLE},
                                                 {"title": "Bad", "body": ARTICLE, "url": "ftp://x.example/a"}))
    report = ingest_paths(db, [path])
    assert [(o.position, o.status) for o in report.outcomes] == [("1", "added"), ("2", "skipped"),
                                                                ("3", "duplicate"), ("4", "failed")]
    added = report.outcomes[0]
    assert added.document_id == db.scalar("SELECT id FROM documents") and added.claims_new == report.count("claims")
    assert report.problems == [f"{path}:4: url must be a web address starting with http:// or https://"]


def test_a_control_character_between_a_letter_and_its_accent_leaves_the_stored_text_composed(db):
    # Taking the NUL out leaves "e" + combining acute: the stored text is still NFC ("é"), as its search needs.
    outcome = add_document(db, body="Exports from Que\x00\u0301bec rose 7 percent in June, the office said.")
    body = db.scalar("SELECT body FROM documents WHERE id = ?", [outcome.document_id])
    assert body == "Exports from Qu\u00e9bec rose 7 percent in June, the office said."
