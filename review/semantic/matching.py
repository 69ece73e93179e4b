"""Hybrid "checked before?": lexical and nearest-neighbour candidates re-ranked by both signals together.

The pool of one claim is the default path's 50 best (``review.matching.rank_matches``: BM25, then the lexical
re-ranker's probability) plus the 50 prior verdicts whose stored embeddings are nearest to the claim's
(``embeddings.archive``, the database's embeddings held once per process), the ones BM25 did not find coming
after. BM25 alone misses the right fact-check for about 6 % of CheckThat! queries within its 50; the union
misses about 1 %. Every candidate gets FEATURES: the lexical log-odds (a neighbour BM25 did not find gets the
pool's lowest minus one), the cosine of the claim's embedding to the candidate's (its claim and headline, embedded
at import) and of the claim's bare text (links, handles and a post's signature taken out), each one's gap to the
pool's best and rank in the pool, whether BM25 found it, and the cosine's z-score within the pool; a logistic
regression over them gives the probability that the candidate reviews the same claim. It reads the lexical model
through its probability only, so the two can be refitted apart. Its weights and its own strong-match threshold
(chosen, as the default's, inside the grouped loop) are in ``model/matching_head.json``, written by
``bench/semantic.py --choose``.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources

import numpy as np

from review import matching
from review.indexing import load_record
from review.matching import Match
from review.semantic.embeddings import Key, archive, match_text, similarities

HEAD_FILE = "matching_head.json"
NEIGHBOURS = 50  # nearest stored embeddings added to BM25's candidates
FEATURES = ("lexical_logit", "cosine", "cosine_gap", "lexical_gap", "lexical_rank", "cosine_rank", "from_bm25",
            "cosine_z", "bare_cosine")
NO_LEXICAL = -10.0  # the lexical log-odds of a pool without BM25 candidates


@dataclass(frozen=True)
class Head:
    """The hybrid re-ranker: weights over FEATURES, and its strong threshold."""

    features: tuple[str, ...]
    weights: np.ndarray
    intercept: float
    strong_match: float
    settings_sha256: str = ""
    lexical_model: dict | None = None  # lexical_model() of the re-ranker whose probabilities it was fitted on


@dataclass
class HybridMatch(Match):
    """A match scored by the hybrid re-ranker: strong at the hybrid head's own calibrated threshold."""

    @property
    def strong(self) -> bool:
        """Return whether the match is likely enough to flag the claim as checked before."""
        return self.score >= load_head().strong_match


@dataclass
class Pool:
    """One claim's candidates: BM25's (as matches, best first) then the neighbours BM25 missed, with FEATURES."""

    keys: list[Key]
    found: list[Match]  # the BM25 candidates, the first len(found) keys
    features: np.ndarray


def head_from_dict(payload: dict) -> Head:
    """Return the head a payload describes."""
    return Head(tuple(payload["features"]), np.array(payload["weights"], dtype=np.float64),
                float(payload["intercept"]), float(payload["strong_match"]), payload.get("settings_sha256", ""),
                payload.get("lexical_model"))


def lexical_model() -> dict:
    """Return the default lexical re-ranker's weights (the head reads its probabilities, so it records them)."""
    return {"intercept": matching.INTERCEPT, "weights": dict(matching.WEIGHTS)}


def current(head: Head) -> bool:
    """Return whether the head was fitted on the lexical re-ranker this process runs."""
    return head.lexical_model == lexical_model()


@functools.lru_cache(maxsize=1)
def load_head() -> Head:
    """Return the shipped hybrid head."""
    resource = resources.files("review.semantic") / "model" / HEAD_FILE
    return head_from_dict(json.loads(resource.read_text(encoding="utf-8")))


def fits(head: Head) -> bool:
    """Return whether the head reads the features this module computes."""
    return head.features == FEATURES and len(head.weights) == len(FEATURES)


def candidate_key(match: Match) -> Key:
    """Return the (kind, id) whose embedding a candidate match has."""
    if match.origin == "imported":
        return "prior_review", int(match.prior_review_id)
    return "verdict", int(match.verdict_id)


def bare_text(text: str) -> str:
    """Return the claim without links, @handles and a pasted post's signature, as the lexical path reads it."""
    return matching.clean_claim_text(matching.without_signature(text))


def _rank(values: np.ndarray) -> np.ndarray:
    """Return each value's 0-based rank, largest first (ties in pool order)."""
    return np.argsort(np.argsort(-values, kind="stable"), kind="stable").astype(np.float64)


