"""Import ClaimReview records published by other fact-checkers into ``prior_reviews``.

Reading is separate from storing. :func:`parse_claimreviews` is a pure function
from a parsed JSON value to the ClaimReview records found in it (or the reason
each one cannot be used); :func:`parse_bytes` does the same for a whole file.
:func:`import_paths` and :func:`import_bytes` store the usable records, one
transaction per file, and report the rest as ``FILE:POSITION: reason``.

Shapes read: a single object, an array, ``@graph``, DataFeed wrappers
(``dataFeedElement`` items, with the ClaimReview itself or inside ``item``),
JSONL (one value a line), HTML pages with JSON-LD or microdata, and ClaimReview
nested anywhere in other nodes (an Article's ``review`` or ``mainEntity``), and
results of the Google Fact Check Tools API (see :func:`from_fact_check_tools`).
``{"@id": ...}`` references are followed within the same file or line.

A node is a ClaimReview when its ``@type`` (string or list, with or without a
``schema:`` or ``https://schema.org/`` prefix, any letter case) names
ClaimReview, or when it has no ``@type`` but has ``claimReviewed``. A node with
``claimReviewed`` and some other ``@type`` is refused, not guessed at.

Positions are the line for JSONL and ``record N`` otherwise (N counts the
ClaimReview records, and the entries of an array or DataFeed that hold none, in
file order). Required: a non-empty ``claimReviewed`` and an absolute http(s)
``url`` after resolving relative ones against the page URL. Everything else is
optional; a value that cannot be read is left empty with a warning.

Dates accepted (anything else is left empty with a warning, never guessed):
ISO 8601 dates and datetimes (``2016-03-01``, ``2016-03-01T10:00:00Z``,
``2016-03-01T10:00:00+02:00``), ``2016/03/01``, English month names
(``March 1, 2016``, ``Mar. 1 2016``, ``1 March 2016``, optionally after a
weekday), RFC 2822 dates (``Tue, 01 Mar 2016 10:00:00 GMT``), and numeric
day/month dates (``13/03/2016``, ``03/13/2016``, also with ``-`` or ``.``) only
when the order is unambiguous: ``01/03/2016`` could be 1 March or 3 January, so
it gets a warning instead.
"""

import calendar
import json
import math
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import extruct
import lxml.html
from lxml import etree

from review.db import now
from review.errors import ValidationError
from review.events import record_event
from review.storage import Store
from search_index.sync import enqueue

SUFFIXES = {".json": "json", ".jsonld": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
            ".html": "html", ".htm": "html", ".xhtml": "html"}
MAX_DEPTH = 100
SCHEMA_PREFIXES = ("http://schema.org/", "https://schema.org/", "schema:")
COLUMNS = ("claim_reviewed", "claimant", "rating_label", "rating_value", "best_rating", "worst_rating",
           "rating_key", "publisher", "publisher_url", "url", "headline", "review_body", "date_published",
           "claim_date", "language", "raw_json", "source_file")
COMMENT_LINE = re.compile(r"^\s*//.*$", re.MULTILINE)
WRAPPERS = re.compile(r"^\s*(?:<!--|/\*\s*<!\[CDATA\[\s*\*/|<!\[CDATA\[)|(?:-->|/\*\s*\]\]>\s*\*/|\]\]>)\s*$")
MONTHS = {name.lower(): number for names in (calendar.month_name, calendar.month_abbr)
          for number, name in enumerate(names) if name} | {"sept": 9}
WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
MONTH_FIRST = re.compile(WEEKDAY + r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", re.IGNORECASE)
DAY_FIRST = re.compile(WEEKDAY + r"(\d{1,2})(?:st|nd|rd|th)?\.?\s*([a-z]+)\.?,?\s+(\d{4})", re.IGNORECASE)
NUMERIC_DMY = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")
YEAR_FIRST_SLASH = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


# -- results -------------------------------------------------------------------
@dataclass
class Review:
    """One usable ClaimReview: its ``prior_reviews`` columns, and what was odd about it."""

    fields: dict
    warnings: list[str] = field(default_factory=list)


@dataclass
class Finding:
    """A record read from a file, or the reason one could not be used; position None means the whole file."""

    position: str | None
    review: Review | None = None
    error: str | None = None


@dataclass
class Outcome:
    """What happened to one record of an import."""

    file: str
    position: str | None
    status: str  # added, updated or refused
    claim: str | None = None
    url: str | None = None
    review_id: int | None = None
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.position}" if self.position else self.file

    @property
    def messages(self) -> list[str]:
        lines = [f"{self.where}: {self.reason}"] if self.reason else []
        return lines + [f"{self.where}: warning: {text}" for text in self.warnings]


