"""The record an ingest reads, and how its fields are normalized before it is stored.

A record is a dict with the keys of :data:`FIELD_NAMES` (title, body, url, source,
published_at, external_id, language, author). Readers yield :class:`Item` objects, each
either a record or the reason one could not be read. :func:`prepare_record` is the one
place a record's fields are checked and normalized (text fields are text, the URL passes
:func:`review.urls.clean_url`, the date :func:`review.dates.read_date`), whichever way the
record came in: a file, a feed, a fetched page, the paste form or the API.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from review.dates import read_date
from review.errors import ValidationError
from review.extraction.languages import detect_language, detect_languages
from review.extraction.sentences import segment
from review.text import WHITESPACE, clean_text, text_field
from review.urls import clean_url

MAX_TITLE = 200
TITLE_END = re.compile(r"[.!?:;,]$")  # a first line ending so reads as a sentence, not a headline
# A document's text beyond this many characters is refused (CLAIMDESK_MAX_DOCUMENT_CHARS; the
# command's --max-chars): a 5 MB paste made 2,000 claims and held a request for 20 s.
MAX_DOCUMENT_CHARS = 200_000
FIELD_NAMES = {  # record key -> JSON field names, first present wins
    "title": ("title",), "body": ("body", "text"), "url": ("url",), "source": ("source",),
    "published_at": ("published_at", "date_iso", "date"), "external_id": ("id", "newid"),
    "language": ("language",), "author": ("author",),
}


@dataclass
class Item:
    """One record read from a source, or the reason one could not be read."""

    file: str
    position: str = ""  # a line number, "record N", "entry N", or "" for the whole file
    record: dict | None = None
    error: str | None = None
    origin: str = "file"
    done: int = 0  # bytes of the file consumed once this item is read, for progress bars

    @property
    def where(self) -> str:
        return f"{self.file}:{self.position}" if self.position else self.file

    @property
    def message(self) -> str:
        return f"{self.where}: {self.error}"


@dataclass
class Prepared:
    """A record ready to store: cleaned body, title, hash, and its other fields normalized."""

    body: str
    title: str
    digest: str
    fields: dict


class BadRecord(ValueError):
    """A record read from a file whose fields cannot be used."""


def make_record(**fields) -> dict:
    """Return a record with every field, missing ones as None."""
    return {key: fields.get(key) for key in FIELD_NAMES}


def json_kind(value) -> str:
    """Name a JSON value's kind for a message ("an object", "a number")."""
    kinds = {dict: "an object", list: "an array", str: "a string", bool: "true/false", type(None): "null"}
    return kinds.get(type(value), "a number")


def _text_value(obj: dict, key: str) -> str | None:
    """Return the first of a JSON object's fields for ``key`` as text."""
    for name in FIELD_NAMES[key]:
        value = obj.get(name)
        if value is None or value == "":
            continue
        if type(value) is str:  # most fields: the value itself, as str(value) returns it
            return value
        if isinstance(value, bool) or not isinstance(value, (str, int, float, list)):
            raise BadRecord(f'field "{name}" is not text (got {json_kind(value)})')
        if isinstance(value, list):
            if key != "body" or not all(isinstance(part, str) for part in value):
                raise BadRecord(f'field "{name}" is not text (got {json_kind(value)})')
            return "\n\n".join(value)
        return str(value)
    return None


def record_from_json(obj, *, source: str | None, stem: str) -> dict:
    """Map a JSON object's fields onto a record; the record's own source wins over ``source``.

    :raises BadRecord: not an object, no body, or a field that is not text.
    """
    if not isinstance(obj, dict):
        raise BadRecord(f"not a JSON object (got {json_kind(obj)})")
    if obj.keys().isdisjoint(FIELD_NAMES["body"]):
        raise BadRecord('no "body" or "text" field')
    record = {key: _text_value(obj, key) for key in FIELD_NAMES}  # every field, as make_record gives them
    record["body"] = record["body"] or ""
    record["published_at"] = read_date(record["published_at"])[0]
    record["source"] = record["source"] or source or stem
    return record


def with_source(record: dict, source: str | None, stem: str) -> dict:
    """Apply --source over a source guessed from page or feed metadata, else fall back to the file's stem."""
    record["source"] = source or record.get("source") or stem
    return record


def clean_body(body: str) -> str:
    """Normalize a text as review.text stores it, keeping paragraphs."""
    return clean_text(body, multiline=True)


def normalize_body(body: str) -> str:
    """Return the text used to recognize the same article twice: NFC, whitespace folded, lower case.

    ``str.split()`` splits at exactly the characters ``\\s`` matches in a text pattern (both ask
    ``str.isspace``), so this is ``re.sub(r"\\s+", " ", text).strip()`` in a third of the time.
    """
    return " ".join(unicodedata.normalize("NFC", body).split()).lower()


