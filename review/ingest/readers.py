"""Readers: one per format, each turning a file's bytes into :class:`Item` objects.

:func:`read_bytes` picks the reader with :func:`review.ingest.formats.detect_format`;
:func:`read_path` reads files and folders through :mod:`review.ingest.files`;
:func:`read_items` adds http(s) URLs; :func:`read_upload` reads an uploaded file.
"""

import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path

import feedparser

from review.dates import iso_moment, normalize_date
from review.errors import ValidationError
from review.ingest.fetch import read_url
from review.ingest.files import read_files
from review.ingest.formats import NotUtf8, binary_kind, decode_utf8, detect_format
from review.ingest.html import html_to_text, parse_html
from review.ingest.records import BadRecord, Item, json_kind, make_record, record_from_json, split_title, with_source
from review.jsontext import BadJson, load_json, read_json_values
from review.urls import looks_like_url

UNKNOWN_FORMAT = "unknown format: expected text, Markdown, HTML, JSON, JSONL or an RSS/Atom feed"


def read_bytes(name: str, data: bytes, *, source: str | None = None) -> Iterator[Item]:
    """Parse one file's bytes into Items, choosing the reader by name and content."""
    kind = detect_format(name, data)
    stem = Path(name).stem or name
    if kind is None:
        what = binary_kind(data)
        yield Item(name, error=f"{UNKNOWN_FORMAT} (this looks like {what})" if what else UNKNOWN_FORMAT,
                   done=len(data))
        return
    reader = {"text": _read_text, "html": _read_html, "json": _read_json, "jsonl": _read_jsonl,
              "feed": _read_feed}[kind]
    yield from reader(name, data, source, stem)


def _read_text(name: str, data: bytes, source: str | None, stem: str) -> Iterator[Item]:
    try:
        text = decode_utf8(data)
    except NotUtf8 as error:
        yield Item(name, error.line, error=error.reason, done=len(data))
        return
    title, body = split_title(text)
    title = re.sub(r"^#{1,6}\s+", "", title)  # a Markdown heading as the first line
    yield Item(name, record=make_record(title=title, body=body, source=source or stem), done=len(data))


def _read_html(name: str, data: bytes, source: str | None, stem: str) -> Iterator[Item]:
    yield Item(name, record=with_source(parse_html(data), source, stem), done=len(data))


def _read_json(name: str, data: bytes, source: str | None, stem: str) -> Iterator[Item]:
    try:
        values = list(read_json_values(decode_utf8(data)))
    except NotUtf8 as error:
        yield Item(name, error.line, error=error.reason, done=len(data))
        return
    if len(values) == 1 and values[0][0] is None:  # one value, not an array
        value = values[0][1]
        if isinstance(value, BadJson):
            if value.extra_data and data.lstrip().startswith(b"{"):  # JSON Lines in a .json file
                yield from _read_jsonl(name, data, source, stem)
                return
            yield Item(name, str(value.line or ""), error=_json_problem(value), done=len(data))
        elif isinstance(value, dict):
            yield _record_item(name, "", value, source, stem, done=len(data))
        else:
            yield Item(name, error=f"expected a JSON object or an array of objects, got {json_kind(value)}",
                       done=len(data))
        return
    for number, obj in values:  # the elements of an array; an unreadable one is reported, the others kept
        done = len(data) * number // len(values)
        if isinstance(obj, BadJson):
            yield Item(name, f"record {number}", error=str(obj), done=done)
        else:
            yield _record_item(name, f"record {number}", obj, source, stem, done=done)


def _json_problem(error: BadJson) -> str:
    """Describe a JSON error for a position that is already its line: "malformed JSON: ... (column N)"."""
    reason = f"malformed JSON: {error.reason}" if error.syntax else error.reason
    return f"{reason} (column {error.column})" if error.column else reason


