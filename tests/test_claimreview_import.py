"""Importing other fact-checkers' ClaimReview: the shapes found in the wild, broken files, CLI and upload page."""

import copy
import csv
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review.claimreview_import import (
    Review,
    import_bytes,
    import_paths,
    normalize_date,
    parse_bytes,
    parse_claimreviews,
)
from search_index import open_index
from search_index.sync import pending_count
from tests.conftest import shared_path

PAGE = "https://checks.example.org/fact-checks/moon-cheese"


def claimreview(claim="The moon is made of cheese.", url=PAGE, **extra) -> dict:
    """Return a ClaimReview as a fact-checker would publish it."""
    node = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim,
        "url": url,
        "datePublished": "2016-03-01",
        "author": {"@type": "Organization", "name": "Example Checks", "url": "https://checks.example.org/"},
        "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1,
                         "alternateName": "False"},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Senator Smith"},
                         "datePublished": "2016-02-20"},
    }
    node.update(extra)
    return {key: value for key, value in node.items() if value is not None}


def only_review(obj, **kwargs) -> Review:
    """Parse obj and return its one usable review."""
    results = parse_claimreviews(obj, **kwargs)
    assert len(results) == 1, results
    position, review = results[0]
    assert isinstance(review, Review), review
    return review


def reviews_in(obj, **kwargs) -> list[dict]:
    return [result.fields for _, result in parse_claimreviews(obj, **kwargs) if isinstance(result, Review)]


def write(tmp_path, name: str, content) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def stored(db) -> list[dict]:
    return list(db.query("SELECT * FROM prior_reviews ORDER BY id"))


# -- shapes --------------------------------------------------------------------
def test_single_object_reads_every_field():
    fields = only_review(claimreview(headline="No, the moon is not cheese", inLanguage="en")).fields
    assert fields["claim_reviewed"] == "The moon is made of cheese."
    assert fields["url"] == PAGE
    assert (fields["rating_label"], fields["rating_value"], fields["best_rating"], fields["worst_rating"]) == \
        ("False", 1, 5, 1)
    assert (fields["publisher"], fields["publisher_url"]) == ("Example Checks", "https://checks.example.org/")
    assert (fields["claimant"], fields["claim_date"], fields["date_published"]) == \
        ("Senator Smith", "2016-02-20", "2016-03-01")
    assert (fields["headline"], fields["language"]) == ("No, the moon is not cheese", "en")


def test_array_and_graph_with_references():
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "Organization", "@id": "https://checks.example.org/#org", "name": "Example Checks"},
        {"@type": "WebPage", "@id": PAGE, "name": "Moon"},
        claimreview(author={"@id": "https://checks.example.org/#org"}),
    ]}
    assert [f["publisher"] for f in reviews_in(graph)] == ["Example Checks"]
    array = [claimreview(), claimreview("Water is dry.", url=PAGE + "-2")]
    assert [f["claim_reviewed"] for f in reviews_in(array)] == ["The moon is made of cheese.", "Water is dry."]


def test_datafeed_with_items_wrapped_or_not():
    feed = {"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": [
        {"@type": "DataFeedItem", "dateCreated": "2020-01-01", "item": [claimreview()]},
        {"@type": "DataFeedItem", "item": claimreview("Water is dry.", url=PAGE + "-2")},
        claimreview("Fire is cold.", url=PAGE + "-3"),
        {"@type": "DataFeedItem", "dateCreated": "2020-01-01"},
    ]}
    results = parse_claimreviews(feed)
    assert [f["claim_reviewed"] for f in reviews_in(feed)] == \
        ["The moon is made of cheese.", "Water is dry.", "Fire is cold."]
    assert results[3] == (4, "no ClaimReview in this dataFeedElement entry (@type DataFeedItem)")


@pytest.mark.parametrize("key", ["review", "mainEntity"])
def test_claimreview_nested_in_an_article(key):
    article = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Moon", key: claimreview()}
    assert only_review(article).fields["claim_reviewed"] == "The moon is made of cheese."


@pytest.mark.parametrize("type_", [["ClaimReview", "Review"], "schema:ClaimReview", "http://schema.org/ClaimReview",
                                   "claimreview"])
def test_type_as_list_or_prefixed(type_):
    assert only_review(claimreview(**{"@type": type_})).fields["url"] == PAGE


