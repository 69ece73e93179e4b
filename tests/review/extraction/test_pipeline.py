"""The whole pipeline on the seed article and a few real news stories; one claim per wording in a document."""

import json

import pytest

from review.extraction.pipeline import extract_claims
from tests.conftest import shared_path
from tests.review.extraction.helpers import absent, claims_of, find


def test_a_claim_is_not_repeated_within_a_document():
    text = "The bridge cost 12 million dollars.\n\nHowever, the bridge cost 12 million dollars."
    assert len([c for c in claims_of(text) if "12 million" in c.text]) == 1


@pytest.fixture(scope="module")
def seed_claims():
    text = shared_path("corpus", "hts-offensive-lavrov.txt").read_text(encoding="utf-8")
    return extract_claims(text, source="RT")


def test_seed_article_statistic_from_syrian_media(seed_claims):
    claim = find(seed_claims, "2,500 terrorists")
    assert claim.claimant == {"name": "Syrian media", "kind": "media"}
    assert claim.claim_type == "statistic"
    assert [(q["value"], q["unit"]) for q in claim.quantities] == [(2500, "terrorists")]
    assert not claim.text.lower().startswith("syrian media")


def test_seed_article_training_claim_from_media_reports(seed_claims):
    claim = find(seed_claims, "training from Ukrainian military intelligence")
    assert claim.text == "Militants received training from Ukrainian military intelligence."
    assert claim.claimant == {"name": "Media reports", "kind": "media"}
    assert claim.claim_type == "attribution"


@pytest.mark.xfail(strict=True, reason="the scorer retrained under grouped CV (issue 13) gives this claim text 0.29,"
                   " just under its CV-chosen threshold 0.30 (the whole sentence scores 0.45)")
def test_seed_article_lavrov_claims_us_and_uk_support(seed_claims):
    claim = find(seed_claims, "supported by the US and the UK")
    assert claim.text == "The HTS offensive could be supported by the US and the UK."
    assert claim.claimant == {"name": "Sergey Lavrov", "kind": "person"}


def test_seed_article_background_events_in_the_outlets_voice(seed_claims):
    intervention = find(seed_claims, "Russia intervened in the hostilities at the request of Damascus")
    agreement = find(seed_claims, "signed an agreement in 2017")
    for claim in (intervention, agreement):
        assert claim.claimant == {"name": "RT", "kind": "media"}
        assert claim.claim_type == "event"
    assert intervention.dates == ["2015"] and agreement.dates == ["2017"]


def test_seed_article_opinions_are_not_claims(seed_claims):
    assert absent(seed_claims, "unacceptable")
    assert absent(seed_claims, "convinced")
    text = shared_path("corpus", "hts-offensive-lavrov.txt").read_text(encoding="utf-8")
    for claim in seed_claims:
        assert text[claim.start:claim.end] == claim.sentence


def news_story(filename: str, key: str, value) -> dict:
    """Return one record of a shared news file, parsing only the line that holds it."""
    marker = json.dumps({key: value})[1:-1]
    with shared_path("data", "news", filename).open(encoding="utf-8") as lines:
        for line in lines:
            if marker in line and json.loads(line)[key] == value:
                return json.loads(line)
    pytest.fail(f"{filename} has no record {key}={value}")


@pytest.mark.xfail(strict=True, reason="the scorer retrained under grouped CV (issue 13) gives the company's"
                   " self-assessment 0.37, over its CV-chosen threshold 0.30")
def test_bbc_company_results_statistics_and_the_company_as_claimant():
    story = news_story("bbc_news.jsonl", "id", "business/001")  # Time Warner results
    claims = extract_claims(story["body"], source="BBC News")
    owns = find(claims, "8% of search-engine Google")
    assert owns.text == "Time Warner now owns 8% of search-engine Google."
    assert owns.claimant == {"name": "Time Warner", "kind": "organization"}
    assert owns.claim_type == "statistic"
    assert [(q["value"], q["unit"]) for q in owns.quantities] == [(8, "percent")]
    profit = find(claims, "jumped 76%")
    assert profit.claimant == {"name": "BBC News", "kind": "media"}
    assert (1_130_000_000, "USD") in [(q["value"], q["unit"]) for q in profit.quantities]
    assert find(claims, "unable to estimate").claimant == {"name": "Time Warner", "kind": "organization"}
    assert absent(claims, "Our financial performance was strong")


def test_bbc_politics_people_pronouns_and_quoted_opinions():
    story = news_story("bbc_news.jsonl", "id", "politics/149")  # Blair returns from peace mission
    claims = extract_claims(story["body"], source="BBC News")
    roadmap = find(claims, "committed to the internationally-agreed roadmap")
    assert roadmap.claimant == {"name": "Tony Blair", "kind": "person"}  # "He argued that ..."
    assert find(claims, "the slightest step").claimant == {"name": "Ariel Sharon", "kind": "person"}
    assert absent(claims, "at least we have got the first step")
    assert absent(claims, "deep commitment to this purpose")


def test_bbc_opinion_and_question_are_not_claims():
    story = news_story("bbc_news.jsonl", "id", "politics/060")  # Cardinal criticises Iraq war cost
    claims = extract_claims(story["body"], source="BBC News")
    assert "should have been used to reduce poverty" in story["body"]
    assert absent(claims, "should have been used")
    assert absent(claims, "How is it that peace has not arrived")
    williams = find(claims, "criticised the government over its case for war")
    assert williams.claimant == {"name": "BBC News", "kind": "media"} and williams.claim_type == "event"


def test_reuters_unnamed_officials_and_a_named_official():
    story = news_story("reuters21578.jsonl", "newid", 19425)  # Pentagon stops new business with Toshiba
    claims = extract_claims(story["body"], source="Reuters")
    ban = find(claims, "stopped approving any new military contracts")
    assert ban.claimant == {"name": "A senior defense official", "kind": "unnamed source"}
    assert "said" not in ban.text
    machines = find(claims, "four more smaller machines")
    assert machines.claimant == {"name": "Stephen Bryen", "kind": "person"}
    assert machines.text.startswith("The Pentagon has now been informed")
    assert find(claims, "mounted on Soviet attack submarines").claimant == {"name": "Pentagon officials",
                                                                             "kind": "unnamed source"}
    assert absent(claims, "There may be even more")


def test_reuters_agency_statistics_with_money_quantities():
    story = news_story("reuters21578.jsonl", "newid", 15986)  # U.S. savings bonds sales
    claims = extract_claims(story["body"], source="Reuters")
    holdings = find(claims, "Total holdings of U.S. savings bonds")
    assert holdings.claimant == {"name": "Treasury", "kind": "organization"}
    assert holdings.claim_type == "statistic"
    assert [(q["value"], q["unit"]) for q in holdings.quantities] == [(94_760_000_000, "USD")]
    redemptions = find(claims, "March redemptions fell")
    assert [q["value"] for q in redemptions.quantities] == [6, 441_000_000, 468_000_000]
