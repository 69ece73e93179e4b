"""The one URL rule: clean_url normalizes web addresses and refuses the rest, at every entry point."""

import io
import json

import pytest

from review import claims, evidence, prior, users, verdicts, workflow
from review.dates import now
from review.errors import ValidationError
from review.urls import clean_url, is_web_url, looks_like_url
from tests.conftest import ClaimdeskRunner, add_user, login
from tests.web.test_jobs import run_to_end

JAVASCRIPT = "javascript:alert(document.cookie)"
BREAKOUT = 'https://f.example/"><svg/onload=alert(1)>'
NEEDS_SCHEME = "must be a web address starting with http:// or https://"
NO_QUOTES = "must not contain quotes, angle brackets, backticks or backslashes"
ARTICLE = ("The ministry said 4,000 homes were rebuilt in 2023 across the region, "
           "and the governor said 12 schools reopened last week.")


@pytest.mark.parametrize("value, cleaned", [
    ("https://example.org/a", "https://example.org/a"),
    ("  HTTPS://Example.ORG:443/Path?q=1#top  ", "https://example.org/Path?q=1#top"),
    ("http://news.example:80/", "http://news.example/"),
    ("http://news.example:8080/x", "http://news.example:8080/x"),
    ("https://news.example./x", "https://news.example/x"),
    ("http://[::1]:8080/", "http://[::1]:8080/"),
    ("https://user@news.example/x", "https://user@news.example/x"),
    ("https://en.wikipedia.org/wiki/O'Brien", "https://en.wikipedia.org/wiki/O%27Brien"),
])
def test_clean_url_normalizes_scheme_host_and_default_port(value, cleaned):
    assert clean_url(value) == cleaned
    assert is_web_url(value)


@pytest.mark.parametrize("value, message", [
    (JAVASCRIPT, NEEDS_SCHEME),
    ("JavaScript:alert(1)", NEEDS_SCHEME),
    ("data:text/html,<b>x</b>", NO_QUOTES),
    ("data:text/html;base64,PGI+", NEEDS_SCHEME),
    ("ftp://files.example/a.txt", NEEDS_SCHEME),
    ("//example.org/x", NEEDS_SCHEME),
    ("example.org/x", NEEDS_SCHEME),
    ("https:example.org", NEEDS_SCHEME),
    (BREAKOUT, NO_QUOTES),
    ("https://a.example/<script>", NO_QUOTES),
    ("https://a.example/`x`", NO_QUOTES),
    ("https://a.example\\@b.example/", NO_QUOTES),
    ("https://a b.example/", "must not contain spaces or control characters"),
    ("https://a.example/\x00", "must not contain spaces or control characters"),
    ("http:///nohost", "must name a host, as in https://example.org/page"),
    ("https://a.example:99999/", "is not a valid web address (check the host and port)"),
    ("https://a.example/" + "x" * 2100, "is too long (at most 2,048 characters)"),
    (42, "must be text: a web address starting with http:// or https://"),
])
def test_clean_url_refuses_with_a_specific_message(value, message):
    with pytest.raises(ValidationError) as error:
        clean_url(value, "article_url")
    assert error.value.fields == {"article_url": message}
    assert not is_web_url(value)


def test_empty_values_are_none_unless_required():
    assert clean_url(None) is None and clean_url("  ") is None
    with pytest.raises(ValidationError) as error:
        clean_url("", "url", required=True)
    assert error.value.fields == {"url": "required: a web address starting with http:// or https://"}
    assert not is_web_url("")


def test_looks_like_url_only_reads_the_scheme():
    assert looks_like_url("HTTPS://anything at all") and not looks_like_url("notes/https.txt")


# -- every entry point refuses the same addresses ---------------------------------------------------
@pytest.fixture
def desk(app, db):
    """A checker with a claim in progress, an API token, and a prior review to link."""
    checker = add_user(db, "cara")
    claim = claims.create_manual_claim(db, text="The minister said 4,000 homes were rebuilt in 2023.")
    for action in ("accept", "start"):
        workflow.apply_action(db, claim["id"], action, checker)
    stamp = now()
    prior_id = db.insert(
        "INSERT INTO prior_reviews (claim_reviewed, url, raw_json, imported_at, updated_at) VALUES (?, ?, ?, ?, ?)",
        ["Homes were rebuilt", "https://checker.example/homes", "{}", stamp, stamp])
    return {"app": app, "db": db, "checker": checker, "claim": claims.get_claim(db, claim["id"]),
            "token": users.issue_token(db, checker["id"]), "prior_id": prior_id}


