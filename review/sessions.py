"""Server-side sign-in sessions: the browser's cookie names a row here, checked on every request.

Signing out ends the row, so a copy of the cookie stops working in every server process at once;
a password change or a deactivation ends all of the user's rows. Only a hash of the session token
is stored.
"""

import hashlib
import secrets
from datetime import timedelta

from review.dates import iso_moment, now, parse_timestamp
from review.storage import Store

TOUCH_EVERY = timedelta(minutes=5)  # how stale last_seen_at may get before a request refreshes it
KEEP_ENDED = timedelta(days=30)  # ended sessions are deleted after this


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(db: Store, user_id: int, *, address: str = "", user_agent: str = "") -> str:
    """Open a session for a user who just signed in; return its token (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    stamp = now()
    cutoff = iso_moment(parse_timestamp(stamp) - KEEP_ENDED)
    with db.transaction():
        db.execute("DELETE FROM sessions WHERE (ended_at IS NOT NULL AND ended_at < ?) OR last_seen_at < ?",
                   [cutoff, cutoff])
        db.execute("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, address, user_agent)"
                   " VALUES (?, ?, ?, ?, ?, ?)", [_hash(token), user_id, stamp, stamp, address[:64], user_agent[:200]])
    return token


def session_user_id(db: Store, token: str, *, idle: timedelta) -> int | None:
    """Return the user id of a live session (not ended, used within ``idle``), or None."""
    row = db.one("SELECT id, user_id, last_seen_at FROM sessions WHERE token_hash = ? AND ended_at IS NULL",
                 [_hash(token or "")])
    if row is None:
        return None
    moment = parse_timestamp(now())
    seen = parse_timestamp(row["last_seen_at"])
    if moment - seen > idle:
        db.execute("UPDATE sessions SET ended_at = ? WHERE id = ?", [iso_moment(moment), row["id"]])
        return None
    if moment - seen > TOUCH_EVERY:
        db.execute("UPDATE sessions SET last_seen_at = ? WHERE id = ?", [iso_moment(moment), row["id"]])
    return row["user_id"]


def end_session(db: Store, token: str) -> None:
    """End one session (signing out)."""
    db.execute("UPDATE sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL", [now(), _hash(token or "")])


def end_user_sessions(db: Store, user_id: int) -> int:
    """End every session of a user; return how many were open."""
    return db.execute("UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL", [now(), user_id])


def open_session_count(db: Store) -> int:
    """Return how many sessions are open."""
    return db.scalar("SELECT count(*) FROM sessions WHERE ended_at IS NULL")
