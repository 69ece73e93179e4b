"""Write many terms of one field at once: their posting blocks and their entries in the term table.

``whoosh_codec.PackedPostingsWriter`` writes one term at a time as Whoosh's
writer would: a few dozen Python calls per term (its blocks' statistics, the
term info, the term table's row), which came to most of the commit's CPU for a
Reuters-sized segment (65,000 terms). ``write_terms`` computes the same numbers
for a run of terms with numpy (each block's count, last document, largest
weight, shortest and longest field length; each term's total weight, document
count, extremes and extent) and writes the same bytes: a posting file and a term
table equal to the one-term-at-a-time writer's (tests/search_index/test_postings.py).

The totals are sums of weights, which Whoosh adds one posting at a time in
double precision; numpy adds them in another order. The two agree exactly when
every weight is a whole number (a term frequency times a boost of 1, as the
engine's fields give): ``write_terms`` returns False for any other run, and the
caller writes it one term at a time.
"""

import struct
from array import array

import numpy as np
from whoosh.codec.base import OutOfOrderError
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.filedb.filetables import _lengths as KEY_VALUE_LENGTHS
from whoosh.system import pack_ushort
from whoosh.util.numeric import length_to_byte

HEADER = np.dtype([("length", "<i4"), ("count", "<u4"), ("last", "<u4"), ("weight", "<f4"), ("shortest", "u1"),
                   ("longest", "u1"), ("flags", "u1"), ("pad", "u1")])  # ``whoosh_codec.HEADER``
# Whoosh's W3TermInfo: "!BfIBBfII" (inlined, weight, documents, shortest, longest, heaviest, first and last id),
# then the posting list's offset ("!q") and byte length ("!i").
TERM_INFO = np.dtype([("inlined", "u1"), ("weight", ">f4"), ("documents", ">u4"), ("shortest", "u1"),
                      ("longest", "u1"), ("heaviest", ">f4"), ("first", ">u4"), ("last", ">u4"), ("offset", ">i8"),
                      ("length", ">i4")])
EXACT_SUMS = 2.0 ** 53  # whole-number totals below this are exact in any order


def _length_bytes(lengths: np.ndarray) -> np.ndarray:
    """Return Whoosh's length byte (``length_to_byte``) of each length (0 for none: NaN here)."""
    found = np.zeros(len(lengths), dtype=np.uint8)
    known = ~np.isnan(lengths)
    values, inverse = np.unique(lengths[known], return_inverse=True)
    found[known] = np.array([length_to_byte(int(v)) for v in values], dtype=np.uint8)[inverse]
    return found