def content_hash(body: str) -> str:
    return hashlib.sha256(normalize_body(body).encode("utf-8")).hexdigest()


def split_title(text: str) -> tuple[str, str]:
    """Return (title, body): the first line when it looks like a headline, else the first sentence."""
    text = clean_body(text)
    first, _, rest = text.partition("\n")
    first = first.strip()
    looks_like_title = (
        rest.strip() and 0 < len(first) <= MAX_TITLE and not TITLE_END.search(first)
        and len(first.split()) <= 25
    )
    if looks_like_title:
        return first, rest.strip()
    sentences = segment(text[:2000])
    title = sentences[0][2] if sentences else first
    if len(title) > MAX_TITLE:
        title = title[: MAX_TITLE - 1].rsplit(" ", 1)[0] + "…"
    return title, text


def too_long(length: int, limit: int) -> str:
    """Say that a text is over the document limit, naming the limit and how to raise it."""
    return (f"is {length:,} characters long, over the limit of {limit:,} characters per document"
            " (the setting MAX_DOCUMENT_CHARS; claimdesk ingest --max-chars raises it)")


def _text_field(fields: dict, name: str, errors: dict) -> str | None:
    return text_field(fields, name, errors, multiline=name == "body")


def prepare_record(*, max_chars: int | None = None, **record) -> Prepared | None:
    """Check and normalize a record's fields, clean its text and find its title; None when the body is empty.

    Fields: body (required), title, url, source, author, published_at, language, origin (default
    "paste"), external_id. The language, when the record names none, is detected from the text.

    :param max_chars: the longest text accepted (default ``MAX_DOCUMENT_CHARS``).
    :raises ValidationError: a field that is not text, a URL :func:`review.urls.clean_url`
        refuses, a date :func:`review.dates.read_date` cannot read, or a text over the limit.
    """
    prepared = _prepare(**record, max_chars=max_chars)
    if prepared is not None and prepared.fields["language"] is None:
        prepared.fields["language"] = detect_language(prepared.body)
    return prepared


def prepare_records(records: list[dict], *, max_chars: int | None = None) -> list[Prepared | None | ValidationError]:
    """Return :func:`prepare_record` of each record (the ValidationError it raises in place of a refused one).

    The languages of the records that name none are detected together (:func:`detect_languages`).
    """
    prepared: list[Prepared | None | ValidationError] = []
    for record in records:
        try:
            prepared.append(_prepare(**record, max_chars=max_chars))
        except ValidationError as error:
            prepared.append(error)
    unnamed = [p for p in prepared if isinstance(p, Prepared) and p.fields["language"] is None]
    for p, language in zip(unnamed, detect_languages([p.body for p in unnamed])):
        p.fields["language"] = language
    return prepared


def _prepare(*, body: str, title: str | None = None, url: str | None = None, source: str | None = "",
             author: str | None = None, published_at: str | None = None, language: str | None = None,
             origin: str = "paste", external_id: str | None = None, max_chars: int | None = None) -> Prepared | None:
    """Return :func:`prepare_record`'s result with the language None when the record names none (to detect)."""
    fields = dict(body=body, title=title, url=url, source=source, author=author, published_at=published_at,
                  language=language, external_id=external_id)
    errors: dict[str, str] = {}
    text = {name: _text_field(fields, name, errors) for name in ("body", "title", "source", "author",
                                                                  "language", "external_id", "published_at")}
    try:
        url = clean_url(url)
    except ValidationError as error:
        errors.update(error.fields)
    day, problem = read_date(text["published_at"])
    if problem and "published_at" not in errors:
        errors["published_at"] = problem
    if errors:
        raise ValidationError(errors)
    body = text["body"] or ""  # cleaned as text_field cleans: again only when taking out a control left
    if not unicodedata.is_normalized("NFC", body):  # letters to compose (the rest of a second pass changes nothing)
        body = clean_body(body)
    if not body:
        return None
    limit = max_chars or MAX_DOCUMENT_CHARS
    if len(body) > limit:
        raise ValidationError({"body": too_long(len(body), limit)})
    title = text["title"]
    if title is None:
        title, body = split_title(body)
    title = WHITESPACE.sub(" ", title).strip()[:MAX_TITLE * 2]
    language = (text["language"] or "").lower()[:12] or None
    normalized = dict(url=url, source=text["source"] or "", author=text["author"], published_at=day,
                      language=language, origin=origin, external_id=text["external_id"])
    return Prepared(body=body, title=title, digest=content_hash(body), fields=normalized)
