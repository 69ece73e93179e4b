"""BM25 over verdict texts in numpy arrays, for fast "checked before?" candidate lookup.

A claim to match is a whole sentence or tweet: an OR of 30-50 words, which
Whoosh scores one posting at a time (over 100 ms a query on 14k verdicts). One
table per index segment holds the same postings as arrays, so a lookup is a few
vectorised additions (about 1 ms). A table is built from the stored texts of a
segment the first time a process needs it and saved beside the segment, so
other processes load it in milliseconds; segments never change except for
deletions, which are masked at query time.
"""

import math
import os
from collections import Counter
from collections.abc import Iterable

import numpy as np

K1 = 1.2
B = 0.75


class ClaimTable:
    """The postings of one segment's verdict texts: for each term, rows and term frequencies."""

    def __init__(self, docnums, lengths, vocabulary: list[str], starts, rows, frequencies):
        self.docnums = np.asarray(docnums, dtype=np.int64)
        self.lengths = np.asarray(lengths, dtype=np.float32)
        self.vocabulary = vocabulary
        self.starts = np.asarray(starts, dtype=np.int64)  # term i's postings: starts[i]:starts[i + 1]
        self.rows = np.asarray(rows, dtype=np.int32)
        self.frequencies = np.asarray(frequencies, dtype=np.float32)
        self.term_ids = {term: number for number, term in enumerate(vocabulary)}

    @classmethod
    def build(cls, docnums: list[int], token_lists: Iterable[list[str]]) -> "ClaimTable":
        """Return the table of the given documents' token lists."""
        term_ids: dict[str, int] = {}
        ids, rows, frequencies, lengths = [], [], [], []
        for row, tokens in enumerate(token_lists):
            counts = Counter(tokens)
            lengths.append(len(tokens))
            for term, tf in counts.items():
                ids.append(term_ids.setdefault(term, len(term_ids)))
                rows.append(row)
                frequencies.append(tf)
        order = np.argsort(np.asarray(ids, dtype=np.int64), kind="stable")
        starts = np.searchsorted(np.asarray(ids, dtype=np.int64)[order], np.arange(len(term_ids) + 1))
        return cls(docnums, lengths, list(term_ids), starts, np.asarray(rows)[order],
                   np.asarray(frequencies)[order])

    def save(self, path: str) -> None:
        """Write the table to ``path`` atomically."""
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "wb") as file:
            np.savez(file, docnums=self.docnums, lengths=self.lengths, starts=self.starts, rows=self.rows,
                     frequencies=self.frequencies, vocabulary=np.frombuffer(
                         "\n".join(self.vocabulary).encode("utf-8"), dtype=np.uint8))
        os.replace(temporary, path)

    @classmethod
    def load(cls, path: str) -> "ClaimTable":
        """Read a table written by ``save``."""
        with np.load(path, allow_pickle=False) as data:
            words = data["vocabulary"].tobytes().decode("utf-8")
            vocabulary = words.split("\n") if words else []
            return cls(data["docnums"], data["lengths"], vocabulary, data["starts"], data["rows"],
                       data["frequencies"])

    def __len__(self) -> int:
        return len(self.docnums)

    def _postings(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        """Return the rows and frequencies of one term, or None."""
        number = self.term_ids.get(term)
        if number is None:
            return None
        start, end = self.starts[number], self.starts[number + 1]
        return self.rows[start:end], self.frequencies[start:end]

    def doc_frequency(self, term: str) -> int:
        """Return how many rows hold ``term``."""
        number = self.term_ids.get(term)
        return 0 if number is None else int(self.starts[number + 1] - self.starts[number])

    def scores(self, idf: dict[str, float], avg_length: float) -> np.ndarray:
        """Return the BM25 score of every row for the query terms and their weights ``idf``."""
        total = np.zeros(len(self.docnums), dtype=np.float32)
        if not len(total):
            return total
        norm = K1 * (1 - B + B * self.lengths / max(avg_length, 1e-9))
        for term, weight in idf.items():
            found = self._postings(term)
            if found is None:
                continue
            rows, tf = found
            total[rows] += weight * tf * (K1 + 1) / (tf + norm[rows])
        return total


def idf_weights(terms: Iterable[str], tables: list[ClaimTable], doc_count: int) -> dict[str, float]:
    """Return the inverse document frequency of each distinct term over all tables (Whoosh's formula)."""
    weights = {}
    for term in dict.fromkeys(terms):
        frequency = sum(table.doc_frequency(term) for table in tables)
        if frequency:
            weights[term] = math.log(doc_count / (frequency + 1)) + 1
    return weights


def top_rows(scores: np.ndarray, limit: int) -> np.ndarray:
    """Return the indexes of the ``limit`` best positive scores, best first."""
    if limit <= 0 or not len(scores):
        return np.zeros(0, dtype=np.int64)
    if len(scores) > limit:
        rows = np.argpartition(-scores, limit - 1)[:limit]
    else:
        rows = np.arange(len(scores))
    rows = rows[scores[rows] > 0]
    return rows[np.argsort(-scores[rows], kind="stable")]
