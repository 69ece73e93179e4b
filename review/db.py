"""Open the store, and the clock every record is stamped with."""

from datetime import datetime, timezone

from review.storage import open_store as open_db  # noqa: F401 - the name commands and tests use


def now() -> str:
    """Return the current UTC time as an ISO 8601 string (seconds precision)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
