"""Hybrid "checked before?": lexical and nearest-neighbour candidates re-ranked by both signals together.

The pool of one claim is the default path's best (``review.matching.rank_matches``: BM25's 50 and the date
window's 20, ordered by the lexical re-ranker's probability; the head says how many it takes, 20 or 50,
``LEXICAL_POOLS``, chosen in the grouped loop) plus the 50 prior verdicts whose stored embeddings are nearest to
the claim's (``embeddings.archive``, the database's embeddings held once per process), the ones the lexical
part did not bring coming after. BM25 alone misses the right fact-check for about 6 % of CheckThat! queries
within its 50; the union misses under 1 %. Every candidate gets FEATURES: the lexical log-odds (a neighbour
the lexical part did not bring gets the pool's lowest minus one), the cosine of the claim's embedding to the
candidate's (its claim and headline, embedded at import) and the better of that and the cosine of the claim's
bare text (links, handles and a post's signature taken out), the better cosine of those two to the candidate's
claim alone (embedded apart at import), each one's gap to the pool's best, rank in the pool and z-score within
it, and whether the lexical part brought it; a logistic regression over the ones the head names (which, is
chosen inside the grouped loop) gives the probability that the candidate reviews the same claim. It reads the lexical model through its probability only, so the two
can be refitted apart. Its weights, its lexical pool and its own strong-match threshold (chosen, as the
default's, inside the grouped loop) are in ``model/matching_head.json``, written by ``bench/semantic.py --choose``.
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
            "cosine_z", "bare_cosine", "bare_cosine_gap", "bare_cosine_rank", "bare_cosine_z",
            "claim_cosine", "claim_cosine_gap", "claim_cosine_rank", "claim_cosine_z")
CLAIM_FEATURES = FEATURES[-4:]  # the cosines to the candidate's claim alone: a head may leave them out
LEXICAL_POOLS = (20, 50)  # how many of the lexical re-ranker's best the pool takes: the grouped loop picks one
NO_LEXICAL = -10.0  # the lexical log-odds of a pool without BM25 candidates


@dataclass(frozen=True)
class Head:
    """The hybrid re-ranker: weights over some of FEATURES (``features``, in that order), its strong threshold."""

    features: tuple[str, ...]
    weights: np.ndarray
    intercept: float
    strong_match: float
    settings_sha256: str = ""
    lexical_model: dict | None = None  # lexical_model() of the re-ranker whose probabilities it was fitted on
    lexical_pool: int = matching.CANDIDATES  # the lexical re-ranker's best this many are candidates (LEXICAL_POOLS)


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
                payload.get("lexical_model"), int(payload.get("lexical_pool", matching.CANDIDATES)))


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
    """Return whether the head reads features this module computes (each once, in FEATURES order)."""
    return (len(head.weights) == len(head.features) and set(head.features) <= set(FEATURES)
            and list(head.features) == sorted(head.features, key=FEATURES.index))


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


def feature_rows(lexical: np.ndarray, cosine: np.ndarray, bare: np.ndarray, claim: np.ndarray) -> np.ndarray:
    """Return FEATURES for a pool: ``lexical`` holds the BM25 candidates' probabilities (they come first), the
    cosines cover the whole pool: the claim's and its bare text's to each candidate's claim and headline, and the
    better of the two to each candidate's claim alone."""
    n_bm25 = len(lexical)
    p = np.clip(np.asarray(lexical, dtype=np.float64), 1e-6, 1 - 1e-6)
    logit = np.log(p / (1 - p))
    low = float(logit.min()) - 1 if n_bm25 else NO_LEXICAL - 1
    logit = np.concatenate([logit, np.full(len(cosine) - n_bm25, low)])
    cosine, bare = np.asarray(cosine, dtype=np.float64), np.asarray(bare, dtype=np.float64)
    claim = np.asarray(claim, dtype=np.float64)
    if not len(cosine):
        return np.zeros((0, len(FEATURES)))
    from_bm25 = (np.arange(len(cosine)) < n_bm25).astype(np.float64)
    either = np.maximum(cosine, bare)
    return np.column_stack([logit, cosine, cosine - cosine.max(), logit - logit.max(), np.log1p(_rank(logit)),
                            np.log1p(_rank(cosine)), from_bm25, _z(cosine), either, either - either.max(),
                            np.log1p(_rank(either)), _z(either), claim, claim - claim.max(),
                            np.log1p(_rank(claim)), _z(claim)])


