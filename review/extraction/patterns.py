"""Word lists, regex builders and small text helpers shared by the extraction steps.

Long word lists are compiled into prefix trees (``alternation``) because
Python's ``re`` tries alternatives one by one. The word gates (``word_set``,
``gated_search``) let a pattern run only when one of its words occurs.
"""

import re

# Quotation marks as English, French, Russian, German and Polish news print them: "…", “…”, «…», „…“, ‚…‘.
QUOTES = "\"'“”‘’«»„‚‹›"
OPEN_QUOTES = "\"“‘«„‚‹"
CLOSE_QUOTES = "\"”’»“‘›"  # “ and ‘ close „ and ‚
# Pairs whose marks differ, the low-9 pairs first: where „ opens, “ closes rather than opens.
QUOTE_PAIRS = (("„", "“"), ("‚", "‘"), ("«", "»"), ("‹", "›"), ("“", "”"))

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
          "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"


def vocabulary(text: str) -> frozenset[str]:
    """Return the set of space-separated words in text."""
    return frozenset(text.split())


def alternation(phrases: str) -> str:
    """Return a regex matching any of the "|"-separated phrases, factored into a prefix tree.

    Python's ``re`` tries alternatives one by one; sharing prefixes makes long
    word lists several times faster to search.
    """
    tree: dict = {}
    for phrase in phrases.split("|"):
        node = tree
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}
    return _tree_pattern(tree)


def _tree_pattern(node: dict) -> str:
    """Return the regex for one node of the prefix tree."""
    branches = [(r"\s+" if char == " " else re.escape(char)) + _tree_pattern(child)
                for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def by_first_char(forms: list[tuple[str, str]]) -> str:
    """Return a regex trying forms (their "|"-separated words, then the regex after them) keyed by first letter.

    At any position only the forms whose word starts with that position's character can match, so one
    branch per first character, holding those forms in their order, finds what trying every form in turn
    finds; ``re`` skips a branch on its first character and no longer walks every form's word list.
    """
    groups: dict[str, list[str]] = {}
    for words, after in forms:
        tails: dict[str, list[str]] = {}
        for word in words.split("|"):
            tails.setdefault(word[0], []).append(re.escape(word[1:]))
        for char, rest in tails.items():
            groups.setdefault(char, []).append(f"(?:{'|'.join(rest)}){after}")
    return "|".join(f"{re.escape(char)}(?:{'|'.join(forms)})" for char, forms in groups.items())


def any_of(phrases: str, flags: int = 0) -> re.Pattern:
    """Compile a whole-word search for any of the "|"-separated phrases."""
    return re.compile(rf"\b(?:{alternation(phrases)})\b", flags)


def capitalize_first(text: str) -> str:
    """Upper-case the first character only."""
    return text[:1].upper() + text[1:]


# Word gates: a claim's lower-case words are collected once; a pattern runs only when one of its
# words occurs (most claims contain none of them, and a set test is far cheaper than a search).
LOWER_WORD = re.compile(r"[a-z][a-z']*")


def word_set(text: str) -> frozenset[str]:
    """Return the lower-case words of a text, for the word gates."""
    return frozenset(LOWER_WORD.findall(text.lower()))


def gated_search(words: frozenset[str], gate: frozenset[str], pattern: re.Pattern, text: str) -> bool:
    """Search pattern in text only when one of its gate words occurs."""
    return not words.isdisjoint(gate) and pattern.search(text) is not None


def may_hold_word(text: str, words: tuple[str, ...]) -> bool:
    """Tell whether a case-insensitive pattern that needs one of words can match text (a cheap test first).

    Exact for ASCII text, where ``re.I`` is plain ASCII case folding; other text always says yes, because
    ``re``'s case folding reaches further than ``str.lower`` ("ſ" matches "s").
    """
    if not text.isascii():
        return True
    lowered = text.lower()
    return any(word in lowered for word in words)
