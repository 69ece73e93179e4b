"""The engine's Whoosh writer: postings gathered term by term, then written a whole posting list at a time.

Whoosh's writer keeps every posting as a tuple (field, term, document, weight,
value) in a pool, sorts them all at commit (pickling them to run files and
merging those once the pool passes its memory limit: at Reuters' 1.7 million
postings it always did) and hands them one by one to the codec, which looks up
each posting's field length and adds it to its block in Python. Here the pool
(``TermPool``) appends each posting to its term's arrays as documents arrive, in
document order, so nothing is sorted but the terms, and the codec
(``whoosh_codec.PackedFieldWriter``) writes each term's blocks from those arrays
with the field lengths read once. A field of packed positions (``content``,
``claimant``) is not even split into postings as documents arrive: each text is
analysed once into its terms, held as term numbers, and ``TermPool.settle``
sorts all of them into postings with numpy (a stable sort by term keeps each
term's documents and positions in order). The segment written is byte for byte
the one Whoosh's pool gives with the same codec (tests/search_index/test_postings.py).

Past ``limitmb`` of postings the pool saves its terms, sorted, to a run file in
the writer's temporary folder (a few pickles per term, not one per posting) and
merges the runs at commit, as Whoosh's pool does.
"""

import contextlib
import heapq
import itertools
import pickle
from array import array

import numpy as np
from whoosh.analysis import IDTokenizer
from whoosh.codec.whoosh3 import W3PerDocWriter
from whoosh.formats import Existence
from whoosh.writing import SegmentWriter

from search_index.analysis import normalized
from search_index.positions import WIDTH, PackedPositions
from search_index.whoosh_codec import CODEC
from search_index.words import words_of

TERM_OVERHEAD = 400  # bytes a term's entry holds besides its postings (key, four arrays)
POSTING_BYTES = 16  # bytes a posting holds besides its value: document, weight (a double), value length
STOPPED = -1  # the term number of a stop word: no term
NARROW_TERMS = 1 << 16  # term numbers below this fit 16 bits (``TermPool.settle`` sorts them so)
TOKEN_BYTES = 24  # bytes a held token of a packed-positions field comes to once settled into postings


