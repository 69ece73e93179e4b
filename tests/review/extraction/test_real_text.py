"""Extraction on real news text: other quotation marks, numbers that are not speakers, titles, repeats, length."""

import pytest

from review.extraction.attribution import plausible_who
from review.extraction.claim_text import MAX_CLAIM_CHARS, claim_length_problem
from review.extraction.repeats import NearDuplicates
from review.extraction.sentences import segment
from tests.review.extraction.helpers import claims_of, find


@pytest.mark.parametrize("text, claim, claimant", [
    # « » (French, Russian, Arabic wire copy): the quotation is kept whole, not cut at the mark.
    ("The army said: «Our forces killed 300 terrorists in Hama. The rest fled north to Idlib.» Officials did not "
     "comment.", "Our forces killed 300 terrorists in Hama. The rest fled north to Idlib.", "The army"),
    ("«Our forces killed 300 terrorists in Hama», said Colonel Ahmad Hassan.",
     "Our forces killed 300 terrorists in Hama.", "Ahmad Hassan"),
    ("Government forces killed 300 terrorists in Hama - «a heavy blow to the militants», the army said.",
     "Government forces killed 300 terrorists in Hama - a heavy blow to the militants.", "The army"),
    # „ “ (German, Polish): “ closes the quotation it opened.
    ("The minister said: „Unemployment fell by 4 percent last year.“ He gave no source.",
     "Unemployment fell by 4 percent last year.", "Minister"),
])
def test_guillemets_and_low_quotes_are_quotation_marks(text, claim, claimant):
    claims = claims_of(text)
    found = find(claims, claim.split(".")[0][:30])
    assert found.text == claim and found.claimant["name"] == claimant
    assert not any(c.text.rstrip(".").endswith(("«", "„", "‚")) for c in claims)


def test_a_sentence_in_guillemets_is_not_split_inside_the_quotation():
    text = "Il a déclaré: «Nous avons perdu 300 soldats. Le reste a fui.» Puis il est parti."
    assert [s for _, _, s in segment(text)] == ["Il a déclaré: «Nous avons perdu 300 soldats. Le reste a fui.»",
                                               "Puis il est parti."]


@pytest.mark.parametrize("who", ["20,000 times", "about 30 percent", "more than 20,000 times", "two million a year",
                                 "$4 million", "12%"])
def test_a_number_phrase_is_never_a_claimant(who):
    assert not plausible_who(who)


def test_a_sentence_ending_in_a_number_phrase_keeps_the_outlet_as_claimant():
    claim = find(claims_of("Russian jets have hit the town 20,000 times, said 20,000 times.", source="SANA"),
                 "20,000 times")
    assert claim.claimant == {"name": "SANA", "kind": "media"}


@pytest.mark.parametrize("text", [
    "Council member David Okafor said the city spent $4 million on the stadium last year.",
    "The city spent $4 million on the stadium last year, said City Council member David Okafor.",
    "According to Council member David Okafor, the city spent $4 million on the stadium last year.",
])
def test_a_title_before_a_name_makes_a_person(text):
    claim = find(claims_of(text), "$4 million")
    assert claim.claimant == {"name": "David Okafor", "kind": "person"}


def test_two_people_still_count():
    assert plausible_who("Two senior officials")


def test_near_duplicate_sentences_fold_into_one_claim_stated_several_times():
    base = "The mayor said crime fell 30% in 2023 across the city."
    text = " ".join([base, "The mayor said that crime fell 30% in 2023 across the whole city.", base,
                     "The mayor said crime fell 40% in 2023 across the city."])
    claims = claims_of(text)
    thirty = find(claims, "30%")
    assert thirty.repeats == 3 and thirty.start == 0
    assert find(claims, "40%").repeats == 1  # another figure is another claim


def test_near_duplicates_are_found_without_comparing_every_pair():
    seen = NearDuplicates()
    texts = [f"Officials said {n} homes were rebuilt in district {n} last year." for n in range(3000)]
    assert all(seen.find_or_keep(t) is None for t in texts)
    assert seen.find_or_keep("Officials said 17 homes were rebuilt in the district 17 last year.") == 17


def test_a_claim_over_the_length_limit_is_refused_or_dropped():
    long = "The ministry said " + "and the region " * 60 + "rebuilt 4,000 homes in 2023."
    assert len(long) > MAX_CLAIM_CHARS
    assert claim_length_problem(long).startswith(f"keep the claim to {MAX_CLAIM_CHARS:,} characters (this one has")
    assert claim_length_problem("The ministry rebuilt 4,000 homes.") is None
    assert all(len(c.text) <= MAX_CLAIM_CHARS for c in claims_of(long))
