"""Term positions packed as little-endian 32-bit integers, read for many postings at once.

Whoosh's ``Positions`` format pickles each posting's position deltas, so a
phrase had to unpickle one list per candidate document in Python. Here a
posting's value is its positions as raw ``<u4`` bytes (the count is the
length / 4), so the phrase check of ``whoosh_vector`` joins the values of every
candidate and reads them with one ``numpy.frombuffer``. Whoosh's own matchers
(``value_as("positions")``) read the same bytes through ``decode_positions``.
"""

from array import array

import numpy as np

from search_index.analysis import WordPositions

WIDTH = 4  # bytes per position
_LITTLE = array("I").itemsize == WIDTH and np.little_endian


class PackedPositions(WordPositions):
    """Positions stored as packed ``<u4`` integers (one pass of analysis, as ``WordPositions``)."""

    def encode(self, positions) -> bytes:
        if _LITTLE:
            return array("I", positions).tobytes()
        return np.asarray(positions, dtype="<u4").tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        if _LITTLE:
            return array("I", valuestring).tolist()
        return np.frombuffer(valuestring, dtype="<u4").tolist()

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // WIDTH

    def decode_weight(self, valuestring: bytes) -> float:
        return self.decode_frequency(valuestring) * self.field_boost

    def combine(self, values) -> bytes:
        found: set[int] = set()
        for value in values:
            found.update(self.decode_positions(value))
        return self.encode(sorted(found))


def positions_of(values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Return (owner, position) arrays of many postings' values: ``owner`` is each position's index in ``values``."""
    if not values:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    counts = np.fromiter(map(len, values), dtype=np.int64, count=len(values)) // WIDTH
    positions = np.frombuffer(b"".join(values), dtype="<u4").astype(np.int64)
    return np.repeat(np.arange(len(values), dtype=np.int64), counts), positions
