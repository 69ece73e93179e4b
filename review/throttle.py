"""Login throttling: failed sign-ins counted per account and per address, in the database.

The counts live in ``login_failures`` so every server process sees the same numbers. Too many
failures inside a window lock the account (or the address) for a while; a locked sign-in is
refused before any password hash is computed, so a flood of guesses costs the server little.
Unknown usernames are counted like real ones: the answer never tells which names exist.
"""

from dataclasses import dataclass
from datetime import timedelta

from review.dates import iso_moment, now, parse_timestamp
from review.errors import ReviewError
from review.events import record_event
from review.storage import Store

SCOPES = ("account", "address")


@dataclass(frozen=True)
class Limits:
    """How many failures each scope allows inside ``window_seconds``, and how long a lockout lasts."""

    account_failures: int = 5
    address_failures: int = 20
    window_seconds: int = 900
    lockout_seconds: int = 900

    def allowed(self, scope: str) -> int:
        return self.account_failures if scope == "account" else self.address_failures


class Throttled(ReviewError):
    """Too many failed sign-ins: the caller waits ``retry_after`` seconds."""

    status = 429

    def __init__(self, retry_after: int):
        minutes = max(1, round(retry_after / 60))
        super().__init__(f"Too many failed sign-ins. Try again in {minutes} minute{'s' if minutes != 1 else ''}.")
        self.retry_after = retry_after


def _subjects(username: str, address: str) -> list[tuple[str, str]]:
    return [("account", (username or "").strip().lower()), ("address", address or "unknown")]


def check(db: Store, username: str, address: str) -> None:
    """Refuse a sign-in while its account or its address is locked.

    :raises Throttled: a lockout is running; ``retry_after`` says for how many more seconds.
    """
    moment = parse_timestamp(now())
    wait = 0
    for scope, subject in _subjects(username, address):
        row = db.one("SELECT locked_until FROM login_failures WHERE scope = ? AND subject = ?", [scope, subject])
        if row and row["locked_until"]:
            wait = max(wait, int((parse_timestamp(row["locked_until"]) - moment).total_seconds()))
    if wait > 0:
        raise Throttled(wait)


def record_failure(db: Store, username: str, address: str, *, user_id: int | None,
                   limits: Limits = Limits()) -> None:
    """Count one failed sign-in for the account and the address; lock whichever reached its limit.

    A lockout is written to the audit events (``auth.lockout``).
    """
    stamp = now()
    moment = parse_timestamp(stamp)
    with db.transaction():
        for scope, subject in _subjects(username, address):
            row = db.one("SELECT * FROM login_failures WHERE scope = ? AND subject = ?", [scope, subject])
            fresh = row is None or (moment - parse_timestamp(row["window_start"])).total_seconds() >= limits.window_seconds
            locked = row is not None and row["locked_until"] and parse_timestamp(row["locked_until"]) > moment
            failures = 1 if fresh and not locked else row["failures"] + 1
            window_start = stamp if fresh and not locked else row["window_start"]
            locked_until = row["locked_until"] if locked else None
            if not locked and failures >= limits.allowed(scope):
                locked_until = iso_moment(moment + timedelta(seconds=limits.lockout_seconds))
                record_event(db, None, "auth.lockout", "user" if scope == "account" and user_id else "login",
                             user_id if scope == "account" else None, scope=scope, subject=subject,
                             failures=failures, until=locked_until)
            if row is None:
                db.execute("INSERT INTO login_failures (scope, subject, failures, window_start, locked_until)"
                           " VALUES (?, ?, ?, ?, ?)", [scope, subject, failures, window_start, locked_until])
            else:
                db.execute("UPDATE login_failures SET failures = ?, window_start = ?, locked_until = ?"
                           " WHERE scope = ? AND subject = ?", [failures, window_start, locked_until, scope, subject])


def record_success(db: Store, username: str) -> None:
    """Forget the account's failures after a good sign-in (the address keeps its count)."""
    db.execute("DELETE FROM login_failures WHERE scope = 'account' AND subject = ?", [(username or "").strip().lower()])


def active_lockouts(db: Store) -> list[dict]:
    """Return the lockouts still running, latest end first."""
    stamp = now()
    return db.query("SELECT scope, subject, failures, locked_until FROM login_failures"
                    " WHERE locked_until IS NOT NULL AND locked_until > ? ORDER BY locked_until DESC", [stamp])
