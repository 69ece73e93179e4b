"""Whoosh's codec with posting blocks stored as raw little-endian arrays, read with numpy in a few calls.

Whoosh's W3 codec pickles each block of 128 postings (a header tuple, then the
ids, weights and values compressed with zlib): reading a block of a common word
cost ~0.3 ms of unpickling and decompressing, so a search reading every block
of "of" or "the" was slow. Here a posting list is Whoosh's 4-byte magic, then
blocks of 32-bit little-endian words: a header (``HEADER``: the signed length
of the rest of the block, negative for the last one; the posting count; the
last document number; the maximum weight; the shortest and longest field
length bytes; flags), the document numbers, the weights and, when the format
has values, each value's byte length and the values, padded to 4 bytes.
Everything else (term infos, vectors, columns) is Whoosh's own.

``PackedLeafMatcher`` serves Whoosh's matcher interface from those blocks;
``term_blocks`` reads a whole posting list at once and ``TermBlocks`` gathers
the document numbers, weights and positions of any of its blocks with array
indexing, without a Python step per posting (``whoosh_vector`` searches with
it). ``PackedFieldWriter`` writes a whole term's posting list at once from the
grouped pool of ``whoosh_postings``, block by block as Whoosh would. Every writer
of the engine uses ``CODEC`` (``whoosh_postings.open_writer``); segments keep
their codec, so an index written before reads as before.
"""

import struct
import sys
from array import array

import numpy as np
from whoosh.codec.base import OutOfOrderError
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3LeafMatcher,
    W3PerDocReader,
    W3PostingsWriter,
    _lenfield,
)
from whoosh.util.numeric import byte_to_length, length_to_byte

from search_index.whoosh_terms import write_terms

HEADER = struct.Struct("<iIIfBBBx")  # length, count, last id, max weight, min length, max length, flags
WORDS = HEADER.size // 4
HAS_VALUES = 1
RUN_POSTINGS = 1 << 20  # postings of a field's terms written at once (their copies are held meanwhile)
_SWAP = sys.byteorder != "little"  # arrays are written little-endian whatever the machine
LENGTHS = [byte_to_length(code) for code in range(256)]


def _le_bytes(values: array) -> bytes:
    """Return an array's items as little-endian bytes."""
    if _SWAP:
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def _from_le(typecode: str, data) -> array:
    """Return an array of little-endian items read from bytes."""
    values = array(typecode)
    values.frombytes(data)
    if _SWAP:
        values.byteswap()
    return values


class PackedPostingsWriter(W3PostingsWriter):
    """Write each posting block as raw arrays (vector postings, keyed by bytes, stay Whoosh's pickles)."""

    def _write_block(self, last=False):
        if self._byteids:
            return super()._write_block(last)
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        ids, weights, values = self._ids, self._weights, self._values
        flags = 0
        parts = [_le_bytes(ids), _le_bytes(array("f", weights))]
        if self._packed is not None:  # a block of ``add_posting_list``: value lengths and values already joined
            lengths, joined = self._packed
        elif values and len(values) == len(ids):
            lengths, joined = array("I", map(len, values)), b"".join(values)
        else:
            lengths = None
        if lengths is not None:
            flags |= HAS_VALUES
            parts += [_le_bytes(lengths), joined, bytes(-len(joined) % 4)]
        data = b"".join(parts)
        length = HEADER.size - 4 + len(data)
        self._postfile.write(HEADER.pack(-length if last else length, len(ids), ids[-1], self._maxweight,
                                         length_to_byte(self._minlength), length_to_byte(self._maxlength), flags))
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()

    def _new_block(self):
        super()._new_block()
        self._packed = None

    def add_posting_list(self, ids: array, weights: array, value_lengths: array, values: bytes, lengths) -> None:
        """Add a whole term's postings (between ``start_postings`` and ``finish_postings``), block by block.

        ``ids`` ascending document numbers, ``weights`` their weights, ``value_lengths`` the byte length of each
        posting's value within ``values``; ``lengths[docnum]`` a document's field length (None or 0 for none;
        ``lengths`` None when the field keeps none). The blocks are those ``add_posting`` one at a time makes.
        """
        count, limit = len(ids), self._blocklimit
        if self._byteids or self._inlinelimit > 1 or len(self._ids):
            raise ValueError("a whole posting list is added to a fresh term of document postings, never inlined")
        cursor = 0
        for start in range(0, count, limit):
            end = min(start + limit, count)
            block = ids[start:end]
            self._ids = block
            self._weights = array("f", weights[start:end])
            heaviest = max(weights[start:end])
            self._maxweight = max(0, heaviest)
            found = [n for n in map(lengths.__getitem__, block) if n] if lengths is not None else None
            self._minlength, self._maxlength = (min(found), max(found)) if found else (None, 0)
            sizes = value_lengths[start:end]
            size = sum(sizes)
            # Whoosh keeps a block's values only when every posting has one.
            self._packed = (sizes, values[cursor:cursor + size]) if all(sizes) else None
            cursor += size
            if end < count:
                self._write_block()


