"""Web addresses: the one rule for a URL Claimdesk stores, links to or fetches.

Every entry point that takes a URL (documents from the web, the API, the CLI, uploads and
feeds; evidence and archive URLs; a verdict's article URL; a claim's appearance; a link to
a prior fact-check; ClaimReview import and export) cleans it with :func:`clean_url`, so a
``javascript:`` address or one that breaks out of an HTML attribute is refused everywhere
with the same message, and two spellings of one address are stored alike.
"""

import re
from urllib.parse import urlsplit, urlunsplit

from review.errors import ValidationError

MAX_URL = 2048
SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
NEEDS_WEB_SCHEME = "must be a web address starting with http:// or https://"
# Characters that end an HTML attribute or open a tag, and backslashes (browsers read them as "/").
UNSAFE = re.compile(r"[\"<>`\\]")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def looks_like_url(text) -> bool:
    """Return True when text is meant as a web address (starts with http:// or https://), valid or not."""
    return str(text).strip().lower().startswith(("http://", "https://"))


def clean_url(value, field: str = "url", *, required: bool = False) -> str | None:
    """Return a web address normalized (scheme and host in lower case, default port dropped).

    Empty values give None. Accepted: http and https addresses with a host, without spaces,
    control characters, double quotes, angle brackets, backticks or backslashes; an
    apostrophe is kept percent-encoded (``%27``) so the address never closes an attribute.

    :param field: the field name the ValidationError is keyed by.
    :param required: refuse an empty value instead of returning None.
    :raises ValidationError: on ``field``, saying what is wrong with the address.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError({field: "required: a web address starting with http:// or https://"})
        return None
    if not isinstance(value, str):
        raise ValidationError({field: "must be text: a web address starting with http:// or https://"})
    text = value.strip()
    if len(text) > MAX_URL:
        raise ValidationError({field: f"is too long (at most {MAX_URL:,} characters)"})
    if re.search(r"\s", text) or CONTROL.search(text):
        raise ValidationError({field: "must not contain spaces or control characters"})
    if UNSAFE.search(text):
        raise ValidationError({field: 'must not contain quotes, angle brackets, backticks or backslashes'})
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise ValidationError({field: "is not a valid web address (check the host and port)"}) from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES or not text.lower().startswith(f"{scheme}://"):
        raise ValidationError({field: NEEDS_WEB_SCHEME})
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise ValidationError({field: "must name a host, as in https://example.org/page"})
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    if userinfo:
        netloc = f"{userinfo}@{netloc}"
    cleaned = urlunsplit((scheme, netloc, parts.path, parts.query, parts.fragment))
    return cleaned.replace("'", "%27")


def clean_url_field(values: dict, name: str, errors: dict, *, required: bool = False) -> None:
    """Clean ``values[name]`` in place with :func:`clean_url`, or put its message in ``errors[name]``.

    For validators that gather every field's problem before raising one ValidationError.
    """
    try:
        values[name] = clean_url(values.get(name), name, required=required)
    except ValidationError as error:
        errors.update(error.fields)


def is_web_url(value) -> bool:
    """Return True when :func:`clean_url` accepts value (an empty value is not a web address)."""
    try:
        return clean_url(value, required=True) is not None
    except ValidationError:
        return False
