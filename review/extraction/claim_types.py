"""Classify a claim: statistic, quote, causal, prediction, attribution, or event."""

import re

from review.extraction.attribution import Frame
from review.extraction.patterns import any_of, gated_search, vocabulary, word_set

CAUSAL = re.compile(
    any_of("because|caused|causes|causing|leads to|lead to|led to|resulted in|results in|as a result of|"
           "thanks to|blamed on|owing to|attributed to|triggered|sparked").pattern
    + r"|\bdue to\b(?!\s+(?:be|consider|take|start|begin|meet|open|close|arrive|end|finish|make|hold|go|come|visit|"
    r"report|publish|announce|vote|decide|sign|launch|return|appear|speak|face|receive|give|hear|rule|present|"
    r"resume|testify|release|leave|travel|debate)\b)",
    re.I,
)
PREDICTION = re.compile(
    any_of("will|won't|shall|is expected to|are expected to|expect to|expects to|is set to|are set to|forecast|"
           "forecasts|predict|predicts|projected to|plan to|plans to|planning to|is going to|are going to|would|"
           "next year|next month|next week").pattern + r"|\bby 20\d\d\b",
    re.I,
)

CAUSAL_WORDS = vocabulary(
    "because caused causes causing leads lead led resulted results result thanks blamed owing attributed "
    "triggered sparked due"
)
PREDICTION_WORDS = vocabulary(
    "will won't shall expected expect expects set forecast forecasts predict predicts projected plan plans "
    "planning going would next by"
)

STATISTIC_KINDS = ("count", "percent", "money")


def claim_type(claim: str, frame: Frame, found: list[dict], words: frozenset[str] | None = None) -> str:
    """Classify a claim: statistic, quote, causal, prediction, attribution, or event."""
    words = word_set(claim) if words is None else words
    if any(q["kind"] in STATISTIC_KINDS for q in found):
        return "statistic"
    if frame.who and frame.quoted:
        return "quote"
    if gated_search(words, CAUSAL_WORDS, CAUSAL, claim):
        return "causal"
    if gated_search(words, PREDICTION_WORDS, PREDICTION, claim):
        return "prediction"
    if frame.who:
        return "attribution"
    return "event"
