"""Highlighted snippets: the best passages of a text with the query's words marked, escaped for HTML.

Whoosh's own highlighter re-analyses every hit's whole body and took half of a
query's time; this one scans words with a regular expression, normalizes each
distinct word once (cached) and escapes everything it does not mark.
"""

import re
from collections import Counter
from collections.abc import Callable

from markupsafe import Markup, escape

from search_index.analysis import WORD
BETWEEN = "\u2009…\u2009"
MAX_MARKS = 200


def best_windows(positions: list[tuple[int, int, str]], size: int, count: int) -> list[tuple[int, int]]:
    """Return up to ``count`` non-overlapping (start, end) windows of ``size`` chars holding the most distinct terms.

    One window starts at each match; a second pointer slides over the matches ending inside it, with a
    count per term, so finding every window's distinct terms takes linear time.
    """
    scored = []
    inside: Counter = Counter()
    end_index = 0
    for i, (start, _, _) in enumerate(positions):
        while end_index < len(positions) and positions[end_index][1] <= start + size:
            inside[positions[end_index][2]] += 1
            end_index += 1
        scored.append((len(inside), -start, start))
        if end_index > i:  # the match at i leaves the window before the next one starts
            term = positions[i][2]
            inside[term] -= 1
            if not inside[term]:
                del inside[term]
        else:
            end_index = i + 1
    windows: list[tuple[int, int]] = []
    for _, _, start in sorted(scored, reverse=True):
        if len(windows) == count:
            break
        if all(start >= end or start + size <= begin for begin, end in windows):
            windows.append((start, start + size))
    return sorted(windows)


def snippet(text: str, terms: set[str], normalize: Callable[[str], str | None], *, size: int = 240,
            count: int = 2, lead: int = 60) -> Markup:
    """Return escaped markup of the passages of ``text`` richest in ``terms``, each match in <mark>.

    ``normalize`` maps a word to its indexed form (lower-cased and stemmed), or
    None for a stop word. Without any match, the escaped opening of the text.
    """
    positions = _matches(text, terms, normalize, _candidates(terms)) if terms else []
    if terms and not positions:  # a word whose stem is not a prefix of it as written (Zürich: "zurich")
        positions = _matches(text, terms, normalize, WORD)
    if not positions:
        return Markup(escape(_cut(text, 0, size)))
    pieces = []
    for start, end in best_windows(positions, size - lead, count):
        begin = _word_start(text, max(0, start - lead))
        finish = _word_end(text, min(len(text), end + lead // 2))
        pieces.append(_marked(text, begin, finish, positions))
    return Markup(BETWEEN.join(pieces))


def _candidates(terms: set[str]) -> re.Pattern:
    """Return a pattern of the words that may stem to one of ``terms``: those starting like them.

    A stem is the start of its words, but for a final "e" or "i" ("rate": "rating"; "happi": "happy"),
    so the regular expression engine skips every other word without a Python call per word.
    """
    starts = sorted({term[:-1] if len(term) > 2 and term[-1] in "ei" else term for term in terms}, reverse=True)
    return re.compile(r"\b(?:%s)\w*" % "|".join(map(re.escape, starts)), re.IGNORECASE)


def _matches(text: str, terms: set[str], normalize, pattern: re.Pattern) -> list[tuple[int, int, str]]:
    """Return (start, end, term) of the words of ``text`` found by ``pattern`` that stem to one of ``terms``."""
    positions = []
    for match in pattern.finditer(text):
        term = normalize(match.group())
        if term in terms:
            positions.append((match.start(), match.end(), term))
            if len(positions) >= MAX_MARKS:
                break
    return positions


def _marked(text: str, begin: int, finish: int, positions: list[tuple[int, int, str]]) -> str:
    """Return text[begin:finish] escaped, with the matched words in <mark>."""
    output, cursor = [], begin
    for start, end, _ in positions:
        if start < cursor or end > finish:
            continue
        output.append(str(escape(text[cursor:start])))
        output.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    output.append(str(escape(text[cursor:finish])))
    return "".join(output).strip()


def _word_start(text: str, position: int) -> int:
    """Move back to the start of the word at ``position``."""
    while position > 0 and text[position - 1].isalnum():
        position -= 1
    return position


def _word_end(text: str, position: int) -> int:
    """Move forward to the end of the word at ``position``."""
    while position < len(text) and text[position].isalnum():
        position += 1
    return position


def _cut(text: str, start: int, size: int) -> str:
    """Return up to ``size`` characters from ``start``, ending at a word's end."""
    return text[start:_word_end(text, min(len(text), start + size))].strip()
