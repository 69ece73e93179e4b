"""Hybrid "checked before?": BM25's top 50 re-ranked by the lexical model and sentence similarity together.

``review.matching.rank_matches`` gives the 50 best BM25 candidates with the default re-ranker's probability
(BM25 share, character 4-gram overlaps, dates); here each one also gets the cosine between the claim's
embedding and the candidate's stored one (``embeddings.vectors_for``; a candidate published since the last
import or reindex is embedded on the spot, not stored) and that cosine's gap to the best candidate's, and a
logistic regression over the three gives the probability that the candidate reviews the same claim. It reads
the lexical model through its probability only, so the two models can be refitted apart. Its weights and its
own strong-match threshold (chosen, as the default's, for 95 % precision inside the grouped loop) are in
``model/matching_head.json``, written by ``bench/semantic.py --choose``.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources

import numpy as np

from review.matching import Match
from review.semantic.embeddings import Key, match_text, vectors_for

HEAD_FILE = "matching_head.json"
FEATURES = ("lexical_logit", "cosine", "cosine_gap")  # the default re-ranker's log-odds; the cosine; its gap to the best


@dataclass(frozen=True)
class Head:
    """The hybrid re-ranker: weights over the lexical features plus the cosine, and its strong threshold."""

    features: tuple[str, ...]  # FEATURES
    weights: np.ndarray
    intercept: float
    strong_match: float
    settings_sha256: str = ""


@dataclass
class HybridMatch(Match):
    """A match scored by the hybrid re-ranker: strong at the hybrid head's own calibrated threshold."""

    @property
    def strong(self) -> bool:
        """Return whether the match is likely enough to flag the claim as checked before."""
        return self.score >= load_head().strong_match


def head_from_dict(payload: dict) -> Head:
    """Return the head a payload describes."""
    return Head(tuple(payload["features"]), np.array(payload["weights"], dtype=np.float64),
                float(payload["intercept"]), float(payload["strong_match"]), payload.get("settings_sha256", ""))


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


def cosines(db, encoder, text: str, matches: list[Match]) -> np.ndarray:
    """Return each candidate's cosine to the claim, from the stored embeddings (the few missing made here)."""
    keys = [candidate_key(match) for match in matches]
    stored = vectors_for(db, keys)
    missing = [n for n, key in enumerate(keys) if key not in stored]
    texts = [text] + [match_text(matches[n].claim_reviewed, matches[n].headline) for n in missing]
    vectors = encoder.embed(texts)
    made = dict(zip(missing, vectors[1:]))
    matrix = np.vstack([stored[key] if key in stored else made[n] for n, key in enumerate(keys)])
    return matrix @ vectors[0]


def feature_rows(lexical: np.ndarray, cosine: np.ndarray) -> np.ndarray:
    """Return the candidates' FEATURES from the default re-ranker's probabilities and the cosines."""
    p = np.clip(np.asarray(lexical, dtype=np.float64), 1e-6, 1 - 1e-6)
    best = float(cosine.max()) if len(cosine) else 0.0
    return np.column_stack([np.log(p / (1 - p)), cosine, cosine - best])


def probabilities(head: Head, lexical: np.ndarray, cosine: np.ndarray) -> np.ndarray:
    """Return the head's probability for each candidate from the default re-ranker's probability and the cosine."""
    z = head.intercept + feature_rows(lexical, cosine) @ head.weights
    return 1 / (1 + np.exp(-np.clip(z, -40, 40)))