def api_document(desk, url, tmp_path):
    response = desk["app"].test_client().post("/api/v1/documents", json={"body": ARTICLE, "url": url},
                                              headers={"Authorization": f"Bearer {desk['token']}"})
    assert response.status_code == 422
    return response.get_json()["error"]["fields"]["url"]


def json_upload(desk, url, tmp_path):
    client = desk["app"].test_client()
    login(client, "cara")
    upload = json.dumps([{"title": "Bad link", "body": ARTICLE, "url": url}]).encode()
    response = client.post("/documents/new", data={"mode": "upload", "files": [(io.BytesIO(upload), "wire.json")]},
                           content_type="multipart/form-data")
    html = run_to_end(desk["app"], client, response)  # an upload runs as a job
    assert "failed 1" in html and "wire.json:record 1" in html
    reason = html.split('<td dir="auto">url ', 1)[1].split("\n", 1)[0].strip()
    return reason.replace("&#39;", "'").replace("&#34;", '"')


def cli_ingest(desk, url, tmp_path):
    path = tmp_path / "wire.jsonl"
    path.write_text(json.dumps({"title": "Bad link", "body": ARTICLE, "url": url}) + "\n"
                    + json.dumps({"title": "Good", "body": "Exports rose by 7 percent in June, the customs office said.",
                                  "url": "https://wire.example/good"}) + "\n", encoding="utf-8")
    result = ClaimdeskRunner(desk["app"]).invoke(args=["ingest", str(path)])
    assert result.exit_code == 1
    assert "added 1, duplicates 0, skipped 0 (empty), failed 1" in result.stdout
    assert [d["title"] for d in desk["db"].query("SELECT title FROM documents")] == ["Good"]
    [line] = result.stderr.splitlines()
    return line.removeprefix(f"{path}:1: url ")


def evidence_url(desk, url, tmp_path):
    with pytest.raises(ValidationError) as error:
        evidence.add_evidence(desk["db"], desk["claim"]["id"], desk["checker"], url=url, title="Source")
    return error.value.fields["url"]


def evidence_archive_url(desk, url, tmp_path):
    with pytest.raises(ValidationError) as error:
        evidence.add_evidence(desk["db"], desk["claim"]["id"], desk["checker"], url="https://stats.example/t1",
                              title="Source", archive_url=url)
    return error.value.fields["archive_url"]


def verdict_article_url(desk, url, tmp_path):
    with pytest.raises(ValidationError) as error:
        verdicts.edit_draft(desk["db"], desk["claim"]["id"], desk["checker"], {"article_url": url},
                            version=desk["claim"]["version"])
    return error.value.fields["article_url"]


def claim_appearance_url(desk, url, tmp_path):
    with pytest.raises(ValidationError) as error:
        claims.create_manual_claim(desk["db"], text="The mayor said crime fell by 30 percent.", url=url)
    return error.value.fields["url"]


def link_to_prior(desk, url, tmp_path):
    with pytest.raises(ValidationError) as error:
        prior.link_prior(desk["db"], desk["claim"]["id"], desk["checker"], url=url, prior_review_id=desk["prior_id"],
                         version=desk["claim"]["version"])
    return error.value.fields["url"]


ENTRY_POINTS = [api_document, json_upload, cli_ingest, evidence_url, evidence_archive_url, verdict_article_url,
                claim_appearance_url, link_to_prior]


@pytest.mark.parametrize("url, message", [(JAVASCRIPT, NEEDS_SCHEME), (BREAKOUT, NO_QUOTES)])
@pytest.mark.parametrize("entry_point", ENTRY_POINTS, ids=lambda f: f.__name__)
def test_every_entry_point_refuses_the_address_with_the_fields_message(desk, tmp_path, entry_point, url, message):
    assert entry_point(desk, url, tmp_path) == message
    db = desk["db"]
    assert db.scalar("SELECT count(*) FROM documents WHERE url LIKE 'javascript:%' OR url LIKE '%<%'") == 0
    assert db.scalar("SELECT count(*) FROM evidence") == 0
    assert db.scalar("SELECT count(*) FROM claim_appearances WHERE prior_review_id IS NOT NULL") == 0
    assert db.scalar("SELECT count(*) FROM verdicts WHERE article_url IS NOT NULL") == 0
