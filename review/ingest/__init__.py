"""Ingest: read article files, folders, feeds and URLs into records, and store them.

Reading and storing are separate steps. :func:`read_path` turns a file or folder
into :class:`Item` objects, each either a record (the keyword arguments of
:func:`review.documents.add_document`) or a failure naming the file and the line
or record that could not be read. :func:`ingest_paths` stores the records, each
all-or-nothing, so a bad record never leaves anything half-written and never stops
the rest of the batch.
"""

import http.client
import ipaddress
import itertools
import json
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from email.message import Message
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import trafilatura

from review.documents import add_document, add_documents, split_title
from review.errors import ValidationError
from review.ingest.files import measure_paths, walk_files  # noqa: F401 - re-exported for callers
from review.ingest.formats import NotUtf8, binary_kind, decode_utf8, detect_format
from review.storage import Store

FETCH_TIMEOUT = 10
MAX_FETCH_BYTES = 5 * 1024 * 1024
CHUNK_SIZE = 100  # documents per commit
USER_AGENT = "Claimdesk/0.1 (fact-checking workbench)"

UNKNOWN_FORMAT = "unknown format: expected text, Markdown, HTML, JSON, JSONL or an RSS/Atom feed"
DATE_FORMATS = (
    "%d-%b-%Y %H:%M:%S.%f", "%d-%b-%Y %H:%M:%S", "%d-%b-%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
    "%Y/%m/%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%b. %d, %Y",
)
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
class Summary:
    """Counts for one ingest run, with a message per failure."""

    added: int = 0
    duplicates: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)
    claims: int = 0

    def add(self, other: "Summary") -> None:
        """Add another summary's counts and failures to this one."""
        for name in ("added", "duplicates", "skipped", "failed", "claims"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.failures.extend(other.failures)

    def line(self) -> str:
        return (f"added {self.added}, duplicates {self.duplicates}, skipped {self.skipped} (empty), "
                f"failed {self.failed}")


@dataclass
class Upload:
    """The records parsed from one uploaded file, and what could not be read."""

    records: list[dict]
    failures: list[str]


class _BadRecord(ValueError):
    """A record whose fields cannot be used."""


# -- records and dates ---------------------------------------------------------
def make_record(**fields) -> dict:
    """Return a record with every add_document field, missing ones as None."""
    return {key: fields.get(key) for key in FIELD_NAMES}


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def normalize_date(value) -> str | None:
    """Return a date as ISO ``YYYY-MM-DD`` or a full ISO datetime, or None when it cannot be parsed."""
    text = str(value).strip() if value is not None else ""
    if not text:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    try:
        return _iso(datetime.fromisoformat(text))
    except ValueError:
        pass
    try:
        return _iso(parsedate_to_datetime(text))  # RFC 822 dates, as in RSS
    except (TypeError, ValueError, IndexError):
        pass
    for pattern in DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, pattern)
        except ValueError:
            continue
        return parsed.date().isoformat() if "%H" not in pattern else _iso(parsed)
    return None


def _text_value(obj: dict, key: str) -> str | None:
    """Return the first of a record's fields for ``key`` as text."""
    for name in FIELD_NAMES[key]:
        value = obj.get(name)
        if value is None or value == "":
            continue
        if isinstance(value, bool) or not isinstance(value, (str, int, float, list)):
            raise _BadRecord(f'field "{name}" is not text (got {_json_kind(value)})')
        if isinstance(value, list):
            if key != "body" or not all(isinstance(part, str) for part in value):
                raise _BadRecord(f'field "{name}" is not text (got {_json_kind(value)})')
            return "\n\n".join(value)
        return str(value)
    return None


def _json_kind(value) -> str:
    kinds = {dict: "an object", list: "an array", str: "a string", bool: "true/false", type(None): "null"}
    return kinds.get(type(value), "a number")


def record_from_json(obj, *, source: str | None, stem: str) -> dict:
    """Map a JSON object's fields onto a record; the record's own source wins over ``source``."""
    if not isinstance(obj, dict):
        raise _BadRecord(f"not a JSON object (got {_json_kind(obj)})")
    if not any(name in obj for name in FIELD_NAMES["body"]):
        raise _BadRecord('no "body" or "text" field')
    record = make_record(**{key: _text_value(obj, key) for key in FIELD_NAMES})
    record["body"] = record["body"] or ""
    record["published_at"] = normalize_date(record["published_at"])
    record["source"] = record["source"] or source or stem
    return record


