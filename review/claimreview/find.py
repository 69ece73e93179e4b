"""Find the ClaimReview nodes in a parsed JSON value, whatever shape wraps them.

Shapes read: a single object, an array, ``@graph``, DataFeed wrappers
(``dataFeedElement`` items, with the ClaimReview itself or inside ``item``),
ClaimReview nested anywhere in other nodes (an Article's ``review`` or
``mainEntity``), and results of the Google Fact Check Tools API (see
:func:`from_fact_check_tools`).

A node is a ClaimReview when its ``@type`` (string or list, with or without a
``schema:`` or ``https://schema.org/`` prefix, any letter case) names
ClaimReview, or when it has no ``@type`` but has ``claimReviewed``. A node with
``claimReviewed`` and some other ``@type`` is refused, not guessed at.
"""

from review.claimreview.jsonld import describe, prop, types_of

MAX_DEPTH = 100


def is_claimreview(node: dict) -> bool:
    """Tell whether a node is a ClaimReview (by @type, or untyped with claimReviewed)."""
    if "@type" not in node:
        return prop(node, "claimReviewed") is not None
    return any(name.casefold() == "claimreview" for name in types_of(node))


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
