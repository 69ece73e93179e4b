"""Candidate claims in languages the English rules do not read, from language-neutral cues.

A sentence is a candidate when it carries a figure (a number that is not just a year), a
quotation (any of the quotation marks in ``patterns.QUOTES``), or an attribution (a reporting
word of one of the languages in ``REPORTING``: "dijo", "selon", "sagte", "قال", "אמר"...).
Questions and fragments are left out. Such claims are not scored by the English-trained
check-worthiness model: their score says how many kinds of cue they carry.
"""

import re

from review.extraction.patterns import OPEN_QUOTES, QUOTE_PAIRS

# Reporting words ("said", "according to") of the languages fact-checkers publish in most, as
# they are written in running text; matched as whole words (Arabic also with a leading و or ف).
REPORTING = {
    "es": "dijo dice afirmó afirma aseguró asegura declaró declara según señaló señala explicó indicó informó "
          "anunció denunció sostuvo advirtió dijeron afirmaron aseguraron declararon señalaron informaron anunciaron",
    "pt": "disse diz afirmou afirma declarou segundo conforme informou anunciou garantiu explicou disseram afirmaram",
    "fr": "selon déclaré affirmé affirme assuré indiqué annoncé expliqué estime estimé dit souligné précisé",
    "de": "sagte sagt erklärte erklärt laut zufolge betonte teilte mitteilte behauptete behauptet berichtete",
    "it": "detto dichiarato secondo affermato spiegato annunciato sostiene riferito",
    "nl": "zei zegt volgens verklaarde stelde meldde",
    "ru": "заявил заявила заявили сказал сказала сообщил сообщила сообщили словам утверждает отметил",
    "uk": "заявив заявила сказав повідомив повідомила словами",
    "pl": "powiedział powiedziała według stwierdził oświadczył poinformował",
    "tr": "dedi söyledi açıkladı göre belirtti iddia",
    "ar": "قال قالت قالوا أعلن أعلنت أكد أكدت صرح صرحت أفاد أفادت وفقا وفقاً بحسب حسب ذكر ذكرت أشار أشارت زعم "
          "أضاف أضافت",
    "he": "אמר אמרה אמרו לדברי לפי הודיע הודיעה מסר מסרה טען טענה",
    "fa": "گفت گفته اعلام طبق براساس افزود",
    "ur": "کہا کہنا مطابق بتایا اعلان",
    "hi": "कहा अनुसार बताया",
    "id": "kata mengatakan menurut ujar menyatakan",
}
REPORTING_WORDS = frozenset(word for words in REPORTING.values() for word in words.split())
WORD = re.compile(r"[^\W\d_]+")
NUMBER = re.compile(r"(?<![\w.,])\d[\d.,  ]*\d(?!\d)|(?<![\w.,])\d(?![\d\w])|\d+(?:[.,]\d+)?\s*%|[$€£¥₹]\s*\d")
YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
QUESTION = re.compile(r"[?؟？]\W*$")
MIN_WORDS = 5
MIN_CHARS_UNSPACED = 15  # Chinese, Japanese and Thai write without spaces


def cues(sentence: str) -> set[str]:
    """Return the cues a sentence carries: "figure", "quote" and "attribution"."""
    found = set()
    if any(not YEAR.match(number.strip()) for number in NUMBER.findall(sentence)):
        found.add("figure")
    if _quotes(sentence):
        found.add("quote")
    if any(_reporting(word) for word in WORD.findall(sentence.lower())):
        found.add("attribution")
    return found


def is_candidate(sentence: str) -> bool:
    """Tell whether a sentence is long enough and no question."""
    if QUESTION.search(sentence):
        return False
    words = sentence.split()
    return len(words) >= MIN_WORDS or (len(words) < 3 and len(sentence) >= MIN_CHARS_UNSPACED)


def score(found: set[str]) -> float:
    """Return a candidate's score: 0.5, and more for each kind of cue (at most 0.95)."""
    return min(0.95, 0.5 + 0.15 * len(found))


def claim_type(found: set[str]) -> str:
    """Name the claim type a cue points to: a figure is a statistic, then a quote, then an attribution."""
    for cue, kind in (("figure", "statistic"), ("quote", "quote"), ("attribution", "attribution")):
        if cue in found:
            return kind
    return "event"


def _quotes(sentence: str) -> bool:
    """Tell whether a sentence holds a quotation: a pair of marks, or one that opens it."""
    if any(opening in sentence and closing in sentence[sentence.index(opening) + 1:]
           for opening, closing in QUOTE_PAIRS):
        return True
    return sentence.count('"') >= 2 or sentence[:1] in OPEN_QUOTES


def _reporting(word: str) -> bool:
    return word in REPORTING_WORDS or (word[:1] in "وف" and word[1:] in REPORTING_WORDS)