def _with_source(record: dict, source: str | None, stem: str) -> dict:
    """Apply --source over a source guessed from page or feed metadata, else fall back to the file's stem."""
    record["source"] = source or record.get("source") or stem
    return record


# -- readers: each yields Items for one file's bytes ----------------------------
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


def parse_html(data: bytes | str, *, url: str | None = None) -> dict:
    """Return the record of an article page: main text, title, date, author and site name (trafilatura)."""
    document = trafilatura.bare_extraction(
        data, url=url, with_metadata=True, include_comments=False,
        # Only dates the page declares: the extensive search turns "Copyright 2023" into 2023-01-01.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None:
        return make_record(body="", url=url, language=_html_language(data))
    title = (document.title or "").strip() or None
    return make_record(
        title=title, body=_drop_heading(document.text or "", title), url=document.url or url,
        source=document.sitename, author=document.author, published_at=normalize_date(document.date),
        language=document.language or _html_language(data),
    )


def _drop_heading(text: str, title: str | None) -> str:
    """Remove the page's headline when the extracted text starts with it."""
    first, _, rest = text.strip().partition("\n")
    if title and first.strip() == title:
        return rest.strip()
    return text.strip()


def _html_language(data: bytes | str) -> str | None:
    head = data[:4096] if isinstance(data, bytes) else data[:4096].encode("utf-8", "replace")
    found = re.search(rb"<html[^>]*?\slang=[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)", head, re.I)
    return found.group(1).decode("ascii").lower() if found else None


def _read_html(name: str, data: bytes, source: str | None, stem: str) -> Iterator[Item]:
    yield Item(name, record=_with_source(parse_html(data), source, stem), done=len(data))


def _read_json(name: str, data: bytes, source: str | None, stem: str) -> Iterator[Item]:
    try:
        value = json.loads(decode_utf8(data))
    except NotUtf8 as error:
        yield Item(name, error.line, error=error.reason, done=len(data))
        return
    except json.JSONDecodeError as error:
        if error.msg == "Extra data" and data.lstrip().startswith(b"{"):  # JSON Lines in a .json file
            yield from _read_jsonl(name, data, source, stem)
            return
        yield Item(name, str(error.lineno), error=f"malformed JSON: {error.msg} (column {error.colno})",
                   done=len(data))
        return
    if isinstance(value, dict):
        yield _record_item(name, "", value, source, stem, done=len(data))
    elif isinstance(value, list):
        for number, obj in enumerate(value, 1):
            done = len(data) * number // len(value)
            yield _record_item(name, f"record {number}", obj, source, stem, done=done)
    else:
        yield Item(name, error=f"expected a JSON object or an array of objects, got {_json_kind(value)}",
                   done=len(data))


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
            obj = json.loads(line.rstrip(b"\r\n").decode("utf-8"))
        except UnicodeDecodeError as error:
            bad = f"not UTF-8 (byte 0x{line[error.start]:02x} at offset {error.start})"
            yield Item(name, str(number), error=bad, done=end)
            continue
        except json.JSONDecodeError as error:
            yield Item(name, str(number), error=f"malformed JSON: {error.msg} (column {error.colno})", done=end)
            continue
        yield _record_item(name, str(number), obj, source, stem, done=end)


def _record_item(name: str, position: str, obj, source: str | None, stem: str, *, done: int) -> Item:
    try:
        return Item(name, position, record=record_from_json(obj, source=source, stem=stem), done=done)
    except _BadRecord as error:
        return Item(name, position, error=str(error), done=done)


class _TextExtractor(HTMLParser):
    """Collect the text of an HTML fragment, with a blank line after each block element."""

    BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr",
              "table", "section", "article", "pre", "figure", "figcaption"}
    SKIP = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Return the plain text of an HTML fragment (a feed entry's content), keeping paragraphs."""
    parser = _TextExtractor()
    parser.feed(fragment)
    parser.close()
    paragraphs = (re.sub(r"[ \t\r\f\v\n]+", " ", part).strip() for part in "".join(parser.parts).split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


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
            return _iso(datetime(*parsed[:6], tzinfo=timezone.utc))
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
        yield Item(name, f"entry {number}", record=_with_source(record, source, stem), origin="feed",
                   done=len(data) * number // total)


def read_path(path: str | os.PathLike, *, source: str | None = None) -> Iterator[Item]:
    """Yield the records (or failures) in a file or, recursively, a folder.

    :param source: the outlet for records that do not name one; defaults to each file's stem.
    """
    path = Path(path)
    if not path.is_dir():
        yield from _read_file(path, source)
        return
    for file, error in walk_files(path):
        if error:
            yield Item(str(file), error=f"cannot read folder ({error.strerror or error})")
        else:
            yield from _read_file(file, source)


def _read_file(path: Path, source: str | None) -> Iterator[Item]:
    try:
        data = path.read_bytes()
    except OSError as error:
        reason = "no such file or folder" if isinstance(error, FileNotFoundError) else error.strerror or str(error)
        yield Item(str(path), error=f"cannot read file ({reason})")
        return
    yield from read_bytes(str(path), data, source=source)


def upload_record(filename: str, data: bytes, *, source: str | None = None) -> Upload:
    """Parse an uploaded file into records and failure messages, as ``claimdesk ingest`` would read it."""
    name = Path(filename or "upload").name or "upload"
    records, failures = [], []
    for item in read_bytes(name, data, source=source):
        if item.error:
            failures.append(item.message)
        else:
            records.append(item.record)
    return Upload(records, failures)


# -- URLs ----------------------------------------------------------------------
class _Refused(OSError):
    """A connection to an address Claimdesk must not fetch from."""


def is_url(text: str) -> bool:
    return str(text).lower().startswith(("http://", "https://"))


def address_problem(address: str) -> str | None:
    """Return why an IP address must not be fetched from ("a loopback address"), or None when it is public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    checks = [("loopback", ip.is_loopback), ("link-local", ip.is_link_local), ("private", ip.is_private),
              ("multicast", ip.is_multicast), ("unspecified", ip.is_unspecified), ("reserved", ip.is_reserved),
              ("non-public", not ip.is_global)]
    for name, failed in checks:
        if failed:
            return f"a {name} address"
    return None


def _resolve(host: str, port: int, allow_private: bool) -> list[tuple]:
    """Resolve a host, refusing it when any of its addresses is private (unless allowed)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise _Refused(f"cannot resolve host {host} ({error.strerror})") from None
    if not allow_private:
        for info in infos:
            problem = address_problem(info[4][0])
            if problem:
                raise _Refused(f"refused: {host} resolves to {problem} ({info[4][0]})")
    return infos


def _guarded_connect(allow_private: bool):
    """Return a socket.create_connection replacement that only connects to the addresses it checked."""

    def connect(address, timeout=None, source_address=None, **kwargs):
        host, port = address
        last_error: OSError = _Refused(f"cannot connect to {host}")
        for family, kind, proto, _, sockaddr in _resolve(host, port, allow_private):
            sock = socket.socket(family, kind, proto)
            try:
                if isinstance(timeout, (int, float)):  # not socket's "global default" sentinel
                    sock.settimeout(timeout)
                if source_address:
                    sock.bind(source_address)
                sock.connect(sockaddr)
                return sock
            except OSError as error:
                sock.close()
                last_error = error
        raise last_error

    return connect


def _connection_class(base: type, allow_private: bool):
    def make(host, **kwargs):
        connection = base(host, **kwargs)
        # Checking inside the connection (not only before the request) also covers redirects and
        # DNS answers that change between the check and the connect.
        connection._create_connection = _guarded_connect(allow_private)
        return connection

    return make


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, allow_private: bool):
        super().__init__()
        self.allow_private = allow_private

    def http_open(self, req):
        return self.do_open(_connection_class(http.client.HTTPConnection, self.allow_private), req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, allow_private: bool):
        super().__init__()
        self.allow_private = allow_private

    def https_open(self, req):
        return self.do_open(_connection_class(http.client.HTTPSConnection, self.allow_private), req,
                            context=self._context)


class _HttpOnlyRedirectHandler(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not is_url(newurl):
            raise _Refused(f"refused: the server redirected to {newurl}, which is not an http(s) address")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(allow_private: bool) -> urllib.request.OpenerDirector:
    """Build an opener for http(s) only, without proxies (a proxy would bypass the address check)."""
    opener = urllib.request.OpenerDirector()
    for handler in (_GuardedHTTPHandler(allow_private), _GuardedHTTPSHandler(allow_private),
                    _HttpOnlyRedirectHandler(), urllib.request.HTTPDefaultErrorHandler(),
                    urllib.request.HTTPErrorProcessor(), urllib.request.UnknownHandler()):
        opener.add_handler(handler)
    return opener


def check_url(url: str, *, allow_private: bool = False) -> None:
    """Refuse a URL that is not http(s) or whose host resolves to a private address.

    :raises ValidationError: on ``url``, with the reason.
    """
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        raise ValidationError({"url": "only http:// and https:// addresses can be fetched"})
    if not parts.hostname:
        raise ValidationError({"url": "the address has no host name"})
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        _resolve(parts.hostname, port, allow_private)
    except ValueError:
        raise ValidationError({"url": "the address has an invalid port"}) from None
    except _Refused as error:
        raise ValidationError({"url": str(error)}) from None


def _download(url: str, *, allow_private: bool, timeout: float, max_bytes: int) -> tuple[bytes, Message, str]:
    """Return the body, headers and final URL of a GET, within the time and size limits."""
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"})
    too_big = f"the page is larger than {max_bytes / 2**20:g} MB; stopped reading"
    with _opener(allow_private).open(request, timeout=timeout) as response:
        if _declared_length(response.headers) > max_bytes:
            raise ValidationError({"url": too_big})
        chunks, size = [], 0
        while chunk := response.read1(64 * 1024):  # whatever arrived, so a trickle cannot outlast the deadline
            size += len(chunk)
            if size > max_bytes:
                raise ValidationError({"url": too_big})
            if time.monotonic() > deadline:
                raise TimeoutError()
            chunks.append(chunk)
        return b"".join(chunks), response.headers, response.geturl()


def _declared_length(headers: Message) -> int:
    try:
        return int(headers.get("Content-Length") or 0)
    except ValueError:
        return 0


def _fetch_failure(error: Exception, timeout: float) -> str:
    """Return the user-facing reason a fetch failed."""
    if isinstance(error, urllib.error.HTTPError):
        return f"the server answered HTTP {error.code} {error.reason}"
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"timed out after {timeout:g} s"
    if isinstance(reason, _Refused):
        return str(reason)
    return f"cannot fetch the page ({getattr(reason, 'strerror', None) or reason})"


def fetch_url(url: str, *, allow_private: bool = False, timeout: float = FETCH_TIMEOUT,
              max_bytes: int = MAX_FETCH_BYTES) -> dict:
    """Fetch an article page over http(s) and return its record.

    :param allow_private: allow private, loopback and link-local addresses (tests, intranets).
    :raises ValidationError: on ``url``: not http(s), a refused address, a timeout, an HTTP error,
        a page over ``max_bytes``, not a web page, or no article text.
    """
    url = url.strip()
    check_url(url, allow_private=allow_private)
    try:
        data, headers, final_url = _download(url, allow_private=allow_private, timeout=timeout, max_bytes=max_bytes)
    except ValidationError:
        raise
    except (OSError, http.client.HTTPException, ValueError) as error:
        if isinstance(error, urllib.error.HTTPError):
            error.close()  # it holds the open response
        raise ValidationError({"url": _fetch_failure(error, timeout)}) from None
    record = _record_from_page(data, headers, final_url)
    if not record["body"].strip():
        raise ValidationError({"url": "no article text found on the page"})
    return record


def _record_from_page(data: bytes, headers: Message, url: str) -> dict:
    """Parse a fetched page as HTML or plain text, by content type and content."""
    content_type = headers.get_content_type()  # text/plain when the server sends none
    kind = {"text/html": "html", "application/xhtml+xml": "html"}.get(content_type)
    if kind is None and content_type in ("text/plain", "application/octet-stream"):
        kind = detect_format("", data)
    if kind == "html":
        record = parse_html(data, url=url)
        record["url"] = url  # where the page really is; a canonical link may point elsewhere
    elif kind == "text":
        title, body = split_title(_decode_page(data, headers.get_content_charset()))
        record = make_record(title=title, body=body, url=url)
    else:
        raise ValidationError({"url": f"not a web page ({content_type}); save it as a file and ingest that"})
    record["source"] = record["source"] or urllib.parse.urlsplit(url).hostname
    return record


def _decode_page(data: bytes, charset: str | None) -> str:
    """Decode a fetched text page by its declared charset, else UTF-8, replacing bad bytes."""
    try:
        return data.decode(charset or "utf-8", "replace")
    except LookupError:  # a charset Python does not know
        return data.decode("utf-8", "replace")


def read_url(url: str, *, source: str | None = None, allow_private: bool = False,
             timeout: float = FETCH_TIMEOUT) -> Iterator[Item]:
    """Yield the record of a fetched page, or the reason it could not be fetched."""
    try:
        record = fetch_url(url, allow_private=allow_private, timeout=timeout)
    except ValidationError as error:
        yield Item(url, error=error.fields.get("url", error.message), origin="url")
        return
    record["source"] = source or record["source"]
    yield Item(url, record=record, origin="url")


# -- storing ---------------------------------------------------------------------
def read_items(paths: Iterable[str], *, source: str | None = None, allow_private: bool = False) -> Iterator[Item]:
    """Yield the Items of every path in turn: files, folders and http(s) URLs."""
    for path in paths:
        if is_url(path):
            yield from read_url(str(path), source=source, allow_private=allow_private)
        else:
            yield from read_path(path, source=source)


def _count(summary: Summary, item: Item, result=None, error: Exception | None = None) -> None:
    """Add one item's outcome to the summary."""
    if item.error is not None or error is not None:
        summary.failed += 1
        summary.failures.append(item.message if error is None else
                                f"{item.where}: could not store the record ({error})")
    elif result.status == "added":
        summary.added += 1
        summary.claims += result.claims_new
    elif result.status == "duplicate":
        summary.duplicates += 1
    else:
        summary.skipped += 1


def store_item(db: Store, item: Item, summary: Summary, *, actor_id: int | None = None) -> None:
    """Store one Item's record in its own transaction (or count its failure) and update the summary."""
    if item.error is not None:
        _count(summary, item)
        return
    try:
        result = add_document(db, **item.record, origin=item.origin, actor_id=actor_id)
    except Exception as error:  # noqa: BLE001 - one bad record must not stop the batch; its transaction rolled back
        _count(summary, item, error=error)
        return
    _count(summary, item, result)


def store_chunk(db: Store, chunk: list[Item], summary: Summary, *,
                actor_id: int | None = None) -> None:
    """Store several Items in one commit, each record in a savepoint of its own.

    One commit per document costs more than the document itself; a chunk shares one.
    When a record fails, the chunk is rolled back and stored again one transaction per
    record, so a failure never takes good records with it, whatever state it left.
    """
    trial = Summary()
    readable = [item for item in chunk if item.error is None]
    try:
        results = add_documents(db, [dict(item.record, origin=item.origin) for item in readable], actor_id=actor_id)
    except Exception:  # noqa: BLE001 - redo the chunk record by record below; the batch rolled back
        for item in chunk:
            store_item(db, item, summary, actor_id=actor_id)
        return
    outcomes = iter(results)
    for item in chunk:
        if item.error is not None:
            _count(trial, item)
        else:
            _count(trial, item, next(outcomes))
    summary.add(trial)


def _chunks(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    while chunk := list(itertools.islice(items, size)):
        yield chunk


def ingest_paths(
    db: Store,
    paths: Iterable[str],
    *,
    source: str | None = None,
    actor_id: int | None = None,
    progress: Callable[[Item, int], None] | None = None,
    allow_private: bool = False,
    chunk_size: int = CHUNK_SIZE,
) -> Summary:
    """Read files, folders and URLs and store every record; a failure never stops the rest.

    Records are read ``chunk_size`` at a time outside any transaction (a slow URL never
    holds the write lock), then stored with one commit per chunk; each record stays
    all-or-nothing. ``chunk_size=1`` commits every document on its own.

    :param source: the outlet for records that do not name one (default: each file's stem).
    :param progress: called after each item is stored, with the item and the bytes of its file newly read.
    :param allow_private: let URLs reach private, loopback and link-local addresses.
    """
    summary = Summary()
    consumed: dict[str, int] = {}
    for chunk in _chunks(read_items(paths, source=source, allow_private=allow_private), max(1, chunk_size)):
        if len(chunk) == 1:
            store_item(db, chunk[0], summary, actor_id=actor_id)
        else:
            store_chunk(db, chunk, summary, actor_id=actor_id)
        for item in chunk if progress else ():
            advanced = max(0, item.done - consumed.get(item.file, 0))
            consumed[item.file] = max(item.done, consumed.get(item.file, 0))
            progress(item, advanced)
    return summary