class TermPool:
    """A writer's postings grouped by (field, term), each term's in the order its documents were added."""

    def __init__(self, tempstore, limitmb: float = 128):
        self.tempstore = tempstore
        self.limit = limitmb * 1024 * 1024
        self.size = 0
        self.terms: dict[tuple[str, bytes], tuple[array, array, array, bytearray]] = {}
        self.runs: list[str] = []
        self.fieldnames: set[str] = set()
        self.tokens: dict[str, _Tokens] = {}  # fieldname -> the terms of its packed positions, as added

    def add(self, item) -> None:
        """Add one posting: (fieldname, term bytes, document number, weight, value bytes or None)."""
        fieldname, btext, docnum, weight, value = item
        if fieldname in self.tokens:  # its held tokens are of earlier documents (a merge adds later ones)
            self.settle()
        entry = self.terms.get((fieldname, btext))
        if entry is None:
            entry = self.terms[fieldname, btext] = (array("I"), array("d"), array("I"), bytearray())
            self.fieldnames.add(fieldname)
            self.size += TERM_OVERHEAD
        entry[0].append(docnum)
        entry[1].append(weight)
        if value:
            entry[2].append(len(value))
            entry[3].extend(value)
            self.size += POSTING_BYTES + len(value)
        else:
            entry[2].append(0)
            self.size += POSTING_BYTES
        if self.size > self.limit:
            self.save()

    def add_tokens(self, fieldname: str, docnum: int, text: str, boost: float) -> int:
        """Add one document's text to a field whose postings are packed positions; return its term count.

        The text is read as ``words.analyze`` reads it, each distinct word normalized once per pool; its
        terms are kept as term numbers, and ``settle`` sorts them into postings all at once, each with the
        positions ``positions.PackedPositions`` packs and the weight ``frequency * boost`` Whoosh gives.
        """
        tokens = self.tokens.get(fieldname)
        if tokens is None:
            tokens = self.tokens[fieldname] = _Tokens(boost)
            self.fieldnames.add(fieldname)
        elif tokens.boost != boost:  # a weight of its own: settle what is held, so postings stay in order
            self.settle()
            return self.add_tokens(fieldname, docnum, text, boost)
        known = len(tokens.vocabulary)
        words = words_of(text)
        word_ids = tokens.word_ids
        numbers = list(map(word_ids.get, words))
        if None in numbers:  # words not met before: normalize each once (in sorted order: numbers are only names)
            for word in sorted(set(words).difference(word_ids)):
                tokens.number(word)
            numbers = list(map(word_ids.__getitem__, words))
        if STOPPED in numbers:
            numbers = [number for number in numbers if number != STOPPED]
        tokens.term_ids.extend(numbers)
        tokens.docnums.append(docnum)
        tokens.counts.append(len(numbers))
        self.size += TOKEN_BYTES * len(numbers) + TERM_OVERHEAD * (len(tokens.vocabulary) - known)
        if self.size > self.limit:
            self.save()
        return len(numbers)

    def settle(self) -> None:
        """Turn the tokens held into postings in ``terms``: per term, its documents in order, each posting's
        weight, value length and positions (little-endian 32-bit), as ``add`` would hold them."""
        for fieldname, tokens in self.tokens.items():
            total = len(tokens.term_ids)
            if not total:
                continue
            counts = np.frombuffer(tokens.counts, dtype=np.uint32).astype(np.int64)
            term_ids = np.frombuffer(tokens.term_ids, dtype=np.uint32)
            documents = np.repeat(np.frombuffer(tokens.docnums, dtype=np.uint32), counts)
            positions = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
            # By term; each term's documents and positions stay in order. Fewer than 65,536 terms (Reuters holds
            # ~48,000) sort as 16-bit numbers, which numpy's stable sort orders by radix, the same order faster.
            narrow = term_ids.astype(np.uint16) if len(tokens.vocabulary) <= NARROW_TERMS else term_ids
            order = np.argsort(narrow, kind="stable")
            term_ids, documents, positions = term_ids[order], documents[order], positions[order]
            starts = np.flatnonzero(np.concatenate(
                ([True], (term_ids[1:] != term_ids[:-1]) | (documents[1:] != documents[:-1]))))
            frequencies = np.diff(np.append(starts, total))
            posting_terms = term_ids[starts]
            firsts = np.flatnonzero(np.concatenate(([True], posting_terms[1:] != posting_terms[:-1])))
            bounds = np.append(firsts, len(starts)).tolist()
            token_bounds = np.append(starts[firsts], total).tolist()
            ids = array("I", documents[starts].astype(np.uint32).tobytes())
            weights = array("d", (frequencies.astype(np.float64) * tokens.boost).tobytes())
            lengths = array("I", (frequencies * WIDTH).astype(np.uint32).tobytes())
            values = positions.astype("<u4").tobytes()
            words = list(tokens.vocabulary)
            terms = self.terms
            for n, term_id in enumerate(posting_terms[firsts].tolist()):
                a, b = bounds[n], bounds[n + 1]
                key = (fieldname, words[term_id].encode("utf-8"))
                held = (ids[a:b], weights[a:b], lengths[a:b],
                        bytearray(values[token_bounds[n] * WIDTH:token_bounds[n + 1] * WIDTH]))
                entry = terms.get(key)
                if entry is None:
                    terms[key] = held
                else:
                    for part, more in zip(entry, held):
                        part.extend(more)
        self.tokens = {}

    def save(self) -> None:
        """Write the terms held so far to a run file, sorted, and empty the pool."""
        self.settle()
        if not self.terms:
            return
        name = f"terms-{len(self.runs)}.run"
        with self.tempstore.create_file(name).raw_file() as run:
            for (fieldname, btext), (ids, weights, lengths, values) in sorted(self.terms.items()):
                pickle.dump((fieldname, btext, ids.tobytes(), weights.tobytes(), lengths.tobytes(), bytes(values)),
                            run, pickle.HIGHEST_PROTOCOL)
        self.runs.append(name)
        self.terms, self.tokens, self.size = {}, {}, 0

    def iter_postings(self) -> "TermPool":
        """Return the postings for the codec (``whoosh_codec.PackedFieldWriter`` reads ``grouped_terms``)."""
        return self

    def grouped_terms(self):
        """Yield (fieldname, term bytes, documents, weights, value lengths, values) per term, in order."""
        self.settle()
        held = ((f, t, *entry) for (f, t), entry in sorted(self.terms.items()))
        if not self.runs:
            yield from held
            return
        # The runs hold earlier documents than the pool, and earlier runs than later ones: for a term, the
        # postings of each source follow those of the one before.
        sources = [self._read_run(name) for name in self.runs] + [held]
        merged = heapq.merge(*sources, key=lambda row: (row[0], row[1]))
        for (fieldname, btext), rows in itertools.groupby(merged, key=lambda row: (row[0], row[1])):
            ids, weights, lengths, values = array("I"), array("d"), array("I"), bytearray()
            for row in rows:
                ids.extend(row[2])
                weights.extend(row[3])
                lengths.extend(row[4])
                values.extend(row[5])
            yield fieldname, btext, ids, weights, lengths, values

    def _read_run(self, name: str):
        with self.tempstore.open_file(name).raw_file() as run:
            while True:
                try:
                    fieldname, btext, ids, weights, lengths, values = pickle.load(run)
                except EOFError:
                    return
                yield fieldname, btext, _array("I", ids), _array("d", weights), _array("I", lengths), values

    def cleanup(self) -> None:
        """Drop the postings and delete the run files."""
        self.terms, self.tokens, self.size = {}, {}, 0
        for name in self.runs:
            if self.tempstore.file_exists(name):
                self.tempstore.delete_file(name)
        self.runs = []