@pytest.mark.parametrize("item, claimant", [
    ({"@type": "Claim", "author": "Senator Smith"}, "Senator Smith"),
    ({"@type": "CreativeWork", "author": {"@type": "Person", "name": "Senator Smith"}}, "Senator Smith"),
    ({"@type": "Claim", "author": [{"@type": "Person", "name": "Smith"}, "Jones"]}, "Smith, Jones"),
    ({"@type": "Claim"}, None),
])
def test_item_reviewed_and_claimant_shapes(item, claimant):
    assert only_review(claimreview(itemReviewed=item)).fields["claimant"] == claimant


@pytest.mark.parametrize("author, publisher", [
    ("Example Checks", "Example Checks"),
    ([{"@type": "Organization", "name": "Example Checks"}, {"@type": "Person", "name": "A. Writer"}],
     "Example Checks, A. Writer"),
])
def test_author_as_string_or_list(author, publisher):
    assert only_review(claimreview(author=author)).fields["publisher"] == publisher


@pytest.mark.parametrize("rating, label, value", [
    ({"ratingValue": 2, "alternateName": "Mostly false"}, "Mostly false", 2),
    ({"ratingValue": "2", "alternateName": "Mostly false"}, "Mostly false", 2),
    ({"ratingValue": "2,5", "alternateName": "Half"}, "Half", 2.5),
    ({"alternateName": "Pants on Fire!"}, "Pants on Fire!", None),
    ({"ratingValue": "Falso"}, "Falso", None),
    ("False", "False", None),
    (None, None, None),
])
def test_rating_shapes(rating, label, value):
    fields = only_review(claimreview(reviewRating=rating)).fields
    assert (fields["rating_label"], fields["rating_value"]) == (label, value)


def test_rating_outside_the_scale_is_kept_verbatim():
    rating = {"ratingValue": 7, "bestRating": 5, "worstRating": 1, "alternateName": "  Four Pinocchios "}
    fields = only_review(claimreview(reviewRating=rating)).fields
    assert (fields["rating_label"], fields["rating_value"], fields["best_rating"]) == ("Four Pinocchios", 7, 5)


@pytest.mark.parametrize("text, expected", [
    ("2016-03-01", "2016-03-01"),
    ("2016-03-01T10:30:00Z", "2016-03-01T10:30:00+00:00"),
    ("2016-03-01T10:30:00+02:00", "2016-03-01T10:30:00+02:00"),
    ("2016/03/01", "2016-03-01"),
    ("March 1, 2016", "2016-03-01"),
    ("Tuesday, Mar. 1, 2016", "2016-03-01"),
    ("1 March 2016", "2016-03-01"),
    ("Tue, 01 Mar 2016 10:30:00 GMT", "2016-03-01T10:30:00+00:00"),
    ("13/03/2016", "2016-03-13"),
    ("03/13/2016", "2016-03-13"),
])
def test_dates_publishers_use(text, expected):
    assert normalize_date(text) == (expected, None)


@pytest.mark.parametrize("text, reason", [
    ("01/03/2016", "ambiguous"),
    ("31/02/2016", "not a valid date"),
    ("2016", "not a date format"),
    ("le 1er mars", "not a date format"),
])
def test_dates_that_are_not_guessed(text, reason):
    review = only_review(claimreview(datePublished=text))
    assert review.fields["date_published"] is None
    assert any(reason in warning and text in warning for warning in review.warnings), review.warnings


def test_relative_url_resolves_against_the_page_url():
    fields = only_review(claimreview(url="/fact-checks/moon"), base_url="https://checks.example.org/x/y").fields
    assert fields["url"] == "https://checks.example.org/fact-checks/moon"


@pytest.mark.parametrize("node, reason", [
    (claimreview(claimReviewed=""), "missing claimReviewed"),
    (claimreview(url=None), "missing url"),
    (claimreview(url="/fact-checks/moon"), "relative and there is no page URL"),
    (claimreview(url="javascript:alert(1)"), "not an http(s) address"),
    ({**claimreview(), "@type": "Review"}, "its @type Review is not ClaimReview"),
])
def test_unusable_records_get_a_reason(node, reason):
    [(position, result)] = parse_claimreviews(node)
    assert position == 1 and reason in result


