"""Check-worthiness with the semantic extra: MiniLM fine-tuned for it, stacked with a logistic regression over the
default model's features and the frozen MiniLM sentence embedding.

The head reads the default scorer's hashed word and character n-grams and its handcrafted cues (the same
extractor, ``review.extraction.checkworthiness.features``) plus the 384 numbers of the sentence's embedding
(the shared encoder's), with the calibration folded in. When the fine-tuned model ships (``model/
checkworthiness_finetuned.json`` with ``model/checkworthiness.int8.onnx``, sha256 pinned in ``LOGIT_SHA256`` and
checked at load), its output (the fine-tuned logit times its stack weight) is added to that head's margin: the
stack fitted on held-out debates by ``scripts/finetune_checkworthiness.py --ship``, so the score is a calibrated
probability like the default's. Without it, the frozen-embedding head alone scores (``model/
checkworthiness_head.json``, written by ``bench/semantic.py --choose``).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

import numpy as np

from review.extraction.checkworthiness.features import extract_features
from review.extraction.checkworthiness.model import Model, encode_weights, model_from_dict
from review.semantic.encoder import (
    BATCH,
    DIMENSIONS,
    ENCODER_FILE,
    MAX_TOKENS,
    MODEL_DIR,
    NAME,
    PINS,
    TOKENIZER_FILE,
    file_sha256,
)

HEAD_FILE = "checkworthiness_head.json"
FINETUNED_FILE = "checkworthiness_finetuned.json"  # the fine-tuned model's head, when it ships
LOGIT_FILE = "checkworthiness.int8.onnx"  # MiniLM with its top three layers fine-tuned; output: the weighted logit
LOGIT_SHA256 = "5456ed7f171f6778197ec4c8d4321e7da2e6d5b0e524521228889c7022650c90"  # scripts/finetune_checkworthiness.py --ship
EMBEDDING_SCALE = 3.0  # embedding columns are multiplied by this before fitting (their L2 norm is 1)
CHUNK = 512


@dataclass(frozen=True)
class Head:
    """The default model's layout and weights refitted beside the embedding's weights, and the threshold."""

    lexical: Model
    embedding: np.ndarray  # float64, DIMENSIONS
    threshold: float
    settings_sha256: str
    logit: object = None  # the fine-tuned model (LogitModel) whose output is added to the margin, if any


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


class LogitModel:
    """The fine-tuned encoder through ONNX Runtime: texts in, the stack-weighted fine-tuned logit out."""

    def __init__(self, folder: Path = MODEL_DIR, *, threads: int = 1):
        import onnxruntime
        from tokenizers import Tokenizer

        path = folder / LOGIT_FILE
        found = file_sha256(path) if path.is_file() else "missing"
        if not LOGIT_SHA256 or found != LOGIT_SHA256:
            raise ValueError(f"{path} has sha256 {found[:12]}…, expected {LOGIT_SHA256[:12] or 'a pinned one'}…")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads, options.inter_op_num_threads, options.log_severity_level = threads, 1, 3
        self.session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)

    def logits(self, texts: list[str]) -> np.ndarray:
        """Return each text's weighted logit (0 for an empty text)."""
        out = np.zeros(len(texts), dtype=np.float64)
        encoded = self.tokenizer.encode_batch([text or "" for text in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i].ids))
        for lo in range(0, len(order), BATCH):
            rows = [i for i in order[lo: lo + BATCH] if (texts[i] or "").strip()]
            if not rows:
                continue
            width = max(len(encoded[i].ids) for i in rows)
            ids, mask = np.zeros((len(rows), width), dtype=np.int64), np.zeros((len(rows), width), dtype=np.int64)
            for n, i in enumerate(rows):
                ids[n, : len(encoded[i].ids)], mask[n, : len(encoded[i].ids)] = encoded[i].ids, 1
            out[rows] = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return out


@functools.lru_cache(maxsize=1)
def load_finetuned() -> Head | None:
    """Return the fine-tuned model's head with its model loaded (checksum verified), or None when none ships."""
    resource = resources.files("review.semantic") / "model" / FINETUNED_FILE
    if not resource.is_file():
        return None
    data = json.loads(resource.read_text(encoding="utf-8"))
    if data.get("logit_model", {}).get("sha256") != LOGIT_SHA256:
        raise ValueError("the fine-tuned check-worthiness head names another model file than the pinned one")
    return replace(head_from_dict(data), logit=LogitModel())


def active_head() -> Head:
    """Return the head that scores: the fine-tuned model's when it ships, else the frozen-embedding head."""
    return load_finetuned() or load_head()


def score(encoder, sentences: list[str]) -> np.ndarray:
    """Return a calibrated check-worthiness probability for each sentence."""
    head = active_head()
    out = np.empty(len(sentences), dtype=np.float64)
    for lo in range(0, len(sentences), CHUNK):
        chunk = list(sentences[lo: lo + CHUNK])
        margin = margins(head, chunk, encoder.embed(chunk))
        if head.logit is not None:
            margin += head.logit.logits(chunk)
        out[lo: lo + len(chunk)] = 1.0 / (1.0 + np.exp(-np.clip(margin, -40.0, 40.0)))
    return out
