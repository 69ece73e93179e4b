"""Claim extraction: article text in, check-worthy claims with their claimants out.

A pure pipeline: it reads text and returns ``Claim`` objects, and imports
nothing else of ``review`` but the scorer interface (``review.scorers``: the
default check-worthiness model or the semantic extra's). One module per step (see ``pipeline`` for the
order): ``sentences``, ``attribution``, ``claim_text``, ``checkworthiness/``,
``filters``, ``names``, ``claimants`` (with ``claimant_kinds``),
``claim_types`` and ``quantities``; ``patterns`` holds the word lists and regex
builders they share.
"""

import importlib

# Each name and the module it comes from: imported on first use, so a module that needs only one step (the
# check-worthiness model for ``claimdesk match``'s scorer) does not load the whole pipeline.
_HOMES = {
    "CHECKWORTHY_THRESHOLD": "checkworthiness.model", "score_sentences": "checkworthiness.model",
    "claimant_kind": "claimant_kinds", "Claim": "pipeline", "extract_claims": "pipeline",
    "extract_claims_many": "pipeline", "normalize_claim": "pipeline", "dates": "quantities",
    "quantities": "quantities", "segment": "sentences",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