def test_a_file_of_other_types_only_is_refused_as_a_whole():
    assert parse_claimreviews({"@type": "NewsArticle", "headline": "Moon"}) == \
        [(None, "no ClaimReview found (@type NewsArticle)")]


# -- files and storage ---------------------------------------------------------
def test_jsonl_with_a_bad_line_keeps_the_good_ones(db, tmp_path):
    lines = [json.dumps(claimreview(f"Claim {n}", url=f"{PAGE}/{n}")) for n in (1, 2)]
    lines += ['{"claimReviewed": "broken", ', ""]
    lines += [json.dumps(claimreview(f"Claim {n}", url=f"{PAGE}/{n}")) for n in (4, 5)]
    path = write(tmp_path, "file.jsonl", "\n".join(lines))
    summary = import_paths(db, [path])
    assert (summary.added, summary.updated, summary.refused) == (4, 0, 1)
    assert len(summary.problems) == 1 and summary.problems[0].startswith(f"{path}:3: not valid JSON")
    assert [r["claim_reviewed"] for r in stored(db)] == ["Claim 1", "Claim 2", "Claim 4", "Claim 5"]


FACT_CHECK_TOOLS = {  # a claims:search response of the Google Fact Check Tools API
    "claims": [
        {"text": "Drinking bleach cures COVID-19", "claimant": "Social media posts",
         "claimDate": "2020-03-20T00:00:00Z",
         "claimReview": [
             {"publisher": {"name": "PolitiFact", "site": "politifact.com"}, "url": "https://www.politifact.com/b",
              "title": "No, bleach does not cure", "reviewDate": "2020-03-21T00:00:00Z", "textualRating": "False",
              "languageCode": "en"},
             {"publisher": {"site": "fullfact.org"}, "url": "https://fullfact.org/b", "textualRating": "Incorrect",
              "languageCode": "en"}]},
        {"text": "A claim nobody reviewed", "claimReview": []},
    ],
    "nextPageToken": "CAE",
}


def test_fact_check_tools_api_results_import_with_every_review(db, tmp_path):
    summary = import_paths(db, [write(tmp_path, "search.json", FACT_CHECK_TOOLS)])
    assert (summary.added, summary.refused) == (2, 1)
    assert summary.problems == [f"{tmp_path / 'search.json'}:record 3: no ClaimReview in this record "
                                "(an object without @type)"]
    politifact, fullfact = stored(db)
    assert (politifact["claim_reviewed"], politifact["rating_key"], politifact["publisher"],
            politifact["claimant"], politifact["headline"]) == (
        "Drinking bleach cures COVID-19", "false", "PolitiFact", "Social media posts", "No, bleach does not cure")
    assert politifact["date_published"].startswith("2020-03-21") and politifact["language"] == "en"
    assert (fullfact["publisher"], fullfact["rating_label"], fullfact["url"]) == (
        "fullfact.org", "Incorrect", "https://fullfact.org/b")


def test_fact_check_tools_claims_as_jsonl_lines(db, tmp_path):
    lines = "\n".join(json.dumps(claim) for claim in FACT_CHECK_TOOLS["claims"][:1] * 2)
    summary = import_paths(db, [write(tmp_path, "claims.jsonl", lines)])
    assert (summary.added, summary.updated, summary.refused) == (2, 2, 0)  # the second line repeats the first


def test_refused_records_in_json_name_their_record(db, tmp_path):
    path = write(tmp_path, "feed.json", [claimreview(), claimreview(claimReviewed=None), {"@type": "Thing"}])
    summary = import_paths(db, [path])
    assert summary.problems == [f"{path}:record 2: missing claimReviewed",
                                f"{path}:record 3: no ClaimReview in this record (@type Thing)"]
    assert summary.added == 1


@pytest.mark.parametrize("name, content, reason", [
    ("notes.json", "this is not json", "not valid JSON"),
    ("empty.json", "   ", "empty file"),
    ("latin1.json", "{\"claimReviewed\": \"caf\xe9\"}".encode("latin-1"), "not UTF-8"),
    ("article.json", {"@type": "NewsArticle", "headline": "Moon"}, "no ClaimReview found"),
    ("notes.txt", "hello", "unknown format"),
])
def test_unreadable_files_are_reported(db, tmp_path, name, content, reason):
    path = write(tmp_path, name, content)
    summary = import_paths(db, [path])
    assert summary.refused == 1 and summary.added == 0
    assert summary.problems[0].startswith(f"{path}: ") and reason in summary.problems[0]


