"""Read the ClaimReview records in an HTML page: its JSON-LD blocks and its microdata.

A record without ``url`` takes the page's URL (it is embedded in the page it
reviews); relative URLs resolve against the page URL (``<base href>``, the URL
given by the user, then the page's canonical link or ``og:url``).
"""

import re
from collections.abc import Iterator

import extruct
import lxml.html
from lxml import etree

from review.claimreview.find import find_claimreviews
from review.claimreview.jsonld import absolute_url, index_ids
from review.claimreview.record import Finding, Review, findings_from, review_from_node
from review.jsontext import BadJson, load_json

COMMENT_LINE = re.compile(r"^\s*//.*$", re.MULTILINE)
WRAPPERS = re.compile(r"^\s*(?:<!--|/\*\s*<!\[CDATA\[\s*\*/|<!\[CDATA\[)|(?:-->|/\*\s*\]\]>\s*\*/|\]\]>)\s*$")


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
            yield number_, load_json(content, strict=False), None
        except BadJson as error:
            if not error.syntax:  # well-formed, over a limit (too deep, too long a number)
                yield number_, None, f"JSON-LD block {number_}: {error}"
                continue
            try:  # publishers sometimes wrap JSON-LD in HTML comments, CDATA or JavaScript comment lines
                yield number_, load_json(_unwrap(content), strict=False), None
            except BadJson:
                yield number_, None, f"JSON-LD block {number_} is not valid JSON: {error.reason} (line {error.line})"


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
        findings += findings_from([(position, result)], lambda p: f"record {p}")
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
