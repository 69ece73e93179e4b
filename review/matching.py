"""Has this been checked before? Rank prior verdicts (our own and imported ones) for a claim.

Two stages, both light enough for the default install:

1. Candidates: BM25 over each verdict's claim, headline and summary in one text
   (``SearchIndex.similar``), with the claim cleaned of social-media noise: links,
   @handles, and hashtags split into words.
2. Re-ranking of the top 50 by a linear model over the BM25 score, character
   4-gram overlap with the claim, the headline and the whole review, and how the
   review's date sits against the claim's date (a fact-check usually follows
   the claim within weeks). The weights were fitted by logistic regression on
   the CheckThat! 2022 task 2A train queries and checked on its dev queries
   (``bench/prior_claims.py`` measures them); the score is the model's
   probability that the review checks the same claim.
"""

import datetime as dt
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass

from search_index import SearchIndex, open_index

CANDIDATES = 50
NGRAM = 4
# Fitted weights of the re-ranking model (see the module docstring).
INTERCEPT = -14.574
WEIGHTS = {"bm25_share": 12.158, "bm25": 1.531 / 50, "claim": 2.43, "headline": 7.085, "review": 0.87,
           "follows_claim": 1.712, "days_apart": -2.749 / 8}
FOLLOWS_WINDOW = (-3, 60)  # days from the claim to the review that count as "follows it"
STRONG_MATCH = 0.5
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
URL = re.compile(r"pic\.twitter\.com/\S+|https?://\S+|www\.\S+", re.IGNORECASE)
HANDLE = re.compile(r"@\w+")
HASHTAG = re.compile(r"#(\w+)")
HASHTAG_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
TRAILING_DATES = (
    (re.compile(r"(%s) (\d{1,2}),? (\d{4})\W*$" % "|".join(MONTHS), re.IGNORECASE), ("month", "day", "year")),
    (re.compile(r"(\d{1,2}) (%s),? (\d{4})\W*$" % "|".join(MONTHS), re.IGNORECASE), ("day", "month", "year")),
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})\W*$"), ("year", "month", "day")),
)


@dataclass
class Match:
    """One prior verdict that may review the same claim."""

    score: float  # 0-1: how likely the verdict reviews the same claim
    claim_reviewed: str
    rating_label: str  # the rating as its publisher wrote it
    rating_key: str  # the rating mapped to our scale ("" when unmapped)
    publisher: str
    date: str | None  # ISO date the review was published
    url: str | None
    origin: str  # "own" or "imported"
    verdict_id: int | None = None
    prior_review_id: int | None = None
    headline: str = ""

    @property
    def strong(self) -> bool:
        """Return whether the match is likely enough to flag the claim as checked before."""
        return self.score >= STRONG_MATCH

    def as_dict(self) -> dict:
        """Return the match as a JSON-ready dict."""
        return asdict(self)


def clean_claim_text(text: str) -> str:
    """Drop links and @handles and split hashtags into words (#FakeNews -> Fake News)."""
    text = URL.sub(" ", text or "")
    text = HASHTAG.sub(lambda m: " " + " ".join(HASHTAG_WORD.findall(m.group(1))) + " ", text)
    text = HANDLE.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def claim_date_in(text: str) -> dt.date | None:
    """Return the date a pasted post ends with ("— Name (@handle) May 6, 2017"), if any."""
    tail = (text or "").strip()[-40:]
    for pattern, order in TRAILING_DATES:
        found = pattern.search(tail)
        if found:
            parts = dict(zip(order, found.groups()))
            month = parts["month"]
            month = MONTHS.index(month.lower()) + 1 if not month.isdigit() else int(month)
            try:
                return dt.date(int(parts["year"]), month, int(parts["day"]))
            except ValueError:
                return None
    return None


def char_grams(text: str) -> set[str]:
    """Return the set of character 4-grams of a text's lower-cased words."""
    text = " " + re.sub(r"\W+", " ", (text or "").lower()).strip() + " "
    return {text[i:i + NGRAM] for i in range(len(text) - NGRAM + 1)}


