"""Reading HTML: an article page's main text and metadata (trafilatura), and the text of a fragment."""

import re
from html.parser import HTMLParser

import trafilatura

from review.dates import read_date
from review.ingest.records import make_record
from review.urls import is_web_url


def parse_html(data: bytes | str, *, url: str | None = None) -> dict:
    """Return the record of an article page: main text, title, date, author and site name.

    The page's own address (canonical link, og:url) is kept only when it is a web address
    :func:`review.urls.clean_url` accepts; otherwise ``url`` (where the page was fetched) stands.
    """
    document = trafilatura.bare_extraction(
        data, url=url, with_metadata=True, include_comments=False,
        # Only dates the page declares: the extensive search turns "Copyright 2023" into 2023-01-01.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None:
        return make_record(body="", url=url, language=html_language(data))
    title = (document.title or "").strip() or None
    page_url = document.url if is_web_url(document.url) else url
    return make_record(
        title=title, body=_drop_heading(document.text or "", title), url=page_url,
        source=document.sitename, author=document.author, published_at=read_date(document.date)[0],
        language=document.language or html_language(data),
    )


def _drop_heading(text: str, title: str | None) -> str:
    """Remove the page's headline when the extracted text starts with it."""
    first, _, rest = text.strip().partition("\n")
    if title and first.strip() == title:
        return rest.strip()
    return text.strip()


def html_language(data: bytes | str) -> str | None:
    """Return the language an HTML document declares on its <html lang=...> tag, in lower case."""
    head = data[:4096] if isinstance(data, bytes) else data[:4096].encode("utf-8", "replace")
    found = re.search(rb"<html[^>]*?\slang=[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)", head, re.I)
    return found.group(1).decode("ascii").lower() if found else None


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