@dataclass
class ImportSummary:
    """Counts and per-record outcomes of one import run."""

    added: int = 0
    updated: int = 0
    refused: int = 0
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        """Return ``FILE:POSITION: reason`` for every refused record."""
        return [f"{o.where}: {o.reason}" for o in self.outcomes if o.status == "refused"]

    @property
    def warnings(self) -> list[str]:
        """Return ``FILE:POSITION: warning: ...`` for every kept record with an unreadable value."""
        return [f"{o.where}: warning: {text}" for o in self.outcomes for text in o.warnings]

    @property
    def messages(self) -> list[str]:
        """Return problems and warnings together, in file order."""
        return [line for o in self.outcomes for line in o.messages]

    def add(self, outcome: Outcome) -> None:
        """Count one outcome."""
        self.outcomes.append(outcome)
        setattr(self, outcome.status, getattr(self, outcome.status) + 1)

    def line(self) -> str:
        """Return the one-line summary ``added N, updated N, refused N``."""
        return f"added {self.added}, updated {self.updated}, refused {self.refused}"

    def listing(self, limit: int = 500) -> list[Outcome]:
        """Return up to ``limit`` outcomes in file order, refusals and warnings before plain successes."""
        notable = sum(1 for o in self.outcomes if o.reason or o.warnings)
        spare, shown = max(0, limit - notable), []
        for outcome in self.outcomes:
            if len(shown) >= limit:
                break
            if outcome.reason or outcome.warnings:
                shown.append(outcome)
            elif spare:
                shown.append(outcome)
                spare -= 1
        return shown


# -- reading JSON-LD nodes -----------------------------------------------------
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


def is_claimreview(node: dict) -> bool:
    """Tell whether a node is a ClaimReview (by @type, or untyped with claimReviewed)."""
    if "@type" not in node:
        return prop(node, "claimReviewed") is not None
    return any(name.casefold() == "claimreview" for name in types_of(node))


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
    return LONE_SURROGATE.sub("\ufffd", str(value)).strip() or None  # JSON may escape half a character


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
    if isinstance(value, (int, float)) and math.isfinite(value):
        return float(value)
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
    """Return (absolute http(s) url, None), resolving against base_url, or (None, why not)."""
    try:
        parts = urlsplit(value)
        if not parts.scheme and base_url:
            value = urljoin(base_url, value)
            parts = urlsplit(value)
    except ValueError:
        return None, f"url {quoted(value)} is not a valid address"
    if not parts.scheme:
        return None, f"url {quoted(value)} is relative and there is no page URL to resolve it against"
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None, f"url {quoted(value)} is not an http(s) address"
    return value, None


# -- dates ---------------------------------------------------------------------
def quoted(value: str, limit: int = 60) -> str:
    """Return a value quoted for a message, shortened when long."""
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def _valid(year: int, month: int, day: int) -> str | None:
    """Return the ISO date, or None when there is no such day."""
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _iso(value: str) -> str | None:
    """Read an ISO 8601 date or datetime, keeping the publisher's time zone."""
    if not re.match(r"\d{4}-?\d{2}-?\d{2}", value):
        return None
    try:
        moment = datetime.fromisoformat(value.replace(" ", "T", 1) if len(value) > 10 else value)
    except ValueError:
        return None
    if len(value) <= 10:
        return moment.date().isoformat()
    return moment.replace(microsecond=0).isoformat()


def _named_month(value: str) -> str | None:
    """Read an English date with the month's name, month or day first."""
    match = MONTH_FIRST.fullmatch(value)
    if match and match.group(1).lower() in MONTHS:
        return _valid(int(match.group(3)), MONTHS[match.group(1).lower()], int(match.group(2)))
    match = DAY_FIRST.fullmatch(value)
    if match and match.group(2).lower() in MONTHS:
        return _valid(int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1)))
    return None


