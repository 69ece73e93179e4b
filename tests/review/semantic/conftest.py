"""Fixtures for the semantic extra's tests: the extra switched on (skipped cleanly when it is not installed)."""

import json

import pytest

from review import scorers


@pytest.fixture
def semantic_on(monkeypatch):
    """Switch the semantic extra on for one test; skip when its libraries are not installed."""
    pytest.importorskip("onnxruntime")
    pytest.importorskip("tokenizers")
    monkeypatch.setenv("CLAIMDESK_SEMANTIC", "on")
    scorers._active.cache_clear()
    yield
    scorers._active.cache_clear()


def claimreview_file(items) -> bytes:
    """Return a ClaimReview JSON array for (claim, headline, url, rating) tuples."""
    return json.dumps([{
        "@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": claim, "headline": headline,
        "url": url, "datePublished": "2020-04-01",
        "author": {"@type": "Organization", "name": "Example Checks", "url": "https://checks.example.org/"},
        "reviewRating": {"@type": "Rating", "alternateName": rating},
    } for claim, headline, url, rating in items]).encode("utf-8")


REVIEWS = [
    ("5G towers spread the coronavirus", "Do 5G towers spread COVID-19?", "https://checks.example.org/5g", "False"),
    ("Drinking bleach cures COVID-19", "Bleach is not a cure", "https://checks.example.org/bleach", "False"),
    ("The Eiffel Tower was sold for scrap in 1925", "Was the Eiffel Tower sold?", "https://checks.example.org/eiffel",
     "Mostly false"),
    ("Bill Gates wants to microchip people through vaccines", "Gates microchip rumor",
     "https://checks.example.org/gates", "False"),
    ("Wind turbines cause cancer", "No, wind turbines do not cause cancer", "https://checks.example.org/wind", "False"),
]
