"""Open the store, and the clock every record is stamped with (kept here for older imports)."""

from review.dates import now  # noqa: F401 - the clock lives in review.dates
from review.storage import open_store as open_db  # noqa: F401 - the name commands and tests use