def _read_jsonl(name: str, data: bytes, source: str | None, stem: str) -> Iterator[Item]:
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    number = 0
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end + 1
        line, start, number = data[start:end], end, number + 1
        if not line.strip():
            continue
        try:
            obj = load_json(line.rstrip(b"\r\n").decode("utf-8"))
        except UnicodeDecodeError as error:
            bad = f"not UTF-8 (byte 0x{line[error.start]:02x} at offset {error.start})"
            yield Item(name, str(number), error=bad, done=end)
            continue
        except BadJson as error:
            yield Item(name, str(number), error=_json_problem(error), done=end)
            continue
        yield _record_item(name, str(number), obj, source, stem, done=end)


def _record_item(name: str, position: str, obj, source: str | None, stem: str, *, done: int) -> Item:
    try:
        return Item(name, position, record=record_from_json(obj, source=source, stem=stem), done=done)
    except BadRecord as error:
        return Item(name, position, error=str(error), done=done)


def _entry_body(entry) -> str:
    """Return the fullest text a feed entry carries: its longest content, else its summary."""
    contents = [c.get("value") or "" for c in entry.get("content") or []]
    best = max(contents, key=len, default="")
    summary = entry.get("summary") or ""
    return html_to_text(best if len(best) >= len(summary) else summary)


def _entry_date(entry) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return iso_moment(datetime(*parsed[:6], tzinfo=timezone.utc))
    return normalize_date(entry.get("published") or entry.get("updated"))


def _read_feed(name: str, data: bytes, source: str | None, stem: str) -> Iterator[Item]:
    parsed = feedparser.parse(data)  # bytes, never a string: feedparser would fetch a string that looks like a URL
    if not parsed.get("version") and not parsed.entries:
        reason = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        yield Item(name, error=f"not an RSS or Atom feed{reason}", done=len(data))
        return
    feed = parsed.feed
    total = len(parsed.entries)
    for number, entry in enumerate(parsed.entries, 1):
        record = make_record(
            title=html_to_text(entry.get("title") or "") or None, body=_entry_body(entry),
            url=entry.get("link"), source=feed.get("title"), author=entry.get("author"),
            published_at=_entry_date(entry), language=feed.get("language"), external_id=entry.get("id"),
        )
        yield Item(name, f"entry {number}", record=with_source(record, source, stem), origin="feed",
                   done=len(data) * number // total)


def read_path(path, *, source: str | None = None) -> Iterator[Item]:
    """Yield the records (or failures) in a file or, recursively, a folder.

    :param source: the outlet for records that do not name one; defaults to each file's stem.
    """
    for file in read_files([path]):
        if file.error is not None:
            yield Item(file.name, error=file.problem)
        else:
            yield from read_bytes(file.name, file.data, source=source)


def read_upload(filename: str, data: bytes, *, source: str | None = None) -> Iterator[Item]:
    """Yield the Items of an uploaded file, read as ``claimdesk ingest`` reads a file."""
    name = Path(filename or "upload").name or "upload"
    for item in read_bytes(name, data, source=source):
        item.origin = "upload"
        yield item


def read_uploads(files: Iterable[tuple[str, bytes]], *, source: str | None = None) -> Iterator[Item]:
    """Return the Items of uploaded files, given as (file name, bytes).

    :param source: the outlet for records that do not name one (blank: each file's own).
    :raises ValidationError: on ``files``, when no file is given.
    """
    files = [(name, data) for name, data in files if name]
    if not files:
        raise ValidationError({"files": "choose one or more files (text, HTML, JSON, JSONL or a feed)"})
    source = (source or "").strip() or None
    return (item for name, data in files for item in read_upload(name, data, source=source))


def read_items(paths: Iterable[str], *, source: str | None = None, allow_private: bool = False) -> Iterator[Item]:
    """Yield the Items of every path in turn: files, folders and http(s) URLs."""
    for path in paths:
        if looks_like_url(path):
            yield from read_url(str(path), source=source, allow_private=allow_private)
        else:
            yield from read_path(path, source=source)


