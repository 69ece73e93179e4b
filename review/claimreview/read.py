"""Read a file's bytes into findings: the ClaimReview records in it, or why each cannot be used.

:func:`parse_claimreviews` is a pure function from a parsed JSON value to the
ClaimReview records found in it (or the reason each one cannot be used);
:func:`parse_bytes` does the same for a whole file: JSON, JSONL (one value a
line) or an HTML page. ``{"@id": ...}`` references are followed within the
same file or line.

Positions are the line for JSONL and ``record N`` otherwise (N counts the
ClaimReview records, and the entries of an array or DataFeed that hold none, in
file order).
"""

from review.claimreview.find import find_claimreviews, from_fact_check_tools
from review.claimreview.jsonld import describe, index_ids
from review.claimreview.pages import parse_html_bytes
from review.claimreview.record import Finding, Review, findings_from, review_from_node
from review.ingest.formats import FORMATS_BY_SUFFIX, NotUtf8, binary_kind, decode_utf8, detect_format
from review.jsontext import BadJson, load_json, read_json_values

KINDS = ("json", "jsonl", "html")  # the formats of review.ingest.formats this pipeline reads
SUFFIXES = tuple(suffix for suffix, kind in FORMATS_BY_SUFFIX.items() if kind in KINDS)
UNKNOWN_FORMAT = "unknown format: expected a .json, .jsonl or .html ClaimReview file"


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


def parse_json_text(content: str, *, base_url: str | None = None) -> list[Finding]:
    """Read a JSON document; a file of several JSON lines is read as JSONL.

    In a top-level array, an element too deep or holding too long a number is reported
    at its position and the others are read.
    """
    values = list(read_json_values(content))
    if len(values) == 1 and values[0][0] is None:
        obj = values[0][1]
        if isinstance(obj, BadJson):
            if obj.extra_data:
                return parse_jsonl_text(content, base_url=base_url)
            return [Finding(None, error=str(obj))]
    else:
        obj = [None if isinstance(value, BadJson) else value for _, value in values]
    results = parse_claimreviews(obj, base_url=base_url)
    bad = {number - 1: value for number, value in values if isinstance(value, BadJson)}
    if bad:
        results = _mark_unreadable(obj, results, bad)
    return findings_from(results, lambda position: None if position is None else f"record {position}")


def _mark_unreadable(elements: list, results: list, bad: dict[int, BadJson]) -> list:
    """Put each unreadable array element's reason where its finding stands (one per element read as null)."""
    results = list(results)
    offset = 0
    for index, element in enumerate(elements):
        if index in bad:
            results[offset] = (results[offset][0], str(bad[index]))
            offset += 1
        else:
            offset += len(find_claimreviews([element])) or 1
    return results


def parse_jsonl_text(content: str, *, base_url: str | None = None) -> list[Finding]:
    """Read JSON Lines: one JSON value a line, blank lines skipped; positions are line numbers."""
    findings = []
    for number_, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = load_json(line)
        except BadJson as error:
            reason = f"not valid JSON: {error.reason}" if error.syntax else error.reason
            findings.append(Finding(str(number_), error=f"{reason} (column {error.column})" if error.column
                                    else reason))
            continue
        results = parse_claimreviews(obj, base_url=base_url)
        if results[0][0] is None:
            results = [(None, f"no ClaimReview on this line ({describe(obj)})")]
        findings += findings_from(results, lambda _position, n=number_: str(n))
    if not findings:
        findings.append(Finding(None, error="empty file: no JSON lines"))
    return findings


def parse_bytes(name: str, data: bytes, *, base_url: str | None = None) -> list[Finding]:
    """Read one file's ClaimReview records; never raises on bad content."""
    kind = detect_format(name, data)
    if kind not in KINDS:
        what = binary_kind(data) if kind is None else None
        return [Finding(None, error=f"{UNKNOWN_FORMAT} (this looks like {what})" if what else UNKNOWN_FORMAT)]
    if kind == "html":
        return parse_html_bytes(data, base_url=base_url)
    try:
        content = decode_utf8(data)
    except NotUtf8 as error:
        return [Finding(None, error=f"line {error.line}: {error.reason}")]
    if not content.strip():
        return [Finding(None, error="empty file")]
    if kind == "jsonl":
        return parse_jsonl_text(content, base_url=base_url)
    return parse_json_text(content, base_url=base_url)
