"""The one word analysis of Claimdesk's searches: how a text becomes the terms it is found by.

Every search box reads words the same way: the corpus index (Whoosh, through
``WordAnalyzer`` and ``WordPositions``), the queue's text filter (the store asks
``query_terms`` and ``index_text``), and the PostgreSQL search configuration
(``simple`` dictionary over ``index_text``). A word is a run of letters and
digits (``\\w+``, as SQLite's unicode61 tokenizer reads them: "U.S." is "u" "s",
"neutralized.The" is two words); it is lower-cased, its diacritics dropped
("Zürich" is "zurich"), a stop word is dropped, and the rest is Porter-stemmed
with the Porter algorithm SQLite's ``porter`` tokenizer runs (Snowball's
``porter``, through PyStemmer: "neutralized", "neutralizing" and "neutrality" are
all "neutral"). A ``word*`` prefix stands for its stem's prefix, as in FTS5.
Stop words are skipped without leaving a gap, so "bank of england" is the
phrase "bank england"; the queue's FTS5 index keeps them, the one difference.

Each text is analysed once: ``WordPositions`` turns a text straight into the
positions of each term, without Whoosh's token objects and filter chain.
"""

import functools
import re
import threading
import unicodedata
from collections import defaultdict

import Stemmer
from whoosh.analysis import Composable, Token
from whoosh.formats import Positions

WORD = re.compile(r"\w+")
STOP_WORDS = frozenset((
    "a an and are as at be by can for from have if in is it may not of on or tbd that the this to us we when"
    " will with yet you your").split())
ANALYSIS_VERSION = 3  # bump when a change here changes the terms of an indexed text (3: SQLite's Porter)
_stemmers = threading.local()  # a PyStemmer stemmer is not shared between threads


def stem(word: str) -> str:
    """Return the Porter stem of a folded word, as SQLite's porter tokenizer gives it."""
    stemmer = getattr(_stemmers, "porter", None)
    if stemmer is None:
        stemmer = _stemmers.porter = Stemmer.Stemmer("porter")
    return stemmer.stemWord(word)


@functools.lru_cache(maxsize=50_000)  # Reuters-21578 holds ~48,000 distinct words
def normalized(word: str) -> str | None:
    """Return a word as the index holds it (folded and stemmed), or None for a stop word."""
    folded = fold(word)
    if not folded or folded in STOP_WORDS:
        return None
    return stem(folded) or folded


def fold(word: str) -> str:
    """Return a word lower-cased and without diacritics ("Élan" is "elan")."""
    lowered = word.lower()
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def analyze(text: str) -> list[str]:
    """Return the terms of a text in order, stop words left out."""
    return [term for word in WORD.findall(text or "") if (term := normalized(word))]


def index_text(text: str) -> str:
    """Return a text as its terms joined by spaces, for engines that are given analysed text (the queue's)."""
    return " ".join(analyze(text))


def query_terms(typed: str, *, limit: int = 12) -> list[str]:
    """Return the terms of what was typed into a box that matches each word (and the last as a prefix).

    The last word is kept folded but unstemmed when it is a stop word or shorter than its stem would be,
    so that typing "neutraliz" still prefixes "neutraliz"; stop words elsewhere are dropped.
    """
    words = WORD.findall(typed or "")[:limit]
    terms = [term for word in words[:-1] if (term := normalized(word))]
    if words:
        last = words[-1]
        terms.append(normalized(last) or fold(last))
    return terms


def prefix_forms(prefix: str) -> list[str]:
    """Return the index prefixes a typed ``word*`` stands for: its stem, as FTS5 reads a prefix."""
    folded = fold(prefix)
    return [stem(folded) if folded and folded not in STOP_WORDS else folded]


class WordAnalyzer(Composable):
    """The analysis above as a Whoosh analyzer (the query parser and highlighting use it)."""

    def __eq__(self, other):
        return type(other) is type(self)

    def __hash__(self):
        return hash(type(self))

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            token.pos, token.startchar, token.endchar = start_pos, start_char, start_char + len(value)
            yield token
            return
        pos = start_pos
        for match in WORD.finditer(value):
            term = normalized(match.group())
            if term is None:
                if removestops:
                    continue
                term = fold(match.group())
            token.text, token.boost, token.stopped = term, 1.0, False
            if keeporiginal:
                token.original = match.group()
            if positions:
                token.pos = pos
            if chars:
                token.startchar, token.endchar = start_char + match.start(), start_char + match.end()
            pos += 1
            yield token


class WordPositions(Positions):
    """Whoosh's positions format, filled from one pass of ``analyze`` (no token objects)."""

    def word_values(self, value, analyzer, **kwargs):
        positions = defaultdict(list)
        for position, term in enumerate(analyze(value)):
            positions[term].append(position)
        boost = self.field_boost
        for term, found in positions.items():
            yield term, len(found), len(found) * boost, self.encode(found)
