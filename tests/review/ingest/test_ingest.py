"""Ingest: files, folders, feeds and URLs into documents, with failures named by file and line."""

import http.server
import json
import os
import socket
import threading

import pytest

from review.errors import ValidationError
from review.indexing import pending_count
from review.ingest.fetch import fetch_url
from review.ingest.files import measure_paths
from review.ingest.readers import read_path, read_upload
from review.ingest.store import ingest_paths
from tests.conftest import shared_path

ARTICLE = "Crime fell by 12 percent in Riverton last year, the police chief said on Monday.\n\n" \
          "The city hired 40 new officers in 2023, according to the budget office."
HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Council approves budget | Riverton Herald</title>
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-03-05T09:30:00Z">
<meta property="og:site_name" content="Riverton Herald">
<meta property="og:title" content="Council approves $2.5 million budget">
<link rel="canonical" href="https://herald.example/2024/budget">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Council approves $2.5 million budget</h1>
<p>The Riverton city council approved a budget of $2.5 million on Tuesday, the mayor said.</p>
<p>Spending on schools rose by 12 percent compared with last year, according to the finance office.</p>
<p>Unemployment in the county fell to 4.1 percent in January, official figures showed.</p>
</article>
<footer>Copyright 2023 Riverton Herald. All rights reserved.</footer>
</body></html>
"""
RSS_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Harbor Gazette</title><language>en-gb</language>
<item><title>Ferry fares rise</title><link>https://gazette.example/ferry</link>
<pubDate>Tue, 05 Mar 2024 09:30:00 GMT</pubDate><guid>gazette-1</guid>
<description>&lt;p&gt;Ferry fares will rise by 9 percent in April, the operator said.&lt;/p&gt;
&lt;p&gt;Last year 1.2 million passengers used the ferry.&lt;/p&gt;</description></item>
<item><title>Harbor dredging starts</title><link>https://gazette.example/dredging</link>
<pubDate>Wed, 06 Mar 2024 10:00:00 GMT</pubDate>
<description>Dredging of the main channel started on Wednesday and will cost $3 million, officials said.
</description></item>
</channel></rss>
"""
ATOM_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Times</title>
<entry><title>Rainfall record</title><link href="https://valley.example/rain"/><id>urn:valley:1</id>
<updated>2024-02-01T08:00:00Z</updated><author><name>Sam Lee</name></author>
<content type="html">&lt;p&gt;February brought 210 millimetres of rain, the most since 1921, the weather service
said.&lt;/p&gt;&lt;script&gt;track()&lt;/script&gt;</content>
</entry></feed>
"""


def documents(db) -> list[dict]:
    return list(db.query("SELECT * FROM documents ORDER BY id"))


def write(path, content) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def jsonl(*records) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


# -- formats -------------------------------------------------------------------
def test_plain_text_takes_its_first_line_as_title_and_the_file_name_as_source(db, tmp_path):
    path = write(tmp_path / "riverton-police.txt", "Crime falls in Riverton\n\n" + ARTICLE)
    summary = ingest_paths(db, [path])
    assert (summary.added, summary.failed) == (1, 0)
    [doc] = documents(db)
    assert doc["title"] == "Crime falls in Riverton"
    assert doc["body"].startswith("Crime fell by 12 percent") and doc["source"] == "riverton-police"
    assert doc["origin"] == "file"


def test_markdown_heading_becomes_the_title(db, tmp_path):
    ingest_paths(db, [write(tmp_path / "note.md", "# Officers hired\n\n" + ARTICLE)], source="Riverton Herald")
    [doc] = documents(db)
    assert (doc["title"], doc["source"]) == ("Officers hired", "Riverton Herald")


def test_html_page_gives_main_text_title_author_date_and_site(db, tmp_path):
    ingest_paths(db, [write(tmp_path / "budget.html", HTML_PAGE)])
    [doc] = documents(db)
    assert doc["title"] == "Council approves $2.5 million budget"
    assert doc["author"] == "Jane Doe" and doc["source"] == "Riverton Herald"
    assert doc["published_at"] == "2024-03-05" and doc["language"] == "en"
    assert doc["url"] == "https://herald.example/2024/budget"
    assert doc["body"].startswith("The Riverton city council approved")
    assert "Home" not in doc["body"] and "Copyright" not in doc["body"]


def test_html_page_without_a_declared_date_gets_none_not_the_copyright_year(db, tmp_path):
    page = HTML_PAGE.replace('<meta property="article:published_time" content="2024-03-05T09:30:00Z">', "")
    ingest_paths(db, [write(tmp_path / "budget.htm", page)])
    assert documents(db)[0]["published_at"] is None


def test_json_array_maps_field_names_and_the_records_source_wins(db, tmp_path):
    records = [
        {"id": "a-1", "title": "Ferry fares", "text": "Ferry fares will rise by 9 percent in April, the operator said.",
         "date": "March 5, 2024", "source": "Harbor Gazette", "url": "https://gazette.example/1", "language": "en"},
        {"newid": 7, "title": "Dredging", "body": "Dredging will cost $3 million, officials said on Wednesday.",
         "published_at": "2024-03-06T10:00:00Z"},
    ]
    summary = ingest_paths(db, [write(tmp_path / "export.json", json.dumps(records))], source="Wire")
    assert summary.added == 2
    first, second = documents(db)
    assert (first["source"], first["external_id"], first["published_at"]) == ("Harbor Gazette", "a-1", "2024-03-05")
    assert (first["url"], first["language"]) == ("https://gazette.example/1", "en")
    assert (second["source"], second["external_id"]) == ("Wire", "7")
    assert second["published_at"] == "2024-03-06T10:00:00+00:00"


def test_a_single_json_object_is_one_record(db, tmp_path):
    ingest_paths(db, [write(tmp_path / "one.json", json.dumps({"title": "One", "body": ARTICLE}))])
    assert [d["source"] for d in documents(db)] == ["one"]


def test_jsonl_records_with_reuters_style_fields(db, tmp_path):
    path = write(tmp_path / "wire.jsonl", jsonl(
        {"newid": 1, "date": "26-FEB-1987 15:01:01.79", "title": "COCOA REVIEW",
         "body": "Arrivals for the week ended February 22 were 155,221 bags of 60 kilos, exporters said."},
        {"newid": 2, "date": "26-FEB-1987 15:02:20.00", "date_iso": "1987-02-26T15:02:20", "title": "OIL",
         "body": "Output rose to 2.5 mln barrels a day in January, the ministry said."},
    ))
    ingest_paths(db, [path])
    assert [(d["title"], d["published_at"], d["source"]) for d in documents(db)] == [
        ("COCOA REVIEW", "1987-02-26T15:01:01", "wire"), ("OIL", "1987-02-26T15:02:20", "wire")]


def test_rss_feed_entries_become_documents_with_text_stripped_of_html(db, tmp_path):
    summary = ingest_paths(db, [write(tmp_path / "gazette.rss", RSS_FEED)])
    assert summary.added == 2
    ferry, dredging = documents(db)
    assert (ferry["title"], ferry["url"], ferry["source"]) == ("Ferry fares rise", "https://gazette.example/ferry",
                                                               "Harbor Gazette")
    assert ferry["body"] == ("Ferry fares will rise by 9 percent in April, the operator said.\n\n"
                             "Last year 1.2 million passengers used the ferry.")
    assert (ferry["published_at"], ferry["language"], ferry["external_id"]) == ("2024-03-05T09:30:00+00:00", "en-gb",
                                                                                "gazette-1")
    assert ferry["origin"] == "feed" and dredging["published_at"] == "2024-03-06T10:00:00+00:00"


def test_atom_feed_is_recognized_by_content_without_a_suffix(db, tmp_path):
    ingest_paths(db, [write(tmp_path / "valley-feed", ATOM_FEED)], source="Valley Times (Atom)")
    [doc] = documents(db)
    assert (doc["title"], doc["author"], doc["url"]) == ("Rainfall record", "Sam Lee", "https://valley.example/rain")
    assert doc["body"] == "February brought 210 millimetres of rain, the most since 1921, the weather service said."
    assert doc["source"] == "Valley Times (Atom)" and doc["published_at"] == "2024-02-01T08:00:00+00:00"


def test_folders_are_read_recursively_in_name_order_skipping_hidden_files(db, tmp_path):
    root = tmp_path / "inbox"
    write(root / "b" / "second.txt", "Second story\n\nPrices rose by 3 percent in May, the statistics office said.")
    write(root / "a.txt", "First story\n\nThe bridge carried 20,000 cars a day in 2023, the council said.")
    write(root / "b" / "c" / "third.jsonl", jsonl({"title": "Third story", "body": ARTICLE}))
    write(root / ".hidden.txt", "Hidden story\n\nThis should never be imported into the desk at all.")
    write(root / ".git" / "notes.txt", "Git notes\n\nThis should never be imported into the desk either.")
    summary = ingest_paths(db, [str(root)])
    assert (summary.added, summary.failed) == (3, 0)
    assert [d["title"] for d in documents(db)] == ["First story", "Third story", "Second story"]  # a, b/c/..., b/s...


def test_progress_reports_every_byte_of_the_files(db, tmp_path):
    write(tmp_path / "in" / "x.jsonl", jsonl({"body": ARTICLE}, {"body": "Prices rose by 3 percent in May, it said."}))
    write(tmp_path / "in" / "y.rss", RSS_FEED)
    seen = []
    ingest_paths(db, [str(tmp_path / "in")], progress=lambda item, advanced: seen.append(advanced))
    assert len(seen) == 4 and sum(seen) == measure_paths([str(tmp_path / "in")])


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


@pytest.mark.parametrize("name, content, message", [
    ("notes.txt", b"Title\n\nIt cost \xe9 5 million, he said.\n", "notes.txt:3: not UTF-8 (byte 0xe9 at offset 8)"),
    ("scan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "scan.pdf: unknown format: expected text, Markdown, HTML, "
                                                        "JSON, JSONL or an RSS/Atom feed (this looks like a PDF file)"),
    ("blob.dat", bytes(range(256)) * 4, "blob.dat: unknown format: expected text, Markdown, HTML, JSON, JSONL or "
                                        "an RSS/Atom feed"),
    ("list.json", b'[{"title": "A", "body": "Sales rose 4 percent."}, "oops"]',
     "list.json:record 2: not a JSON object (got a string)"),
    ("broken.json", b'{"title": "A",\n "body": "x",\n}', "broken.json:3: malformed JSON: Expecting property name "
                                                          "enclosed in double quotes (column 1)"),
    ("count.json", b"42", "count.json: expected a JSON object or an array of objects, got a number"),
    ("fields.jsonl", b'{"title": "A", "content": "Sales rose."}\n', 'fields.jsonl:1: no "body" or "text" field'),
    ("nested.jsonl", b'{"title": "A", "body": {"text": "x"}}\n', 'nested.jsonl:1: field "body" is not text (got an '
                                                                 "object)"),
    ("sitemap.xml", b"<?xml version='1.0'?><urlset><url><loc>https://x.example/</loc></url></urlset>",
     "sitemap.xml: not an RSS or Atom feed"),
])
def test_unreadable_records_get_a_specific_message(db, tmp_path, name, content, message):
    summary = ingest_paths(db, [write(tmp_path / name, content)])
    assert summary.problems == [f"{tmp_path}{os.sep}{message}"]


def test_missing_and_unreadable_files_are_failures(db, tmp_path):
    folder = tmp_path / "in"
    write(folder / "good.txt", "Good story\n\n" + ARTICLE)
    (folder / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    summary = ingest_paths(db, [str(tmp_path / "nowhere.txt"), str(folder)])
    assert summary.problems == [f"{tmp_path / 'nowhere.txt'}: cannot read file (no such file or folder)",
                                f"{folder / 'dangling.txt'}: cannot read file (no such file or folder)"]
    assert summary.added == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_a_file_without_read_permission_is_a_failure(db, tmp_path):
    path = tmp_path / "secret.txt"
    write(path, ARTICLE)
    path.chmod(0)
    assert ingest_paths(db, [str(path)]).problems == [f"{path}: cannot read file (Permission denied)"]


def test_a_record_that_fails_to_store_leaves_nothing_behind(db, tmp_path):
    # A database error after the document row and its claims are written, just before the outbox row.
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


def test_upload_yields_records_and_failures_named_by_the_file_name():
    items = list(read_upload("/home/me/wire.jsonl", b'{"title": "A", "body": "Sales rose 4 percent."}\n{oops\n',
                             source="Wire"))
    assert [(i.record["title"], i.record["source"], i.origin) for i in items if i.record] == [("A", "Wire", "upload")]
    assert [i.message for i in items if i.error] == [
        "wire.jsonl:2: malformed JSON: Expecting property name enclosed in double quotes (column 2)"]


def test_read_path_yields_records_with_their_positions(tmp_path):
    path = write(tmp_path / "x.json", json.dumps([{"body": "a b"}, {"body": "c d"}]))
    assert [(item.position, item.record["body"]) for item in read_path(path)] == [("record 1", "a b"),
                                                                                 ("record 2", "c d")]


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


def test_cli_ingest_refuses_a_loopback_url(runner, web):
    result = runner.invoke(args=["ingest", web.url + "/article"])
    assert result.exit_code == 1
    assert "resolves to a loopback address (127.0.0.1)" in result.stderr


def test_cli_ingest_fetches_a_url_when_private_addresses_are_allowed(app, runner, db, web):
    app.config["ALLOW_PRIVATE_URLS"] = True
    result = runner.invoke(args=["ingest", web.url + "/article"])
    assert result.exit_code == 0, result.output
    [doc] = documents(db)
    assert (doc["title"], doc["url"], doc["origin"]) == ("Council approves $2.5 million budget", web.url + "/article",
                                                         "url")


# -- URLs ----------------------------------------------------------------------------
class Handler(http.server.BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):
        status, headers, body = self.routes.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        try:
            for chunk in body if isinstance(body, list) else [body]:
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading, as it should past the size cap

    def log_message(self, *args):
        pass


@pytest.fixture
def web():
    """Serve canned responses from a local HTTP server in a thread."""
    routes = {"/article": (200, {"Content-Type": "text/html; charset=utf-8"}, HTML_PAGE.encode()),
              "/old": (301, {"Location": "/article"}, b""),
              "/notes.txt": (200, {"Content-Type": "text/plain"}, ("Plain notes\n\n" + ARTICLE).encode()),
              "/report.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.7")}
    handler = type("Routes", (Handler,), {"routes": routes})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    server.routes = routes
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.parametrize("url, reason", [
    ("http://127.0.0.1/", "refused: 127.0.0.1 resolves to a loopback address (127.0.0.1)"),
    ("http://localhost:8080/admin", "refused: localhost resolves to a loopback address"),
    ("http://[::1]/", "refused: ::1 resolves to a loopback address (::1)"),
    ("http://10.1.2.3/", "refused: 10.1.2.3 resolves to a private address (10.1.2.3)"),
    ("http://192.168.0.1/", "refused: 192.168.0.1 resolves to a private address (192.168.0.1)"),
    ("http://169.254.169.254/latest/meta-data/", "refused: 169.254.169.254 resolves to a link-local address"),
    ("http://0.0.0.0/", "refused: 0.0.0.0 resolves to a"),
    ("file:///etc/passwd", "must be a web address starting with http:// or https://"),
    ("ftp://example.com/a.txt", "must be a web address starting with http:// or https://"),
    ("http:///nohost", "must name a host"),
    ("javascript:alert(1)", "must be a web address starting with http:// or https://"),
])
def test_fetch_refuses_private_addresses_and_other_schemes(url, reason):
    with pytest.raises(ValidationError) as error:
        fetch_url(url)
    assert error.value.fields["url"].startswith(reason)


def test_fetch_reads_an_article_page(web):
    record = fetch_url(web.url + "/old", allow_private=True)  # follows the redirect
    assert record["url"] == web.url + "/article"
    assert (record["title"], record["author"], record["published_at"]) == ("Council approves $2.5 million budget",
                                                                           "Jane Doe", "2024-03-05")
    assert record["source"] == "Riverton Herald" and "4.1 percent" in record["body"]


def test_fetch_reads_plain_text(web):
    record = fetch_url(web.url + "/notes.txt", allow_private=True)
    assert (record["title"], record["source"]) == ("Plain notes", "127.0.0.1")


@pytest.mark.parametrize("path, reason", [
    ("/missing", "the server answered HTTP 404 Not Found"),
    ("/report.pdf", "not a web page (application/pdf); save it as a file and ingest that"),
])
def test_fetch_failures_say_why(web, path, reason):
    with pytest.raises(ValidationError) as error:
        fetch_url(web.url + path, allow_private=True)
    assert error.value.fields == {"url": reason}


def test_fetch_gives_up_on_a_server_that_never_answers():
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # the kernel accepts the connection; nobody ever answers
    try:
        with pytest.raises(ValidationError) as error:
            fetch_url(f"http://127.0.0.1:{silent.getsockname()[1]}/slow", allow_private=True, timeout=0.3)
    finally:
        silent.close()
    assert error.value.fields == {"url": "timed out after 0.3 s"}


@pytest.mark.parametrize("declared", [True, False])
def test_fetch_stops_reading_past_five_megabytes(web, declared):
    chunk = b"<p>" + b"x" * (1024 * 1024 - 7) + b"</p>\n"
    headers = {"Content-Type": "text/html", **({"Content-Length": str(6 * len(chunk))} if declared else {})}
    web.routes["/huge"] = (200, headers, [chunk] * 6)
    with pytest.raises(ValidationError) as error:
        fetch_url(web.url + "/huge", allow_private=True)
    assert error.value.fields == {"url": "the page is larger than 5 MB; stopped reading"}


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