def feature_rows(lexical: np.ndarray, cosine: np.ndarray, bare: np.ndarray) -> np.ndarray:
    """Return FEATURES for a pool: ``lexical`` holds the BM25 candidates' probabilities (they come first), the
    cosines cover the whole pool, the claim's and its bare text's."""
    n_bm25 = len(lexical)
    p = np.clip(np.asarray(lexical, dtype=np.float64), 1e-6, 1 - 1e-6)
    logit = np.log(p / (1 - p))
    low = float(logit.min()) - 1 if n_bm25 else NO_LEXICAL - 1
    logit = np.concatenate([logit, np.full(len(cosine) - n_bm25, low)])
    cosine, bare = np.asarray(cosine, dtype=np.float64), np.asarray(bare, dtype=np.float64)
    if not len(cosine):
        return np.zeros((0, len(FEATURES)))
    from_bm25 = (np.arange(len(cosine)) < n_bm25).astype(np.float64)
    z = (cosine - cosine.mean()) / (cosine.std() + 1e-6)
    return np.column_stack([logit, cosine, cosine - cosine.max(), logit - logit.max(), np.log1p(_rank(logit)),
                            np.log1p(_rank(cosine)), from_bm25, z, np.maximum(cosine, bare)])


def pool(db, index, encoder, text: str, *, claim_date=None) -> Pool:
    """Return the claim's candidate pool with its features (BM25's top 50, then the nearest embeddings)."""
    found = matching.rank_matches(index, text, limit=matching.CANDIDATES, claim_date=claim_date)
    stored = archive(db)
    keys = [candidate_key(match) for match in found]
    rows = [stored.rows.get(key, -1) for key in keys]
    missing = [n for n, row in enumerate(rows) if row < 0]  # published since the last reindex
    bare = bare_text(text)
    apart = [bare] if bare.strip() and bare != " ".join(text.split()) else []  # a plain claim is its own bare text
    texts = [text, *apart] + [match_text(found[n].claim_reviewed, found[n].headline) for n in missing]
    vectors = encoder.embed(texts)
    query = vectors[0]
    query_bare = vectors[1] if apart else query
    if len(stored.keys) and query.any():
        near = similarities(stored.matrix, query)
        top = np.argpartition(-near, min(NEIGHBOURS, len(near)) - 1)[:NEIGHBOURS]
        seen = set(keys)
        for i in top[np.argsort(-near[top], kind="stable")]:
            if stored.keys[i] not in seen:
                keys.append(stored.keys[i])
                rows.append(int(i))
    matrix = np.zeros((len(keys), len(query)), dtype=np.float32)
    held = np.array(rows, dtype=np.int64)
    matrix[held >= 0] = stored.matrix[held[held >= 0]]
    matrix[missing] = vectors[1 + len(apart):]
    features = feature_rows(np.array([m.score for m in found]), matrix @ query, matrix @ query_bare)
    return Pool(keys, found, features)


def probabilities(head: Head, features: np.ndarray) -> np.ndarray:
    """Return the head's probability for each candidate of a pool."""
    z = head.intercept + features @ head.weights
    return 1 / (1 + np.exp(-np.clip(z, -40, 40)))


def rank(db, index, encoder, text: str, *, limit: int = 5, claim_date=None) -> list[HybridMatch]:
    """Return the ``limit`` prior verdicts most likely to review the claim ``text``, best first."""
    if limit <= 0 or not (text or "").strip():
        return []
    found = pool(db, index, encoder, text, claim_date=claim_date)
    if not found.keys:
        return []
    scores = probabilities(load_head(), found.features)
    out = []
    for n in np.argsort(-scores, kind="stable"):
        score = round(float(scores[n]), 4)
        match = found.found[n] if n < len(found.found) else stored_match(db, found.keys[n], score)
        if match is not None:
            out.append(HybridMatch(**{**vars(match), "score": score}))
        if len(out) == limit:
            break
    return out


def stored_match(db, key: Key, score: float) -> Match | None:
    """Return the Match of a prior verdict found by its embedding alone, from the database (None when gone)."""
    kind, ref_id = key
    record = load_record(db, kind, ref_id)
    if record is None:
        return None
    extra = record.extra
    published = record.published
    date = published.isoformat()[:10] if hasattr(published, "isoformat") else (str(published)[:10] or None)
    return Match(score=score, claim_reviewed=extra.get("claim_reviewed") or record.title,
                 rating_label=extra.get("rating_label") or "", rating_key=extra.get("rating_key") or "",
                 publisher=record.publisher, date=date if published else None, url=record.url,
                 origin="imported" if kind == "prior_review" else "own",
                 verdict_id=ref_id if kind == "verdict" else None,
                 prior_review_id=ref_id if kind == "prior_review" else None,
                 headline=record.title, language=record.language or None)
