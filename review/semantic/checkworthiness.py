"""Check-worthiness with the semantic extra: one logistic regression over the default model's features and the
MiniLM sentence embedding together.

The head reads the default scorer's hashed word and character n-grams and its handcrafted cues (the same
extractor, ``review.extraction.checkworthiness.features``) plus the 384 numbers of the sentence's embedding,
with the Platt calibration folded in, so its score is a calibrated probability like the default's. Its
weights, threshold and the digest of the settings that chose them are in ``model/checkworthiness_head.json``,
written by ``bench/semantic.py --choose`` (C, calibration and threshold chosen by grouped cross-validation on
CheckThat! 2024 train + dev).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources

import numpy as np

from review.extraction.checkworthiness.features import extract_features
from review.extraction.checkworthiness.model import Model, encode_weights, model_from_dict
from review.semantic.encoder import DIMENSIONS, ENCODER_FILE, NAME, PINS

HEAD_FILE = "checkworthiness_head.json"
EMBEDDING_SCALE = 3.0  # embedding columns are multiplied by this before fitting (their L2 norm is 1)
CHUNK = 512


@dataclass(frozen=True)
class Head:
    """The default model's layout and weights refitted beside the embedding's weights, and the threshold."""

    lexical: Model
    embedding: np.ndarray  # float64, DIMENSIONS
    threshold: float
    settings_sha256: str


def encoder_id() -> str:
    """Return the name and pinned digest of the encoder the head reads."""
    return f"{NAME} sha256 {PINS[ENCODER_FILE]}"


def payload(weights: np.ndarray, bias: float, threshold: float, settings_sha256: str, config) -> dict:
    """Return the JSON payload of a head: weights in the order hashed, cues, embedding (calibration folded in)."""
    n_hashed = config.word_dim + config.char_dim
    dense = weights[n_hashed: len(weights) - DIMENSIONS]
    from dataclasses import asdict

    from review.extraction.checkworthiness.lexicons import DENSE_FEATURES
    from review.extraction.checkworthiness.model import FEATURE_VERSION

    return {
        "model": "logistic regression over hashed n-grams, cues and the MiniLM embedding; Platt-calibrated",
        "encoder": encoder_id(),
        "features": {"version": FEATURE_VERSION, **asdict(config), "dense": list(DENSE_FEATURES)},
        "bias": round(bias, 6),
        "dense_weights": [round(float(w), 6) for w in dense],
        "hashed_weights": encode_weights(weights[:n_hashed]),
        "embedding_weights": [round(float(w), 6) for w in weights[len(weights) - DIMENSIONS:]],
        "threshold": threshold,
        "settings_sha256": settings_sha256,
    }


def head_from_dict(data: dict) -> Head:
    """Return the head a payload describes (ValueError when it does not fit this feature extractor or encoder)."""
    if data.get("encoder") != encoder_id():
        raise ValueError("the check-worthiness head was fitted on another encoder")
    embedding = np.array(data["embedding_weights"], dtype=np.float64)
    if len(embedding) != DIMENSIONS:
        raise ValueError(f"the check-worthiness head has {len(embedding)} embedding weights, expected {DIMENSIONS}")
    return Head(model_from_dict(data), embedding, float(data["threshold"]), data.get("settings_sha256", ""))


@functools.lru_cache(maxsize=1)
def load_head() -> Head:
    """Return the shipped head."""
    resource = resources.files("review.semantic") / "model" / HEAD_FILE
    return head_from_dict(json.loads(resource.read_text(encoding="utf-8")))


def margins(head: Head, sentences: list[str], embeddings: np.ndarray) -> np.ndarray:
    """Return the head's calibrated log-odds for sentences and their embeddings."""
    model = head.lexical
    features = extract_features(sentences, model.config)
    margin = features.dense @ model.dense + model.bias + embeddings.astype(np.float64) @ head.embedding
    for group in features.groups:
        summed = np.bincount(group.rows, weights=model.hashed[group.cols], minlength=features.n_rows)
        margin += summed * group.scale
    return margin


def score(encoder, sentences: list[str]) -> np.ndarray:
    """Return a calibrated check-worthiness probability for each sentence."""
    head = load_head()
    out = np.empty(len(sentences), dtype=np.float64)
    for lo in range(0, len(sentences), CHUNK):
        chunk = list(sentences[lo: lo + CHUNK])
        margin = margins(head, chunk, encoder.embed(chunk))
        out[lo: lo + len(chunk)] = 1.0 / (1.0 + np.exp(-np.clip(margin, -40.0, 40.0)))
    return out
