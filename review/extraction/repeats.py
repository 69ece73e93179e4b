"""Near-duplicate sentences of one document: the same claim stated again with small changes.

Two claims are near-duplicates when they hold the same numbers and their words overlap by at
least ``SIMILARITY`` (Jaccard). Candidates are found through the words they share, skipping words
so common in the document that they tell nothing, so a long document is not compared pair by pair.
"""

import re
from collections import Counter
from operator import itemgetter

SIMILARITY = 0.8
COMMON = 50  # a word in more kept claims than this is not used to find candidates
WORD = re.compile(r"\w+")
NUMBER = re.compile(r"\d")


class NearDuplicates:
    """The claims kept so far in one document; :meth:`find_or_keep` tells a repeat from a new claim."""

    def __init__(self):
        self.kept: list[frozenset[str]] = []
        self.spread: Counter[str] = Counter()  # word -> how many kept claims hold it
        # numbers -> word -> the kept claims with exactly those numbers that hold the word: only they can be repeats
        self.postings: dict[tuple[str, ...], dict[str, list[int]]] = {}

    def find_or_keep(self, text: str) -> int | None:
        """Return the index of the kept claim ``text`` repeats; else keep it and return None."""
        lower = text.lower()
        words = frozenset(WORD.findall(lower))
        numbers = tuple(sorted([w for w in words if not w.isalpha() and NUMBER.search(w)])) if NUMBER.search(lower) else ()
        postings = self.postings.get(numbers)
        if postings is not None:  # most claims hold numbers no kept claim holds: nothing to compare
            found = self._repeated(words, postings)
            if found is not None:
                return found
        else:
            postings = self.postings[numbers] = {}
        self.spread.update(words)
        index = len(self.kept)
        for word in words:
            if word in postings:
                postings[word].append(index)
            else:
                postings[word] = [index]
        self.kept.append(words)
        return None

    def _repeated(self, words: frozenset[str], postings: dict[str, list[int]]) -> int | None:
        """Return the kept claim with the same numbers that ``words`` repeats, or None."""
        shared: dict[int, int] = {}  # kept claim -> words shared with it (a Counter's update costs more)
        spread = self.spread
        for word in words:
            if word in postings and spread[word] <= COMMON:
                for index in postings[word]:
                    shared[index] = shared.get(index, 0) + 1
        # Most shared first; ties in the order first met, as Counter.most_common orders them.
        for index, _ in sorted(shared.items(), key=itemgetter(1), reverse=True):
            other = self.kept[index]
            if len(words & other) / max(1, len(words | other)) >= SIMILARITY:
                return index
        return None
