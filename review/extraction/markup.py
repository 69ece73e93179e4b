"""Blank out HTML markup in article text before extraction, keeping every character offset.

Pasted or scraped text can carry markup: ``Ministry said. <script>alert(1)</script> Traders``.
Tags are no words of the story, so they must never become part of a claim or glue into a
claimant's name. Each piece of markup is replaced by spaces of the same length (line breaks
kept), so claim offsets still point into the stored text, and a tag between two sentences
parts them as a space would. Script and style elements go whole: their content is code.

Wire copy marks companies as ``<TX>`` or ``<Sedio N.V.>`` and sometimes in lower case
(``Entertainment Marketing Inc <em>``); those stay for ``claim_text.strip_tickers``. A bare
``<name>`` is taken for markup only when the text closes it (``</name>``) or when it is one of
the tags that are never tickers (``<br>``, ``<p>``, ``<script>``, ...); closing tags, comments,
declarations and tags with attributes (``<a href="...">``) or a closing slash always are.
"""

import re

CODE_ELEMENT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.I | re.S)
ALWAYS_MARKUP = re.compile(
    r"<!--.*?-->|<![^<>]*>|</[A-Za-z][\w:-]*\s*>"
    r"|<[A-Za-z][\w:-]*(?:\s+[\w:.-]+\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'|[^\s\"'<>=`]+))+\s*/?>"
    r"|<[A-Za-z][\w:-]*\s*/>",
    re.S,
)
BARE_TAG = re.compile(r"<([A-Za-z][\w:-]*)>")
NEVER_TICKERS = frozenset("br hr wbr p div span img script style iframe html head body".split())
CLOSING = re.compile(r"</([A-Za-z][\w:-]*)\s*>")


def blank_markup(text: str) -> str:
    """Return text with its markup replaced by spaces (line breaks kept), the same length as before."""
    if "<" not in text or not (">" in text):
        return text
    spans = [m.span() for m in CODE_ELEMENT.finditer(text)] + [m.span() for m in ALWAYS_MARKUP.finditer(text)]
    closed = {m.group(1).lower() for m in CLOSING.finditer(text)}
    spans += [m.span() for m in BARE_TAG.finditer(text)
              if m.group(1) in NEVER_TICKERS or m.group(1).lower() in closed]
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)
