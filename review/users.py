"""Users, roles, passwords and API tokens."""

import functools
import hashlib
import re
import secrets

from werkzeug.security import check_password_hash, generate_password_hash

from review.dates import now
from review.errors import Conflict, NotFound, ValidationError
from review.events import record_event
from review.sessions import end_user_sessions
from review.storage import Store
from review.text import require_text
from review.throttle import Limits, check, record_failure, record_success

ROLES = ("checker", "editor", "admin")
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}
USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$")
MIN_PASSWORD = 8
TOKEN_PREFIX = "cd_"
HASH_METHOD = "scrypt"  # werkzeug's method string; slow on purpose (tests pass a cheap one)


def has_role(user: dict, role: str) -> bool:
    """Tell whether the user's role is at least ``role`` (checker < editor < admin)."""
    return ROLE_RANK[user["role"]] >= ROLE_RANK[role]


def _validate(username: str | None, role: str | None, password: str | None) -> None:
    errors = {}
    if username is not None and not USERNAME_RE.match(username):
        errors["username"] = "2-40 letters, digits, '.', '_' or '-', starting with a letter or digit"
    if role is not None and role not in ROLES:
        errors["role"] = f"unknown role {role!r}; choose one of {', '.join(ROLES)}"
    if password is not None and len(password) < MIN_PASSWORD:
        errors["password"] = f"must be at least {MIN_PASSWORD} characters"
    if errors:
        raise ValidationError(errors)


def create_user(
    db: Store,
    username: str,
    role: str,
    password: str,
    *,
    display_name: str = "",
    actor_id: int | None = None,
    hash_method: str = HASH_METHOD,
) -> dict:
    """Create a user with a hashed password.

    :param hash_method: how to hash the password (a werkzeug method string such as ``scrypt``).
    :raises ValidationError: bad username, role or password.
    :raises Conflict: the username is taken.
    """
    username = (username or "").strip()
    display_name = require_text(display_name, "display_name", max_length=100)
    _validate(username, role, password)
    with db.transaction():
        if db.one("SELECT id FROM users WHERE username = ?", [username]):
            raise Conflict(f"user {username!r} already exists", {"username": "already taken"})
        stamp = now()
        user_id = db.insert(
            "INSERT INTO users (username, display_name, role, password_hash, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [username, display_name or username, role, generate_password_hash(password, hash_method), stamp, stamp],
        )
        record_event(db, actor_id, "user.create", "user", user_id, username=username, role=role)
    return get_user(db, user_id)


def get_user(db: Store, user_id: int) -> dict:
    """Return one user (without the password hash).

    :raises NotFound: no such user.
    """
    user = db.one("SELECT * FROM users WHERE id = ?", [user_id])
    if not user:
        raise NotFound(f"user {user_id} not found")
    user.pop("password_hash")
    return user


def find_user(db: Store, username: str) -> dict:
    """Return a user by name.

    :raises NotFound: no such user.
    """
    user = db.one("SELECT id FROM users WHERE username = ?", [username])
    if not user:
        raise NotFound(f"no user named {username!r}")
    return get_user(db, user["id"])


def list_users(db: Store) -> list[dict]:
    """Return all users, active first, by name."""
    return list(
        db.query(
            "SELECT id, username, display_name, role, active, created_at, updated_at,"
            " (SELECT count(*) FROM api_tokens t WHERE t.user_id = users.id AND t.revoked_at IS NULL)"
            " AS token_count FROM users ORDER BY active DESC, username"
        )
    )


@functools.lru_cache(maxsize=8)
def _dummy_hash(hash_method: str) -> str:
    """Return a hash of a random password, made with ``hash_method``: unknown names are checked against it."""
    return generate_password_hash(secrets.token_urlsafe(16), hash_method)


def authenticate(db: Store, username: str, password: str, *, hash_method: str = HASH_METHOD) -> dict | None:
    """Return the active user whose password matches, or None.

    Every attempt computes one password hash: an unknown or deactivated name is checked against a
    dummy hash made with ``hash_method``, so the time taken does not tell which names exist.
    """
    user = db.one("SELECT * FROM users WHERE username = ?", [(username or "").strip()])
    stored = user["password_hash"] if user and user["active"] else _dummy_hash(hash_method)
    matches = check_password_hash(stored, password or "")
    if not user or not user["active"] or not matches:
        return None
    user.pop("password_hash")
    return user


