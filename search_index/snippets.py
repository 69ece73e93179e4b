"""Highlighted snippets: the best passages of a text with the query's words marked, escaped for HTML.

Whoosh's own highlighter re-analyses every hit's whole body and took half of a
query's time; this one scans words with a regular expression, normalizes each
distinct word once (cached) and escapes everything it does not mark.
"""

import re
from collections.abc import Callable

from markupsafe import Markup, escape

WORD = re.compile(r"\w+(?:\.?\w+)*")
BETWEEN = "\u2009…\u2009"
MAX_MARKS = 200


def best_windows(positions: list[tuple[int, int, str]], size: int, count: int) -> list[tuple[int, int]]:
    """Return up to ``count`` non-overlapping (start, end) windows of ``size`` chars holding the most distinct terms."""
    scored = []
    for i, (start, _, _) in enumerate(positions):
        inside = {term for s, e, term in positions[i:] if e <= start + size}
        scored.append((len(inside), -start, start))
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
    positions = []
    if terms:
        for match in WORD.finditer(text):
            term = normalize(match.group())
            if term in terms:
                positions.append((match.start(), match.end(), term))
                if len(positions) >= MAX_MARKS:
                    break
    if not positions:
        return Markup(escape(_cut(text, 0, size)))
    pieces = []
    for start, end in best_windows(positions, size - lead, count):
        begin = _word_start(text, max(0, start - lead))
        finish = _word_end(text, min(len(text), end + lead // 2))
        pieces.append(_marked(text, begin, finish, positions))
    return Markup(BETWEEN.join(pieces))


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
