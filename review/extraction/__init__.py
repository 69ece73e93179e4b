"""Claim extraction: article text in, check-worthy claims with their claimants out.

A pure pipeline: it reads text and returns ``Claim`` objects, and imports
nothing else of ``review``. One module per step (see ``pipeline`` for the
order): ``sentences``, ``attribution``, ``claim_text``, ``checkworthiness/``,
``filters``, ``names``, ``claimants`` (with ``claimant_kinds``),
``claim_types`` and ``quantities``; ``patterns`` holds the word lists and regex
builders they share.
"""

from review.extraction.checkworthiness.model import CHECKWORTHY_THRESHOLD, score_sentences
from review.extraction.claimant_kinds import claimant_kind
from review.extraction.pipeline import Claim, extract_claims, extract_claims_many, normalize_claim
from review.extraction.quantities import dates, quantities
from review.extraction.sentences import segment

__all__ = [
    "CHECKWORTHY_THRESHOLD", "Claim", "claimant_kind", "dates", "extract_claims", "extract_claims_many",
    "normalize_claim", "quantities", "score_sentences", "segment",
]
