"""What the domain may ask of a database: the Store protocol, its errors and parameters."""

import contextlib
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

Params = Sequence[Any] | dict[str, Any]


class StoreError(Exception):
    """The database refused a statement (a constraint, a lock, a malformed file)."""


class IntegrityError(StoreError):
    """A constraint (unique, foreign key, check) refused a write."""


class Store(Protocol):
    """What the domain may ask of a database."""

    dialect: str

    def query(self, sql: str, params: Params = ()) -> list[dict]:
        """Return every row of a query as dicts."""

    def one(self, sql: str, params: Params = ()) -> dict | None:
        """Return the first row of a query, or None."""

    def scalar(self, sql: str, params: Params = ()) -> Any:
        """Return the first column of the first row, or None."""

    def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return the number of rows it changed."""

    def insert(self, sql: str, params: Params = ()) -> int | None:
        """Run one INSERT and return the new row's id (None when ON CONFLICT skipped it)."""

    def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for each parameter row."""

    def transaction(self) -> contextlib.AbstractContextManager["Store"]:
        """Run a block as one write transaction (nested blocks become savepoints)."""

    def text_match(self, table: str, key: str, words: dict[str | None, str]) -> tuple[str, list] | None:
        """Return a condition (and its parameters) true where ``key`` names a row of ``table`` whose
        text holds every word typed, the last word of each entry as a prefix; ``words`` maps a column
        (None: any text column) to what was typed. None when nothing was typed."""

    def index_texts(self, table: str, ids: Sequence[int]) -> None:
        """Add rows inserted while their full-text trigger stood aside to ``table``'s full-text index."""

    def bulk_writes(self) -> contextlib.AbstractContextManager["Store"]:
        """Run a long run of batch writes (an ingest) with whatever makes them cheaper on this database."""

    def try_lock(self, name: str) -> bool:
        """Take a lock shared by every process of the desk, if free (work one node does for all)."""

    def unlock(self, name: str) -> None:
        """Give back a lock taken with :meth:`try_lock`."""

    def close(self) -> None:
        """Release the connection."""
