"""Fetching URLs: private addresses and other schemes refused, pages read, failures explained."""

import socket

import pytest

from review.errors import ValidationError
from review.ingest.fetch import fetch_url
from tests.review.ingest.samples import documents


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


