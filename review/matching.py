"""Has this been checked before? Rank prior verdicts (our own and imported ones) for a claim.

Two stages, both light enough for the default install:

1. Candidates: BM25 over each verdict's claim, headline and summary in one text
   (``SearchIndex.similar``), with the claim cleaned of social-media noise: links,
   @handles, and hashtags split into words. The 50 best, and, for a claim with a date, the 20 best among
   the verdicts published from the day before it to a week after (``WINDOW``): a fact-check written days
   after a post often words it differently, and its date says more than the few words they share.
2. Re-ranking of those candidates by a logistic regression over each candidate's share of the best BM25 score,
   character 4-gram overlap with the claim or the headline (the better), the whole review and the words of its
   address (a fact-check's slug), the overlaps of the claim and the headline with the post's bare text (without
   the "— Name (@handle) May 6, 2017" signature a pasted post ends with), and how the review's date sits against
   the claim's date (a fact-check usually follows the claim within days: the same day, 1-2, 3-7 or 8-30 days
   after, before it, or further); each feature also counts by how far it falls short of the best candidate's. The
   index precomputes every verdict's 4-gram sets and date beside its BM25 table, so a lookup scores the
   candidates with array operations and reads the stored fields of the ``limit`` best only. The weights
   and the strong-match threshold are chosen by grouped cross-validation on the CheckThat! 2022 task 2A
   train + dev queries (``bench/prior_claims.py --choose`` writes them here and to
   ``bench/settings/prior_claims.json``); the score is the model's probability that the review checks the
   same claim.
"""

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass

import numpy as np

from search_index import SearchIndex, open_index

CANDIDATES = 50
WINDOW = (-1, 7)  # days from the claim: the verdicts published then are candidates too, the best by BM25 ...
WINDOW_CANDIDATES = 20  # ... this many of them
# Fitted weights of the re-ranking model (see the module docstring).
INTERCEPT = -6.6682
WEIGHTS = {"bm25_share": 4.6103, "claim_or_headline": 2.4025, "review": -0.5584, "follows_claim": 0.5596, "days_apart": -0.0013, "claim_bare": 3.8247, "headline_bare": -0.6296, "url": 6.1946, "day_of_claim": 2.7723, "days_1_2": 2.044, "days_3_7": 1.0946, "days_8_30": -0.154, "before_claim": -0.5857, "bm25_share_gap": 4.6103, "claim_or_headline_gap": 2.6588, "review_gap": 3.2565, "follows_claim_gap": 0.3074, "days_apart_gap": -0.2045, "claim_bare_gap": 3.822, "headline_bare_gap": 3.8996, "url_gap": 9.3602, "day_of_claim_gap": -0.2295, "days_1_2_gap": 0.0287, "days_3_7_gap": 0.7805, "days_8_30_gap": 0.987, "before_claim_gap": -0.8324}
FEATURES = tuple(WEIGHTS)
FOLLOWS_WINDOW = (-3, 60)  # days from the claim to the review that count as "follows it"
DAY_BANDS = ((-1, 0), (1, 2), (3, 7), (8, 30))  # days from the claim to the review, one feature each
STRONG_MATCH = 0.825
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
URL = re.compile(r"pic\.twitter\.com/\S+|https?://\S+|www\.\S+", re.IGNORECASE)
HANDLE = re.compile(r"@\w+")
HASHTAG = re.compile(r"#(\w+)")
HASHTAG_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
# The signature an embedded post ends with: "— Ilhan Omar (@IlhanMN) January 6, 2020".
SIGNATURE = re.compile(r"\s*[—–-]\s*[^—–]*\(@\w+\)\s*\w+ \d{1,2}, \d{4}\s*$")
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
    language: str | None = None  # the review's language, when known
    foreign_language: bool = False  # set by review.prior when it differs from the claim's article

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


def without_signature(text: str) -> str:
    """Return a pasted post without the "— Name (@handle) Date" signature it ends with."""
    return SIGNATURE.sub("", text or "")


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


def _review_date(fields: dict) -> dt.date | None:
    """Return the date a verdict was published, from its stored fields."""
    published = fields.get("published")
    if isinstance(published, dt.datetime):
        return published.date()
    return published if isinstance(published, dt.date) else None


