"""The Whoosh side of the one analyzer definition (``search_index.words``): its analyzer and positions.

Each text is analysed once: ``WordPositions`` turns a text straight into the positions of each term,
without Whoosh's token objects and filter chain. The rules themselves (words, folding, the stemmer,
stop words, prefixes) live in ``search_index.words`` alone.
"""

from collections import defaultdict

from whoosh.analysis import Composable, Token
from whoosh.formats import Positions

from search_index.words import (  # noqa: F401 - the names the engine and its tests read from here
    ANALYSIS_VERSION, STOP_WORDS, WORD, analyze, fold, normalized, prefix_forms, prefix_words, stem)


class WordAnalyzer(Composable):
    """The one word analysis as a Whoosh analyzer (the query parser and highlighting use it)."""

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
