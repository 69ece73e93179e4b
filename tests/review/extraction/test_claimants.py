"""Claimants: fullest names, pronouns, "the company", lists of speakers, kinds, and the article's voice."""

import pytest

from review.extraction.pipeline import extract_claims_many
from tests.review.extraction.helpers import claims_of, find

STORY = (
    "Riverton Mayor Joanna Kessler opened the new bridge on Saturday.\n"
    "Kessler said the bridge cost 12 million dollars, half the price of the old plan.\n"
    "Opposition councillor Tom Reed disputed the figure at a council meeting.\n"
    "He said the final bill had risen to 19 million dollars.\n"
    "Harbor Steel Corp, which built the bridge, said it had employed 240 local workers.\n"
    "The company said the work finished two months early.\n"
    "Local officials said traffic on the old crossing fell by 30% in the first week.\n"
    "The Riverton Herald reported that the bridge had been approved in 2019.\n"
    "The city council approved a new budget in March.\n"
)


def test_claimants_resolve_to_the_fullest_name_pronouns_and_the_company():
    claims = claims_of(STORY, source="Riverton Gazette")
    assert find(claims, "cost 12 million").claimant == {"name": "Joanna Kessler", "kind": "person"}
    assert find(claims, "risen to 19 million").claimant == {"name": "Tom Reed", "kind": "person"}
    assert find(claims, "240 local workers").claimant == {"name": "Harbor Steel Corp", "kind": "organization"}
    assert find(claims, "two months early").claimant == {"name": "Harbor Steel Corp", "kind": "organization"}


def test_claimant_kinds_and_the_article_voice():
    claims = claims_of(STORY, source="Riverton Gazette")
    assert find(claims, "traffic on the old crossing").claimant == {"name": "Local officials",
                                                                    "kind": "unnamed source"}
    assert find(claims, "approved in 2019").claimant == {"name": "Riverton Herald", "kind": "media"}
    assert find(claims, "new budget in March").claimant == {"name": "Riverton Gazette", "kind": "media"}


def test_a_claim_that_starts_with_it_names_the_organization():
    claim = find(claims_of(STORY), "240 local workers")
    assert claim.text == "Harbor Steel Corp had employed 240 local workers."


@pytest.mark.parametrize("text, claim, claimant", [
    ("Northern Ireland runner James McIlroy won in Erfurt. McIlroy now claims he is in his best shape since 1998.",
     "James McIlroy is in his best shape since 1998.", "James McIlroy"),
    ("Sergey Lavrov said his country had delivered 300 tonnes of aid in 2016.",
     "Sergey Lavrov's country had delivered 300 tonnes of aid in 2016.", "Sergey Lavrov"),
    ("Lavrov said on Monday that he had met 12 ministers in Geneva.",  # one bare surname, a person by "he"
     "Lavrov had met 12 ministers in Geneva.", "Lavrov"),
])
def test_a_claim_that_starts_with_he_or_his_names_the_person(text, claim, claimant):
    found = find(claims_of(text), claim[-20:])
    assert found.text == claim
    assert found.claimant == {"name": claimant, "kind": "person"}


@pytest.mark.parametrize("text, claimant", [
    ("Senators Jake Garn and Richard Shelby met on Monday. Senators Garn, Shelby and Heinz said the bill would "
     "cost 3 billion dlrs in 1988.", {"name": "Jake Garn, Richard Shelby and Heinz", "kind": "person"}),
    ("Treasury Secretary James Baker and Fed chairman Paul Volcker said the dollar fell 5 pct in 1986.",
     {"name": "James Baker and Paul Volcker", "kind": "person"}),
    ("Brazil and Argentina said they had signed a 500 mln dlr trade deal in 1986.",
     {"name": "Brazil and Argentina", "kind": "organization"}),
    # Names with "and" inside stay whole: a company, an international body, a committee chairman.
    ("Procter and Gamble said it would cut 5,000 jobs in 1988.", {"name": "Procter and Gamble", "kind": "organization"}),
    ("The Organisation for Economic Cooperation and Development said output grew 3 pct in 1986.",
     {"name": "Organisation for Economic Cooperation and Development", "kind": "organization"}),
    ("House Ways and Means Committee Chairman Dan Rostenkowski said taxes would rise 10 pct in 1988.",
     {"name": "Dan Rostenkowski", "kind": "person"}),
])
def test_a_list_of_speakers_is_named_in_full(text, claimant):
    [claim] = [c for c in claims_of(text) if c.claimant["kind"] != "media"]
    assert claim.claimant == claimant


