"""Evaluate a parsed query over whole posting blocks with numpy: every match scored and counted.

Whoosh's matchers walk postings one document at a time in Python, which made a
search cost ~1 microsecond per matching posting, several times over. Here each
term's postings are read a block (128 postings) at a time into arrays; AND, OR,
NOT and the filters become sorted-array set operations, BM25 is computed on the
arrays with Whoosh's own formula and statistics (same scores, same order), and
the total is the exact count of matches. Phrases are checked on the packed
positions (``positions.PackedPositions``) of the documents holding all their
words, all at once with array operations; a date filter reads each match's day
from the segment's cached days. A query with a part this module does not know
raises ``Unsupported`` and is searched by Whoosh.
"""

import numpy as np
from whoosh import query
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.matching import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from search_index.positions import PackedPositions, positions_of
from search_index.whoosh_queries import AllowedDocs, FastPhrase, Filtered
from search_index.whoosh_segments import SEGMENTS, leaves, segment_days

LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
EMPTY = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
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


def postings(segment: Segment, fieldname: str, text, *, values: list | None = None):
    """Return (document numbers, term frequencies) of one term in a segment, deleted documents included.

    With ``values`` (a list), the postings' encoded positions are appended to it, in the same order.
    """
    try:
        matcher = segment.reader.postings(fieldname, text)
    except TermNotFound:
        return EMPTY
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    ids, weights = [], []
    if hasattr(matcher, "_read_ids"):  # a block posting list
        while matcher.is_active():
            matcher._read_data()
            block_ids, block_weights = matcher._data[0], matcher._data[1]
            block_ids = np.asarray(block_ids, dtype=np.int64)
            ids.append(block_ids if matcher._byteids else np.cumsum(block_ids))  # stored as deltas
            if block_weights is None or isinstance(block_weights, float):
                weights.append(np.full(len(block_ids), block_weights or 1.0, dtype=np.float32))
            else:
                weights.append(np.asarray(block_weights, dtype=np.float32))
            if values is not None:
                matcher._read_values()
                values.extend(matcher._values)
            matcher._next_block()
    else:  # a short list stored with the term
        found, frequencies = [], []
        while matcher.is_active():
            found.append(matcher.id())
            frequencies.append(matcher.weight())
            if values is not None:
                values.append(matcher.value())
            matcher.next()
        ids, weights = [np.array(found, dtype=np.int64)], [np.array(frequencies, dtype=np.float32)]
    if not ids:
        return EMPTY
    return np.concatenate(ids), np.concatenate(weights)


def term_scores(segment: Segment, fieldname: str, text, boost: float, *, values: list | None = None):
    """Return (document numbers, BM25 scores) of one term, as Whoosh's BM25F scores it."""
    ids, frequencies = postings(segment, fieldname, text, values=values)
    if not len(ids):
        return EMPTY
    searcher = segment.searcher
    weighting = searcher.weighting
    if not hasattr(weighting, "K1") or not searcher.schema[fieldname].scorable:
        return ids, np.full(len(ids), boost, dtype=np.float32)
    idf = searcher.idf(fieldname, text)
    average = searcher.avg_field_length(fieldname) or 1
    k1, b = weighting.K1, weighting._field_B.get(fieldname, weighting.B)
    lengths = segment.lengths(fieldname)[ids]
    scores = idf * (frequencies * (k1 + 1)) / (frequencies + k1 * ((1 - b) + b * lengths / average))
    return ids, (scores * boost).astype(np.float32)


def evaluate(node, segment: Segment) -> tuple[np.ndarray, np.ndarray]:
    """Return (sorted document numbers, scores) of every document of the segment the query matches."""
    if node is query.NullQuery or isinstance(node, type(query.NullQuery)):
        return EMPTY
    if isinstance(node, query.Term):
        return term_scores(segment, node.fieldname, node.text, node.boost)
    if isinstance(node, FastPhrase):
        return _phrase(node, segment)
    if isinstance(node, AllowedDocs):
        ids = np.asarray(node.allowed(segment.reader), dtype=np.int64)
        return ids, np.zeros(len(ids), dtype=np.float32)
    if isinstance(node, (Filtered, query.Require)):
        return _restrict(evaluate(node.a, segment), node.b, segment)
    if isinstance(node, query.AndNot):
        return _exclude(evaluate(node.a, segment), evaluate(node.b, segment)[0])
    if isinstance(node, query.AndMaybe):
        return _maybe(evaluate(node.a, segment), evaluate(node.b, segment))
    if isinstance(node, query.Not):
        live = segment.live()
        return _exclude((live, np.zeros(len(live), dtype=np.float32)), evaluate(node.query, segment)[0])
    if type(node) is query.And:
        return _and(node, segment)
    if type(node) is query.Or and not any(isinstance(child, query.Not) for child in node.subqueries):
        return _or([evaluate(child, segment) for child in node.subqueries], node.boost)
    raise Unsupported(type(node).__name__)


def _and(node, segment: Segment):
    positive = [child for child in node.subqueries if not isinstance(child, query.Not)]
    negative = [child.query for child in node.subqueries if isinstance(child, query.Not)]
    if not positive:
        raise Unsupported("AND of NOT alone")
    found = evaluate(positive[0], segment)
    for child in positive[1:]:
        if not len(found[0]):
            return EMPTY
        other = evaluate(child, segment)
        common, left, right = np.intersect1d(found[0], other[0], assume_unique=True, return_indices=True)
        found = common, found[1][left] + other[1][right]
    for child in negative:
        found = _exclude(found, evaluate(child, segment)[0])
    return found[0], found[1] * node.boost


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
    return _require(found, evaluate(node, segment)[0])


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
    common, left, right = np.intersect1d(found[0], optional[0], assume_unique=True, return_indices=True)
    extra[left] = optional[1][right]
    return found[0], found[1] + extra


def _phrase(node: FastPhrase, segment: Segment):
    """Score a phrase as the sum of its words' scores, on the documents where the words are in order."""
    if node.slop != 1:
        raise Unsupported("phrase with slop")
    values = [[] for _ in node.words]
    parts = [term_scores(segment, node.fieldname, word, node.boost, values=found)
             for word, found in zip(node.words, values)]
    ids, scores = parts[0]
    rows = [np.arange(len(ids))]
    for other in parts[1:]:
        ids, left, right = np.intersect1d(ids, other[0], assume_unique=True, return_indices=True)
        scores = scores[left] + other[1][right]
        rows = [row[left] for row in rows] + [right]
    if not len(ids):
        return EMPTY
    if not isinstance(segment.searcher.schema[node.fieldname].format, PackedPositions):
        raise Unsupported("positions not packed")
    # A start is (candidate row, position of the first word); word k must stand at that position + k.
    starts = None
    for offset, (found, chosen) in enumerate(zip(values, rows)):
        owner, positions = positions_of([found[i] for i in chosen.tolist()])
        keep = positions >= offset
        keys = owner[keep] * STRIDE + (positions[keep] - offset)
        starts = keys if starts is None else np.intersect1d(starts, keys, assume_unique=True)
        if not len(starts):
            return EMPTY
    matched = np.unique(starts // STRIDE)
    return ids[matched], scores[matched]


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
