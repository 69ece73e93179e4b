"""BM25 over verdict texts in numpy arrays, for fast "checked before?" candidate lookup.

A claim to match is a whole sentence or tweet: an OR of 30-50 words, which
Whoosh scores one posting at a time (over 100 ms a query on 14k verdicts). One
table per index segment holds the same postings as arrays, so a lookup is a few
vectorised additions (about 1 ms). A table is built from the stored texts of a
segment the first time a process needs it and saved beside the segment, so
other processes load it in milliseconds; segments never change except for
deletions, which are masked at query time.

Beside the postings, a table keeps what re-ranking a candidate needs, computed once when the table is
built: the hashed character 4-gram sets of each verdict's claim, headline, whole text and the words of
its web address (a fact-check's slug, "hero-wombats-australia-fires"), and its publication day. A
lookup then scores its candidates with a few array operations and reads the stored fields of the few
it returns only.

The candidates are the pool of best BM25 scores and, when the re-ranker names a window of days (a
claim's date: the fact-checks published from the day before it to a week after), the best BM25
scores among the verdicts published in that window (``pooled``): a fact-check written days after a
post often words it differently, and its date says more than the few words they share.
"""

import datetime as dt
import math
import os
import re
from collections import Counter
from collections.abc import Iterable

import numpy as np

