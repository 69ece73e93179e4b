"""Decide which candidate clauses are claims worth checking.

Drops fragments, questions, wire-copy tables, opinions and hedged speculation
in the article's own voice, and nudges the model's check-worthiness score with
a few news rules (``adjust_score``).
"""

import re

from review.extraction.attribution import Frame
from review.extraction.patterns import QUOTES, alternation, any_of, gated_search, vocabulary, word_set

EVALUATIVE = (
    "unacceptable|inadmissible|outrageous|shameful|disgraceful|terrible|great|wonderful|awful|ridiculous|absurd|"
    "deplorable|appalling|fantastic|irresponsible|unjust|unfair|regrettable|disgusting|horrible|amazing|"
    "excellent|beautiful|stupid|crazy|insane|pathetic|brilliant|magnificent|tragic|sad|important|essential|"
    "crucial|vital|necessary|imperative"
)
STANCE = "convinced|sure|certain|confident|proud|happy|pleased|delighted|concerned|worried|disappointed"
BELIEF = "think|believe|feel|hope|want|wish|guess|condemn|welcome"
INTENSIFIER = "absolutely|totally|completely|simply|very|so|quite|really|extremely|deeply|fully|firmly"
# An opinion is any of these; each rule names the words it cannot match without. A whole-claim search
# with re.I tries every alternative at every position, so on ASCII text (where re.I is plain case
# folding, so a match means its word is in the lower-cased claim) only the rules whose words occur run.
OPINION_RULES = tuple((tuple(needs.split("|")), re.compile(pattern, re.I)) for needs, pattern in (
    (EVALUATIVE, rf"\b(?:is|are|was|were|be|been|being|seems?|remains?|looks?)\s+(?:not\s+)?(?:(?:a|an|such a)\s+)?"
                 rf"(?:(?:{INTENSIFIER})\s+)?(?:{alternation(EVALUATIVE)})\b(?!-)"),
    (STANCE, rf"\b(?:we|i)\s+(?:are|am|'re|'m|was|were)\s+(?:(?:{INTENSIFIER})\s+)?(?:{STANCE})\b"),
    ("convinced|sure|certain|confident",
     r"\b(?:is|are|was|were)\s+(?:absolutely\s+|fully\s+|\"?100%\"?\s+)?(?:convinced|sure|certain|confident)\b"),
    (BELIEF, rf"\b(?:i|we)\s+(?:{BELIEF})\b"),
    ("have to|need to|got to", r"\b(?:we|you)\s+(?:have to|need to|have got to|got to)\b"),
    ("should|must|ought to|shall", r"\b(?:should|must|ought to|shall)\b"),
    ("let", r"^(?:let|let's)\b"),
))
HEDGE = any_of(
    "may|might|perhaps|possibly|maybe|probably|could|likely|unlikely|it seems|appears to|appear to|seem to|"
    "allegedly|supposedly|rumoured|rumored|some say|it is possible|potentially", re.I
)

# A capitalized word that does not open the text or a sentence ("Smith", "Reuters"), or an acronym ("OPEC").
# The pattern opens with its capital letter, so the scan skips every other character; the word-start and
# sentence-start tests follow as lookbehinds over that letter (the same tests as "(?<!^)(?<![.!?]\s)\b"
# before it: "\W[A-Z]" holds where the letter has a character before it and that one is no word character).
NAMED_ACTOR = re.compile(r"[A-Z](?:(?<=\W[A-Z])(?<![.!?]\s[A-Z])[a-z]+|(?<!\w[A-Z])[A-Z]+\b)")

OPINION_WORDS = frozenset(f"{EVALUATIVE}|{STANCE}|{BELIEF}|should|must|ought|shall|let|let's|have|need|got"
                          .split("|"))
HEDGE_WORDS = vocabulary(
    "may might perhaps possibly maybe probably could likely unlikely seems appears appear seem allegedly "
    "supposedly rumoured rumored say possible potentially"
)

TABLE_WORDS = vocabulary("vs qtr shr shrs mths")
MIN_CLAIM_WORDS = 4
DIGIT = re.compile(r"\d")

TWO_LOWER_WORDS = re.compile(r"(?<![\w'’-])[a-z]+\b.*?(?<![\w'’-])[a-z]+\b", re.S)


def is_opinion(claim: str, words: frozenset[str] | None = None) -> bool:
    """Tell whether a claim is an evaluation, a belief or a call to act rather than a checkable fact."""
    if (word_set(claim) if words is None else words).isdisjoint(OPINION_WORDS):
        return False
    lowered = claim.lower() if claim.isascii() else None  # other text: re's case folding reaches further
    return any(pattern.search(claim) for needs, pattern in OPINION_RULES
               if lowered is None or any(word in lowered for word in needs))


def is_hedged(claim: str, words: frozenset[str]) -> bool:
    """Tell whether a claim hedges ("may", "probably", "it seems")."""
    return gated_search(words, HEDGE_WORDS, HEDGE, claim)


def is_vague(claim: str, frame: Frame, words: frozenset[str], has_number: bool, hedged: bool | None = None) -> bool:
    """Tell whether a hedged claim in the article's own voice has nothing concrete to check.

    :param hedged: ``is_hedged(claim, words)`` when the caller has it already.
    """
    return (frame.who is None and not has_number
            and (is_hedged(claim, words) if hedged is None else hedged) and not NAMED_ACTOR.search(claim))


def looks_like_claim(claim: str, words: frozenset[str]) -> bool:
    """Reject fragments, questions and wire-copy tables."""
    if len(claim.split(None, MIN_CLAIM_WORDS - 1)) < MIN_CLAIM_WORDS or claim.rstrip(QUOTES).endswith("?"):
        return False
    return bool(TWO_LOWER_WORDS.search(claim)) and words.isdisjoint(TABLE_WORDS)


def adjust_score(score: float, claim: str, frame: Frame, words: frozenset[str], *, has_number: bool | None = None,
                 hedged: bool | None = None) -> float:
    """Nudge the model's score with news rules the debate-trained model does not see.

    The model was trained on debate transcripts, where "X said" is rare; in
    news a number attributed to a named actor is the classic check-worthy
    claim, and hedged, unattributed speculation is the classic non-claim.
    ``has_number`` and ``hedged`` (needed only when no one is named) spare a caller that has them a second search.
    """
    has_number = bool(DIGIT.search(claim)) if has_number is None else has_number
    if has_number and (frame.who or NAMED_ACTOR.search(claim)):
        score += 0.1 * (1.0 - score)
    if frame.who and frame.verb not in ("report",) and NAMED_ACTOR.search(frame.who or ""):
        score += 0.05 * (1.0 - score)
    if frame.who is None and (is_hedged(claim, words) if hedged is None else hedged):
        score *= 0.8
    return min(1.0, max(0.0, score))