class PackedFieldWriter(W3FieldWriter):
    """Whoosh's field writer, writing a pool's postings a whole term at a time when the pool groups them
    (``whoosh_postings.TermPool``); other postings one at a time, as Whoosh does."""

    def add_postings(self, schema, lengths, items):
        grouped_terms = getattr(items, "grouped_terms", None)
        if grouped_terms is None:
            return super().add_postings(schema, lengths, items)
        fieldname, run, postings, field_lengths = None, [], 0, None
        for term in grouped_terms():
            if term[0] != fieldname:
                if fieldname is not None:
                    self._write_run(run, field_lengths)
                    self.finish_field()
                fieldname, run, postings = term[0], [], 0
                self.start_field(fieldname, schema[fieldname])
                field_lengths = length_table(lengths, fieldname)
            run.append(term[1:])
            postings += len(term[2])
            if postings >= RUN_POSTINGS:
                self._write_run(run, field_lengths)
                run, postings = [], 0
        if fieldname is not None:
            self._write_run(run, field_lengths)
            self.finish_field()

    def _write_run(self, run: list, field_lengths) -> None:
        """Write a run of the current field's terms: all at once (``whoosh_terms``), else one at a time."""
        if not _SWAP and self._postwriter._inlinelimit <= 1 and write_terms(self, run, field_lengths):
            return
        for btext, ids, weights, value_lengths, values in run:
            if len(ids) > 1 and ids != array("I", sorted(ids)):
                raise OutOfOrderError(f"Postings of {self._fieldname}:{btext!r} not in document order")
            self.start_term(btext)
            self._postwriter.add_posting_list(ids, weights, value_lengths, values, field_lengths)
            self.finish_term()


def length_table(lengths, fieldname: str):
    """Return each document's length in a field as the writer reads it (``lengths.doc_field_length``), or None
    when no document has one."""
    if lengths is None:
        return None
    if isinstance(lengths, PackedPerDocReader):
        codes = lengths.length_codes(fieldname)
        if codes is None:
            return None
        return [LENGTHS[code] if code else None for code in codes] + [None] * (lengths.doc_count_all() - len(codes))
    return [lengths.doc_field_length(docnum, fieldname) for docnum in range(lengths.doc_count_all())]


class PackedLeafMatcher(W3LeafMatcher):
    """Serve Whoosh's matcher interface from the blocks ``PackedPostingsWriter`` wrote."""

    def _goto(self, position):
        self._data = self._ids = self._weights = self._values = None
        self._i = 0
        length, count, maxid, maxweight, shortest, longest, self._flags = HEADER.unpack(
            self._postfile.get(position, HEADER.size))
        self._lastblock = length < 0
        self._nextoffset = position + 4 + abs(length)
        self._dataoffset = position + HEADER.size
        self._blocklength, self._maxid, self._maxweight, self._compression = count, maxid, maxweight, 0
        self._minlength, self._maxlength = byte_to_length(shortest), byte_to_length(longest)

    def _read_data(self):
        self._data = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)

    def _read_ids(self):
        if self._data is None:
            self._read_data()
        self._ids = _from_le("I", self._data[:4 * self._blocklength])

    def _read_weights(self):
        if self._data is None:
            self._read_data()
        count = self._blocklength
        self._weights = _from_le("f", self._data[4 * count:8 * count])

    def _read_values(self):
        if self._data is None:
            self._read_data()
        count, data = self._blocklength, self._data
        if not self._flags & HAS_VALUES:
            self._values = (None if self._fixedsize == 0 else b"",) * count
            return
        cursor, values = 12 * count, []
        for length in _from_le("I", data[8 * count:12 * count]):
            values.append(data[cursor:cursor + length])
            cursor += length
        self._values = tuple(values)


