"""The one format detector: what kind of file a name and its bytes are, and UTF-8 decoding.

Both pipelines that read files ask it: ingest (articles) and the ClaimReview import.
:func:`detect_format` answers one of :data:`FORMATS` (or None for a binary file), first
from the file name's suffix, then from the content; a pipeline refuses the kinds it
does not read. :func:`binary_kind` names a binary file for the failure message.
"""

import re
from pathlib import Path

FORMATS = ("text", "html", "json", "jsonl", "feed")
FORMATS_BY_SUFFIX = {
    ".txt": "text", ".text": "text", ".md": "text", ".markdown": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json", ".jsonld": "json",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
}
# Signatures of common non-text files, so the failure says what the file is.
BINARY_SIGNATURES = {
    b"%PDF": "a PDF file", b"PK\x03\x04": "a ZIP archive or Office document", b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image", b"\x1f\x8b": "a gzip archive",
    b"\xd0\xcf\x11\xe0": "an old Office document", b"{\\rtf": "an RTF document",
}
BOM = b"\xef\xbb\xbf"


class NotUtf8(ValueError):
    """Bytes that are not UTF-8; ``line`` (a string, 1-based) and ``reason`` name the bad byte."""

    def __init__(self, line: int, reason: str):
        super().__init__(reason)
        self.line = str(line)
        self.reason = reason


def decode_utf8(data: bytes) -> str:
    """Decode UTF-8 (an optional byte order mark allowed).

    :raises NotUtf8: with the line and the offset in that line of the first bad byte.
    """
    data = data.removeprefix(BOM)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        offset = error.start - (data.rfind(b"\n", 0, error.start) + 1)
        raise NotUtf8(line, f"not UTF-8 (byte 0x{data[error.start]:02x} at offset {offset})") from None


def binary_kind(data: bytes) -> str | None:
    """Return what a binary file looks like ("a PDF file"), "" for unknown binary, None for text."""
    for signature, kind in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            return kind
    head = data[:8192]
    controls = sum(1 for byte in head if byte < 32 and byte not in b"\t\n\r\f\x1b")
    if b"\x00" in head or (head and controls / len(head) > 0.1):
        return ""
    return None


def detect_format(name: str, data: bytes) -> str | None:
    """Return "text", "html", "json", "jsonl" or "feed" for a file, or None when it is binary.

    The suffix decides when it is known (``.jsonld`` is JSON, ``.xml`` a feed); otherwise the
    content: an HTML document or a fragment opening with a tag is "html", an XML, RSS, Atom or
    RDF document is "feed", ``{`` or ``[`` opens "json" (JSON Lines in it are read as such by
    the JSON readers), anything else that is not binary is "text".
    """
    by_suffix = FORMATS_BY_SUFFIX.get(Path(name).suffix.lower())
    if by_suffix:
        return by_suffix
    if binary_kind(data) is not None:
        return None
    head = data[:4096].removeprefix(BOM).lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or re.search(rb"<html[\s>]", head[:1024]):
        return "html"
    if head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf:rdf")):
        return "feed"
    if re.match(rb"<(?:[a-z]|!--)", head):  # a page fragment: <div itemscope ...>, <script ...>, <p>
        return "html"
    if head.startswith((b"{", b"[")):
        return "json"
    return "text"
