"""Markup in article text: tags never become words of a claim or part of a claimant's name."""

import pytest

from tests.review.extraction.helpers import claims_of, find

SCRIPTED = ("Exports rose 12 pct in January, the Trade Ministry said. <script>alert(1)</script> Traders said "
            "wheat prices would rise 5 pct next month.")


def _everything(claims) -> str:
    """All the words a checker sees of the claims: texts, claimant names and sentences."""
    return " ".join(f"{c.text} {(c.claimant or {}).get('name')} {c.sentence}" for c in claims)


def test_a_script_between_sentences_is_dropped_and_parts_them():
    claims = claims_of(SCRIPTED, source="Wire")
    assert find(claims, "exports rose 12 pct").claimant == {"name": "Trade Ministry", "kind": "organization"}
    assert find(claims, "rise 5 pct next month").claimant == {"name": "Traders", "kind": "unnamed source"}
    assert "script" not in _everything(claims) and "alert" not in _everything(claims)
    for claim in claims:  # offsets still point into the text as pasted
        assert " ".join(SCRIPTED[claim.start:claim.end].split()) == " ".join(claim.sentence.split())


@pytest.mark.parametrize("text, claimant", [
    ("Ministry said. <script>alert(1)</script> Traders said wheat prices fell 3 pct last week to 120 dlrs a tonne.",
     {"name": "Traders", "kind": "unnamed source"}),
    ("Officials from <SCRIPT type='text/javascript'>alert(1)</SCRIPT> the ministry said wheat prices fell 3 pct"
     " last week to 120 dlrs a tonne.", {"name": "Officials from the ministry", "kind": "unnamed source"}),
    ('<a href="http://example.org/x">Reuters</a> reported that wheat prices fell 3 pct last week to 120 dlrs'
     " a tonne.", {"name": "Reuters", "kind": "media"}),
    ("The Agriculture Ministry <!-- note --> said<br>wheat prices fell 3 pct last week to 120 dlrs a tonne.",
     {"name": "Agriculture Ministry", "kind": "organization"}),
    ("<b>John Smith</b>, the chief economist, said wheat prices fell 3 pct last week to 120 dlrs a tonne.",
     {"name": "John Smith", "kind": "person"}),
])
def test_tags_never_glue_into_a_claimant_name(text, claimant):
    claim = find(claims_of(text, source="Wire"), "wheat prices fell 3 pct")
    assert claim.claimant == claimant
    assert claim.text == "Wheat prices fell 3 pct last week to 120 dlrs a tonne."
    for word in ("script", "alert", "href", "<", ">", "/b", "note"):
        assert word not in _everything([claim])


def test_wire_ticker_marks_are_not_taken_for_markup():
    claims = claims_of("Texaco Inc <TX> said its 1986 profit rose 12 pct to 725 mln dlrs.\n"
                       "Entertainment Marketing Inc <em> said it raised its offer to 8 dlrs a share.", source="Wire")
    assert find(claims, "725 mln").claimant == {"name": "Texaco Inc", "kind": "organization"}
    assert "<em>" in find(claims, "8 dlrs a share").sentence  # a lower-case ticker mark stays as written
