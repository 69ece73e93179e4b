"""The re-ranking features of PostgreSQL search's verdicts, computed once when a verdict is written.

A "checked before?" lookup re-ranks its candidates by the character 4-gram cosines of their claim,
headline, whole text and address words against the claim, and by their publication day
(``claim_table.reorder``). Whoosh's claim tables hold those gram sets, computed once per segment;
PostgreSQL search computes them when the drainer writes a verdict's row and keeps them in the row's
``features`` column (migrations/postgres/0039), in the claim tables' own form: the sorted distinct
uint64 hashes of ``claim_table.gram_hashes`` for each of ``GRAM_FIELDS``, from the same
``claim_table.feature_texts`` of the same stored fields, so both engines give the re-ranker the same
numbers. A lookup reads them beside its candidates' BM25 scores and reads the stored fields of the
few verdicts it returns only.

Layout (little-endian): five int64, the publication day (``feature_texts``: 0 when unknown) and the
number of hashes of each field, then the hashes of each field in ``GRAM_FIELDS`` order. A row written
before the column existed holds NULL: a lookup computes its features from its stored fields (the same
numbers, more CPU), and ``PostgresSearch.status`` calls the table outdated so that the indexer rebuilds
it. A change of this layout or of the gram form must set the column back to NULL in a migration.
"""

import numpy as np

from search_index.claim_table import GRAM_FIELDS, ClaimTable, Grams, feature_texts, gram_hashes

HEADER = np.dtype("<i8")
HASHES = np.dtype("<u8")
UNFEATURED = "SELECT 1 AS found FROM search_records WHERE kind = 'verdict' AND features IS NULL LIMIT 1"


def pack(fields: dict) -> bytes:
    """Return the features of a verdict's stored fields (as a lookup reads them) in the column's layout."""
    *texts, day = feature_texts(fields)
    sets = [gram_hashes(text) for text in texts]
    header = np.array([day, *(len(grams) for grams in sets)], dtype=HEADER)
    return header.tobytes() + b"".join(grams.astype(HASHES).tobytes() for grams in sets)


def unpack(blob: bytes) -> tuple[int, list[np.ndarray]]:
    """Return the day and the gram sets (one per ``GRAM_FIELDS``) a ``features`` value holds."""
    header = np.frombuffer(blob, dtype=HEADER, count=1 + len(GRAM_FIELDS))
    values = np.frombuffer(blob, dtype=HASHES, offset=header.nbytes)
    ends = np.cumsum(header[1:])
    if len(values) != (ends[-1] if len(ends) else 0):
        raise ValueError(f"a features value of {len(blob)} bytes does not hold the hashes its header counts")
    starts = np.concatenate([[0], ends[:-1]])
    return int(header[0]), [values[start:end] for start, end in zip(starts, ends)]


def table_of(features: list[bytes | None], fields: list[dict | None]) -> ClaimTable:
    """Return a ClaimTable of candidates (row i: ``features[i]``, or when that is None the features computed
    from ``fields[i]``) holding only what re-ranking reads: their gram sets and days.

    All the values are read as one array and gathered per field with a few array operations (a lookup
    reads some 70 candidates).
    """
    blobs = [blob if blob is not None else pack(stored) for blob, stored in zip(features, fields)]
    width = 1 + len(GRAM_FIELDS)
    words = np.frombuffer(b"".join(blobs), dtype=HEADER)
    sizes = np.array([len(blob) // HEADER.itemsize for blob in blobs], dtype=np.int64)
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    header = words[first[:, None] + np.arange(width)] if len(blobs) else np.zeros((0, width), dtype=np.int64)
    counts = header[:, 1:]
    if np.any(counts.sum(axis=1) != sizes - width):
        raise ValueError("a features value does not hold the hashes its header counts")
    values = words.view(HASHES)
    field_start = first + width
    grams = {}
    for number, name in enumerate(GRAM_FIELDS):
        starts = np.zeros(len(blobs) + 1, dtype=np.int64)
        np.cumsum(counts[:, number], out=starts[1:])
        index = np.repeat(field_start - starts[:-1], counts[:, number]) + np.arange(starts[-1])
        grams[name] = Grams(starts, values[index])
        field_start = field_start + counts[:, number]
    count = len(blobs)
    return ClaimTable(np.arange(count), np.zeros(count), [], [0], [], [], grams, header[:, 0])