def test_reimport_updates_instead_of_duplicating(db, tmp_path):
    path = write(tmp_path, "reviews.json", [claimreview(), claimreview("Water is dry.", url=PAGE + "-2")])
    first = import_paths(db, [path])
    changed = claimreview(reviewRating={"alternateName": "Pants on Fire"})
    write(tmp_path, "reviews.json", [changed, claimreview("Water is dry.", url=PAGE + "-2")])
    again = import_paths(db, [path])
    assert (first.added, first.updated) == (2, 0)
    assert (again.added, again.updated, again.refused) == (0, 2, 0)
    rows = stored(db)
    assert len(rows) == 2 and rows[0]["rating_label"] == "Pants on Fire"


@pytest.mark.parametrize("label, key", [
    ("Pants on Fire", "false"), ("Falso", "false"), ("FALSE", "false"), ("barely-true", "mostly-false"),
    ("Four Pinocchios", None),
])
def test_rating_labels_are_mapped_to_our_scale(db, label, key):
    import_bytes(db, "one.json", json.dumps(claimreview(reviewRating={"alternateName": label})).encode())
    [row] = stored(db)
    assert (row["rating_label"], row["rating_key"]) == (label, key)


def test_raw_json_is_kept_and_outbox_and_audit_written(db):
    node = claimreview(reviewRating={"alternateName": "Falso", "ratingValue": "1", "x-extra": [1, {"a": "é"}]})
    feed = {"@type": "DataFeed", "dataFeedElement": [{"@type": "DataFeedItem", "item": copy.deepcopy(node)}]}
    summary = import_bytes(db, "feed.json", json.dumps(feed).encode(), actor_id=None)
    [row] = stored(db)
    assert json.loads(row["raw_json"]) == node
    assert (row["source_file"], summary.added) == ("feed.json", 1)
    assert pending_count(db) == 1
    events = list(db.query("SELECT action, details FROM events WHERE action = 'prior_review.import'"))
    assert len(events) == 1 and json.loads(events[0]["details"])["added"] == 1


def test_half_characters_escaped_in_json_do_not_stop_the_import(db):
    data = b'[{"@type": "ClaimReview", "claimReviewed": "Moon \\ud83d", "url": "https://x.org/1"}]'
    assert import_bytes(db, "odd.json", data).added == 1
    [row] = stored(db)
    assert row["claim_reviewed"] == "Moon \ufffd" and json.loads(row["raw_json"])["claimReviewed"] == "Moon \ud83d"


JSON_LD_PAGE = """<!doctype html><html><head>
<link rel="canonical" href="https://checks.example.org/fact-checks/moon">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "BreadcrumbList"}</script>
<script type="application/ld+json">
<!--
{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Moon",
 "mainEntity": {"@type": "ClaimReview", "claimReviewed": "The moon is made of cheese.",
   "author": {"@type": "Organization", "name": "Example Checks", "url": "/"},
   "reviewRating": {"@type": "Rating", "alternateName": "Pants on Fire"}}}
-->
</script></head><body><h1>Moon</h1></body></html>"""

MICRODATA_PAGE = """<!doctype html><html><body>
<div itemscope itemtype="https://schema.org/ClaimReview">
  <link itemprop="url" href="/fact-checks/water">
  <span itemprop="claimReviewed">Water is dry.</span>
  <meta itemprop="datePublished" content="2019-05-04">
  <div itemprop="author" itemscope itemtype="https://schema.org/Organization">
    <span itemprop="name">Example Checks</span></div>
  <div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating">
    <meta itemprop="ratingValue" content="1"><span itemprop="alternateName">Falso</span></div>
</div></body></html>"""


def test_html_with_json_ld_takes_the_page_url(db, tmp_path):
    summary = import_paths(db, [write(tmp_path, "moon.html", JSON_LD_PAGE)])
    assert (summary.added, summary.refused) == (1, 0), summary.messages
    [row] = stored(db)
    assert (row["url"], row["publisher_url"], row["rating_key"]) == \
        ("https://checks.example.org/fact-checks/moon", "https://checks.example.org/", "false")