def write_terms(fieldwriter, terms: list, field_lengths) -> bool:
    """Write a run of one field's terms, in order, as ``PackedPostingsWriter.add_posting_list`` and Whoosh's
    ``W3FieldWriter.finish_term`` would; return False, writing nothing, when the run's weights are not whole
    numbers (the caller then writes it term by term).

    ``terms``: (term bytes, document numbers, weights, value lengths, values) each, as ``TermPool.grouped_terms``
    gives them; ``field_lengths[docnum]``: a document's field length (None or 0 for none; the table None when
    the field keeps none).
    """
    if not terms:
        return True
    ids = np.frombuffer(b"".join(term[1] for term in terms), dtype=np.uint32)
    weights = np.frombuffer(b"".join(term[2] for term in terms), dtype=np.float64)
    single = weights.astype(np.float32)  # a block holds its weights as 32-bit floats, and Whoosh sums those
    if not np.array_equal(np.floor(single), single) or float(np.abs(single).sum()) >= EXACT_SUMS:
        return False
    value_lengths = np.frombuffer(b"".join(term[3] for term in terms), dtype=np.uint32).astype(np.int64)
    values = b"".join(term[4] for term in terms)
    counts = np.fromiter(map(len, (term[1] for term in terms)), dtype=np.int64, count=len(terms))
    term_starts = np.cumsum(counts) - counts
    backwards = np.flatnonzero(np.diff(ids.astype(np.int64)) < 0)
    backwards = backwards[np.isin(backwards + 1, term_starts, invert=True)]  # not where a term starts
    if len(backwards):
        term = int(np.searchsorted(term_starts, backwards[0], side="right") - 1)
        raise OutOfOrderError(f"Postings of {fieldwriter._fieldname}:{terms[term][0]!r} not in document order")

    # Blocks: each term's postings in runs of ``limit``.
    limit = fieldwriter._codec._blocklimit
    block_counts = -(-counts // limit)
    owner = np.repeat(np.arange(len(terms)), block_counts)  # each block's term
    nth = np.arange(len(owner)) - np.repeat(np.cumsum(block_counts) - block_counts, block_counts)
    starts = term_starts[owner] + nth * limit
    sizes = np.minimum(limit, counts[owner] - nth * limit)
    last_of_term = nth == block_counts[owner] - 1

    if field_lengths is None:
        lengths = np.zeros(len(ids))
    else:
        table = np.array([n or 0 for n in field_lengths], dtype=np.float64)
        lengths = table[ids] if len(table) else np.zeros(len(ids))
    present = np.where(lengths > 0, lengths, np.inf)
    shortest = np.minimum.reduceat(present, starts)
    longest = np.maximum.reduceat(lengths, starts)
    heaviest = np.maximum(np.maximum.reduceat(weights, starts), 0)
    with_values = np.minimum.reduceat(value_lengths, starts) > 0  # Whoosh keeps values only when all have one
    value_ends = np.cumsum(value_lengths)
    value_starts = value_ends - value_lengths
    value_sizes = np.add.reduceat(value_lengths, starts)
    padding = np.where(with_values, -value_sizes % 4, 0)
    data_sizes = 8 * sizes + np.where(with_values, 4 * sizes + value_sizes + padding, 0)

    headers = np.zeros(len(owner), dtype=HEADER)
    lengths_field = HEADER.itemsize - 4 + data_sizes
    headers["length"] = np.where(last_of_term, -lengths_field, lengths_field)
    headers["count"] = sizes
    headers["last"] = ids[starts + sizes - 1]
    headers["weight"] = heaviest
    headers["shortest"] = _length_bytes(np.where(np.isinf(shortest), np.nan, shortest))
    headers["longest"] = _length_bytes(longest)
    headers["flags"] = with_values

    # The posting file: per term the magic, then its blocks (header, ids, weights[, value lengths, values, pad]).
    postfile = fieldwriter._postfile
    base = postfile.tell()
    term_sizes = len(WHOOSH3_HEADER_MAGIC) + np.bincount(owner, weights=HEADER.itemsize + data_sizes,
                                                        minlength=len(terms)).astype(np.int64)
    offsets = base + np.cumsum(term_sizes) - term_sizes
    header_bytes = headers.tobytes()
    id_bytes = ids.astype("<u4").tobytes()
    weight_bytes = single.astype("<f4").tobytes()
    value_length_bytes = value_lengths.astype("<u4").tobytes()
    pieces = []
    first_block = np.concatenate(([True], owner[1:] != owner[:-1])).tolist()
    rows = zip(first_block, starts.tolist(), sizes.tolist(), with_values.tolist(), value_starts[starts].tolist(),
               value_sizes.tolist(), padding.tolist())
    size = HEADER.itemsize
    for block, (first, start, count, valued, value_start, value_size, pad) in enumerate(rows):
        if first:
            pieces.append(WHOOSH3_HEADER_MAGIC)
        pieces += (header_bytes[block * size:(block + 1) * size], id_bytes[4 * start:4 * (start + count)],
                   weight_bytes[4 * start:4 * (start + count)])
        if valued:
            pieces += (value_length_bytes[4 * start:4 * (start + count)],
                       values[value_start:value_start + value_size], bytes(pad))
    postfile.write(b"".join(pieces))

    # The term table: each term's info, keyed by the field's number and the term.
    infos = np.zeros(len(terms), dtype=TERM_INFO)
    infos["weight"] = np.add.reduceat(single.astype(np.float64), term_starts)
    infos["documents"] = counts
    term_shortest = np.minimum.reduceat(present, term_starts)
    infos["shortest"] = _length_bytes(np.where(np.isinf(term_shortest), np.nan, term_shortest))
    infos["longest"] = _length_bytes(np.maximum.reduceat(lengths, term_starts))
    infos["heaviest"] = np.maximum(np.maximum.reduceat(weights, term_starts), 0)
    infos["first"] = ids[term_starts]
    infos["last"] = ids[term_starts + counts - 1]
    infos["offset"] = offsets
    infos["length"] = term_sizes
    _add_rows(fieldwriter._tindex, pack_ushort(fieldwriter._fieldid), [term[0] for term in terms], infos.tobytes(),
              TERM_INFO.itemsize)
    return True


def _add_rows(tindex, prefix: bytes, btexts: list[bytes], infos: bytes, width: int) -> None:
    """Add (prefix + term, info) rows to Whoosh's ordered hash writer as its ``add`` does, in one write."""
    dbfile, hashfn, buckets, index = tindex.dbfile, tindex.hashfn, tindex.buckets, tindex.index
    position = dbfile.tell()
    lastkey = tindex.lastkey
    pieces = []
    pack = KEY_VALUE_LENGTHS.pack
    for n, btext in enumerate(btexts):
        key = prefix + btext
        if key <= lastkey:
            raise ValueError(f"Keys must increase: {lastkey!r}..{key!r}")
        index.append(position)
        hashed = hashfn(key)
        buckets[hashed & 255].append((hashed, position))
        pieces += (pack(len(key), width), key, infos[n * width:(n + 1) * width])
        position += 8 + len(key) + width
        lastkey = key
    dbfile.write(b"".join(pieces))
    tindex.lastkey = lastkey


assert array("I").itemsize == 4 and struct.calcsize("<iIIfBBBx") == HEADER.itemsize == 20
assert struct.calcsize("!BfIBBfII") + 12 == TERM_INFO.itemsize
