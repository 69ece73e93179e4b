"""The search index behind one small interface; Whoosh is the embedded implementation.

Nothing outside this package imports whoosh.
"""

from search_index.base import Hit, Results, SearchIndex
from search_index.whoosh_index import WhooshIndex


def open_index(path: str) -> SearchIndex:
    """Open the index at ``path``, creating an empty one when missing."""
    return WhooshIndex(path)


__all__ = ["Hit", "Results", "SearchIndex", "WhooshIndex", "open_index"]
