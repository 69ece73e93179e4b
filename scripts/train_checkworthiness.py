"""Train the check-worthiness scorer and write ``review/extraction/checkworthiness/weights.json``.

Data: CLEF-2024 CheckThat! Task 1 (English), read from ``--data`` (default
``../shared/data/checkworthiness`` relative to the repository root):

* train on ``CT24_checkworthy_english_train.tsv``;
* choose the decision threshold on ``..._dev.tsv``;
* report, and only report, on ``..._dev-test.tsv``.

The features are computed by ``review.extraction.checkworthiness`` itself, so training
and runtime cannot drift apart.  The model is an L2 logistic regression
(liblinear, fixed seed): deterministic for a given dataset.

Threshold: the dev split comes from the same debates as train, so a model
trained on all of train scores dev sentences more confidently than sentences
of unseen debates, and the dev-optimal threshold over-fits.  To soften that,
dev is scored *cross-fitted*: train is cut into contiguous ``Sentence_id``
blocks (ids run through debates in order, so blocks approximate debates), and
each dev sentence is scored by the model that did not see its block.  The
threshold is the midpoint of the plateau of the dev F1 curve on a 0.01 grid
(all thresholds within ``--plateau`` F1 of the best), not the sharp optimum.

Run from the repository root::

    .venv/bin/python scripts/train_checkworthiness.py

It rewrites the weights file and the ``CHECKWORTHY_THRESHOLD`` literal in
``review/extraction/checkworthiness/model.py`` (use ``--no-write`` for a dry run).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from review.extraction.checkworthiness.features import FeatureConfig, extract_features  # noqa: E402
from review.extraction.checkworthiness.lexicons import DENSE_FEATURES  # noqa: E402
from review.extraction.checkworthiness.model import (  # noqa: E402
    CHUNK_SIZE, FEATURE_VERSION, WEIGHTS_FILE, encode_weights, model_from_dict, score_with,
)

SPLIT_FILE = "CT24_checkworthy_english_{}.tsv"
DEFAULT_DATA = REPO.parent / "shared" / "data" / "checkworthiness"
PACKAGE_DIR = REPO / "review" / "extraction" / "checkworthiness"
WEIGHTS_PATH = PACKAGE_DIR / WEIGHTS_FILE
MODULE_PATH = PACKAGE_DIR / "model.py"
GLUED_LABEL = re.compile(r"(Yes|No)(\d+)")
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)


@dataclass(frozen=True)
class Split:
    """Hold one labelled split."""

    ids: np.ndarray
    texts: list[str]
    labels: np.ndarray  # bool, True for "Yes"


@dataclass(frozen=True)
class TrainConfig:
    """Describe the training recipe (stored in the weights file)."""

    C: float = 3.0
    char_scale: float = 0.5  # char-group columns are scaled before fitting
    dense_scale: float = 1.0
    cv_blocks: int = 5
    plateau: float = 0.01
    solver: str = "liblinear"
    seed: int = 0


# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------


def unglue(row: list[str]) -> list[list[str]]:
    """Split a row holding two glued records ("...<TAB>No29286<TAB>...")."""
    if len(row) == 3:
        return [row]
    match = GLUED_LABEL.fullmatch(row[2]) if len(row) == 5 else None
    if match is None:
        raise ValueError(f"unexpected row with {len(row)} fields: {row[:2]}")
    return [[row[0], row[1], match[1]], [match[2], row[3], row[4]]]


def read_split(path: Path) -> Split:
    """Read a CheckThat! TSV (CSV quoting: fields may be "quoted ""like"" this")."""
    records = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        header = next(reader)
        if header != ["Sentence_id", "Text", "class_label"]:
            raise ValueError(f"unexpected header in {path}: {header}")
        for row in reader:
            records.extend(unglue(row))
    labels = {rec[2] for rec in records}
    if not labels <= {"Yes", "No"}:
        raise ValueError(f"unexpected labels in {path}: {labels}")
    return Split(
        ids=np.array([int(rec[0]) for rec in records]),
        texts=[rec[1] for rec in records],
        labels=np.array([rec[2] == "Yes" for rec in records]),
    )


def load_splits(data_dir: Path) -> dict[str, Split]:
    """Read train, dev and dev-test."""
    return {name: read_split(data_dir / SPLIT_FILE.format(name)) for name in ("train", "dev", "dev-test")}


# --------------------------------------------------------------------------
# Features and fitting
# --------------------------------------------------------------------------


def featurize(texts: list[str], config: FeatureConfig) -> sp.csr_matrix:
    """Build the sparse feature matrix the runtime scorer implicitly uses."""
    blocks = []
    for lo in range(0, len(texts), CHUNK_SIZE):
        feats = extract_features(texts[lo: lo + CHUNK_SIZE], config)
        rows = [g.rows for g in feats.groups]
        cols = [g.cols for g in feats.groups]
        vals = [g.scale[g.rows] for g in feats.groups]
        n_dense = feats.dense.shape[1]
        rows.append(np.repeat(np.arange(feats.n_rows), n_dense))
        cols.append(np.tile(np.arange(n_dense), feats.n_rows) + config.word_dim + config.char_dim)
        vals.append(feats.dense.ravel())
        coo = (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols)))
        blocks.append(sp.csr_matrix(coo, shape=(feats.n_rows, config.n_features)))
    return sp.vstack(blocks).tocsr()


def column_scale(config: FeatureConfig, train: TrainConfig) -> np.ndarray:
    """Return per-column multipliers (a cheap per-group regularisation knob)."""
    scale = np.ones(config.n_features)
    scale[config.word_dim: config.word_dim + config.char_dim] = train.char_scale
    scale[config.word_dim + config.char_dim:] = train.dense_scale
    return scale


def fit(matrix: sp.csr_matrix, labels: np.ndarray, scale: np.ndarray, train: TrainConfig) -> tuple[np.ndarray, float]:
    """Fit logistic regression on scaled columns; return weights for unscaled ones."""
    model = LogisticRegression(C=train.C, solver=train.solver, max_iter=2000, random_state=train.seed)
    model.fit(matrix @ sp.diags(scale), labels)
    return model.coef_.ravel() * scale, float(model.intercept_[0])


def build_payload(weights: np.ndarray, bias: float, config: FeatureConfig) -> dict:
    """Pack weights and feature layout into the JSON structure the runtime reads."""
    n_hashed = config.word_dim + config.char_dim
    return {
        "model": "hashed word 1-2-gram + char n-gram + handcrafted cues, logistic regression",
        "features": {
            "version": FEATURE_VERSION,
            **asdict(config),
            "dense": list(DENSE_FEATURES),
            "hashed_encoding": "base64(zlib(float16 little-endian)), word slots then char slots",
        },
        "bias": round(bias, 6),
        "dense_weights": [round(float(w), 6) for w in weights[n_hashed:]],
        "hashed_weights": encode_weights(weights[:n_hashed]),
    }


def margin_scores(weights: np.ndarray, bias: float, matrix: sp.csr_matrix) -> np.ndarray:
    """Return probabilities of a linear model on a feature matrix."""
    return 1.0 / (1.0 + np.exp(-(matrix @ weights + bias)))


def id_blocks(train_ids: np.ndarray, dev_ids: np.ndarray, n_blocks: int):
    """Yield (held-out train rows, dev mask) for contiguous Sentence_id blocks of train."""
    order = np.argsort(train_ids, kind="stable")
    blocks = np.array_split(order, n_blocks)
    edges = [train_ids[block].min() for block in blocks[1:]]
    dev_block = np.searchsorted(edges, dev_ids, side="right")
    for k, held_out in enumerate(blocks):
        yield np.sort(held_out), dev_block == k


def cross_fitted_dev(
    train_split: Split, train_x: sp.csr_matrix, dev: Split, dev_x: sp.csr_matrix,
    scale: np.ndarray, train: TrainConfig,
) -> tuple[np.ndarray, np.ndarray]:
    """Score dev and train out-of-block: each by the model that never saw its id block."""
    dev_scores = np.zeros(len(dev.texts))
    oof = np.zeros(len(train_split.texts))
    for held_out, dev_mask in id_blocks(train_split.ids, dev.ids, train.cv_blocks):
        keep = np.setdiff1d(np.arange(len(train_split.texts)), held_out)
        weights, bias = fit(train_x[keep], train_split.labels[keep], scale, train)
        oof[held_out] = margin_scores(weights, bias, train_x[held_out])
        dev_scores[dev_mask] = margin_scores(weights, bias, dev_x[dev_mask])
    return dev_scores, oof


# --------------------------------------------------------------------------
# Metrics and threshold
# --------------------------------------------------------------------------


def prf(labels: np.ndarray, scores: np.ndarray, threshold: float) -> dict[str, float]:
    """Return precision, recall and F1 of the Yes class at a threshold."""
    predicted = scores >= threshold
    tp = float(np.sum(predicted & labels))
    precision = tp / max(float(predicted.sum()), 1.0)
    recall = tp / max(float(labels.sum()), 1.0)
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return {"f1": round(f1, 4), "precision": round(precision, 4), "recall": round(recall, 4)}


def f1_curve(labels: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Return F1 at every threshold of THRESHOLD_GRID."""
    return np.array([prf(labels, scores, th)["f1"] for th in THRESHOLD_GRID])


