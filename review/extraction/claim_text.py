"""Tidy the wording of a claim cut out of a sentence so that it reads on its own."""

import re

from review.extraction.patterns import QUOTE_PAIRS, QUOTES, capitalize_first

# A claim longer than this is no single checkable assertion (and fills screens of the queue):
# the extractor drops such candidates and a checker's edit gets a field error.
MAX_CLAIM_CHARS = 600

FINAL_COMMA = re.compile(r"[,;:]([”\"’]?)$")
TRAILING_DISCOURSE = re.compile(r",\s*(?:however|though|too|also|meanwhile|nevertheless)\s*(?=[.!?]?$)", re.I)

# Discourse words that tie a sentence to the previous one but are no part of what is claimed.
CONNECTIVE = re.compile(
    r"^(?:(?:and|but|however|meanwhile|moreover|furthermore|separately|indeed|also|still|yet|"
    r"in addition|nevertheless|nonetheless)\b,?\s+)+",
    re.I,
)
TICKER = re.compile(r"\s*<[A-Z0-9.&-]+>")
TICKER_NAME = re.compile(r"<([^<>\n]{1,80})>")
EXPLETIVE_IT = re.compile(
    r"^(?:It|They)\s+(?:is|was|'s|are|were|will be|would be|seems|seemed|appears|appeared|remains|remained)\s+"
    r"(?!(?:not\s+)?(?:\w+(?:ing|ed)|unable|able|prepared|ready|willing|confident|committed|in|on|at|still)\b)"
)
SUBJECT_PRONOUN = re.compile(r"^(?:(?P<it>It)|(?P<its>Its)|(?P<they>They)|(?P<he>He|She)|(?P<his>His|Her))\b")


def strip_tickers(text: str) -> str:
    """Drop wire-copy ticker marks: "Texaco Inc <TX>" -> "Texaco Inc", "<Sedio N.V.>" -> "Sedio N.V."."""
    if "<" not in text:
        return text
    return TICKER_NAME.sub(r"\1", TICKER.sub("", text))


def clean_claim(text: str) -> str:
    """Tidy a claim cut out of a sentence: whitespace, outer quotes, capital, full stop."""
    text = " ".join(strip_tickers(text).split())
    text = CONNECTIVE.sub("", text.strip(" ,;:—–-"))
    text = _unwrap_quotation(_balance_quotes(text.strip(" ,;:—–-")))
    text = TRAILING_DISCOURSE.sub("", text)
    if text.rstrip(QUOTES)[-1:] in (",", ";", ":"):
        text = FINAL_COMMA.sub(r".\1", text)
    if text and text.rstrip(QUOTES)[-1:] not in ".!?":
        text += "."
    return capitalize_first(text)


def claim_length_problem(text: str) -> str | None:
    """Say why a claim's text is too long to review, or None when its length is fine."""
    if len(text) <= MAX_CLAIM_CHARS:
        return None
    return (f"keep the claim to {MAX_CLAIM_CHARS:,} characters (this one has {len(text):,}): "
            "state the one assertion to check")


def _pairs(text: str) -> list[tuple[str, str]]:
    """Return the quote pairs a text uses: “ closes „ where „ occurs, and ‚…‘ counts only where ‚ does."""
    if text.isascii():  # every curly mark is outside ASCII: only straight quotes
        return [('"', '"')]
    low_nine = {"„": "„" in text, "‚": "‚" in text}  # ‘ alone is an English quote or an apostrophe
    pairs = [(first, last) for first, last in QUOTE_PAIRS
             if low_nine.get(first, first in text or last in text) and not (first == "“" and low_nine["„"])]
    return pairs + [('"', '"')]


def _unwrap_quotation(text: str) -> str:
    """Drop the outer quote marks of a claim that is one whole quotation."""
    core = text.rstrip(".,;:!? ")
    for opening, closing in _pairs(text):
        marks = text.count(opening) + (text.count(closing) if closing != opening else 0)
        if text.startswith(opening) and core.endswith(closing) and marks == 2:
            end = text.rindex(closing)
            return text[1:end] + text[end + 1:]
    return text


def _balance_quotes(text: str) -> str:
    """Drop the quote marks left unpaired by cutting the attribution away."""
    for opening, closing in _pairs(text)[:-1]:
        if text.count(opening) != text.count(closing):
            text = text.removeprefix(opening) if text.count(opening) > text.count(closing) else text.removesuffix(closing)
        if text.count(opening) != text.count(closing):
            text = text.replace(opening, "").replace(closing, "")
    if text.count('"') % 2:
        text = text[1:] if text.startswith('"') else text.removesuffix('"')
    if text.count('"') % 2:
        text = text.replace('"', "")
    return text.strip()


def name_the_subject(claim: str, claimant: dict, *, quoted: bool = False) -> str:
    """Replace a leading pronoun that stands for the claimant by its name, so the claim reads alone.

    "It"/"They" stand for an organization or group ("the ministry said it had ..."),
    "He"/"She"/"His"/"Her" for a person ("McIlroy claims he is ..."); a quotation
    keeps its own words, where "he" is usually somebody else.
    """
    match = SUBJECT_PRONOUN.match(claim)
    name, kind = claimant["name"], claimant["kind"]
    if not match or not name:
        return claim
    personal = bool(match.group("he") or match.group("his"))
    if kind == "person":
        several = bool(match.group("they")) and " and " in name  # "Garn, Shelby and Heinz said they ..."
        if not (personal or several) or quoted:
            return claim
    elif personal or (kind == "unnamed source" and not match.group("they")):
        return claim
    if EXPLETIVE_IT.match(claim):  # "it was the second straight gain": "it" is not the speaker
        return claim
    possessive = match.group("its") or match.group("his")
    return (name + "'s" if possessive else name) + claim[match.end():]