def sign_in(db: Store, username: str, password: str, *, address: str, hash_method: str = HASH_METHOD,
            limits: Limits = Limits()) -> dict | None:
    """Check a sign-in under the login throttle: return the user, or None for a wrong name or password.

    :raises Throttled: the account or the address is locked after too many failures (no hash is computed).
    """
    check(db, username, address)
    user = authenticate(db, username, password, hash_method=hash_method)
    if user is None:
        known = db.one("SELECT id FROM users WHERE username = ?", [(username or "").strip()])
        record_failure(db, username, address, user_id=known["id"] if known else None, limits=limits)
        return None
    record_success(db, username)
    return user


def set_role(db: Store, user_id: int, role: str, *, actor_id: int | None) -> dict:
    """Change a user's role."""
    _validate(None, role, None)
    with db.transaction():
        before = get_user(db, user_id)
        db.execute("UPDATE users SET role = ?, updated_at = ? WHERE id = ?", [role, now(), user_id])
        record_event(db, actor_id, "user.role", "user", user_id, before=before["role"], after=role)
    return get_user(db, user_id)


def set_password(db: Store, user_id: int, password: str, *, actor_id: int | None,
                 hash_method: str = HASH_METHOD) -> None:
    """Set a new password; this ends the user's sessions and revokes their tokens.

    :param hash_method: how to hash the password (a werkzeug method string such as ``scrypt``).
    :raises ValidationError: the password is too short.
    :raises NotFound: no such user.
    """
    _validate(None, None, password)
    with db.transaction():
        get_user(db, user_id)
        db.execute(
            "UPDATE users SET password_hash = ?, session_version = session_version + 1, updated_at = ?"
            " WHERE id = ?",
            [generate_password_hash(password, hash_method), now(), user_id],
        )
        _revoke_tokens(db, user_id)
        end_user_sessions(db, user_id)
        record_event(db, actor_id, "user.password", "user", user_id)


def set_active(db: Store, user_id: int, active: bool, *, actor_id: int | None) -> dict:
    """Activate or deactivate a user; deactivation ends sessions and revokes tokens.

    :raises ValidationError: the actor tries to deactivate their own account.
    :raises NotFound: no such user.
    """
    if not active and actor_id is not None and actor_id == user_id:
        raise ValidationError({"active": "you cannot deactivate your own account"},
                              "You cannot deactivate your own account.")
    with db.transaction():
        get_user(db, user_id)
        db.execute(
            "UPDATE users SET active = ?, session_version = session_version + 1, updated_at = ?"
            " WHERE id = ?",
            [1 if active else 0, now(), user_id],
        )
        if not active:
            _revoke_tokens(db, user_id)
            end_user_sessions(db, user_id)
        record_event(db, actor_id, "user.activate" if active else "user.deactivate", "user", user_id)
    return get_user(db, user_id)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(db: Store, user_id: int, *, label: str = "", actor_id: int | None = None) -> str:
    """Create an API token for a user and return it; only its hash is stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with db.transaction():
        user = get_user(db, user_id)
        if not user["active"]:
            raise ValidationError({"user": "is deactivated"}, f"user {user['username']!r} is deactivated")
        db.execute(
            "INSERT INTO api_tokens (user_id, token_hash, label, created_at) VALUES (?, ?, ?, ?)",
            [user_id, _hash_token(token), label, now()],
        )
        record_event(db, actor_id, "user.token", "user", user_id, label=label)
    return token


def _revoke_tokens(db: Store, user_id: int) -> int:
    return db.execute(
        "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", [now(), user_id]
    )


def revoke_tokens(db: Store, user_id: int, *, actor_id: int | None) -> int:
    """Revoke all of a user's API tokens; return how many were revoked."""
    with db.transaction():
        get_user(db, user_id)
        count = _revoke_tokens(db, user_id)
        record_event(db, actor_id, "user.revoke_tokens", "user", user_id, revoked=count)
    return count


def user_for_token(db: Store, token: str) -> dict | None:
    """Return the active user owning an unrevoked token, or None."""
    user = db.one("SELECT u.id FROM api_tokens t JOIN users u ON u.id = t.user_id"
        " WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.active = 1",
        [_hash_token(token or "")],
    )
    return get_user(db, user["id"]) if user else None
