"""Attribution frames: who asserts what, stripped from the claim's wording."""

import pytest

from tests.review.extraction.helpers import claims_of


@pytest.mark.parametrize("sentence, claim, claimant", [
    ("Syrian media reports have claimed that government forces killed 2,500 militants.",
     "Government forces killed 2,500 militants.", "Syrian media"),
    ("Health Minister Anna Kowalski said on Monday that the hospital cost 40 million euros.",
     "The hospital cost 40 million euros.", "Anna Kowalski"),
    ("The hospital cost 40 million euros, Health Minister Anna Kowalski said on Monday.",
     "The hospital cost 40 million euros.", "Anna Kowalski"),
    ("“The hospital cost 40 million euros,” said Anna Kowalski, the health minister.",
     "The hospital cost 40 million euros.", "Anna Kowalski"),
    ("According to the regional audit office, the hospital cost 40 million euros.",
     "The hospital cost 40 million euros.", "Regional audit office"),
    ("The hospital cost 40 million euros, according to the regional audit office.",
     "The hospital cost 40 million euros.", "Regional audit office"),
    ("Acme Corp told reporters on Tuesday that it had hired 300 engineers.",
     "Acme Corp had hired 300 engineers.", "Acme Corp"),
])
def test_attribution_is_stripped_from_the_claim(sentence, claim, claimant):
    [found] = claims_of(sentence)
    assert found.text == claim
    assert found.claimant["name"] == claimant
    assert found.sentence == sentence


def test_amid_reports_that_is_a_claim_of_its_own():
    claims = claims_of("The minister vowed to “punish the thieves,” amid reports that the ministry lost 3 million "
                       "euros.")
    assert [c.text for c in claims] == ["The minister vowed to “punish the thieves.”",
                                        "The ministry lost 3 million euros."]
    assert claims[0].claimant == {"name": "Wire", "kind": "media"}
    assert claims[1].claimant == {"name": "Reports", "kind": "unnamed source"}


def test_one_speaker_making_two_claims_gives_two_claims():
    claims = claims_of("Lavrov said the offensive was planned abroad, adding that 300 fighters crossed the border.")
    assert [c.text for c in claims] == ["The offensive was planned abroad.", "300 fighters crossed the border."]
    assert {c.claimant["name"] for c in claims} == {"Lavrov"}


def test_it_is_estimated_names_no_one_so_the_outlet_carries_the_claim():
    [claim] = claims_of("It is estimated that the trial will cost the county $4m.")
    assert claim.text == "The trial will cost the county $4m."
    assert claim.claimant == {"name": "Wire", "kind": "media"}


def test_a_quotation_continued_in_the_next_paragraph_keeps_its_speaker():
    text = ('Coach Maria Lopez said: "We won 12 of our 15 games this season.\n\n'
            '"The club sold 40,000 season tickets, a record."')
    claims = claims_of(text)
    assert [c.claimant["name"] for c in claims] == ["Maria Lopez", "Maria Lopez"]
    assert claims[1].text == "The club sold 40,000 season tickets, a record."


def test_a_sentence_seen_again_in_another_story_does_not_inherit_the_first_storys_speaker():
    # A sentence's clauses are read once per process and shared: the first story's speaker stays its own.
    quoted = '"The club sold 40,000 season tickets, a record."'
    first = claims_of(f'Coach Maria Lopez said: "We won 12 of our 15 games this season.\n\n{quoted}')
    again = claims_of(quoted)
    assert first[1].claimant["name"] == "Maria Lopez"
    assert [(c.text, c.claimant) for c in again] == [("The club sold 40,000 season tickets, a record.",
                                                      {"name": "Wire", "kind": "media"})]
