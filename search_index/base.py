"""The search interface the rest of Claimdesk programs against."""

from dataclasses import dataclass, field
from typing import Protocol

KINDS = ("document", "verdict")


@dataclass
class Hit:
    kind: str
    id: int
    score: float
    fields: dict
    snippet: str = ""  # escaped markup, safe to render


@dataclass
class Results:
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
    def search(self, q: str, *, kind: str = "document", filters: dict | None = None,
               sort: str = "relevance", page: int = 1, page_size: int = 20) -> Results: ...
    def add(self, records: list[Record]) -> None: ...
    def remove(self, keys: list[tuple[str, int]]) -> None: ...
    def similar(self, text: str, *, kind: str = "verdict", limit: int = 10) -> list[Hit]: ...
    def rebuild(self, records) -> None: ...
    def stats(self) -> dict: ...
    def close(self) -> None: ...