class Reranker:
    """Score the BM25 candidates of one claim from the features the index precomputed (see ``SearchIndex.similar``)."""

    pool = CANDIDATES

    def __init__(self, claim_date: dt.date | None = None, bare: str = ""):
        self.claim_date = claim_date
        self.gram_texts = (bare,) if bare else ()  # the post's bare text: its 4-gram cosines come after the text's
        self.features: np.ndarray | None = None  # the last candidates' feature rows, FEATURES order
        # The engines add the best BM25 candidates published in this window of days (first, last, how many).
        self.window = ((claim_date.toordinal() + WINDOW[0], claim_date.toordinal() + WINDOW[1], WINDOW_CANDIDATES)
                       if claim_date else None)

    def feature_rows(self, bm25: np.ndarray, grams: np.ndarray, days: np.ndarray) -> np.ndarray:
        """Return the candidates' features: share of the best BM25 score, 4-gram cosines, dates against the claim's,
        then each one's gap to the best candidate's (the candidates of one claim are compared with each other).

        ``grams`` has the cosines of the claim, headline, whole review and address against the text, then of the
        claim and the headline against the bare text (``claim_table.reorder``).

        The raw BM25 score is left out on purpose: it grows with the archive's size, so a small desk's exact
        repeat would never reach the strong-match threshold. The claim and the headline count by the better of
        their two overlaps: a repeat of either one is the same fact-check (apart they get unstable weights).
        Against the bare post (without its signature) they count apart: the signature's name and date are noise
        there. Without a signature the bare text is the text itself.
        """
        best = float(bm25.max()) if len(bm25) else 0.0
        share = bm25 / best if best else np.zeros(len(bm25))
        follows, apart = np.zeros(len(bm25)), np.zeros(len(bm25))
        bands = np.zeros((len(bm25), len(DAY_BANDS) + 1))
        if self.claim_date:
            known = days > 0
            delta = days - self.claim_date.toordinal()
            follows = (known & (delta >= FOLLOWS_WINDOW[0]) & (delta <= FOLLOWS_WINDOW[1])).astype(np.float64)
            apart = np.where(known, np.log1p(np.abs(delta)), 0.0)
            for column, (first, last) in enumerate(DAY_BANDS):
                bands[:, column] = known & (delta >= first) & (delta <= last)
            bands[:, -1] = known & (delta < DAY_BANDS[0][0])
        bare = grams[:, 4:6] if grams.shape[1] >= 6 else grams[:, 0:2]
        rows = np.column_stack([share, np.maximum(grams[:, 0], grams[:, 1]), grams[:, 2], follows, apart, bare,
                                grams[:, 3], bands])
        return np.column_stack([rows, rows - rows.max(axis=0)]) if len(rows) else np.zeros((0, 2 * rows.shape[1]))

    def __call__(self, bm25: np.ndarray, grams: np.ndarray, days: np.ndarray) -> np.ndarray:
        """Return each candidate's probability of reviewing the same claim."""
        self.features = self.feature_rows(bm25, grams, days)
        z = INTERCEPT + self.features @ np.array([WEIGHTS[name] for name in FEATURES])
        return 1 / (1 + np.exp(-np.clip(z, -40, 40)))


class _KeepOrder(Reranker):
    """Record the features of the candidates a lookup re-ranks, in the engine's order (for fitting the weights).

    It is asked for more than a lookup's candidates (the engine's pool grows to the limit asked for): the
    engine's order is the best BM25 scores first, then the window's best, so the lookup's candidates are the
    first ``CANDIDATES`` and the first ``WINDOW_CANDIDATES`` published in the window. Those come first, in
    that order; ``kept`` says how many.
    """

    kept = 0

    def __call__(self, bm25, grams, days):
        keep = np.arange(len(bm25)) < CANDIDATES
        if self.window:
            inside = np.flatnonzero((days >= self.window[0]) & (days <= self.window[1]))
            keep[inside[:self.window[2]]] = True
        self.kept = int(keep.sum())
        self.features = self.feature_rows(bm25[keep], grams[keep], days[keep])
        order = -np.arange(len(bm25), dtype=np.float64)
        return np.where(keep, order, order - len(bm25))


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
        language=fields.get("language") or None,
    )


def _words(text: str) -> str:
    """Return the cleaned claim's words, as the index's BM25 reads them."""
    return " ".join(re.findall(r"\w+", clean_claim_text(text)))


def candidates(index: SearchIndex, text: str, *, claim_date: dt.date | None = None) -> list[tuple]:
    """Return the BM25 candidates for a claim with their re-ranking features: [(hit, features)], BM25 order."""
    words = _words(text)
    if not words:
        return []
    collect = _KeepOrder(claim_date or claim_date_in(text), _words(without_signature(text)))
    hits = index.similar(words, kind="verdict", limit=CANDIDATES + WINDOW_CANDIDATES, rerank=collect)
    if not hits:
        return []
    return [(hit, dict(zip(FEATURES, map(float, row)))) for hit, row in zip(hits[:collect.kept], collect.features)]


def rank_matches(index: SearchIndex, text: str, *, limit: int = 5, claim_date: dt.date | None = None) -> list[Match]:
    """Return the ``limit`` prior verdicts most likely to review the claim ``text``, best first."""
    words = _words(text)
    if not words or limit <= 0:
        return []
    rerank = Reranker(claim_date or claim_date_in(text), _words(without_signature(text)))
    hits = index.similar(words, kind="verdict", limit=limit, rerank=rerank)
    return [_as_match(hit, hit.score) for hit in hits]


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
