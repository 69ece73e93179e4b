"""Near-duplicate sentences of one document: the same claim stated again with small changes.

Two claims are near-duplicates when they hold the same numbers and their words overlap by at
least ``SIMILARITY`` (Jaccard). Candidates are found through the words they share, skipping words
so common in the document that they tell nothing, so a long document is not compared pair by pair.
"""

import re
from collections import defaultdict
from operator import itemgetter

SIMILARITY = 0.8
COMMON = 50  # a word in more kept claims than this is not used to find candidates
WORD = re.compile(r"\w+")
NUMBER = re.compile(r"\d")


class NearDuplicates:
    """The claims kept so far in one document; :meth:`find_or_keep` tells a repeat from a new claim."""

    def __init__(self):
        self.kept: list[frozenset[str]] = []
        self.spread: dict[str, int] = {}  # word -> how many kept claims hold it
        # (numbers, word) -> the kept claims with exactly those numbers that hold the word: only they can be repeats
        self.postings: dict[tuple[tuple[str, ...], str], list[int]] = defaultdict(list)

    def find_or_keep(self, text: str) -> int | None:
        """Return the index of the kept claim ``text`` repeats; else keep it and return None."""
        words = frozenset(WORD.findall(text.lower()))
        numbers = tuple(sorted(w for w in words if NUMBER.search(w)))
        shared: dict[int, int] = {}  # kept claim -> words shared with it (a Counter's update costs more)
        for word in words:
            if self.spread.get(word, 0) <= COMMON:
                for index in self.postings.get((numbers, word), ()):
                    shared[index] = shared.get(index, 0) + 1
        # Most shared first; ties in the order first met, as Counter.most_common orders them.
        for index, _ in sorted(shared.items(), key=itemgetter(1), reverse=True):
            other = self.kept[index]
            if len(words & other) / max(1, len(words | other)) >= SIMILARITY:
                return index
        for word in words:
            self.spread[word] = self.spread.get(word, 0) + 1
            self.postings[(numbers, word)].append(len(self.kept))
        self.kept.append(words)
        return None
