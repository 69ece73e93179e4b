"""Load the shipped weights and score sentences: the check-worthiness probability and threshold.

The weights file ``weights.json`` beside this module is written by
``scripts/train_checkworthiness.py``: the hashed weights are a base64 string of
zlib-compressed little-endian float16; the handcrafted weights, bias, feature
configuration, threshold and evaluation scores are plain JSON.
"""

from __future__ import annotations

import base64
import functools
import json
import zlib
from dataclasses import dataclass
from importlib import resources

import numpy as np

from review.extraction.checkworthiness.features import FeatureConfig, extract_features
from review.extraction.checkworthiness.lexicons import DENSE_FEATURES

#: Calibrated probability at or above which a sentence counts as check-worthy. Chosen by grouped
#: cross-validation on CheckThat! 2024 train + dev (bench/settings/checkworthiness.json).
CHECKWORTHY_THRESHOLD: float = 0.3

WEIGHTS_FILE = "weights.json"
FEATURE_VERSION = 1
CHUNK_SIZE = 2048  # sentences whose handcrafted features meet their weights in one product
PART_SIZE = 256  # sentences featurized together: their bytes and n-grams stay in the CPU's cache


@dataclass(frozen=True)
class Model:
    """Hold loaded weights and their feature configuration."""

    config: FeatureConfig
    hashed: np.ndarray  # float32, word_dim + char_dim
    dense: np.ndarray  # float64, len(DENSE_FEATURES)
    bias: float


def decode_weights(blob: str, size: int) -> np.ndarray:
    """Decode base64(zlib(float16 little-endian)) weights to float32."""
    raw = zlib.decompress(base64.b64decode(blob))
    weights = np.frombuffer(raw, dtype="<f2").astype(np.float32)
    if len(weights) != size:
        raise ValueError(f"expected {size} hashed weights, found {len(weights)}")
    return weights


def encode_weights(weights: np.ndarray) -> str:
    """Encode weights as base64(zlib(float16 little-endian))."""
    raw = np.asarray(weights, dtype="<f2").tobytes()
    return base64.b64encode(zlib.compress(raw, 9)).decode("ascii")


def model_from_dict(payload: dict) -> Model:
    """Build a Model from the JSON payload, checking the feature layout."""
    feats = payload["features"]
    if feats["version"] != FEATURE_VERSION or tuple(feats["dense"]) != DENSE_FEATURES:
        raise ValueError("checkworthiness weights do not match this feature extractor")
    config = FeatureConfig(
        word_bits=feats["word_bits"], char_bits=feats["char_bits"],
        char_min=feats["char_min"], char_max=feats["char_max"],
    )
    hashed = decode_weights(payload["hashed_weights"], config.word_dim + config.char_dim)
    dense = np.array(payload["dense_weights"], dtype=np.float64)
    return Model(config=config, hashed=hashed, dense=dense, bias=float(payload["bias"]))


@functools.lru_cache(maxsize=1)
def load_model() -> Model:
    """Load the shipped weights once."""
    resource = resources.files("review.extraction.checkworthiness") / WEIGHTS_FILE
    return model_from_dict(json.loads(resource.read_text(encoding="utf-8")))


def _margins(sentences: list[str], model: Model) -> np.ndarray:
    """Return the linear model's log-odds for a chunk of sentences.

    The chunk is featurized ``PART_SIZE`` sentences at a time, a fifth less CPU than all at once. Every feature
    and every hashed sum is a sentence's own, the same in any part; the product of the handcrafted features,
    whose rounding can depend on how many rows it multiplies, is still taken over the whole chunk.
    """
    parts = [extract_features(sentences[lo: lo + PART_SIZE], model.config)
             for lo in range(0, len(sentences), PART_SIZE)]
    margin = np.concatenate([part.dense for part in parts]) @ model.dense + model.bias
    for group in range(len(parts[0].groups)):
        summed = np.concatenate([np.bincount(part.groups[group].rows, weights=model.hashed[part.groups[group].cols],
                                             minlength=part.n_rows) for part in parts])
        margin += summed * np.concatenate([part.groups[group].scale for part in parts])
    return margin


def score_with(model: Model, sentences: list[str]) -> np.ndarray:
    """Return check-worthiness probabilities for sentences under ``model``."""
    out = np.empty(len(sentences), dtype=np.float64)
    for lo in range(0, len(sentences), CHUNK_SIZE):
        chunk = list(sentences[lo: lo + CHUNK_SIZE])
        margin = _margins(chunk, model)
        out[lo: lo + len(chunk)] = 1.0 / (1.0 + np.exp(-np.clip(margin, -40.0, 40.0)))
    return out


def score_sentences(sentences: list[str]) -> list[float]:
    """Return a 0-1 check-worthiness probability for each sentence."""
    if not sentences:
        return []
    return score_with(load_model(), sentences).tolist()