class TermBlocks:
    """A whole posting list read at once: its blocks' last ids, and their postings gathered by array indexing."""

    def __init__(self, data: bytes):
        self.words = np.frombuffer(data, dtype="<u4", count=len(data) // 4)
        starts, counts, last_ids, flags = [], [], [], []
        cursor = 4  # after the magic
        while True:
            length, count, last_id, _, _, _, flag = HEADER.unpack_from(data, cursor)
            starts.append(cursor // 4 + WORDS)
            counts.append(count)
            last_ids.append(last_id)
            flags.append(flag)
            if length < 0:
                break
            cursor += 4 + length
        self.starts = np.array(starts, dtype=np.int64)  # each block's first document number, in words
        self.counts = np.array(counts, dtype=np.int64)
        self.last_ids = np.array(last_ids, dtype=np.int64)
        self.has_values = bool(all(f & HAS_VALUES for f in flags))

    def blocks_holding(self, wanted: np.ndarray) -> np.ndarray:
        """Return the numbers of the blocks that may hold any of the sorted document numbers ``wanted``."""
        blocks = np.unique(np.searchsorted(self.last_ids, wanted))
        return blocks[blocks < len(self.last_ids)]

    def postings(self, blocks: np.ndarray | None = None, *, wanted: np.ndarray | None = None,
                 positions: bool = False):
        """Return (ids, weights[, owners, positions]) of the given blocks (all by default).

        ``wanted`` (sorted document numbers) keeps only the postings of those documents, before their
        positions are read. ``owners[i]`` is the row in ``ids`` of ``positions[i]``, read as 32-bit words.
        """
        if blocks is None:
            starts, counts = self.starts, self.counts
        else:
            starts, counts = self.starts[blocks], self.counts[blocks]
        rows = ranges(starts, counts)
        ids = self.words[rows].astype(np.int64)
        block_counts = np.repeat(counts, counts)
        kept = slice(None) if wanted is None else np.isin(ids, wanted, assume_unique=True)
        weights = self.words[rows[kept] + block_counts[kept]].view("<f4").astype(np.float32)
        if not positions:
            return ids[kept], weights
        if not self.has_values:
            raise ValueError("these postings have no values")
        sizes = self.words[rows + 2 * block_counts].astype(np.int64) // 4
        # Values start after each block's three arrays, one after the other.
        before = np.cumsum(sizes) - sizes
        first_row = np.cumsum(counts) - counts
        value_starts = np.repeat(starts + 3 * counts, counts) + before - np.repeat(before[first_row], counts) \
            if len(counts) else before
        ids, value_starts, sizes = ids[kept], value_starts[kept], sizes[kept]
        found = self.words[ranges(value_starts, sizes)].astype(np.int64)
        return ids, weights, np.repeat(np.arange(len(ids), dtype=np.int64), sizes), found


def ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Return the indexes start, start + 1, ... start + count - 1 of each (start, count), concatenated."""
    total = int(counts.sum()) if len(counts) else 0
    if not total:
        return np.zeros(0, dtype=np.int64)
    steps = np.ones(total, dtype=np.int64)
    heads = np.cumsum(counts) - counts
    nonempty = counts > 0
    steps[heads[nonempty]] = starts[nonempty] - np.concatenate(([0], (starts + counts - 1)[nonempty][:-1]))
    return np.cumsum(steps)


def term_blocks(matcher: PackedLeafMatcher) -> TermBlocks:
    """Return the whole posting list of a block matcher, read in one call."""
    length = matcher._length  # Whoosh's term info reads it back as a 1-tuple
    return TermBlocks(matcher._postfile.get(matcher._startoffset, length[0] if isinstance(length, tuple) else length))


class PackedPerDocReader(W3PerDocReader):
    """Whoosh's per-document reader with each field's length bytes read at once.

    Whoosh's writer asks for a document's field length once per posting it writes; the stock reader reads one
    byte from the file each time.
    """

    def doc_field_length(self, docnum, fieldname, default=0):
        if docnum > self._doccount:
            raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
        found = self.length_codes(fieldname)
        if found is None:
            return default
        code = found[docnum] if docnum < len(found) else 0
        return LENGTHS[code] if code else None  # as Whoosh's reader: None for an empty field

    def length_codes(self, fieldname: str) -> bytes | None:
        """Return the length byte of each document in a field (None when the field keeps no lengths)."""
        codes = self.__dict__.setdefault("_length_codes", {})
        if fieldname not in codes:
            reader = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            codes[fieldname] = None if reader is None else reader._dbfile.get(reader._basepos, reader._count)
        return codes[fieldname]


class PackedCodec(W3Codec):
    """Whoosh's W3 codec with raw-array posting blocks (``PackedPostingsWriter``, ``PackedLeafMatcher``)."""

    def field_writer(self, storage, segment):
        return PackedFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return PackedPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids, compression=0,
                                    inlinelimit=self._inlinelimit)

    def per_document_reader(self, storage, segment):
        return PackedPerDocReader(storage, segment)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return PackedLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


CODEC = PackedCodec()