def test_html_with_microdata_resolves_relative_links(db):
    summary = import_bytes(db, "water.html", MICRODATA_PAGE.encode(), base_url="https://checks.example.org/x")
    assert summary.added == 1, summary.messages
    [row] = stored(db)
    assert (row["claim_reviewed"], row["url"], row["rating_label"], row["rating_key"], row["date_published"]) == \
        ("Water is dry.", "https://checks.example.org/fact-checks/water", "Falso", "false", "2019-05-04")


def test_html_without_a_page_url_refuses_relative_links(db):
    summary = import_bytes(db, "water.html", MICRODATA_PAGE.encode())
    assert summary.problems == ["water.html:record 1: url '/fact-checks/water' is relative and there is no page "
                                "URL to resolve it against"]


def test_html_with_a_broken_json_ld_block_reports_it_and_keeps_the_rest(db):
    page = MICRODATA_PAGE.replace("<body>", '<body><script type="application/ld+json">{"@type": </script>')
    summary = import_bytes(db, "water.html", page.encode(), base_url="https://checks.example.org/")
    assert summary.added == 1
    assert summary.problems[0].startswith("water.html: JSON-LD block 1 is not valid JSON")


# -- CLI -----------------------------------------------------------------------
def test_cli_imports_a_folder_and_drains_the_index(runner, app, db, tmp_path):
    folder = tmp_path / "reviews"
    (folder / "nested").mkdir(parents=True)
    write(folder, "a.json", claimreview())
    write(folder / "nested", "b.jsonl", json.dumps(claimreview("Water is dry.", url=PAGE + "-2")))
    write(folder, "README.md", "not a review file")
    result = runner.invoke(args=["import-claimreview", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "added 2, updated 0, refused 0"
    assert result.stderr == ""
    assert pending_count(db) == 0
    index = open_index(app.config["INDEX"])
    try:
        assert index.stats()["verdicts"] == 2
        moon = db.scalar("SELECT id FROM prior_reviews WHERE claim_reviewed LIKE '%moon%'")
        assert [hit.id for hit in index.similar("moon cheese")][:1] == [-moon]  # imported reviews use negative ids
    finally:
        index.close()


def test_cli_reports_refusals_on_stderr_and_exits_1(runner, db, tmp_path):
    good = json.dumps(claimreview())
    path = write(tmp_path, "file.jsonl", "\n".join([good, good.replace("moon", "sun"), "{not json", good]))
    result = runner.invoke(args=["import-claimreview", path])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{path}:3: not valid JSON: Expecting property name enclosed in double "
                                          "quotes (column 2)"]
    assert "added 2, updated 1, refused 1" in result.stdout
    assert len(stored(db)) == 2


def test_cli_prints_warnings_but_exits_0(runner, tmp_path):
    path = write(tmp_path, "one.json", claimreview(datePublished="01/03/2016"))
    result = runner.invoke(args=["import-claimreview", path])
    assert result.exit_code == 0
    assert result.stderr.startswith(f"{path}:record 1: warning: datePublished '01/03/2016' is ambiguous")


def test_cli_help_and_missing_path(runner, tmp_path):
    assert "ClaimReview" in runner.invoke(args=["import-claimreview", "--help"]).output
    result = runner.invoke(args=["import-claimreview", str(tmp_path / "missing.json")])
    assert result.exit_code == 2 and "does not exist" in result.output


# -- admin upload page ---------------------------------------------------------
def test_upload_page_is_for_admins_only(checker_client):
    assert checker_client.get("/admin/imports").status_code == 403
    response = checker_client.post("/admin/imports", data={"files": (io.BytesIO(b"{}"), "x.json")},
                                   content_type="multipart/form-data")
    assert response.status_code == 403


def test_admin_uploads_files_and_sees_results(admin_client, db):
    page = admin_client.get("/admin/imports")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and 'name="csrf_token"' in html and "style=" not in html
    lines = [json.dumps(claimreview("<script>alert(1)</script> moon", reviewRating={"alternateName": "Falso"})),
             "oops", json.dumps(claimreview("Water is dry.", url=PAGE + "-2"))]
    response = admin_client.post("/admin/imports", data={
        "files": [(io.BytesIO("\n".join(lines).encode()), "batch.jsonl"),
                  (io.BytesIO(MICRODATA_PAGE.encode()), "water.html")],
        "base_url": "https://checks.example.org/",
    }, content_type="multipart/form-data")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Added 3, updated 0, refused 1." in html
    assert "batch.jsonl:2" in html and "not valid JSON" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; moon" in html
    assert "Falso" in html and "Pants" not in html and 'href="https://checks.example.org/fact-checks/water"' in html
    assert len(stored(db)) == 3


@pytest.mark.parametrize("data, field", [
    ({}, "Choose one or more ClaimReview files"),
    ({"files": (io.BytesIO(b"{}"), "x.json"), "base_url": "/relative"}, "full address"),
])
def test_upload_without_files_or_with_a_bad_page_url_is_refused(admin_client, data, field):
    response = admin_client.post("/admin/imports", data=data, content_type="multipart/form-data")
    assert response.status_code == 422 and field in response.get_data(as_text=True)


# -- LIAR, converted to ClaimReview --------------------------------------------
LIAR_ROWS = 500


def liar_claimreviews(path) -> list[dict]:
    """Convert LIAR rows to ClaimReview; the URLs are synthetic (PolitiFact pages are not keyed by LIAR id)."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = [row for _, row in zip(range(LIAR_ROWS), csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))]
    return [{
        "@context": "https://schema.org", "@type": "ClaimReview",
        "url": f"https://www.politifact.com/liar/{row[0]}",  # synthetic, for the test only
        "claimReviewed": row[2],
        "author": {"@type": "Organization", "name": "PolitiFact", "url": "https://www.politifact.com/"},
        "reviewRating": {"@type": "Rating", "alternateName": row[1]},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": row[4]},
                         "appearance": {"@type": "CreativeWork", "name": row[13]}},
        "headline": f"LIAR {row[0]} (synthetic ClaimReview from the LIAR data set)",
    } for row in rows if len(row) == 14]


def test_liar_converted_to_claimreview_imports(db, tmp_path):
    records = liar_claimreviews(shared_path("data", "liar", "train.tsv"))
    assert len(records) >= LIAR_ROWS * 0.95
    path = write(tmp_path, "liar.jsonl", "\n".join(json.dumps(r) for r in records))
    summary = import_paths(db, [path])
    usable = [r for r in records if r["claimReviewed"].strip()]
    assert (summary.added, summary.updated, summary.refused) == (len(usable), 0, len(records) - len(usable))
    mapped = {r["rating_label"]: r["rating_key"]
              for r in db.query("SELECT rating_label, rating_key FROM prior_reviews GROUP BY rating_label")}
    assert {mapped[label] for label in ("pants-fire", "false")} == {"false"}
    assert (mapped["barely-true"], mapped["half-true"], mapped["mostly-true"]) == \
        ("mostly-false", "half-true", "mostly-true")
    assert db.scalar("SELECT count(*) FROM prior_reviews WHERE rating_key IS NULL") == 0
    assert db.scalar("SELECT count(*) FROM prior_reviews WHERE publisher = 'PolitiFact'") == \
        summary.added


# -- robustness ----------------------------------------------------------------
KEYS = st.sampled_from(["@type", "@id", "@graph", "@value", "claimReviewed", "url", "reviewRating", "ratingValue",
                        "alternateName", "author", "name", "itemReviewed", "datePublished", "dataFeedElement",
                        "item", "publisher", "inLanguage", "bestRating"]) | st.text(max_size=5)
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20)
           | st.sampled_from(["ClaimReview", "DataFeed", "/relative", "https://x.org/a", "01/03/2016", "#a"]))
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(KEYS, inner, max_size=5), max_leaves=25)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON_VALUES, st.sampled_from([None, "https://x.org/page"]))
def test_parser_never_raises_on_arbitrary_json(value, base_url):
    for position, result in parse_claimreviews(value, base_url=base_url):
        assert isinstance(result, (Review, str))
        if isinstance(result, Review):
            assert result.fields["claim_reviewed"] and result.fields["url"].startswith(("http://", "https://"))


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["x.json", "x.jsonl", "x.html", "x"]), st.binary(max_size=200) | JSON_VALUES.map(
    lambda v: json.dumps(v).encode()))
def test_file_reader_never_raises_on_arbitrary_bytes(name, data):
    for finding in parse_bytes(name, data):
        assert (finding.review is None) != (finding.error is None)
