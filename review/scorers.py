"""The one scorer interface: which models score claims and rank "checked before?" matches.

With the semantic extra installed (``claimdesk[semantic]``) and its files intact, check-worthiness comes from
the trained head over sentence embeddings and matches from the hybrid re-ranker (``review.semantic``);
otherwise, or with ``CLAIMDESK_SEMANTIC=off``, from the default models (``review.extraction.checkworthiness``,
``review.matching``). Extraction, the workspace, the queue marks, the API and the CLI all ask here, and
``claimdesk db check`` prints ``describe()``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from review import matching, semantic
from review.extraction.checkworthiness import model as default_checkworthiness
from search_index import SearchIndex, open_index


@dataclass(frozen=True)
class Active:
    """The models in use: a name for each task, and why the semantic extra is or is not among them."""

    checkworthiness: str
    matching: str
    semantic: bool
    reason: str


DEFAULT_CHECKWORTHINESS = "default: hashed n-grams + cues, logistic regression"
DEFAULT_MATCHING = "default: BM25 top 50 + lexical re-ranking"


@functools.lru_cache(maxsize=4)
def _active(switch: str) -> Active:
    """Decide once per process (and per value of the switch) which models run; verify the files on the way."""
    found = semantic.status()
    if not found.active:
        return Active(DEFAULT_CHECKWORTHINESS, DEFAULT_MATCHING, False, found.reason)
    from review.semantic import checkworthiness as semantic_checkworthiness
    from review.semantic import matching as semantic_matching

    reasons = [found.reason]
    try:
        head = semantic_checkworthiness.active_head()
        checkworthiness = ("semantic: fine-tuned MiniLM logit + default features + MiniLM embedding, stacked"
                           if head.logit is not None else
                           "semantic: default features + MiniLM embedding, logistic regression")
    except (OSError, ValueError, KeyError) as error:
        checkworthiness = DEFAULT_CHECKWORTHINESS
        reasons.append(f"check-worthiness head not usable: {error}")
    try:
        fitted = semantic_matching.fits(semantic_matching.load_head())
        match_model = "semantic: BM25 top 50 + nearest 50 embeddings, lexical and MiniLM cosine re-ranking (hybrid)" if fitted else DEFAULT_MATCHING
        if not fitted:
            reasons.append("the hybrid head reads other features (run bench/semantic.py --choose)")
    except (OSError, ValueError, KeyError) as error:
        match_model = DEFAULT_MATCHING
        reasons.append(f"hybrid matching head not usable: {error}")
    return Active(checkworthiness, match_model, True, "; ".join(reasons))


def active() -> Active:
    """Return the models in use."""
    return _active(os.environ.get(semantic.SWITCH, ""))


def _semantic_checkworthiness() -> bool:
    """Return whether claims are scored by the semantic head."""
    return active().checkworthiness.startswith("semantic")


def _hybrid() -> bool:
    """Return whether matches are re-ranked by the hybrid head."""
    return active().matching.startswith("semantic")


def checkworthy_threshold() -> float:
    """Return the calibrated probability at or above which the active model calls a sentence check-worthy."""
    if _semantic_checkworthiness():
        from review.semantic import checkworthiness as semantic_checkworthiness

        return semantic_checkworthiness.active_head().threshold
    return default_checkworthiness.CHECKWORTHY_THRESHOLD


def score_sentences(sentences: list[str]) -> list[float]:
    """Return a 0-1 check-worthiness probability for each sentence, from the active model."""
    if not sentences:
        return []
    if _semantic_checkworthiness():
        from review.semantic import checkworthiness as semantic_checkworthiness

        return semantic_checkworthiness.score(semantic.get_encoder(), sentences).tolist()
    return default_checkworthiness.score_sentences(sentences)


def rank_matches(db, index: SearchIndex, text: str, *, limit: int = 5, claim_date=None,
                 encoder=None) -> list[matching.Match]:
    """Return the ``limit`` prior verdicts most likely to review the claim ``text``, best first (active model).

    ``encoder`` stands in for the process's encoder (the queue marks pass one that reads stored claim embeddings).
    """
    if not _hybrid():
        return matching.rank_matches(index, text, limit=limit, claim_date=claim_date)
    from review.semantic import matching as semantic_matching

    return semantic_matching.rank(db, index, encoder or semantic.get_encoder(), text, limit=limit, claim_date=claim_date)


def match_claims(db, index_or_path, texts: Iterable[str], *, limit: int = 5) -> Iterator[list[matching.Match]]:
    """Rank prior verdicts for each claim in turn, opening the index once; an empty text gives []."""
    index = open_index(index_or_path) if isinstance(index_or_path, str) else index_or_path
    try:
        for text in texts:
            yield rank_matches(db, index, text, limit=limit)
    finally:
        if isinstance(index_or_path, str):
            index.close()


def describe() -> list[str]:
    """Return lines that say which models are active, for `claimdesk db check`."""
    now = active()
    lines = [f"check-worthiness model: {now.checkworthiness}", f"matching model: {now.matching}",
             f"semantic extra: {'active' if now.semantic else 'not active'} ({now.reason})"]
    if _hybrid():
        from review.semantic import matching as semantic_matching

        if not semantic_matching.current(semantic_matching.load_head()):
            lines.append("hybrid matching head: fitted on an earlier lexical re-ranker; its ranking still works, "
                         "refit it for the best order (bench/semantic.py --choose)")
    return lines


def refresh_embeddings(db) -> dict[str, int] | None:
    """Embed the prior verdicts that lack a current embedding (at import and reindex); None without the extra."""
    if not active().semantic:
        return None
    from review.semantic import embeddings

    return embeddings.refresh(db, semantic.get_encoder())


def problems(db) -> list[str]:
    """Return what keeps the active models from working fully (for `claimdesk db check`)."""
    found = []
    now = active()
    if semantic.installed() and not semantic.switched_off() and not (_hybrid() and _semantic_checkworthiness()):
        found.append(now.reason)
    if now.semantic:
        from review.semantic import embeddings

        have = embeddings.counts(db)
        if have["embedded"] < have["total"]:
            found.append(f"{have['total'] - have['embedded']} of {have['total']} prior verdicts have no embedding "
                         "for semantic matching yet (run `claimdesk reindex`)")
    return found
