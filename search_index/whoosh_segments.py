"""Per-segment data of the Whoosh engine, read once per process: publication days and claim tables.

Filters stay fast at 200k documents because they never become Whoosh filter
sets (which build a set per query and turn off Whoosh's block-max skipping):
each segment's publication days are read once into a numpy array (cached per
segment, which never changes), and a date range becomes a sorted list of
allowed document numbers (see ``whoosh_queries.AllowedDocs``). "Checked
before?" lookups of verdicts use the numpy tables of ``claim_table.py``, one per
segment, saved beside it.
"""

import contextlib
import os
import threading

import numpy as np

from search_index.claim_table import ClaimTable, feature_texts
from search_index.whoosh_schema import analyze

CLAIMS_FILE = ".claims-{}.npz"  # a verdict segment's saved claim table


class SegmentCache:
    """Per-segment data read once per process: publication days and the verdict claim table.

    Keyed by the segment's directory and id; entries for segments a directory no
    longer has are dropped whenever that directory is looked at again.
    """

    def __init__(self):
        self._entries: dict[tuple[str, str], dict] = {}
        self._lock = threading.Lock()

    def get(self, directory: str, reader) -> dict:
        """Return the (mutable) cache entry of one segment."""
        key = (directory, reader.segment().segment_id())
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                entry = self._entries[key] = {}
            return entry

    def forget_others(self, directory: str, live: set[str]) -> None:
        """Drop the entries of segments ``directory`` no longer has, and of folders that are gone."""
        with self._lock:
            gone = {folder for folder, _ in self._entries if folder != directory and not os.path.isdir(folder)}
            for key in [k for k in self._entries if k[0] in gone or (k[0] == directory and k[1] not in live)]:
                del self._entries[key]


SEGMENTS = SegmentCache()


def leaves(reader):
    """Return (segment reader, offset) pairs for a reader of one or many segments (none when empty)."""
    found = reader.leaf_readers() if not reader.is_atomic() else [(reader, 0)]
    return [(leaf, offset) for leaf, offset in found if leaf.segment() is not None]


def segment_days(directory: str, reader) -> np.ndarray:
    """Return each document's publication day (date ordinal, 0 when unknown) for one segment."""
    entry = SEGMENTS.get(directory, reader)
    if "day" not in entry:
        column = reader.column_reader("day")
        entry["day"] = np.fromiter(iter(column), dtype=np.int64, count=reader.doc_count_all())
    return entry["day"]


def segment_claims(directory: str, reader, live: set[str]) -> ClaimTable:
    """Return the claim table of one verdict segment: cached, else loaded from its file, else built and saved."""
    entry = SEGMENTS.get(directory, reader)
    if "claims" not in entry:
        entry["claims"] = _load_or_build_claims(directory, reader, live)
    return entry["claims"]


def _load_or_build_claims(directory: str, reader, live: set[str]) -> ClaimTable:
    """Load a segment's saved claim table, or build it from the stored texts and save it."""
    path = os.path.join(directory, CLAIMS_FILE.format(reader.segment().segment_id()))
    try:
        table = ClaimTable.load(path)
        if len(table) == reader.doc_count_all():
            return table
    except (OSError, ValueError, KeyError):
        pass  # not saved yet, or unreadable: build it again
    docnums = list(range(reader.doc_count_all()))
    stored = [reader.stored_fields(n) if not reader.is_deleted(n) else {} for n in docnums]
    table = ClaimTable.build(docnums, (analyze(fields.get("body") or "") for fields in stored),
                             [feature_texts(fields) for fields in stored])
    try:
        table.save(path)
        _remove_dead_claim_files(directory, live)
    except OSError:
        pass  # a read-only index still works; the next process builds the table again
    return table


def _remove_dead_claim_files(directory: str, live: set[str]) -> None:
    """Delete saved claim tables of segments the index no longer has."""
    for name in os.listdir(directory):
        if name.startswith(".claims-") and name.endswith(".npz") and name[len(".claims-"):-4] not in live:
            with contextlib.suppress(OSError):
                os.remove(os.path.join(directory, name))