def overlap(a: set[str], b: set[str]) -> float:
    """Return the cosine similarity of two sets."""
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def _review_date(fields: dict) -> dt.date | None:
    """Return the date a verdict was published, from its stored fields."""
    published = fields.get("published")
    if isinstance(published, dt.datetime):
        return published.date()
    return published if isinstance(published, dt.date) else None


def _features(hit, best_bm25: float, grams: set[str], claim_date: dt.date | None) -> dict[str, float]:
    """Return the re-ranking features of one candidate verdict."""
    fields = hit.fields
    extra = fields.get("extra") or {}
    features = {
        "bm25_share": hit.score / best_bm25 if best_bm25 else 0.0,
        "bm25": hit.score,
        "claim": overlap(grams, char_grams(extra.get("claim_reviewed", ""))),
        "headline": overlap(grams, char_grams(fields.get("title", ""))),
        "review": overlap(grams, char_grams(fields.get("body", ""))),
        "follows_claim": 0.0,
        "days_apart": 0.0,
    }
    review_date = _review_date(fields)
    if claim_date and review_date:
        days = (review_date - claim_date).days
        features["follows_claim"] = float(FOLLOWS_WINDOW[0] <= days <= FOLLOWS_WINDOW[1])
        features["days_apart"] = math.log1p(abs(days))
    return features


def _probability(features: dict[str, float]) -> float:
    """Return the model's probability that a candidate reviews the same claim."""
    z = INTERCEPT + sum(WEIGHTS[name] * value for name, value in features.items())
    return 1 / (1 + math.exp(-z))


def _as_match(hit, score: float) -> Match:
    """Return the Match a candidate hit describes."""
    fields = hit.fields
    extra = fields.get("extra") or {}
    review_date = _review_date(fields)
    imported = extra.get("origin") == "imported"
    return Match(
        score=round(score, 4),
        claim_reviewed=extra.get("claim_reviewed") or fields.get("title") or "",
        rating_label=fields.get("rating_label") or extra.get("rating_label") or "",
        rating_key=extra.get("rating_key") or "",
        publisher=fields.get("publisher_name") or "",
        date=review_date.isoformat() if review_date else None,
        url=fields.get("url"),
        origin="imported" if imported else "own",
        verdict_id=None if imported else hit.id,
        prior_review_id=extra.get("prior_review_id") if imported else None,
        headline=fields.get("title") or "",
    )


def rank_matches(index: SearchIndex, text: str, *, limit: int = 5, claim_date: dt.date | None = None) -> list[Match]:
    """Return the ``limit`` prior verdicts most likely to review the claim ``text``, best first."""
    cleaned = clean_claim_text(text)
    if not cleaned or limit <= 0:
        return []
    claim_date = claim_date or claim_date_in(text)
    hits = index.similar(" ".join(re.findall(r"\w+", cleaned)), kind="verdict", limit=max(CANDIDATES, limit))
    if not hits:
        return []
    grams = char_grams(cleaned)
    best = max(hit.score for hit in hits)
    scored = [(_probability(_features(hit, best, grams, claim_date)), n, hit) for n, hit in enumerate(hits)]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [_as_match(hit, score) for score, _, hit in scored[:limit]]


def match_claim(index_or_path, text: str, *, limit: int = 5, claim_date: dt.date | None = None) -> list[Match]:
    """Rank prior verdicts for one claim; ``index_or_path`` is an open index or an index folder.

    :param claim_date: when the claim was made; taken from the end of the text (a pasted post) when omitted.
    """
    if isinstance(index_or_path, str):
        index = open_index(index_or_path)
        try:
            return rank_matches(index, text, limit=limit, claim_date=claim_date)
        finally:
            index.close()
    return rank_matches(index_or_path, text, limit=limit, claim_date=claim_date)


def match_claims(index_or_path, texts: Iterable[str], *, limit: int = 5) -> Iterator[list[Match]]:
    """Rank prior verdicts for each claim in turn, opening the index once; an empty text gives []."""
    index = open_index(index_or_path) if isinstance(index_or_path, str) else index_or_path
    try:
        for text in texts:
            yield rank_matches(index, text, limit=limit)
    finally:
        if isinstance(index_or_path, str):
            index.close()
