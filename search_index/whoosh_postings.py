"""The engine's Whoosh writer: postings gathered term by term, then written a whole posting list at a time.

Whoosh's writer keeps every posting as a tuple (field, term, document, weight,
value) in a pool, sorts them all at commit (pickling them to run files and
merging those once the pool passes its memory limit: at Reuters' 1.7 million
postings it always did) and hands them one by one to the codec, which looks up
each posting's field length and adds it to its block in Python. Here the pool
(``TermPool``) appends each posting to its term's arrays as documents arrive, in
document order, so nothing is sorted but the terms, and the codec
(``whoosh_codec.PackedFieldWriter``) writes each term's blocks from those arrays
with the field lengths read once. The segment written is byte for byte the one
Whoosh's pool gives with the same codec (tests/search_index/test_postings.py).

Past ``limitmb`` of postings the pool saves its terms, sorted, to a run file in
the writer's temporary folder (a few pickles per term, not one per posting) and
merges the runs at commit, as Whoosh's pool does.
"""

import heapq
import itertools
import pickle
from array import array

from whoosh.writing import SegmentWriter

from search_index.whoosh_codec import CODEC

TERM_OVERHEAD = 400  # bytes a term's entry holds besides its postings (key, four arrays)
POSTING_BYTES = 16  # bytes a posting holds besides its value: document, weight (a double), value length


class TermPool:
    """A writer's postings grouped by (field, term), each term's in the order its documents were added."""

    def __init__(self, tempstore, limitmb: float = 128):
        self.tempstore = tempstore
        self.limit = limitmb * 1024 * 1024
        self.size = 0
        self.terms: dict[tuple[str, bytes], tuple[array, array, array, bytearray]] = {}
        self.runs: list[str] = []
        self.fieldnames: set[str] = set()

    def add(self, item) -> None:
        """Add one posting: (fieldname, term bytes, document number, weight, value bytes or None)."""
        fieldname, btext, docnum, weight, value = item
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

    def save(self) -> None:
        """Write the terms held so far to a run file, sorted, and empty the pool."""
        if not self.terms:
            return
        name = f"terms-{len(self.runs)}.run"
        with self.tempstore.create_file(name).raw_file() as run:
            for (fieldname, btext), (ids, weights, lengths, values) in sorted(self.terms.items()):
                pickle.dump((fieldname, btext, ids.tobytes(), weights.tobytes(), lengths.tobytes(), bytes(values)),
                            run, pickle.HIGHEST_PROTOCOL)
        self.runs.append(name)
        self.terms, self.size = {}, 0

    def iter_postings(self) -> "TermPool":
        """Return the postings for the codec (``whoosh_codec.PackedFieldWriter`` reads ``grouped_terms``)."""
        return self

    def grouped_terms(self):
        """Yield (fieldname, term bytes, documents, weights, value lengths, values) per term, in order."""
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
        self.terms, self.size = {}, 0
        for name in self.runs:
            if self.tempstore.file_exists(name):
                self.tempstore.delete_file(name)
        self.runs = []


def _array(typecode: str, data: bytes) -> array:
    found = array(typecode)
    found.frombytes(data)
    return found


class PackedSegmentWriter(SegmentWriter):
    """Whoosh's segment writer with the engine's codec and a ``TermPool``."""

    def __init__(self, ix, *, limitmb: float = 128, **options):
        super().__init__(ix, limitmb=limitmb, codec=CODEC, **options)
        self.pool = TermPool(self._tempstorage, limitmb=limitmb)


def open_writer(ix, *, procs: int = 1, **options):
    """Return a writer of the Whoosh index ``ix`` with the engine's codec (``procs`` > 1: Whoosh's own
    multi-process writer, each process writing a segment)."""
    if procs > 1:
        return ix.writer(procs=procs, codec=CODEC, **options)
    return PackedSegmentWriter(ix, **options)
