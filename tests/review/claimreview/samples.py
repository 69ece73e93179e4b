"""ClaimReview samples shared by the pipeline's tests: a published record, parsing helpers, a fuzzing strategy."""

import json
from pathlib import Path

from hypothesis import strategies as st

from review.claimreview.build import Publisher, to_claimreview
from review.claimreview.read import parse_claimreviews
from review.claimreview.record import Review

PAGE = "https://checks.example.org/fact-checks/moon-cheese"


def claimreview(claim="The moon is made of cheese.", url=PAGE, **extra) -> dict:
    """Return a ClaimReview as a fact-checker would publish it."""
    node = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim,
        "url": url,
        "datePublished": "2016-03-01",
        "author": {"@type": "Organization", "name": "Example Checks", "url": "https://checks.example.org/"},
        "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1,
                         "alternateName": "False"},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Senator Smith"},
                         "datePublished": "2016-02-20"},
    }
    node.update(extra)
    return {key: value for key, value in node.items() if value is not None}


def only_review(obj, **kwargs) -> Review:
    """Parse obj and return its one usable review."""
    results = parse_claimreviews(obj, **kwargs)
    assert len(results) == 1, results
    position, review = results[0]
    assert isinstance(review, Review), review
    return review


def reviews_in(obj, **kwargs) -> list[dict]:
    return [result.fields for _, result in parse_claimreviews(obj, **kwargs) if isinstance(result, Review)]


def write(tmp_path, name: str, content) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def stored(db) -> list[dict]:
    return list(db.query("SELECT * FROM prior_reviews ORDER BY id"))


# -- export ------------------------------------------------------------------------------------
GOLDEN = Path(__file__).parent / "golden" / "claimreview_statistic.json"
PUBLISHER = Publisher(name="Desk Example", url="https://desk.example", public_url="https://facts.example")
CLAIM = {"id": 7, "text": "Syrian media claim 2,500 terrorists were neutralized.", "claimant": "Syrian media",
         "claimant_kind": "media", "appeared_at": None}
VERDICT = {"claim_reviewed": "Government forces neutralized 2,500 terrorists.", "conclusion": "No independent confirmation",
           "published_at": "2024-12-10T09:00:00+00:00", "language": "en", "article_url": None, "revision": 1}
APPEARANCES = [{"url": "https://media.example/story", "title": "Army says 2,500 killed", "appeared_at": "2024-12-07"}]


def built(rating=None, bounds=(1, 5), **verdict):
    """Return our ClaimReview of the sample claim, with a rating and verdict fields."""
    rating = rating or {"key": "unproven", "label": "Unproven", "rating_value": None}
    return to_claimreview(CLAIM, {**VERDICT, **verdict}, rating, bounds, PUBLISHER, APPEARANCES,
                          date_published="2024-12-10T09:00:00+00:00")


# -- pages -------------------------------------------------------------------------------------
JSON_LD_PAGE = """<!doctype html><html><head>
<link rel="canonical" href="https://checks.example.org/fact-checks/moon">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "BreadcrumbList"}</script>
<script type="application/ld+json">
<!--
{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Moon",
 "mainEntity": {"@type": "ClaimReview", "claimReviewed": "The moon is made of cheese.",
   "author": {"@type": "Organization", "name": "Example Checks", "url": "/"},
   "reviewRating": {"@type": "Rating", "alternateName": "Pants on Fire"}}}
-->
</script></head><body><h1>Moon</h1></body></html>"""

MICRODATA_PAGE = """<!doctype html><html><body>
<div itemscope itemtype="https://schema.org/ClaimReview">
  <link itemprop="url" href="/fact-checks/water">
  <span itemprop="claimReviewed">Water is dry.</span>
  <meta itemprop="datePublished" content="2019-05-04">
  <div itemprop="author" itemscope itemtype="https://schema.org/Organization">
    <span itemprop="name">Example Checks</span></div>
  <div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating">
    <meta itemprop="ratingValue" content="1"><span itemprop="alternateName">Falso</span></div>
</div></body></html>"""


# -- fuzzing -----------------------------------------------------------------------------------
KEYS = st.sampled_from(["@type", "@id", "@graph", "@value", "claimReviewed", "url", "reviewRating", "ratingValue",
                        "alternateName", "author", "name", "itemReviewed", "datePublished", "dataFeedElement",
                        "item", "publisher", "inLanguage", "bestRating"]) | st.text(max_size=5)
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20)
           | st.sampled_from(["ClaimReview", "DataFeed", "/relative", "https://x.org/a", "01/03/2016", "#a"]))
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(KEYS, inner, max_size=5), max_leaves=25)

