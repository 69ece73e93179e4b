"""Near-duplicate sentences of one document: the same claim stated again with small changes.

Two claims are near-duplicates when they hold the same numbers and their words overlap by at
least ``SIMILARITY`` (Jaccard). Candidates are found through the words they share, skipping words
so common in the document that they tell nothing, so a long document is not compared pair by pair.

Most claims hold numbers no earlier claim of the document holds (seven in ten of Reuters-21578's):
they are kept after reading their numbers alone, and their words are read only when a later claim
with the same numbers needs them.
"""

import re
from collections import Counter
from operator import itemgetter

SIMILARITY = 0.8
COMMON = 50  # a word in more kept claims than this is not used to find candidates
WORD = re.compile(r"\w+")
DIGIT_ON = re.compile(r"\d\w*")  # from a word's first digit to its end: a scan that skips to the next digit
# Bytes of plain ASCII text: \w characters kept, the rest made spaces (\w on ASCII is exactly [A-Za-z0-9_]).
ASCII_WORD_BYTES = bytes(c if chr(c).isalnum() or c == ord("_") else ord(" ") for c in range(256))


def numbers(lower: str) -> tuple[str, ...]:
    """Return the distinct words of a text (runs of word characters) that hold a digit, sorted.

    ``DIGIT_ON`` starts at a word's first digit and runs to the word's end, so each such word yields one match;
    the letters before the digit, when there are any ("q1", "a320"), are read back to where the word starts.
    """
    found = set()
    for match in DIGIT_ON.finditer(lower):
        start = match.start()
        while start and (lower[start - 1].isalnum() or lower[start - 1] == "_"):  # what the pattern's word class holds
            start -= 1
        found.add(lower[start:match.end()])
    return tuple(sorted(found))


def words_in(text: str) -> list[str]:
    """Return the words of a text, as ``WORD.findall``; plain ASCII (nearly every claim) by a byte table."""
    if text.isascii():
        return text.encode().translate(ASCII_WORD_BYTES).decode().split()
    return WORD.findall(text)


class NearDuplicates:
    """The claims kept so far in one document; :meth:`find_or_keep` tells a repeat from a new claim."""

    def __init__(self):
        self.kept: list[str] = []  # lower-case text of each kept claim
        self._words: list[frozenset[str] | None] = []  # their words, read on first need
        self.groups: dict[tuple[str, ...], list[int]] = {}  # numbers -> the kept claims with exactly those numbers
        # numbers -> word -> the kept claims with those numbers that hold the word (built when a group is searched)
        self.postings: dict[tuple[str, ...], dict[str, list[int]]] = {}
        self.spread: Counter[str] = Counter()  # word -> how many kept claims hold it (counted when it can matter)
        self._spread_counted = 0

    def find_or_keep(self, text: str) -> int | None:
        """Return the index of the kept claim ``text`` repeats; else keep it and return None."""
        lower = text.lower()
        held = numbers(lower)
        group = self.groups.get(held)
        index = len(self.kept)
        self.kept.append(lower)
        if group is None:  # no kept claim holds these numbers: nothing to compare
            self.groups[held] = [index]
            self._words.append(None)
            return None
        words = frozenset(words_in(lower))
        found = self._find(words, held, group, index)
        if found is not None:
            self.kept.pop()
            return found
        self._words.append(words)
        group.append(index)
        postings = self.postings.get(held)
        if postings is not None:  # else built from the group when first needed
            for word in words:
                if word in postings:
                    postings[word].append(index)
                else:
                    postings[word] = [index]
        return None

    def _find(self, words: frozenset[str], held: tuple[str, ...], group: list[int], kept: int) -> int | None:
        """Return the kept claim with the same numbers that ``words`` repeats, or None.

        While no word can be common (``kept <= COMMON``), every claim of the group that shares a word is among
        ``_repeated``'s candidates, and a similar one shares some; so when at most one claim of the group is
        similar, it (or none) is ``_repeated``'s answer, found with no word index. Only two or more similar
        claims need its order (most words shared first), and long documents its skipping of common words.
        """
        if kept <= COMMON:
            similar = [earlier for earlier in group if _similar(words, self._words_of(earlier))]
            if len(similar) <= 1:
                return similar[0] if similar else None
        return self._repeated(words, self._postings(held, group), kept)

    def _words_of(self, index: int) -> frozenset[str]:
        """Return the words of a kept claim, reading them on first need."""
        words = self._words[index]
        if words is None:
            words = self._words[index] = frozenset(words_in(self.kept[index]))
        return words

    def _postings(self, numbers: tuple[str, ...], group: list[int]) -> dict[str, list[int]]:
        """Return word -> kept claims of one numbers group, indexing the group on its first search."""
        postings = self.postings.get(numbers)
        if postings is None:
            postings = self.postings[numbers] = {}
            for index in group:
                for word in self._words_of(index):
                    if word in postings:
                        postings[word].append(index)
                    else:
                        postings[word] = [index]
        return postings

    def _common(self, kept: int) -> Counter[str] | None:
        """Return how many of the first ``kept`` kept claims hold each word; None while no word can be common."""
        if kept <= COMMON:
            return None
        for index in range(self._spread_counted, kept):
            self.spread.update(self._words_of(index))
        self._spread_counted = kept
        return self.spread

    def _repeated(self, words: frozenset[str], postings: dict[str, list[int]], kept: int) -> int | None:
        """Return the kept claim with the same numbers that ``words`` repeats, or None."""
        shared: dict[int, int] = {}  # kept claim -> words shared with it (a Counter's update costs more)
        spread = self._common(kept)
        for word in words:
            if word in postings and (spread is None or spread[word] <= COMMON):
                for index in postings[word]:
                    shared[index] = shared.get(index, 0) + 1
        # Most shared first; ties in the order first met, as Counter.most_common orders them.
        for index, _ in sorted(shared.items(), key=itemgetter(1), reverse=True):
            if _similar(words, self._words_of(index)):
                return index
        return None


def _similar(words: frozenset[str], other: frozenset[str]) -> bool:
    """Tell whether two claims' words overlap enough (Jaccard) for one to repeat the other."""
    return len(words & other) / max(1, len(words | other)) >= SIMILARITY
