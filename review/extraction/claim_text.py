"""Tidy the wording of a claim cut out of a sentence so that it reads on its own."""

import re

from review.extraction.patterns import QUOTES, capitalize_first

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


def _unwrap_quotation(text: str) -> str:
    """Drop the outer quote marks of a claim that is one whole quotation."""
    core = text.rstrip(".,;:!? ")
    for opening, closing in (("“", "”"), ('"', '"')):
        marks = text.count(opening) + (text.count(closing) if closing != opening else 0)
        if text.startswith(opening) and core.endswith(closing) and marks == 2:
            end = text.rindex(closing)
            return text[1:end] + text[end + 1:]
    return text


def _balance_quotes(text: str) -> str:
    """Drop the quote marks left unpaired by cutting the attribution away."""
    if text.count("“") != text.count("”"):
        text = text.removeprefix("“") if text.count("“") > text.count("”") else text.removesuffix("”")
    if text.count('"') % 2:
        text = text[1:] if text.startswith('"') else text.removesuffix('"')
    if text.count("“") != text.count("”") or text.count('"') % 2:
        text = text.replace("“", "").replace("”", "").replace('"', "")
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
