"""Helpers shared by the extraction tests: extract with every candidate kept, find a claim by its words."""

from review.extraction.pipeline import extract_claims

EVERYTHING = 0.0  # a threshold that keeps every factual candidate, for tests of the rules alone


def claims_of(text: str, source: str | None = "Wire", threshold: float | None = EVERYTHING) -> list:
    """Extract claims from a test text, by default keeping every candidate the rules let through."""
    return extract_claims(text, source=source, threshold=threshold)


def find(claims, fragment: str):
    """Return the one claim whose text contains fragment (case-insensitive)."""
    matches = [c for c in claims if fragment.lower() in c.text.lower()]
    assert len(matches) == 1, (fragment, [c.text for c in claims])
    return matches[0]


def absent(claims, fragment: str) -> bool:
    """Tell whether no claim's text contains fragment (case-insensitive)."""
    return all(fragment.lower() not in c.text.lower() for c in claims)