class _Tokens:
    """One packed-positions field's terms as documents arrive: term numbers, and each document's count."""

    def __init__(self, boost: float):
        self.boost = boost
        self.vocabulary: dict[str, int] = {}  # term -> its number, in order of first use
        self.word_ids: dict[str, int] = {}  # word as written -> its term's number, or STOPPED
        self.term_ids, self.docnums, self.counts = array("I"), array("I"), array("I")

    def number(self, word: str) -> int:
        """Return the number of a word's term (``words.normalized``), STOPPED for a stop word."""
        term = normalized(word)
        number = self.vocabulary.setdefault(term, len(self.vocabulary)) if term else STOPPED
        self.word_ids[word] = number
        return number


def _array(typecode: str, data: bytes) -> array:
    found = array(typecode)
    found.frombytes(data)
    return found


TOKENS, WHOLE, ANALYZED = "tokens", "whole", "analyzed"  # how a field's value becomes postings (``_FieldPlan``)


class _FieldPlan:
    """What ``PackedSegmentWriter.add_document`` does with one field, worked out once per writer.

    ``how``: TOKENS (a text in the one word analysis: ``TermPool.add_tokens``), WHOLE (an ``ID`` field: its
    value is its one term, weighted by the field's boost, as Whoosh's ``IDTokenizer`` and ``Existence``
    format give it), ANALYZED (any other indexed field: Whoosh's ``field.index``) or None (not indexed).
    """

    __slots__ = ("boost", "column", "field", "how", "scorable", "stored")

    def __init__(self, field):
        self.field = field
        self.how = None
        if field.indexed:
            if type(field.format) is PackedPositions:
                self.how = TOKENS
            elif type(field.format) is Existence and type(field.analyzer) is IDTokenizer:
                self.how = WHOLE
            else:
                self.how = ANALYZED
        self.stored, self.scorable, self.column = field.stored, field.scorable, field.column_type
        self.boost = field.format.field_boost if field.format else 1.0


