"""Fetching an article page over http(s), refusing private addresses (loopback, link-local, intranet).

The address is checked when the connection is made, not only before the request, so a
redirect or a DNS answer that changes between the check and the connect cannot reach a
private address. Only http and https are spoken, without proxies, within a time and
size limit.
"""

import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from email.message import Message

from review.errors import ValidationError
from review.ingest.formats import detect_format
from review.ingest.html import parse_html
from review.ingest.records import Item, make_record, split_title
from review.urls import clean_url, looks_like_url

FETCH_TIMEOUT = 10
MAX_FETCH_BYTES = 5 * 1024 * 1024
USER_AGENT = "Claimdesk/0.1 (fact-checking workbench)"


class _Refused(OSError):
    """A connection to an address Claimdesk must not fetch from."""


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
        if not looks_like_url(newurl):
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


def check_url(url: str, *, allow_private: bool = False) -> str:
    """Return a URL cleaned by :func:`review.urls.clean_url`, refusing a host that resolves to a private address.

    :raises ValidationError: on ``url``, with the reason.
    """
    url = clean_url(url, "url", required=True)
    parts = urllib.parse.urlsplit(url)
    try:
        _resolve(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), allow_private)
    except _Refused as error:
        raise ValidationError({"url": str(error)}) from None
    return url


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
    url = check_url(url, allow_private=allow_private)
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


def fetch_item(url: str, *, source: str | None = None, allow_private: bool = False,
               timeout: float = FETCH_TIMEOUT) -> Item:
    """Fetch a page (see :func:`fetch_url`) as an Item; ``source`` overrides the page's site name.

    :raises ValidationError: on ``url``, as :func:`fetch_url`.
    """
    record = fetch_url(url, allow_private=allow_private, timeout=timeout)
    record["source"] = (source or "").strip() or record["source"]
    return Item(url, record=record, origin="url")


def read_url(url: str, *, source: str | None = None, allow_private: bool = False,
             timeout: float = FETCH_TIMEOUT) -> Iterator[Item]:
    """Yield the record of a fetched page, or the reason it could not be fetched."""
    try:
        yield fetch_item(url, source=source, allow_private=allow_private, timeout=timeout)
    except ValidationError as error:
        yield Item(url, error=error.fields.get("url", error.message), origin="url")