def plateau_threshold(labels: np.ndarray, scores: np.ndarray, tolerance: float) -> float:
    """Return the midpoint of the contiguous near-best run of the F1 curve."""
    curve = f1_curve(labels, scores)
    best = int(np.argmax(curve))
    good = curve >= curve[best] - tolerance
    lo = hi = best
    while lo > 0 and good[lo - 1]:
        lo -= 1
    while hi < len(curve) - 1 and good[hi + 1]:
        hi += 1
    return round(float((THRESHOLD_GRID[lo] + THRESHOLD_GRID[hi]) / 2), 2)


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def write_threshold_literal(threshold: float) -> None:
    """Rewrite the CHECKWORTHY_THRESHOLD literal in review/extraction/checkworthiness/model.py."""
    source = MODULE_PATH.read_text(encoding="utf-8")
    pattern = re.compile(r"^CHECKWORTHY_THRESHOLD: float = [0-9.]+$", re.MULTILINE)
    updated, count = pattern.subn(f"CHECKWORTHY_THRESHOLD: float = {threshold}", source)
    if count != 1:
        raise RuntimeError(f"CHECKWORTHY_THRESHOLD literal not found in {MODULE_PATH}")
    if updated != source:
        MODULE_PATH.write_text(updated, encoding="utf-8")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with the CT24 TSV files")
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH, help="weights file to write")
    parser.add_argument("--C", type=float, default=TrainConfig.C, help="inverse L2 strength")
    parser.add_argument("--no-write", action="store_true", help="train and report only")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Train, choose the threshold on dev, report on dev-test, write the weights."""
    args = parse_args(argv)
    started = time.perf_counter()
    config = FeatureConfig(word_bits=17, char_bits=17, char_min=2, char_max=5)
    train = TrainConfig(C=args.C)
    splits = load_splits(args.data)
    for name, split in splits.items():
        print(f"{name}: {len(split.texts)} sentences, {split.labels.mean():.1%} Yes")

    train_x = featurize(splits["train"].texts, config)
    dev_x = featurize(splits["dev"].texts, config)
    scale = column_scale(config, train)
    dev_xfit, oof = cross_fitted_dev(splits["train"], train_x, splits["dev"], dev_x, scale, train)
    threshold = plateau_threshold(splits["dev"].labels, dev_xfit, train.plateau)

    weights, bias = fit(train_x, splits["train"].labels, scale, train)
    payload = build_payload(weights, bias, config)
    shipped = model_from_dict(payload)  # float16-rounded, exactly what ships
    dev_scores = score_with(shipped, splits["dev"].texts)
    test_scores = score_with(shipped, splits["dev-test"].texts)
    payload["threshold"] = threshold
    payload["training"] = {**asdict(train), "threshold_rule": "midpoint of dev F1 plateau, cross-fitted dev"}
    payload["scores"] = {
        "dev": prf(splits["dev"].labels, dev_scores, threshold),
        "dev_cross_fitted": prf(splits["dev"].labels, dev_xfit, threshold),
        "train_blocked_cv": prf(splits["train"].labels, oof, threshold),
        "dev-test": prf(splits["dev-test"].labels, test_scores, threshold),
    }
    print(f"threshold (dev plateau midpoint): {threshold}")
    for name, score in payload["scores"].items():
        print(f"{name:>17}: F1 {score['f1']:.3f}  P {score['precision']:.3f}  R {score['recall']:.3f}")
    if not args.no_write:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
        write_threshold_literal(threshold)
        print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB); CHECKWORTHY_THRESHOLD = {threshold}")
    print(f"done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
