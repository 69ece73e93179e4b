"""The search interface the rest of Claimdesk programs against."""

from dataclasses import dataclass, field
from typing import Protocol

KINDS = ("document", "verdict")
# The filters ``SearchIndex.search`` reads, as the search page and the API take them from a request:
# exact values (any case; one value or a list) and a publication date range (YYYY, YYYY-MM or YYYY-MM-DD).
VALUE_FILTERS = ("source", "rating", "publisher", "language")
FILTERS = ("source", "date_from", "date_to", "rating", "publisher", "language")


@dataclass
class Hit:
    """One search result: its stored fields and, from ``search``, a highlighted snippet."""

    kind: str
    id: int
    score: float
    fields: dict
    snippet: str = ""  # escaped markup, safe to render


@dataclass
class Results:
    """One page of results; ``estimated`` when ``total`` is an upper estimate rather than a count."""

    total: int
    estimated: bool
    hits: list[Hit]
    notice: str | None = None  # e.g. how a malformed query was read
    page: int = 1
    page_size: int = 20

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass
class Record:
    """One thing to index: a document, or a verdict (own or imported)."""

    kind: str
    id: int
    title: str = ""
    body: str = ""
    source: str = ""
    url: str | None = None
    published: str | None = None
    language: str | None = None
    claimant: str = ""
    rating: str = ""
    publisher: str = ""
    extra: dict = field(default_factory=dict)


class SearchIndex(Protocol):
    """What Claimdesk needs from a search engine; ``whoosh_index.WhooshIndex`` implements it.

    ``search`` reads ``filters`` named in FILTERS; ``apply`` adds or replaces records and deletes
    (kind, id) keys in one commit per kind; ``rebuild`` may analyze in ``procs`` worker processes.
    """

    def search(self, q: str, *, kind: str = "document", filters: dict | None = None,
               sort: str = "relevance", page: int = 1, page_size: int = 20) -> Results: ...
    def add(self, records: list[Record]) -> None: ...
    def remove(self, keys: list[tuple[str, int]]) -> None: ...
    def apply(self, records: list[Record], removals: list[tuple[str, int]]) -> None: ...
    def similar(self, text: str, *, kind: str = "verdict", limit: int = 10, rerank=None) -> list[Hit]: ...
    def rebuild(self, records, *, procs: int = 1, recovering: bool = False) -> int: ...
    def status(self) -> str: ...
    def stats(self) -> dict: ...
    def exists(self) -> bool: ...
    def close(self) -> None: ...
