"""Evaluate a parsed query over whole posting lists with numpy: every match scored and counted.

Whoosh's matchers walk postings one document at a time in Python, which made a
search cost ~1 microsecond per matching posting, several times over. Here each
term's posting list is read at once from the raw-array blocks of
``whoosh_codec`` and gathered into arrays; AND, OR, NOT and the filters become
sorted-array set operations, BM25 is computed on the arrays with Whoosh's own
formula and statistics (same scores, same order), and the total is the exact
count of matches. The words of an AND and of a phrase are read rarest first,
each later one only in the blocks holding the documents left, so a common word
("of", "the") costs little beside rare ones. Phrases are checked on the packed
positions (``positions.PackedPositions``) of the documents holding all their
words, all at once with array operations; a date filter reads each match's day
from the segment's cached days. A query with a part this module does not know
raises ``Unsupported`` and is searched by Whoosh.
"""

from typing import NamedTuple

import numpy as np
from whoosh import query
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from search_index.positions import PackedPositions, positions_of
from search_index.whoosh_codec import PackedLeafMatcher, term_blocks
from search_index.whoosh_queries import AllowedDocs, FastPhrase, Filtered
from search_index.whoosh_segments import SEGMENTS, leaves, segment_days

LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
EMPTY = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
NO_POSITIONS = np.zeros(0, dtype=np.int64)
STRIDE = 1 << 32  # a phrase start's key: candidate row * STRIDE + position


class Unsupported(Exception):
    """A part of the query this evaluator does not handle (Whoosh searches it instead)."""


class Segment:
    """One segment being searched: its reader, its folder (for cached columns) and the whole-index searcher."""

    def __init__(self, searcher, reader, directory: str):
        self.searcher = searcher  # the top-level searcher: idf and average lengths of the whole index
        self.reader = reader
        self.directory = directory
        self.size = reader.doc_count_all()

    def lengths(self, fieldname: str) -> np.ndarray:
        """Return each document's length in a field, as Whoosh's BM25 reads it (cached per segment)."""
        entry = SEGMENTS.get(self.directory, self.reader)
        key = f"length:{fieldname}"
        if key not in entry:
            column = self.reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            codes = np.zeros(self.size, dtype=np.uint8) if column is None else np.fromiter(
                iter(column), dtype=np.uint8, count=self.size)
            entry[key] = LENGTH_OF_BYTE[codes]
        return entry[key]

    def live(self) -> np.ndarray:
        """Return the numbers of the segment's documents that are not deleted."""
        ids = np.arange(self.size, dtype=np.int64)
        if self.reader.has_deletions():
            ids = np.setdiff1d(ids, np.fromiter(self.reader.deleted_docs_set, dtype=np.int64))
        return ids


class Postings(NamedTuple):
    """One term's postings in a segment: sorted document numbers, term frequencies and, when asked, positions.

    ``owners[i]`` is the row in ``ids`` of the document ``positions[i]`` stands in.
    """

    ids: np.ndarray
    frequencies: np.ndarray
    owners: np.ndarray = NO_POSITIONS
    positions: np.ndarray = NO_POSITIONS


def postings(segment: Segment, fieldname: str, text, *, within: np.ndarray | None = None,
             positions: bool = False) -> Postings:
    """Return one term's postings in a segment, deleted documents included.

    ``within`` (sorted document numbers) keeps only those documents and skips the blocks holding none of them
    unread; ``positions`` also decodes the kept postings' positions.
    """
    try:
        matcher = segment.reader.postings(fieldname, text)
    except TermNotFound:
        return Postings(*EMPTY)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if not isinstance(matcher, PackedLeafMatcher):
        return _posting_list(matcher, within, positions)
    blocks = term_blocks(matcher)
    chosen = None if within is None else blocks.blocks_holding(within)
    if chosen is not None and not len(chosen):
        return Postings(*EMPTY)
    return Postings(*blocks.postings(chosen, wanted=within, positions=positions))


def _posting_list(matcher, within: np.ndarray | None, positions: bool) -> Postings:
    """Return the postings of a matcher read one posting at a time (a list kept with its term, an old codec)."""
    found, frequencies, values = [], [], []
    while matcher.is_active():
        found.append(matcher.id())
        frequencies.append(matcher.weight())
        if positions:
            values.append(matcher.value())
        matcher.next()
    ids = np.array(found, dtype=np.int64)
    keep = np.ones(len(ids), dtype=bool) if within is None else np.isin(ids, within, assume_unique=True)
    frequencies = np.array(frequencies, dtype=np.float32)[keep]
    if not positions:
        return Postings(ids[keep], frequencies)
    owners, places = positions_of([value for value, kept in zip(values, keep) if kept])
    return Postings(ids[keep], frequencies, owners, places)


