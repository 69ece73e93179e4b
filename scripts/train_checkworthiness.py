"""Train the check-worthiness scorer and write ``review/extraction/checkworthiness/weights.json``.

Data: CLEF-2024 CheckThat! Task 1 (English), read from ``--data`` (default
``../shared/data/checkworthiness`` relative to the repository root). The shipped model is trained on
train + dev together, with the settings ``bench/checkworthiness.py --choose`` picked by grouped
cross-validation on train + dev and wrote to ``bench/settings/checkworthiness.json`` (the SGD
regularisation, the Platt calibration and the threshold). Dev-test is never read here.

The features are computed by ``review.extraction.checkworthiness`` itself, so training and runtime cannot
drift apart. The model is a logistic regression fitted by SGD (log loss, fixed seed: deterministic for a
given dataset). The Platt calibration is folded into the weights, so the runtime's score is the
calibrated probability; the weights file records the settings file's sha256.

Run from the repository root::

    .venv/bin/python bench/checkworthiness.py --choose     # choose settings (writes bench/settings/)
    .venv/bin/python scripts/train_checkworthiness.py      # train on train + dev with them

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

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from review.extraction.checkworthiness.features import FeatureConfig, extract_features  # noqa: E402
from review.extraction.checkworthiness.lexicons import DENSE_FEATURES  # noqa: E402
from review.extraction.checkworthiness.model import (  # noqa: E402
    CHUNK_SIZE, FEATURE_VERSION, WEIGHTS_FILE, encode_weights, model_from_dict,
)
from scripts.protocol import read_settings, settings_digest  # noqa: E402

SPLIT_FILE = "CT24_checkworthy_english_{}.tsv"
DEFAULT_DATA = REPO.parent / "shared" / "data" / "checkworthiness"
PACKAGE_DIR = REPO / "review" / "extraction" / "checkworthiness"
WEIGHTS_PATH = PACKAGE_DIR / WEIGHTS_FILE
MODULE_PATH = PACKAGE_DIR / "model.py"
GLUED_LABEL = re.compile(r"(Yes|No)(\d+)")
FEATURES = FeatureConfig(word_bits=17, char_bits=17, char_min=2, char_max=5)
#: The data carries no debate id, but ClaimBuster numbers its sentences debate by debate (about 1,040 ids a
#: debate), so runs of this many consecutive Sentence_ids stand in for debates when grouping.
DEBATE_BLOCK = 1100


@dataclass(frozen=True)
class Split:
    """Hold one labelled split."""

    ids: np.ndarray
    texts: list[str]
    labels: np.ndarray  # bool, True for "Yes"


@dataclass(frozen=True)
class TrainConfig:
    """Describe the training recipe (stored in the weights file)."""

    alpha: float = 3e-5  # SGD L2 strength; chosen by the bench's inner loop
    char_scale: float = 0.5  # char-group columns are scaled before fitting
    dense_scale: float = 1.0
    epochs: int = 20
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


def load_splits(data_dir: Path, names=("train", "dev")) -> dict[str, Split]:
    """Read the named splits (train and dev unless asked; dev-test only for a --final run)."""
    return {name: read_split(data_dir / SPLIT_FILE.format(name)) for name in names}


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
    """Fit logistic regression by SGD on scaled columns; return weights for unscaled ones."""
    from sklearn.linear_model import SGDClassifier

    model = SGDClassifier(loss="log_loss", alpha=train.alpha, max_iter=train.epochs, tol=None,
                          random_state=train.seed)
    model.fit(matrix @ sp.diags(scale), labels)
    return model.coef_.ravel() * scale, float(model.intercept_[0])


def debate_groups(ids: np.ndarray) -> np.ndarray:
    """Return each sentence's debate block (runs of DEBATE_BLOCK consecutive Sentence_ids)."""
    return np.asarray(ids) // DEBATE_BLOCK


def pooled(splits: dict[str, Split], names=("train", "dev")) -> Split:
    """Return the named splits as one, in Sentence_id order."""
    ids = np.concatenate([splits[n].ids for n in names])
    texts = [t for n in names for t in splits[n].texts]
    labels = np.concatenate([splits[n].labels for n in names])
    order = np.argsort(ids, kind="stable")
    return Split(ids[order], [texts[i] for i in order], labels[order])


def build_payload(weights: np.ndarray, bias: float, config: FeatureConfig) -> dict:
    """Pack weights and feature layout into the JSON structure the runtime reads."""
    n_hashed = config.word_dim + config.char_dim
    return {
        "model": "hashed word 1-2-gram + char n-gram + handcrafted cues, logistic regression (SGD), Platt-calibrated",
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


def write_threshold_literal(threshold: float) -> None:
    """Rewrite the CHECKWORTHY_THRESHOLD literal in review/extraction/checkworthiness/model.py."""
    source = MODULE_PATH.read_text(encoding="utf-8")
    pattern = re.compile(r"^CHECKWORTHY_THRESHOLD: float = [0-9.]+$", re.MULTILINE)
    updated, count = pattern.subn(f"CHECKWORTHY_THRESHOLD: float = {threshold}", source)
    if count != 1:
        raise RuntimeError(f"CHECKWORTHY_THRESHOLD literal not found in {MODULE_PATH}")
    if updated != source:
        MODULE_PATH.write_text(updated, encoding="utf-8")


def train_shipped(data_dir: Path) -> dict:
    """Train on train + dev with the committed settings; return the weights payload."""
    settings = read_settings("checkworthiness")["model"]
    train = TrainConfig(alpha=settings["alpha"])
    data = pooled(load_splits(data_dir, ("train", "dev")))
    weights, bias = fit(featurize(data.texts, FEATURES), data.labels, column_scale(FEATURES, train), train)
    a, b = settings["calibration"]
    payload = build_payload(weights * a, bias * a + b, FEATURES)
    model_from_dict(payload)  # checks the layout the runtime reads
    payload["threshold"] = settings["threshold"]
    payload["training"] = {
        **asdict(train), "data": "CheckThat! 2024 Task 1 English, train + dev",
        "settings": "bench/settings/checkworthiness.json", "settings_sha256": settings_digest("checkworthiness"),
        "calibration": "Platt scaling of out-of-fold margins, grouped by debate block, on train + dev",
    }
    payload["cross_validated"] = settings.get("cross_validated", {})
    return payload


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with the CT24 TSV files")
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH, help="weights file to write")
    parser.add_argument("--no-write", action="store_true", help="train and report only")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Train on train + dev with the chosen settings and write the weights."""
    args = parse_args(argv)
    started = time.perf_counter()
    payload = train_shipped(args.data)
    print(f"trained on train + dev; threshold {payload['threshold']}; settings {payload['training']['settings_sha256'][:12]}")
    if not args.no_write:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
        write_threshold_literal(payload["threshold"])
        print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB); CHECKWORTHY_THRESHOLD = {payload['threshold']}")
    print(f"done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
