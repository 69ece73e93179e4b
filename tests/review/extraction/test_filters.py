"""What is not a claim: opinions, questions and hedges."""

import pytest

from tests.review.extraction.helpers import claims_of


@pytest.mark.parametrize("sentence", [
    "The use of force to achieve political goals is unacceptable, the minister said.",
    "“We are absolutely convinced this is the right path,” the minister said.",
    "The government should resign at once.",
    "Is the bridge really worth the money?",
    "The bridge might perhaps open later.",
    "I think the council is wrong.",
])
def test_opinions_questions_and_hedges_are_not_claims(sentence):
    assert claims_of(sentence) == []
