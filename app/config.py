"""Configuration: defaults, the instance folder, its secret key and its publishing settings."""

import json
import os
import time

from app import paths, writable
from review import users
from review.errors import ReviewError, ValidationError
from review.throttle import Limits
from review.urls import clean_url

DEFAULTS = dict(
    **paths.DEFAULTS,  # INSTANCE, DB, DATABASE_URL, SEARCH, INDEX
    SECRET_KEY=None,
    PUBLIC_URL="http://127.0.0.1:5000",
    ORG_NAME="Claimdesk",
    ORG_URL="",
    ALLOW_PRIVATE_URLS=False,
    REQUIRE_DIFFERENT_APPROVER=True,
    PASSWORD_HASH_METHOD=users.HASH_METHOD,  # tests set a cheap one
    SESSION_COOKIE_HTTPONLY=True,
    SESSION_COOKIE_SAMESITE="Lax",
    REMEMBER_COOKIE_HTTPONLY=True,
    REMEMBER_COOKIE_SAMESITE="Lax",
    WTF_CSRF_TIME_LIMIT=None,
    WTF_CSRF_HEADERS=["X-CSRFToken"],
    MAX_CONTENT_LENGTH=32 * 1024 * 1024,
    DRAIN_INTERVAL=2.0,
    # Login throttling (review/throttle.py): failures allowed per window, then a lockout.
    LOGIN_ACCOUNT_FAILURES=5,
    LOGIN_ADDRESS_FAILURES=20,
    LOGIN_WINDOW_SECONDS=900,
    LOGIN_LOCKOUT_SECONDS=900,
    SESSION_IDLE_HOURS=12,  # a session unused this long ends
    HSTS_SECONDS=31536000,  # sent only when PUBLIC_URL is https
    TRUSTED_PROXIES=0,  # reverse proxies in front that set X-Forwarded-For/-Proto (0: use the socket's address)
    REQUEST_LOG=True,  # one line per request on stderr (logger claimdesk.requests)
    READY_MAX_OUTBOX=10000,  # /readyz fails when more index changes than this wait
    RUN_JOBS=True,  # the server works queued jobs itself; False leaves them to `claimdesk worker` processes
    READY_MAX_JOBS=100,  # /readyz fails when more background jobs (imports) than this wait
)

SETTINGS_FILE = "settings.json"
INSTANCE_SETTINGS = ("PUBLIC_URL", "ORG_NAME", "ORG_URL")


def load(config, test_config: dict | None = None) -> None:
    """Fill config: defaults, then CLAIMDESK_* environment variables, then test_config, then the instance."""
    config.from_mapping(DEFAULTS)
    config.from_prefixed_env("CLAIMDESK")
    if test_config:
        config.update(test_config)
    apply_instance_settings(config, explicit=set(test_config or {}))
    configure_urls(config)
    configure_paths(config)
    configure_https(config, explicit=set(test_config or {}))


class BadSetting(ReviewError):
    """A publishing setting the desk cannot use; the message names the setting, where to change it and why."""

    status = 503


def configure_urls(config) -> None:
    """Clean PUBLIC_URL and ORG_URL with the one URL rule, or refuse to start naming the setting.

    Both end up in every published ClaimReview (the review's address, the publisher's), so a
    ``javascript:`` address or a typo must stop the desk at start, not reach readers.
    """
    for key, required in (("PUBLIC_URL", True), ("ORG_URL", False)):
        try:
            config[key] = clean_url(config.get(key), key, required=required) or ""
        except ValidationError as error:
            raise BadSetting(f"the setting {key} {error.fields[key]} (got {str(config.get(key))[:200]!r}); set "
                             f"CLAIMDESK_{key}, or {key} in {SETTINGS_FILE} in the instance folder") from None


def configure_https(config, explicit: set[str]) -> None:
    """Behind an https PUBLIC_URL, cookies are Secure and responses carry HSTS (unless set explicitly)."""
    https = str(config.get("PUBLIC_URL") or "").lower().startswith("https://")
    config["HTTPS"] = https
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if key not in explicit and f"CLAIMDESK_{key}" not in os.environ:
            config[key] = https


def throttle_limits(config):
    """Return the login throttle's limits from the configuration."""
    return Limits(account_failures=int(config["LOGIN_ACCOUNT_FAILURES"]),
                  address_failures=int(config["LOGIN_ADDRESS_FAILURES"]),
                  window_seconds=int(config["LOGIN_WINDOW_SECONDS"]),
                  lockout_seconds=int(config["LOGIN_LOCKOUT_SECONDS"]))


def apply_instance_settings(config, explicit: set[str]) -> None:
    """Apply settings kept in INSTANCE/settings.json (written by `claimdesk demo`).

    Environment variables and test settings win over the file.
    """
    path = os.path.join(os.path.abspath(os.fspath(config["INSTANCE"])), SETTINGS_FILE)
    if not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as handle:
        stored = json.load(handle)
    for key in INSTANCE_SETTINGS:
        if key in stored and key not in explicit and f"CLAIMDESK_{key}" not in os.environ:
            config[key] = stored[key]


def save_instance_settings(instance: str, values: dict) -> None:
    """Write publishing settings into the instance folder (atomically)."""
    path = os.path.join(instance, SETTINGS_FILE)
    current = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            current = json.load(handle)
    current.update({k: v for k, v in values.items() if k in INSTANCE_SETTINGS})
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(current, handle, indent=2)
    os.replace(temporary, path)


def configure_paths(config) -> None:
    """Resolve INSTANCE, DB (the SQLite file, or DATABASE_URL when set), INDEX and SEARCH; ensure the secret key."""
    paths.resolve(config)
    writable.check(config)  # say what cannot be written before the secret key or a migration tries to
    config["SECRET_KEY_CONFIGURED"] = bool(config.get("SECRET_KEY"))  # else this node's own key, in its folder
    if not config["SECRET_KEY_CONFIGURED"]:
        config["SECRET_KEY"] = load_or_create_secret(config["INSTANCE"])


def load_or_create_secret(instance: str) -> str:
    """Return the instance's secret key, generating it once with an exclusive create."""
    os.makedirs(instance, exist_ok=True)
    path = os.path.join(instance, "secret_key")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as f:
            f.write(os.urandom(32).hex())
            f.flush()
            os.fsync(f.fileno())
    for _ in range(50):  # another process may be between create and write
        with open(path) as f:
            key = f.read().strip()
        if key:
            return key
        time.sleep(0.02)
    raise RuntimeError(f"secret key file {path} is empty; delete it to generate a new one")