def _rfc2822(value: str) -> str | None:
    """Read an e-mail or HTTP style date (``Tue, 01 Mar 2016 10:00:00 GMT``)."""
    if not re.match(r"[A-Za-z]{3},\s", value):
        return None
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def normalize_date(value) -> tuple[str | None, str | None]:
    """Return (ISO date or datetime, None), or (None, why the date was left empty); (None, None) when absent."""
    raw = text(value)
    if raw is None:
        return None, None
    parsed = _iso(raw) or _named_month(raw) or _rfc2822(raw)
    if parsed:
        return parsed, None
    match = YEAR_FIRST_SLASH.fullmatch(raw)
    if match:
        parsed = _valid(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        return (parsed, None) if parsed else (None, f"{quoted(raw)} is not a valid date")
    match = NUMERIC_DMY.fullmatch(raw)
    if match:
        return _numeric_date(raw, int(match.group(1)), int(match.group(3)), int(match.group(4)))
    return None, f"{quoted(raw)} is not a date format Claimdesk reads"


def _numeric_date(raw: str, a: int, b: int, year: int) -> tuple[str | None, str | None]:
    """Read a numeric day/month date only when just one order makes a valid date (or both agree)."""
    day_first, month_first = _valid(year, b, a), _valid(year, a, b)
    if day_first and month_first and day_first != month_first:
        return None, f"{quoted(raw)} is ambiguous (day/month or month/day)"
    if day_first or month_first:
        return day_first or month_first, None
    return None, f"{quoted(raw)} is not a valid date"


# -- finding ClaimReview nodes -------------------------------------------------
def _collect(value, out: list, depth: int) -> None:
    """Append (node, None) for each ClaimReview under value, and (None, reason) for near misses."""
    if depth > MAX_DEPTH:
        out.append((None, f"nested more than {MAX_DEPTH} levels deep; not read further"))
        return
    if isinstance(value, list):
        for item in value:
            _collect(item, out, depth + 1)
        return
    if not isinstance(value, dict):
        return
    if is_claimreview(value):
        out.append((value, None))
        return
    if prop(value, "claimReviewed") is not None:
        out.append((None, f"has claimReviewed but its {describe(value)} is not ClaimReview"))
        return
    for key, child in value.items():
        if key == "@context":
            continue
        if key == "dataFeedElement" and isinstance(child, list):
            for element in child:
                _slot(element, out, depth + 1, "dataFeedElement entry")
        else:
            _collect(child, out, depth + 1)


def _slot(value, out: list, depth: int, what: str) -> None:
    """Collect from a value that should hold a ClaimReview, reporting it when it holds none."""
    before = len(out)
    _collect(value, out, depth)
    if len(out) == before:
        out.append((None, f"no ClaimReview in this {what} ({describe(value)})"))


def find_claimreviews(obj, *, records: bool = True) -> list[tuple[dict | None, str | None]]:
    """Return the ClaimReview nodes in a JSON value in document order, with near misses as reasons.

    With ``records`` true, each element of a top-level array is expected to hold
    a ClaimReview and is reported when it does not; otherwise (JSON-LD blocks of
    a page) other nodes are simply not ClaimReview and are passed over.
    """
    out: list = []
    if records and isinstance(obj, list):
        for item in obj:
            _slot(item, out, 1, "record")
    else:
        _collect(obj, out, 0)
    return out


# -- one ClaimReview node to columns -------------------------------------------
def _rating(node: dict, ids: dict, problems: list[str]) -> dict:
    """Read reviewRating: the label verbatim, and the numbers when they are numbers."""
    values = nodes(prop(node, "reviewRating"), ids)
    if len(values) > 1:
        problems.append(f"{len(values)} reviewRating values; the first was used")
    rating = values[0] if values else None
    if isinstance(rating, str):
        return {"rating_label": text(rating)}
    if not isinstance(rating, dict):
        return {}
    label = text(prop(rating, "alternateName")) or text(prop(rating, "name"))
    raw_value = prop(rating, "ratingValue")
    value = number(raw_value)
    if value is None and text(raw_value):
        if label is None:
            label = text(raw_value)  # a label published in ratingValue is still the label they published
        else:
            problems.append(f"ratingValue {quoted(text(raw_value))} is not a number; left empty")
    # Some publishers (Claimdesk among them) put a short conclusion in alternateName and the
    # scale's label in name: the label is kept verbatim, the name helps map it to our scale.
    return {"rating_label": label, "rating_value": value, "best_rating": number(prop(rating, "bestRating")),
            "worst_rating": number(prop(rating, "worstRating")), "rating_name": text(prop(rating, "name"))}


def _publisher(node: dict, ids: dict, base_url: str | None, problems: list[str]) -> dict:
    """Read the fact-checking organization: ``publisher`` when it names one, else ``author``."""
    orgs = nodes(prop(node, "publisher"), ids)
    if not names(orgs, ids):
        orgs = nodes(prop(node, "author"), ids)
    publisher_url = None
    link = next((found for org in orgs if isinstance(org, dict) and (found := url_text(prop(org, "url")))), None)
    if link:
        publisher_url, problem = absolute_url(link, base_url)
        if problem:
            problems.append(f"publisher {problem}; left empty")
    return {"publisher": ", ".join(names(orgs, ids)) or None, "publisher_url": publisher_url}


def _language(value) -> str | None:
    """Read inLanguage as a code or a Language node's code or name."""
    value = first(value)
    if isinstance(value, dict):
        return text(prop(value, "alternateName")) or text(prop(value, "name"))
    return text(value)


def _claim(node: dict, ids: dict, problems: list[str]) -> dict:
    """Read the reviewed claim's author (the claimant) and date from itemReviewed."""
    item = next((i for i in nodes(prop(node, "itemReviewed"), ids) if isinstance(i, dict)), {})
    claim_date, problem = normalize_date(prop(item, "datePublished"))
    if problem:
        problems.append(f"itemReviewed datePublished {problem}; left empty")
    if claim_date is None and not problem:
        for key in ("firstAppearance", "appearance"):
            appearance = next((a for a in nodes(prop(item, key), ids) if isinstance(a, dict)), None)
            if appearance is not None:
                claim_date, _ = normalize_date(prop(appearance, "datePublished"))
                if claim_date:
                    break
    claimant = names(prop(item, "author"), ids) or names(prop(item, "creator"), ids)
    return {"claimant": ", ".join(claimant) or None, "claim_date": claim_date}


def raw_json(node: dict) -> str:
    """Serialize a node as published; escape it to ASCII only when it holds text SQLite cannot store."""
    raw = json.dumps(node, ensure_ascii=False)
    return json.dumps(node) if LONE_SURROGATE.search(raw) else raw


def review_from_node(node: dict, ids: dict, *, base_url: str | None = None,
                     page_url: str | None = None) -> Review | str:
    """Turn one ClaimReview node into a Review, or return why it cannot be used.

    ``page_url`` stands in for a missing ``url`` (a ClaimReview embedded in the
    page it reviews); ``base_url`` resolves relative URLs.
    """
    claim = " ".join((text(prop(node, "claimReviewed")) or "").split())
    link = url_text(prop(node, "url")) or page_url
    errors, problems = [], []
    if not claim:
        errors.append("missing claimReviewed")
    url = None
    if not link:
        errors.append("missing url")
    else:
        url, problem = absolute_url(link, base_url)
        if problem:
            errors.append(problem)
    if errors:
        return "; ".join(errors)
    published, problem = normalize_date(prop(node, "datePublished"))
    if problem:
        problems.append(f"datePublished {problem}; left empty")
    fields = {
        "claim_reviewed": claim, "url": url, "rating_label": None, "rating_value": None, "best_rating": None,
        "worst_rating": None, "headline": text(prop(node, "headline")) or text(prop(node, "name")),
        "review_body": text(prop(node, "reviewBody")) or text(prop(node, "description")),
        "date_published": published, "language": _language(prop(node, "inLanguage")),
        "raw_json": raw_json(node),
    }
    fields |= _rating(node, ids, problems)
    fields |= _publisher(node, ids, base_url, problems)
    fields |= _claim(node, ids, problems)
    return Review(fields, problems)


def _fact_check_tools_claim(value) -> bool:
    """Tell whether a value is a claim of the Google Fact Check Tools API (``text`` and a ``claimReview`` list)."""
    return isinstance(value, dict) and isinstance(value.get("claimReview"), list) and "@type" not in value


def from_fact_check_tools(obj):
    """Rewrite Google Fact Check Tools API results as schema.org ClaimReview nodes; other values pass unchanged.

    Reads a ``claims:search`` response (``{"claims": [...]}``), a list of its
    claims, or one claim (a JSONL line): each claim's ``claimReview`` entries
    (``publisher.name``/``site``, ``url``, ``title``, ``reviewDate``,
    ``textualRating``, ``languageCode``) become ClaimReview records of the
    claim's ``text``, ``claimant`` and ``claimDate``.
    """
    if isinstance(obj, dict) and isinstance(obj.get("claims"), list) and "@type" not in obj:
        claims = obj["claims"]
    elif isinstance(obj, list) and obj and all(_fact_check_tools_claim(item) for item in obj):
        claims = obj
    elif _fact_check_tools_claim(obj):
        claims = [obj]
    else:
        return obj
    converted = []
    for claim in claims:
        reviews = claim.get("claimReview") if isinstance(claim, dict) else None
        if not isinstance(reviews, list) or not reviews:
            converted.append(claim)  # reported as a record without a ClaimReview
            continue
        item = {"@type": "Claim", "datePublished": claim.get("claimDate")}
        if claim.get("claimant"):
            item["author"] = {"@type": "Thing", "name": claim["claimant"]}
        for review in reviews:
            review = review if isinstance(review, dict) else {}
            publisher = review.get("publisher") if isinstance(review.get("publisher"), dict) else {}
            site = publisher.get("site")
            converted.append({
                "@type": "ClaimReview", "claimReviewed": claim.get("text"), "url": review.get("url"),
                "headline": review.get("title"), "datePublished": review.get("reviewDate"),
                "inLanguage": review.get("languageCode"), "itemReviewed": item,
                "reviewRating": {"@type": "Rating", "alternateName": review.get("textualRating")},
                "publisher": {"@type": "Organization", "name": publisher.get("name") or site,
                              "url": f"https://{site}" if site and "://" not in site else site},
            })
    return converted


def parse_claimreviews(obj, *, base_url: str | None = None, page_url: str | None = None,
                       records: bool = True) -> list[tuple[int | None, Review | str]]:
    """Return (position, Review or reason) for each ClaimReview in a parsed JSON value.

    Positions count from 1 in file order; a value holding no ClaimReview at all
    gives one reason at position None. Never raises on odd input.
    """
    obj = from_fact_check_tools(obj)
    ids = index_ids(obj)
    found = find_claimreviews(obj, records=records)
    if not found:
        return [(None, f"no ClaimReview found ({describe(obj)})")]
    return [(position, reason if node is None else review_from_node(node, ids, base_url=base_url,
                                                                    page_url=page_url))
            for position, (node, reason) in enumerate(found, start=1)]


# -- files ---------------------------------------------------------------------
def _decode(data: bytes) -> str:
    """Decode UTF-8 (with or without a byte order mark), naming the line of a bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ValueError(f"line {line}: not UTF-8 text (byte 0x{data[error.start]:02x})") from None


def _json_error(error: json.JSONDecodeError) -> str:
    """Describe a JSON syntax error with its line and column."""
    return f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"


def _findings(results: list[tuple[int | None, Review | str]], label) -> list[Finding]:
    """Turn parse results into findings, naming each position with ``label``."""
    return [Finding(label(position), None, result) if isinstance(result, str)
            else Finding(label(position), result) for position, result in results]


def parse_json_text(content: str, *, base_url: str | None = None) -> list[Finding]:
    """Read a JSON document; a file of several JSON lines is read as JSONL."""
    try:
        obj = json.loads(content)
    except json.JSONDecodeError as error:
        if error.msg == "Extra data":
            return parse_jsonl_text(content, base_url=base_url)
        return [Finding(None, error=_json_error(error))]
    except RecursionError:
        return [Finding(None, error="not read: JSON nested too deeply")]
    return _findings(parse_claimreviews(obj, base_url=base_url),
                     lambda position: None if position is None else f"record {position}")


def parse_jsonl_text(content: str, *, base_url: str | None = None) -> list[Finding]:
    """Read JSON Lines: one JSON value a line, blank lines skipped; positions are line numbers."""
    findings = []
    for number_, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as error:
            findings.append(Finding(str(number_), error=f"not valid JSON: {error.msg} (column {error.colno})"))
            continue
        except RecursionError:
            findings.append(Finding(str(number_), error="not read: JSON nested too deeply"))
            continue
        results = parse_claimreviews(obj, base_url=base_url)
        if results[0][0] is None:
            results = [(None, f"no ClaimReview on this line ({describe(obj)})")]
        findings += _findings(results, lambda _position, n=number_: str(n))
    if not findings:
        findings.append(Finding(None, error="empty file: no JSON lines"))
    return findings


def _page_url(tree, base_url: str | None) -> str | None:
    """Return the URL the page's relative links resolve against: <base href>, then the given, canonical or og:url."""
    declared = [*tree.xpath("//link[@rel='canonical']/@href"), *tree.xpath("//meta[@property='og:url']/@content")]
    page = base_url or next((u.strip() for u in declared if absolute_url(u.strip(), None)[0]), None)
    base_href = next(iter(tree.xpath("//base/@href")), None)
    if base_href:
        resolved, problem = absolute_url(base_href.strip(), page)
        if not problem:
            return resolved
    return page


def _unwrap(content: str) -> str:
    """Remove comment and CDATA wrappers around a JSON-LD block, and JavaScript comment lines."""
    return COMMENT_LINE.sub("", WRAPPERS.sub("", content.strip()))


def _json_ld_blocks(tree) -> Iterator[tuple[int, object, str | None]]:
    """Yield (block number, parsed JSON, None) or (block number, None, error) for each JSON-LD script."""
    for number_, script in enumerate(tree.xpath("//script[contains(@type, 'ld+json')]"), start=1):
        content = script.text_content()
        try:
            yield number_, json.loads(content, strict=False), None
        except json.JSONDecodeError as error:
            try:  # publishers sometimes wrap JSON-LD in HTML comments, CDATA or JavaScript comment lines
                yield number_, json.loads(_unwrap(content), strict=False), None
            except json.JSONDecodeError:
                yield number_, None, f"JSON-LD block {number_} is not valid JSON: {error.msg} (line {error.lineno})"
        except RecursionError:
            yield number_, None, f"JSON-LD block {number_} is nested too deeply"


def _parse_tree(data: bytes):
    """Parse HTML bytes as UTF-8 when they decode, else by the page's own charset declaration."""
    try:
        data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        encoding = None
    parser = lxml.html.HTMLParser(encoding=encoding)
    return lxml.html.fromstring(data, parser=parser)


def parse_html_bytes(data: bytes, *, base_url: str | None = None) -> list[Finding]:
    """Read the ClaimReview records in a page's JSON-LD and microdata.

    A record without ``url`` takes the page's URL (it is embedded in the page
    it reviews); relative URLs resolve against the page URL.
    """
    try:
        tree = _parse_tree(data)
    except (etree.LxmlError, ValueError) as error:
        return [Finding(None, error=f"not readable HTML: {error}")]
    page_url = _page_url(tree, base_url)
    blocks, errors = [], []
    for _number, obj, error in _json_ld_blocks(tree):
        if error:
            errors.append(error)
        else:
            blocks.append(obj)
    microdata = _microdata(tree, page_url, errors)
    ids = index_ids([blocks, microdata])  # a block may refer to a node another block defines
    found = find_claimreviews(blocks, records=False) + find_claimreviews(microdata, records=False)
    findings = [Finding(None, error=error) for error in errors]
    seen = set()
    for position, (node, reason) in enumerate(found, start=1):
        result = reason or review_from_node(node, ids, base_url=page_url, page_url=page_url)
        if isinstance(result, Review):
            key = (result.fields["url"], result.fields["claim_reviewed"])
            if key in seen:  # the same review marked up twice (JSON-LD and microdata)
                continue
            seen.add(key)
        findings += _findings([(position, result)], lambda p: f"record {p}")
    if not found and not errors:
        findings.append(Finding(None, error="no ClaimReview found in the page's JSON-LD or microdata"))
    return findings


def _microdata(tree, page_url: str | None, errors: list[str]) -> list:
    """Return the page's microdata items in JSON-LD form (extruct's uniform output)."""
    try:
        return extruct.extract(tree, base_url=page_url, syntaxes=["microdata"], uniform=True)["microdata"]
    except Exception as error:  # noqa: BLE001 - extruct raises many kinds; report and keep the JSON-LD
        errors.append(f"microdata could not be read: {error}")
        return []


def detect_format(name: str, data: bytes) -> str | None:
    """Return json, jsonl or html from the file name, else from the first character."""
    kind = SUFFIXES.get(Path(name).suffix.lower())
    if kind:
        return kind
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return {b"<": "html", b"{": "json", b"[": "json"}.get(start)


def parse_bytes(name: str, data: bytes, *, base_url: str | None = None) -> list[Finding]:
    """Read one file's ClaimReview records; never raises on bad content."""
    kind = detect_format(name, data)
    if kind is None:
        return [Finding(None, error="unknown format: expected a .json, .jsonl or .html ClaimReview file")]
    if kind == "html":
        return parse_html_bytes(data, base_url=base_url)
    try:
        content = _decode(data)
    except ValueError as error:
        return [Finding(None, error=str(error))]
    if not content.strip():
        return [Finding(None, error="empty file")]
    if kind == "jsonl":
        return parse_jsonl_text(content, base_url=base_url)
    return parse_json_text(content, base_url=base_url)


# -- storing -------------------------------------------------------------------
def _label_key(label: str) -> str:
    """Normalize a rating label for lookup: spaces collapsed, case folded."""
    return " ".join(label.split()).casefold()


def load_mappings(db: Store) -> dict[str, str]:
    """Return the rating mappings keyed by normalized label (our own scale's labels map to themselves)."""
    own = {_label_key(r["label"]): r["key"] for r in db.query("SELECT label, key FROM rating_scale")}
    return own | {_label_key(r["label"]): r["rating_key"] for r in db.query("SELECT label, rating_key FROM rating_mappings")}


def store_review(db: Store, fields: dict, stamp: str) -> tuple[str, int]:
    """Insert a review or update the one with the same url and claim; return (added|updated|unchanged, id)."""
    values = [fields.get(column) for column in COLUMNS]
    existing = db.one(
        f"SELECT id, {', '.join(COLUMNS)} FROM prior_reviews WHERE url = ? AND claim_reviewed = ?",
        [fields["url"], fields["claim_reviewed"]],
    )
    if existing is None:
        review_id = db.insert(
            f"INSERT INTO prior_reviews ({', '.join(COLUMNS)}, imported_at, updated_at)"
            f" VALUES ({', '.join('?' * len(COLUMNS))}, ?, ?)", [*values, stamp, stamp])
        return "added", review_id
    if [existing[column] for column in COLUMNS] == values:
        return "unchanged", existing["id"]
    db.execute(f"UPDATE prior_reviews SET {', '.join(f'{c} = ?' for c in COLUMNS)}, updated_at = ? WHERE id = ?",
               [*values, stamp, existing["id"]])
    return "updated", existing["id"]


def store_findings(db: Store, name: str, findings: list[Finding], summary: ImportSummary,
                   *, actor_id: int | None = None) -> None:
    """Store one file's usable records in one transaction, adding an outcome per finding to summary."""
    mappings, stamp = load_mappings(db), now()
    counts = {"added": 0, "updated": 0, "refused": 0}
    with db.transaction():
        for finding in findings:
            outcome = _store_finding(db, name, finding, mappings, stamp)
            counts[outcome.status] += 1
            summary.add(outcome)
        if counts["added"] or counts["updated"]:
            record_event(db, actor_id, "prior_review.import", "prior_review", None, file=name, **counts)


def _store_finding(db, name: str, finding: Finding, mappings: dict, stamp: str) -> Outcome:
    """Store one finding's review (mapping its rating) and queue it for the index, or record the refusal."""
    if finding.review is None:
        return Outcome(name, finding.position, "refused", reason=finding.error)
    fields = dict(finding.review.fields, source_file=name)
    names = [n for n in (fields.get("rating_label"), fields.get("rating_name")) if n]
    fields["rating_key"] = next((mappings[_label_key(n)] for n in names if _label_key(n) in mappings), None)
    status, review_id = store_review(db, fields, stamp)
    if status != "unchanged":
        enqueue(db, "prior_review", review_id)
    return Outcome(name, finding.position, "added" if status == "added" else "updated", fields["claim_reviewed"],
                   fields["url"], review_id, warnings=finding.review.warnings)


def check_base_url(base_url: str | None) -> str | None:
    """Return a page URL given by the user, or raise ValidationError when it is not an absolute http(s) URL."""
    base_url = (base_url or "").strip() or None
    if base_url and absolute_url(base_url, None)[1]:
        raise ValidationError({"base_url": "Give the page's full address, starting with http:// or https://."})
    return base_url


def import_bytes(db: Store, name: str, data: bytes, *, base_url: str | None = None,
                 actor_id: int | None = None, summary: ImportSummary | None = None) -> ImportSummary:
    """Import one file's content (an upload); return the summary with an outcome per record.

    :param base_url: the page URL for relative links, when the file does not give one.
    :raises ValidationError: when base_url is not an absolute http(s) URL.
    """
    summary = summary if summary is not None else ImportSummary()
    findings = parse_bytes(name, data, base_url=check_base_url(base_url))
    store_findings(db, name, findings, summary, actor_id=actor_id)
    return summary


def import_uploads(db: Store, files: Iterable[tuple[str, bytes]], *, base_url: str | None = None,
                   actor_id: int | None = None) -> ImportSummary:
    """Import several uploaded files; return one summary.

    :raises ValidationError: when no file is given or base_url is not an absolute http(s) URL.
    """
    files = list(files)
    if not files:
        raise ValidationError({"files": "Choose one or more ClaimReview files (.json, .jsonl or .html)."})
    base_url = check_base_url(base_url)
    summary = ImportSummary()
    for name, data in files:
        import_bytes(db, os.path.basename(name) or "upload", data, base_url=base_url, actor_id=actor_id,
                     summary=summary)
    return summary


def walk_files(path: str | os.PathLike) -> Iterator[Path]:
    """Yield the ClaimReview files under a folder by suffix, recursively and sorted, skipping hidden entries.

    Linked folders are not followed, so a link loop cannot make the walk endless.
    """
    for child in sorted(Path(path).iterdir()):
        if child.name.startswith("."):
            continue
        if child.is_dir():
            if child.is_symlink():
                continue
            yield from walk_files(child)
        elif child.suffix.lower() in SUFFIXES:
            yield child


def import_paths(db: Store, paths: Iterable[str | os.PathLike], *, base_url: str | None = None,
                 actor_id: int | None = None) -> ImportSummary:
    """Import ClaimReview files and folders (recursively); return the summary.

    :param base_url: the page URL for relative links, when a file does not give one.
    :raises ValidationError: when base_url is not an absolute http(s) URL.
    """
    base_url = check_base_url(base_url)
    summary = ImportSummary()
    for path in paths:
        try:
            files = list(walk_files(path)) if os.path.isdir(path) else [Path(path)]
        except OSError as error:
            summary.add(Outcome(str(path), None, "refused", reason=f"cannot read folder: {error.strerror}"))
            continue
        for file in files:
            try:
                data = file.read_bytes()
            except OSError as error:
                summary.add(Outcome(str(file), None, "refused", reason=f"cannot read: {error.strerror}"))
                continue
            store_findings(db, str(file), parse_bytes(str(file), data, base_url=base_url), summary,
                           actor_id=actor_id)
    return summary


def recent_reviews(db: Store, limit: int = 20) -> list[dict]:
    """Return the most recently imported or updated prior reviews, with the label of their mapped rating."""
    return list(db.query(
        "SELECT p.id, p.claim_reviewed, p.claimant, p.rating_label, p.rating_key, r.label AS rating_name,"
        " p.publisher, p.url, p.date_published, p.updated_at FROM prior_reviews p"
        " LEFT JOIN rating_scale r ON r.key = p.rating_key ORDER BY p.updated_at DESC, p.id DESC LIMIT ?",
        [limit],
    ))
