"""Read schema.org JSON-LD values as publishers write them.

Property names with or without a ``schema:`` or ``https://schema.org/`` prefix,
``@type`` as a string or a list, ``{"@id": ...}`` references to nodes defined
elsewhere in the same file, text as strings, numbers, ``@value`` objects or
lists, names of authors and publishers, and URLs resolved against a page.
Every function here is pure and never raises on odd input.
"""

import math
import re
from urllib.parse import urljoin, urlsplit

from review.errors import ValidationError
from review.urls import clean_url
from review.text import clean_text

SCHEMA_PREFIXES = ("http://schema.org/", "https://schema.org/", "schema:")
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def types_of(node: dict) -> list[str]:
    """Return a node's @type values without schema.org prefixes."""
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    names = []
    for item in values:
        if isinstance(item, str):
            for prefix in SCHEMA_PREFIXES:
                if item.startswith(prefix):
                    item = item[len(prefix):]
                    break
            names.append(item.strip())
    return names


def prop(node: dict, name: str):
    """Return a property of a node, also under its schema.org IRI forms."""
    if name in node:
        return node[name]
    for prefix in SCHEMA_PREFIXES:
        if prefix + name in node:
            return node[prefix + name]
    return None


def describe(value) -> str:
    """Name what a JSON value is, for messages."""
    if isinstance(value, dict):
        names = types_of(value)
        return f"@type {', '.join(names)}" if names else "an object without @type"
    if isinstance(value, list):
        return "an empty array" if not value else "an array"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    return "a number" if isinstance(value, (int, float)) else "a string"


def index_ids(value) -> dict[str, dict]:
    """Map every @id that a node defines (with more than the id itself) to that node."""
    ids: dict[str, dict] = {}
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("@id"), str) and len(item) > 1 and set(item) != {"@id", "@type"}:
                ids.setdefault(item["@id"], item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return ids


def deref(value, ids: dict[str, dict]):
    """Follow an ``{"@id": ...}`` reference to the node it names, when the file defines it."""
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and isinstance(value.get("@id"), str):
        return ids.get(value["@id"], value)
    return value


def first(value):
    """Return the first item of a list (or the value itself)."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def text(value) -> str | None:
    """Return a value as stripped text: strings, numbers, ``@value`` objects, first of a list."""
    if isinstance(value, list):
        return next((found for item in value if (found := text(item))), None)
    if isinstance(value, dict):
        return text(value.get("@value"))
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    # As published (spacing kept), without control characters; JSON may escape half a character.
    return clean_text(LONE_SURROGATE.sub("\ufffd", str(value)), multiline=True) or None


def number(value) -> float | None:
    """Return a rating number from a number or numeric string (``"4"``, ``"4.5"``, ``"4,5"``)."""
    value = first(value)
    if isinstance(value, dict):
        value = value.get("@value")
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if re.fullmatch(r"-?\d+,\d+", value):
            value = value.replace(",", ".")
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, int):
        try:
            value = float(value)
        except OverflowError:  # an integer too large for a float is no rating
            return None
    if isinstance(value, float) and math.isfinite(value):
        return value
    return None


def nodes(value, ids: dict[str, dict]) -> list:
    """Return a property's values as a list, references followed."""
    values = value if isinstance(value, list) else [value]
    return [deref(item, ids) for item in values if item is not None]


def names(value, ids: dict[str, dict]) -> list[str]:
    """Return the names in an author-like value: strings, objects with a name, or lists of both."""
    found = []
    for item in nodes(value, ids):
        name = text(prop(item, "name")) if isinstance(item, dict) else text(item)
        if name and name not in found:
            found.append(name)
    return found


def url_text(value) -> str | None:
    """Return the URL text of a url value (a string, ``{"@id": ...}`` or the first of a list)."""
    value = first(value)
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    return text(value) if isinstance(value, str) else None


def absolute_url(value: str, base_url: str | None) -> tuple[str | None, str | None]:
    """Return (absolute http(s) url, None), resolving against base_url, or (None, why not).

    The URL is cleaned by :func:`review.urls.clean_url` (the one URL rule).
    """
    try:
        parts = urlsplit(value)
        if not parts.scheme and base_url:
            value = urljoin(base_url, value)
            parts = urlsplit(value)
    except ValueError:
        return None, f"url {quoted(value)} is not a valid address"
    if not parts.scheme:
        return None, f"url {quoted(value)} is relative and there is no page URL to resolve it against"
    try:
        return clean_url(value, "url", required=True), None
    except ValidationError as error:
        return None, f"url {quoted(value)} {error.fields['url']}"


def quoted(value: str, limit: int = 60) -> str:
    """Return a value quoted for a message, shortened when long."""
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")