def bm25(segment: Segment, fieldname: str, text, ids: np.ndarray, frequencies: np.ndarray, boost: float):
    """Return the BM25 scores of one term's postings, as Whoosh's BM25F scores them."""
    searcher = segment.searcher
    weighting = searcher.weighting
    if not hasattr(weighting, "K1") or not searcher.schema[fieldname].scorable:
        return np.full(len(ids), boost, dtype=np.float32)
    idf = searcher.idf(fieldname, text)
    average = searcher.avg_field_length(fieldname) or 1
    k1, b = weighting.K1, weighting._field_B.get(fieldname, weighting.B)
    lengths = segment.lengths(fieldname)[ids]
    scores = idf * (frequencies * (k1 + 1)) / (frequencies + k1 * ((1 - b) + b * lengths / average))
    return (scores * boost).astype(np.float32)


def term_scores(segment: Segment, fieldname: str, text, boost: float, *, within: np.ndarray | None = None):
    """Return (document numbers, BM25 scores) of one term, only of the ``within`` documents when given."""
    found = postings(segment, fieldname, text, within=within)
    if not len(found.ids):
        return EMPTY
    return found.ids, bm25(segment, fieldname, text, found.ids, found.frequencies, boost)


def evaluate(node, segment: Segment, within: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Return (sorted document numbers, scores) of every document of the segment the query matches.

    ``within`` (sorted document numbers) says only those documents are wanted: terms and phrases then read
    only the posting blocks holding them; other parts may return more (the caller intersects).
    """
    if node is query.NullQuery or isinstance(node, type(query.NullQuery)):
        return EMPTY
    if isinstance(node, query.Term):
        return term_scores(segment, node.fieldname, node.text, node.boost, within=within)
    if isinstance(node, FastPhrase):
        return _phrase(node, segment, within)
    if isinstance(node, AllowedDocs):
        ids = np.asarray(node.allowed(segment.reader), dtype=np.int64)
        return ids, np.zeros(len(ids), dtype=np.float32)
    if isinstance(node, (Filtered, query.Require)):
        return _restrict(evaluate(node.a, segment, within), node.b, segment)
    if isinstance(node, query.AndNot):
        found = evaluate(node.a, segment, within)
        return _exclude(found, evaluate(node.b, segment, found[0])[0])
    if isinstance(node, query.AndMaybe):
        found = evaluate(node.a, segment, within)
        return _maybe(found, evaluate(node.b, segment, found[0]))
    if isinstance(node, query.Not):
        live = segment.live()
        return _exclude((live, np.zeros(len(live), dtype=np.float32)), evaluate(node.query, segment)[0])
    if type(node) is query.And:
        return _and(node, segment, within)
    if type(node) is query.Or and not any(isinstance(child, query.Not) for child in node.subqueries):
        return _or([evaluate(child, segment, within) for child in node.subqueries], node.boost)
    raise Unsupported(type(node).__name__)


def _and(node, segment: Segment, within: np.ndarray | None):
    """Intersect the parts, rarest word first: each later part reads only the blocks holding matches so far."""
    positive = [child for child in node.subqueries if not isinstance(child, query.Not)]
    negative = [child.query for child in node.subqueries if isinstance(child, query.Not)]
    if not positive:
        raise Unsupported("AND of NOT alone")
    order = sorted(range(len(positive)), key=lambda n: (_rarity(positive[n], segment), n))
    found, parts = None, {}
    for n in order:
        part = evaluate(positive[n], segment, within if found is None else found)
        if found is not None:
            part = _restrict_to(part, found)
        found, parts[n] = part[0], part
        if not len(found):
            return EMPTY
    scores = np.zeros(len(found), dtype=np.float32)
    for n in range(len(positive)):  # summed in the query's order, as Whoosh sums them
        scores = scores + _restrict_to(parts[n], found)[1]
    for child in negative:
        excluded = evaluate(child, segment, found)[0]
        keep = ~np.isin(found, excluded, assume_unique=True)
        found, scores = found[keep], scores[keep]
    return found, scores * node.boost


def _rarity(node, segment: Segment) -> float:
    """Return how many documents a part may match: a word's document frequency, else (unknown) infinity."""
    if isinstance(node, query.Term):
        return segment.reader.doc_frequency(node.fieldname, node.text)
    if isinstance(node, FastPhrase):
        return min(segment.reader.doc_frequency(node.fieldname, word) for word in node.words)
    return float("inf")


def _restrict_to(found, ids: np.ndarray):
    """Keep the matches whose documents are in ``ids`` (sorted)."""
    if len(found[0]) == len(ids) and np.array_equal(found[0], ids):
        return found
    keep = np.isin(found[0], ids, assume_unique=True)
    return found[0][keep], found[1][keep]


def _or(parts, boost: float):
    parts = [part for part in parts if len(part[0])]
    if not parts:
        return EMPTY
    ids = np.concatenate([part[0] for part in parts])
    scores = np.concatenate([part[1] for part in parts])
    unique, inverse = np.unique(ids, return_inverse=True)
    return unique, (np.bincount(inverse, weights=scores, minlength=len(unique)) * boost).astype(np.float32)


def _require(found, allowed: np.ndarray):
    keep = np.isin(found[0], allowed, assume_unique=True)
    return found[0][keep], found[1][keep]


def _restrict(found, node, segment: Segment):
    """Keep the matches ``node`` also matches; a date range is read from the matches' days."""
    if isinstance(node, AllowedDocs) and node.days is not None:
        return _in_days(found, segment, *node.days)
    if type(node) is query.And:
        for child in node.subqueries:
            found = _restrict(found, child, segment)
        return found
    return _require(found, evaluate(node, segment, found[0])[0])


def _in_days(found, segment: Segment, first: int, last: int):
    """Keep the matches published between two day ordinals: a look-up per match, not a list of the segment's."""
    days = segment_days(segment.directory, segment.reader)[found[0]]
    keep = (days >= first) & (days <= last)
    return found[0][keep], found[1][keep]


def _exclude(found, excluded: np.ndarray):
    keep = ~np.isin(found[0], excluded, assume_unique=True)
    return found[0][keep], found[1][keep]


def _maybe(found, optional):
    extra = np.zeros(len(found[0]), dtype=np.float32)
    _, left, right = np.intersect1d(found[0], optional[0], assume_unique=True, return_indices=True)
    extra[left] = optional[1][right]
    return found[0], found[1] + extra


def _phrase(node: FastPhrase, segment: Segment, within: np.ndarray | None = None):
    """Score a phrase as the sum of its words' scores, on the documents where the words are in order.

    The words are read rarest first: each later word reads only the posting blocks holding documents that
    have every word read so far, so "bank of england" reads the few blocks of "of" beside a bank and England.
    """
    if node.slop != 1:
        raise Unsupported("phrase with slop")
    if not isinstance(segment.searcher.schema[node.fieldname].format, PackedPositions):
        raise Unsupported("positions not packed")
    reader, words = segment.reader, node.words
    rarity = [reader.doc_frequency(node.fieldname, word) for word in words]
    if not min(rarity):
        return EMPTY
    read: dict[int, Postings] = {}
    for n in sorted(range(len(words)), key=lambda n: (rarity[n], n)):
        read[n] = postings(segment, node.fieldname, words[n], within=within, positions=True)
        within = read[n].ids
        if not len(within):
            return EMPTY
    ids = within  # the documents holding every word (the last word read holds no others)
    # A start is (candidate row, position of the first word); word k must stand at that position + k.
    starts = None
    for offset in range(len(words)):
        found = read[offset]
        rows = np.searchsorted(ids, found.ids)  # each posting's row in ``ids``, or a row of another document
        present = (rows < len(ids)) & (ids[np.minimum(rows, len(ids) - 1)] == found.ids)
        row_of = np.where(present, rows, -1)[found.owners]
        keep = (row_of >= 0) & (found.positions >= offset)
        keys = row_of[keep] * STRIDE + (found.positions[keep] - offset)  # unique: a word has a position once
        starts = keys if starts is None else np.intersect1d(starts, keys, assume_unique=True)
        if not len(starts):
            return EMPTY
    matched = np.unique(starts // STRIDE)
    matched_ids = ids[matched]
    scores = np.zeros(len(matched_ids), dtype=np.float32)
    for n, word in enumerate(words):
        found = read[n]
        rows = np.searchsorted(found.ids, matched_ids)
        scores = scores + bm25(segment, node.fieldname, word, matched_ids, found.frequencies[rows], node.boost)
    return matched_ids, scores


def search_all(searcher, parsed, directory: str, *, limit: int, by_day=None) -> tuple[int, np.ndarray, np.ndarray]:
    """Return (count, global document numbers, scores): every live match counted, the first ``limit`` in order.

    Order: best first, or with ``by_day(reader)`` (a segment's days) newest first; ties by document number.
    ``directory`` is the searched index's folder, whose segments' columns are cached.
    """
    all_ids, all_scores, all_days = [], [], []
    for reader, offset in leaves(searcher.reader()):
        segment = Segment(searcher, reader, directory)
        ids, scores = evaluate(parsed, segment)
        if reader.has_deletions() and len(ids):
            keep = ~np.isin(ids, np.fromiter(reader.deleted_docs_set, dtype=np.int64))
            ids, scores = ids[keep], scores[keep]
        all_ids.append(ids + offset)
        all_scores.append(scores)
        if by_day is not None:
            all_days.append(by_day(reader)[ids])
    if not all_ids:
        return 0, *EMPTY
    ids, scores = np.concatenate(all_ids), np.concatenate(all_scores)
    keys = -np.concatenate(all_days).astype(np.float64) if by_day is not None else -scores.astype(np.float64)
    if len(ids) > 4 * limit:
        # Only the rows that can be in the first ``limit`` are sorted: those at or above the limit-th key.
        cutoff = np.partition(keys, limit - 1)[limit - 1]
        rows = np.flatnonzero(keys <= cutoff)
    else:
        rows = np.arange(len(ids))
    order = rows[np.lexsort((ids[rows], keys[rows]))][:limit]
    return len(ids), ids[order], scores[order]