def _z(values: np.ndarray) -> np.ndarray:
    """Return each value's z-score within the pool."""
    return (values - values.mean()) / (values.std() + 1e-6)


@dataclass
class Found:
    """What a claim's pools are made of: the lexical re-ranker's best BM25 candidates (best first), the keys of the
    nearest stored embeddings (nearest first) and every one's cosines: of its claim and headline to the claim and
    to its bare text, and of its claim alone to the nearer of those two."""

    found: list[Match]
    near: list[Key]
    cosines: dict[Key, tuple[float, float, float]]

    def pool(self, lexical: int) -> Pool:
        """Return the pool of the lexical re-ranker's best ``lexical`` and the neighbours they leave out."""
        found = self.found[:lexical]
        keys = [candidate_key(match) for match in found]
        seen = set(keys)
        keys += [key for key in self.near if key not in seen]
        cosines = np.array([self.cosines[key] for key in keys], dtype=np.float64).reshape(len(keys), 3)
        return Pool(keys, found, feature_rows(np.array([m.score for m in found]), *cosines.T))


def gather(db, index, encoder, text: str, *, lexical: int, claim_date=None) -> Found:
    """Return the claim's lexical candidates (the re-ranker's best ``lexical``) and nearest embeddings, with cosines."""
    found = matching.rank_matches(index, text, limit=lexical, claim_date=claim_date)
    stored = archive(db)
    keys = [candidate_key(match) for match in found]
    rows = [stored.rows.get(key, -1) for key in keys]
    missing = [n for n, row in enumerate(rows) if row < 0]  # published since the last reindex
    bare = bare_text(text)
    apart = [bare] if bare.strip() and bare != " ".join(text.split()) else []  # a plain claim is its own bare text
    texts = [text, *apart] + [match_text(found[n].claim_reviewed, found[n].headline) for n in missing]
    texts += [match_text(found[n].claim_reviewed, None) for n in missing]
    vectors = encoder.embed(texts)
    query = vectors[0]
    query_bare = vectors[1] if apart else query
    near = []
    if len(stored.keys) and query.any():
        similar = similarities(stored.matrix, query)
        top = np.argpartition(-similar, min(NEIGHBOURS, len(similar)) - 1)[:NEIGHBOURS]
        top = top[np.argsort(-similar[top], kind="stable")]
        near = [stored.keys[i] for i in top]
        seen = set(keys)
        for i, key in zip(top, near):
            if key not in seen:
                keys.append(key)
                rows.append(int(i))
    matrix = np.zeros((len(keys), len(query)), dtype=np.float32)
    claims = np.zeros((len(keys), len(query)), dtype=np.float32)
    held = np.array(rows, dtype=np.int64)
    matrix[held >= 0] = stored.matrix[held[held >= 0]]
    claims[held >= 0] = stored.claims[held[held >= 0]]
    first = 1 + len(apart)
    matrix[missing] = vectors[first: first + len(missing)]
    claims[missing] = vectors[first + len(missing):]
    alone = np.maximum(claims @ query, claims @ query_bare)
    cosines = dict(zip(keys, zip((matrix @ query).tolist(), (matrix @ query_bare).tolist(), alone.tolist())))
    return Found(found, near, cosines)


def pool(db, index, encoder, text: str, *, claim_date=None) -> Pool:
    """Return the claim's candidate pool with its features (the lexical best, then the nearest embeddings)."""
    lexical = load_head().lexical_pool
    return gather(db, index, encoder, text, lexical=lexical, claim_date=claim_date).pool(lexical)


def probabilities(head: Head, features: np.ndarray) -> np.ndarray:
    """Return the head's probability for each candidate of a pool (``features``: all of FEATURES)."""
    z = head.intercept + features[:, [FEATURES.index(name) for name in head.features]] @ head.weights
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
