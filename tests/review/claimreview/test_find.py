"""Finding ClaimReview in every shape: arrays, @graph, DataFeed, nesting, @type forms, Fact Check Tools API."""

import json

import pytest

from review.claimreview.read import parse_claimreviews
from review.claimreview.store import import_paths
from tests.review.claimreview.samples import PAGE, claimreview, only_review, reviews_in, stored, write


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


def test_a_file_of_other_types_only_is_refused_as_a_whole():
    assert parse_claimreviews({"@type": "NewsArticle", "headline": "Moon"}) == \
        [(None, "no ClaimReview found (@type NewsArticle)")]


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