K1 = 1.2
B = 0.75
GRAM = 4
GRAM_FIELDS = ("claim", "headline", "review", "url")  # extra.claim_reviewed, title, body, the address's words
_NON_WORD = re.compile(r"\W+")
_PAGE_SUFFIX = re.compile(r"\.(s?html?|php|aspx?|jsp)$", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_GRAM_MUL = np.uint64(0x100000001B3)


def gram_text(text: str) -> str:
    """Return the text whose 4-grams are compared: lower-cased words, one space apart, padded."""
    return " " + _NON_WORD.sub(" ", (text or "").lower()).strip() + " "


def gram_hashes(text: str) -> np.ndarray:
    """Return the sorted distinct hashes of a text's character 4-grams (uint64)."""
    codes = np.frombuffer(gram_text(text).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < GRAM:
        return np.zeros(0, dtype=np.uint64)
    hashes = np.zeros(len(codes) - GRAM + 1, dtype=np.uint64)
    for offset in range(GRAM):
        hashes = hashes * _GRAM_MUL + codes[offset: offset + len(hashes)] + np.uint64(1)
    return np.unique(hashes)


def url_words(url: str | None) -> str:
    """Return the words of the last part of a web address's path: a fact-check's slug
    ("https://www.snopes.com/fact-check/hero-wombats-australia-fires/" -> "hero wombats australia fires")."""
    path = (url or "").split("#", 1)[0].split("?", 1)[0]
    if "://" in path:
        path = path.split("://", 1)[1].partition("/")[2]
    last = next((part for part in reversed(path.split("/")) if part), "")
    return _NON_WORD.sub(" ", _PAGE_SUFFIX.sub("", last)).replace("_", " ").strip()


def feature_texts(fields: dict) -> tuple[str, str, str, str, int]:
    """Return a verdict's claim, headline, whole text, its address's words and its publication day (ordinal, 0
    when unknown). An address without words (".../2020/48213") stands in by the headline: a desk whose
    addresses carry no slug reads as one whose slugs repeat its headlines."""
    published = fields.get("published")
    if isinstance(published, dt.datetime):
        published = published.date()
    day = published.toordinal() if isinstance(published, dt.date) else 0
    claim = (fields.get("extra") or {}).get("claim_reviewed", "")
    address = url_words(fields.get("url"))
    if not _LETTER.search(address):
        address = fields.get("title") or ""
    return claim or "", fields.get("title") or "", fields.get("body") or "", address, day


class Grams:
    """Hashed 4-gram sets of one text field for every row: row i's are values[starts[i]:starts[i + 1]]."""

    def __init__(self, starts, values):
        self.starts = np.asarray(starts, dtype=np.int64)
        self.values = np.asarray(values, dtype=np.uint64)

    @classmethod
    def build(cls, texts: Iterable[str]) -> "Grams":
        """Return the gram sets of each text."""
        sets = [gram_hashes(text) for text in texts]
        starts = np.zeros(len(sets) + 1, dtype=np.int64)
        np.cumsum([len(g) for g in sets], out=starts[1:])
        return cls(starts, np.concatenate(sets) if sets else np.zeros(0, dtype=np.uint64))

    def cosines(self, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
        """Return |A and Q| / sqrt(|A| |Q|) of each row's set A against the sorted query set Q."""
        return self.cosines_many(rows, [query])[:, 0]

    def cosines_many(self, rows: np.ndarray, queries: list[np.ndarray]) -> np.ndarray:
        """Return the (len(rows), len(queries)) cosines of each row's set against each sorted query set.

        The rows' grams are gathered once for all the queries.
        """
        rows = np.asarray(rows, dtype=np.int64)
        sizes = self.starts[rows + 1] - self.starts[rows]
        out = np.zeros((len(rows), len(queries)))
        if not sizes.sum():
            return out
        index = np.repeat(self.starts[rows] - np.concatenate([[0], np.cumsum(sizes)[:-1]]), sizes) + np.arange(sizes.sum())
        values = self.values[index]
        owner = np.repeat(np.arange(len(rows)), sizes)
        nonzero = sizes > 0
        done: dict[bytes, int] = {}  # a query asked twice (a post without a signature) is computed once
        for column, query in enumerate(queries):
            if not len(query):
                continue
            if query.tobytes() in done:
                out[:, column] = out[:, done[query.tobytes()]]
                continue
            done[query.tobytes()] = column
            at = np.minimum(np.searchsorted(query, values), len(query) - 1)  # query is sorted: no sort per lookup
            shared = np.bincount(owner, weights=(query[at] == values).astype(np.float64), minlength=len(rows))
            out[nonzero, column] = shared[nonzero] / np.sqrt(sizes[nonzero] * len(query))
        return out


class ClaimTable:
    """The postings of one segment's verdict texts: for each term, rows and term frequencies."""

    def __init__(self, docnums, lengths, vocabulary: list[str], starts, rows, frequencies,
                 grams: dict[str, Grams] | None = None, days=None):
        self.docnums = np.asarray(docnums, dtype=np.int64)
        self.lengths = np.asarray(lengths, dtype=np.float32)
        self.vocabulary = vocabulary
        self.starts = np.asarray(starts, dtype=np.int64)  # term i's postings: starts[i]:starts[i + 1]
        self.rows = np.asarray(rows, dtype=np.int32)
        self.frequencies = np.asarray(frequencies, dtype=np.float32)
        self.term_ids = {term: number for number, term in enumerate(vocabulary)}
        self.grams = grams or {}  # field -> Grams (empty for a table built without feature texts)
        self.days = np.asarray(days if days is not None else np.zeros(len(self.docnums)), dtype=np.int64)

    @classmethod
    def build(cls, docnums: list[int], token_lists: Iterable[list[str]],
              features: list[tuple[str, str, str, str, int]] | None = None) -> "ClaimTable":
        """Return the table of the given documents' token lists and, when given, their ``feature_texts``."""
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
        grams, days = None, None
        if features is not None:
            grams = {name: Grams.build(f[n] for f in features) for n, name in enumerate(GRAM_FIELDS)}
            days = [f[-1] for f in features]
        return cls(docnums, lengths, list(term_ids), starts, np.asarray(rows)[order],
                   np.asarray(frequencies)[order], grams, days)

    def save(self, path: str) -> None:
        """Write the table to ``path`` atomically."""
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "wb") as file:
            grams = {}
            for name, field in self.grams.items():
                grams[f"{name}_starts"], grams[f"{name}_values"] = field.starts, field.values
            np.savez(file, docnums=self.docnums, lengths=self.lengths, starts=self.starts, rows=self.rows,
                     frequencies=self.frequencies, days=self.days, vocabulary=np.frombuffer(
                         "\n".join(self.vocabulary).encode("utf-8"), dtype=np.uint8), **grams)
        os.replace(temporary, path)

    @classmethod
    def load(cls, path: str) -> "ClaimTable":
        """Read a table written by ``save``; raise KeyError for one saved without re-ranking features."""
        with np.load(path, allow_pickle=False) as data:
            words = data["vocabulary"].tobytes().decode("utf-8")
            vocabulary = words.split("\n") if words else []
            grams = {name: Grams(data[f"{name}_starts"], data[f"{name}_values"]) for name in GRAM_FIELDS}
            return cls(data["docnums"], data["lengths"], vocabulary, data["starts"], data["rows"],
                       data["frequencies"], grams, data["days"])

    def __len__(self) -> int:
        return len(self.docnums)

    def rerank_features(self, rows: np.ndarray, queries: list[tuple[np.ndarray, tuple[str, ...]]]
                        ) -> tuple[np.ndarray, np.ndarray]:
        """Return the gram cosines of rows against each (query grams, fields) pair, one column per field in
        that order, and the rows' days."""
        rows = np.asarray(rows, dtype=np.int64)
        columns = [(number, name) for number, (_, fields) in enumerate(queries) for name in fields]
        out = np.zeros((len(rows), len(columns)))
        if not self.grams:
            return out, self.days[rows]
        for name in dict.fromkeys(name for _, name in columns):
            wanted = [number for number, field in columns if field == name]
            found = self.grams[name].cosines_many(rows, [queries[number][0] for number in wanted])
            for position, number in enumerate(wanted):
                out[:, columns.index((number, name))] = found[:, position]
        return out, self.days[rows]

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

    def scores(self, idf: dict[str, float], avg_length: float, *, k1: float | None = None,
               b: float | None = None) -> np.ndarray:
        """Return the BM25 score of every row for the query terms and their weights ``idf`` (K1 and B by default)."""
        k1, b = K1 if k1 is None else k1, B if b is None else b
        total = np.zeros(len(self.docnums), dtype=np.float32)
        if not len(total):
            return total
        norm = k1 * (1 - b + b * self.lengths / max(avg_length, 1e-9))
        for term, weight in idf.items():
            found = self._postings(term)
            if found is None:
                continue
            rows, tf = found
            total[rows] += weight * tf * (k1 + 1) / (tf + norm[rows])
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


def window_of(rerank) -> tuple[int, int, int] | None:
    """Return the re-ranker's window of days (first, last day ordinal, how many verdicts it adds), if any."""
    window = getattr(rerank, "window", None)
    return tuple(window) if window and window[2] > 0 else None


def candidate_rows(table: "ClaimTable", scores: np.ndarray, count: int, rerank=None) -> np.ndarray:
    """Return the rows of one table that may be candidates: the ``count`` best positive scores and, with a window
    of days (``window_of``), the ``count`` best positive scores among the rows published in it."""
    rows = top_rows(scores, count)
    window = window_of(rerank)
    if window is None or not len(scores):
        return rows
    inside = (table.days >= window[0]) & (table.days <= window[1])
    dated = top_rows(np.where(inside, scores, 0), count)
    return np.concatenate([rows, dated[~np.isin(dated, rows)]])


def pooled(candidates: list[tuple], pool: int, rerank=None) -> list[tuple]:
    """Return the candidates (score, docnum, table, row) to re-rank: the ``pool`` best BM25 scores, then those of
    the window's best (by BM25, ``window_of``) that are not among them."""
    ordered = sorted(candidates, key=lambda found: (-found[0], found[1]))
    chosen = ordered[:pool]
    window = window_of(rerank)
    if window is None:
        return chosen
    first, last, count = window
    dated = [found for found in ordered if first <= found[2].days[found[3]] <= last][:count]
    taken = {found[1] for found in chosen}
    return chosen + [found for found in dated if found[1] not in taken]


def reorder(candidates: list[tuple], text: str, rerank) -> list[tuple[float, int]]:
    """Return (score, docnum) of BM25 candidates (score, docnum, table, row), re-ranked when ``rerank`` is given.

    ``rerank(bm25, grams, days)`` gets the candidates' BM25 scores, their 4-gram cosines against ``text``
    (claim, headline, whole review, address: 4 columns, then claim and headline for each of the re-ranker's
    ``gram_texts``, other readings of the same claim) and publication days, all read from the tables; it
    returns one score each, and the candidates come back best first by it (ties keep the BM25 order).
    """
    if rerank is None or not candidates:
        return [(score, docnum) for score, docnum, _, _ in candidates]
    queries = [(gram_hashes(query), fields) for query, fields in
               [(text, GRAM_FIELDS), *((other, GRAM_FIELDS[:2]) for other in getattr(rerank, "gram_texts", ()))]]
    grams = np.zeros((len(candidates), sum(len(fields) for _, fields in queries)))
    days = np.zeros(len(candidates), dtype=np.int64)
    by_table: dict[int, list[int]] = {}
    for position, (_, _, table, _) in enumerate(candidates):
        by_table.setdefault(id(table), []).append(position)
    for positions in by_table.values():
        table = candidates[positions[0]][2]
        grams[positions], days[positions] = table.rerank_features([candidates[p][3] for p in positions], queries)
    scores = np.asarray(rerank(np.array([c[0] for c in candidates]), grams, days), dtype=np.float64)
    order = np.argsort(-scores, kind="stable")
    return [(float(scores[i]), candidates[i][1]) for i in order]
