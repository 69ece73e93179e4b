"""Tell a write that failed for lack of space from a bad record, so an ingest stops at the first one.

A bad record fails alone and the ingest goes on; a full disk fails every record after it,
so going on would only print thousands of failures without a reason. :func:`stop_if_out_of_space`
turns such a failure into :class:`DiskFull`, which stops the run with one message: where
it stopped and why. What was committed before stays stored.
"""

import errno

from review.errors import ReviewError

SPACE_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}  # disk full, file size limit, quota
# SQLite says SQLITE_FULL for a full disk and SQLITE_IOERR_WRITE when a write is refused (EFBIG, a quota).
SQLITE_SPACE_ERRORS = {"SQLITE_FULL", "SQLITE_IOERR_WRITE"}
POSTGRES_DISK_FULL = "53100"


class DiskFull(ReviewError):
    """Storing stopped: the disk (or a quota or file size limit) has no room for the next write."""

    status = 507  # Insufficient Storage

    def __init__(self, where: str, error: BaseException):
        super().__init__(f"stopped at {where}: cannot write the database, the disk is full or a size limit was "
                         f"reached ({error}); everything stored before it is kept")
        self.where = where


def out_of_space(error: BaseException | None) -> bool:
    """Return True when an error, or one it was raised from, says there is no room to write."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, OSError) and error.errno in SPACE_ERRNOS:
            return True
        if getattr(error, "sqlite_errorname", None) in SQLITE_SPACE_ERRORS:
            return True
        if getattr(error, "sqlstate", None) == POSTGRES_DISK_FULL:
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def stop_if_out_of_space(error: BaseException, where: str) -> None:
    """Raise :class:`DiskFull` for ``where`` when ``error`` is a lack of space; otherwise return."""
    if out_of_space(error):
        raise DiskFull(where, error) from error
