"""Where a desk's data and index live and which search engine reads them, from the settings alone.

``app.config`` resolves these while creating the app; ``claimdesk match`` resolves them from the
``CLAIMDESK_*`` variables without creating one, so its first answer does not wait for Flask and the views.
"""

import json
import os
from collections.abc import Mapping, MutableMapping

from review.errors import ReviewError
from review.storage import is_url
from search_index import ENGINES

DEFAULTS = dict(
    INSTANCE="instance",  # made absolute by resolve
    DB=None,
    DATABASE_URL=None,  # postgresql://... puts the data in PostgreSQL instead of the DB file
    SEARCH="whoosh",  # the search engine: whoosh (the INDEX folder) or postgres (the database, shared by nodes)
    INDEX=None,
)


def resolve(config: MutableMapping) -> None:
    """Resolve INSTANCE, DB (the SQLite file, or DATABASE_URL when set), INDEX and the search engine in place."""
    config["INSTANCE"] = os.path.abspath(os.fspath(config["INSTANCE"]))
    config["DB"] = config["DATABASE_URL"] or os.path.abspath(
        os.fspath(config["DB"] or os.path.join(config["INSTANCE"], "claimdesk.db")))
    config["INDEX"] = os.path.abspath(os.fspath(config["INDEX"] or os.path.join(config["INSTANCE"], "index")))
    resolve_search(config)


def resolve_search(config: MutableMapping) -> None:
    """Check the search engine: ``whoosh`` (the default), or ``postgres`` on a PostgreSQL database."""
    engine = str(config.get("SEARCH") or "whoosh").strip().lower()
    if engine not in ENGINES:
        raise ReviewError(f"CLAIMDESK_SEARCH={config.get('SEARCH')!r} is not a search engine; use one of: "
                          f"{', '.join(ENGINES)}")
    if engine == "postgres" and not is_url(config["DB"]):
        raise ReviewError("CLAIMDESK_SEARCH=postgres searches in the PostgreSQL database: set "
                          "CLAIMDESK_DATABASE_URL=postgresql://... as well")
    config["SEARCH"] = engine


def from_environment(environ: Mapping[str, str] = os.environ) -> dict:
    """Return DEFAULTS overridden by CLAIMDESK_* variables (read as Flask's ``from_prefixed_env`` reads them), resolved."""
    config = dict(DEFAULTS)
    for key in DEFAULTS:
        if f"CLAIMDESK_{key}" in environ:
            value = environ[f"CLAIMDESK_{key}"]
            try:
                value = json.loads(value)
            except ValueError:
                pass
            config[key] = value
    resolve(config)
    return config
