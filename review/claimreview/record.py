"""Turn one ClaimReview node into our ``prior_reviews`` fields, or the reason it cannot be used.

Required: a non-empty ``claimReviewed`` and an absolute http(s) ``url`` after
resolving relative ones against the page URL. Everything else is optional; a
value that cannot be read is left empty with a warning.

Dates are read by :func:`review.dates.read_date`; one it cannot read is left empty with a
warning (``01/03/2016`` could be 1 March or 3 January), never guessed.
"""

import json
from dataclasses import dataclass, field

from review.claimreview.jsonld import (
    LONE_SURROGATE,
    absolute_url,
    first,
    names,
    nodes,
    number,
    prop,
    quoted,
    text,
    url_text,
)
from review.dates import read_date


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


def findings_from(results: list[tuple[int | None, "Review | str"]], label) -> list[Finding]:
    """Turn parse results into findings, naming each position with ``label``."""
    return [Finding(label(position), None, result) if isinstance(result, str)
            else Finding(label(position), result) for position, result in results]


# -- dates ---------------------------------------------------------------------
def normalize_date(value) -> tuple[str | None, str | None]:
    """Return (ISO date or datetime, None), or (None, why the date was left empty); (None, None) when absent."""
    return read_date(text(value))


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