def test_they_of_a_list_of_speakers_is_replaced_by_their_names():
    found = find(claims_of("Brazil and Argentina said they had signed a 500 mln dlr trade deal in 1986."), "500 mln")
    assert found.text == "Brazil and Argentina had signed a 500 mln dlr trade deal in 1986."


@pytest.mark.parametrize("text, claimant", [
    ("Figures gathered by Continental Research shows that 36% of British camera phone users have never sent a "
     "multimedia message, up from 7% in 2003.", {"name": "Continental Research", "kind": "organization"}),
    ("A survey by ICM Research found 14% of people aged 18 to 34 never voted in 2001.",
     {"name": "ICM Research", "kind": "organization"}),
    ("The UK's biggest mortgage lender said prices rose 15.1% over 2004.",
     {"name": "UK's biggest mortgage lender", "kind": "organization"}),
    ("Chancellor Gordon Brown spoke in Gateshead. Laying into the Conservatives' record in government he said: "
     "\"Britain had 10% inflation and 15% interest rates in 1990.\"", {"name": "Gordon Brown", "kind": "person"}),
])
def test_the_speaker_behind_research_descriptions_and_participial_phrases(text, claimant):
    claim = find(claims_of(text, source="BBC"), "%")
    assert claim.claimant == claimant


def test_a_quotation_keeps_its_own_he():
    found = find(claims_of('"He took 2 million dollars from the fund in 2019," Senator Joan Avery said.'),
                 "2 million dollars")
    assert found.text.startswith("He took")
    assert found.claimant == {"name": "Joan Avery", "kind": "person"}


def test_without_a_source_the_article_voice_has_no_claimant():
    [claim] = claims_of("The city council approved a budget of 4 million dollars in March.", source=None)
    assert claim.claimant is None


def test_the_same_phrase_resolves_against_each_documents_own_names_and_claim():
    first, second, third = extract_claims_many([
        "Treasury Secretary James Baker met bankers on Monday. Baker said the dollar fell 5 pct in 1986.",
        "Baker said it had cut 500 jobs in 1986.",  # no person Baker here, and "it": a company
        "Harbor Steel Corp said it cut prices on Monday. The company said output rose 5 pct in 1986.",
    ], sources=["Wire"] * 3, threshold=0.0)
    assert find(first, "dollar fell").claimant == {"name": "James Baker", "kind": "person"}
    assert find(second, "500 jobs").claimant == {"name": "Baker", "kind": "organization"}
    assert find(third, "output rose").claimant == {"name": "Harbor Steel Corp", "kind": "organization"}
    [other] = claims_of("Acme Mills said it cut prices on Monday. The company said output rose 5 pct in 1986.")[1:]
    assert other.claimant == {"name": "Acme Mills", "kind": "organization"}
    assert other.claimant is not find(third, "output rose").claimant  # each document gets its own claimant


@pytest.mark.parametrize("text, claimant", [
    # A role the story gave a person beats reading the phrase on its own.
    ("Foreign Minister Sergey Lavrov arrived on Monday. The foreign minister said Russia sent 300 tonnes of aid "
     "in 2016.", {"name": "Sergey Lavrov", "kind": "person"}),
    ("The foreign minister said Russia sent 300 tonnes of aid in 2016.",
     {"name": "Foreign minister", "kind": "unnamed source"}),
    # A spokesperson speaks for the organization, under the fullest name the story uses.
    ("Harbor Steel Corp cut prices on Monday. A spokesman for Harbor Steel said Russia sent 300 tonnes of steel "
     "in 2016.", {"name": "Harbor Steel Corp", "kind": "organization"}),
    ("A spokesman for the Harbor Steel said Russia sent 300 tonnes of steel in 2016.",
     {"name": "Harbor Steel", "kind": "organization"}),
    # A report speaks for its owner; a news organization the story names is media.
    ("Reuters cut prices on Monday. The Reuters report said Russia sent 300 tonnes of aid in 2016.",
     {"name": "Reuters", "kind": "media"}),
])
def test_what_a_phrase_says_and_what_the_story_named_are_read_in_order(text, claimant):
    assert find(claims_of(text), "300 tonnes").claimant == claimant
