"""Claim types: statistic, quote, attribution, event, causal, prediction."""

import pytest

from tests.review.extraction.helpers import claims_of


@pytest.mark.parametrize("sentence, claim_type", [
    ("Unemployment fell to 4.1% last month, the statistics office said.", "statistic"),
    ("“We have never lost a case,” the lawyer Maria Lopez said.", "quote"),
    ("The minister said the bridge was designed by a foreign firm.", "attribution"),
    ("The bridge collapsed on Saturday morning during the storm.", "event"),
    ("The river flooded the valley because the dam was opened.", "causal"),
    ("The new line will open to passengers next year.", "prediction"),
])
def test_claim_types(sentence, claim_type):
    [claim] = claims_of(sentence)
    assert claim.claim_type == claim_type
