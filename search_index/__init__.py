"""The search index behind one small interface; Whoosh is the embedded implementation.

Nothing outside this package imports whoosh, and this package imports nothing of
``review``: it is given records (``base.Record``) and, for the outbox drainer
(``outbox``), a function that loads them.
"""

from search_index.base import FILTERS, Hit, Record, Results, SearchIndex
from search_index.whoosh_index import WhooshIndex


def open_index(path: str) -> SearchIndex:
    """Open the index at ``path``, creating an empty one when missing."""
    return WhooshIndex(path)


__all__ = ["FILTERS", "Hit", "Record", "Results", "SearchIndex", "WhooshIndex", "open_index"]