class PackedSegmentWriter(SegmentWriter):
    """Whoosh's segment writer with the engine's codec and a ``TermPool``."""

    def __init__(self, ix, *, limitmb: float = 128, **options):
        super().__init__(ix, limitmb=limitmb, codec=CODEC, **options)
        self.pool = TermPool(self._tempstorage, limitmb=limitmb)
        # Spelling words and term vectors (the engine's schema has none) go Whoosh's own way, as does any
        # per-document writer but the codec's W3PerDocWriter (whose stored values ``add_document`` fills).
        self._whoosh_way = (any(field.separate_spelling() or field.vector for _, field in self.schema.items())
                            or type(self.perdocwriter) is not W3PerDocWriter)
        self._plans: dict[str, _FieldPlan] = {}

    def add_document(self, **fields):
        """Add a document as Whoosh's ``SegmentWriter.add_document`` does, reading each field as its
        ``_FieldPlan`` says instead of through Whoosh's generators and token objects.

        Without boosts or custom stored values (no ``_`` argument) every field's boost is 1.0, so the plan's
        postings are Whoosh's: the same terms, frequencies and weights, each length and stored value the same.
        """
        if self._whoosh_way or any(name[0] == "_" for name in fields):
            return self._add_weighted(fields)
        self._check_state()
        plans = self._plans
        if not plans.keys() >= fields.keys():
            self._check_fields(self.schema, fields.keys())
            plans.update((name, _FieldPlan(self.schema[name])) for name in fields if name not in plans)
        perdocwriter, pool = self.perdocwriter, self.pool
        with self._document() as docnum:
            stored = perdocwriter._storedfields  # what W3PerDocWriter.add_field keeps of a stored value
            for fieldname in sorted(fields):
                value = fields[fieldname]
                if value is None:
                    continue
                plan = plans[fieldname]
                how, length = plan.how, 0
                if how is TOKENS and type(value) is str:
                    count = pool.add_tokens(fieldname, docnum, value, plan.boost)
                    length = count if plan.scorable else 0
                elif how is WHOLE and type(value) is str:
                    pool.add((fieldname, value.encode("utf-8"), docnum, plan.boost, b""))
                    length = 1 if plan.scorable else 0
                elif how is not None:
                    for tbytes, freq, weight, vbytes in plan.field.index(value):
                        length += freq if plan.scorable else 0
                        pool.add((fieldname, tbytes, docnum, weight, vbytes))
                if length:
                    perdocwriter.add_field(fieldname, plan.field, value if plan.stored else None, length)
                elif plan.stored:
                    stored[fieldname] = value
                if plan.column:
                    perdocwriter.add_column_value(fieldname, plan.column, plan.field.to_column_value(value))

    @contextlib.contextmanager
    def _document(self):
        """Start the next document and yield its number; a field that fails cancels it, else it is counted."""
        self.perdocwriter.start_doc(self.docnum)
        try:
            yield self.docnum
        except Exception:
            self.perdocwriter.cancel_doc()
            raise
        self.perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_weighted(self, fields: dict) -> None:
        """Add a document with boosts or custom stored values (or to a schema with spelling or vectors) as
        Whoosh's ``add_document`` does; a text field in the one word analysis goes to the pool term by term."""
        if self._whoosh_way:
            return super().add_document(**fields)
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        pool = self.pool
        docboost = self._doc_boost(fields)
        fieldnames = sorted([name for name in fields if not name.startswith("_")])
        self._check_fields(schema, fieldnames)
        with self._document() as docnum:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    if type(value) is str and type(field.format) is PackedPositions and fieldboost == 1.0:
                        count = pool.add_tokens(fieldname, docnum, value, field.format.field_boost)
                        if field.scorable:
                            length = count
                    else:
                        scorable = field.scorable
                        for tbytes, freq, weight, vbytes in field.index(value):
                            weight *= fieldboost
                            if scorable:
                                length += freq
                            pool.add((fieldname, tbytes, docnum, weight, vbytes))
                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
                if field.column_type and customval is not None:
                    perdocwriter.add_column_value(fieldname, field.column_type, field.to_column_value(customval))


def open_writer(ix, *, procs: int = 1, **options):
    """Return a writer of the Whoosh index ``ix`` with the engine's codec (``procs`` > 1: Whoosh's own
    multi-process writer, each process writing a segment)."""
    if procs > 1:
        return ix.writer(procs=procs, codec=CODEC, **options)
    return PackedSegmentWriter(ix, **options)
