"""The evaluation protocol shared by the model benches and the training script.

Both model tasks are measured the same way, so that a figure means "how this does on debates (or queries) it
has never seen":

* **Grouped cross-validation on train + dev.** Rows are grouped so that a group never straddles a training
  and a test fold (a debate for check-worthiness, the verified claim a query repeats for matching); the
  folds are contiguous runs of groups, never random rows.
* **Everything chosen inside the loop.** Hyperparameters and thresholds are picked by an inner grouped
  cross-validation on the outer training folds only; the outer test fold is scored once with what was picked.
* **Dev-test once, at the end.** The settings chosen on all of train + dev are written to a settings file
  under ``bench/settings/``; a ``--final`` run refuses to start unless that file is committed and unchanged,
  reads it without writing anything, and only then reads dev-test.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
SETTINGS_DIR = REPO / "bench" / "settings"
THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)


def contiguous_folds(groups: np.ndarray, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Split rows into ``k`` folds of contiguous runs of sorted group labels; return (train, test) rows.

    A group never straddles two folds. Groups are ordered by their label, so with debate blocks numbered in
    time order each test fold is a run of consecutive debates.
    """
    labels = np.unique(groups)
    if len(labels) < k:
        raise ValueError(f"{len(labels)} groups cannot make {k} folds")
    folds = []
    for part in np.array_split(labels, k):
        test = np.isin(groups, part)
        folds.append((np.flatnonzero(~test), np.flatnonzero(test)))
    return folds


def f1_at(labels: np.ndarray, scores: np.ndarray, threshold: float) -> dict[str, float]:
    """Return precision, recall and F1 of the positive class at a threshold."""
    predicted = scores >= threshold
    tp = float(np.sum(predicted & labels))
    precision = tp / max(float(predicted.sum()), 1.0)
    recall = tp / max(float(labels.sum()), 1.0)
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return {"f1": round(f1, 4), "precision": round(precision, 4), "recall": round(recall, 4)}


def plateau_threshold(labels: np.ndarray, scores: np.ndarray, tolerance: float = 0.01) -> float:
    """Return the midpoint of the contiguous near-best run of the F1-by-threshold curve (not its sharp peak)."""
    curve = np.array([f1_at(labels, scores, th)["f1"] for th in THRESHOLD_GRID])
    best = int(np.argmax(curve))
    good = curve >= curve[best] - tolerance
    lo = hi = best
    while lo > 0 and good[lo - 1]:
        lo -= 1
    while hi < len(curve) - 1 and good[hi + 1]:
        hi += 1
    return round(float((THRESHOLD_GRID[lo] + THRESHOLD_GRID[hi]) / 2), 2)


def average_precision(labels: np.ndarray, scores: np.ndarray) -> float:
    """Return the average precision of a ranking by score (ties broken by row order)."""
    order = np.argsort(-scores, kind="stable")
    hits = labels[order].astype(np.float64)
    if not hits.sum():
        return 0.0
    precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float((precision * hits).sum() / hits.sum())


def platt(margins: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Fit p = sigmoid(a * margin + b) to labels by Newton's method; return (a, b)."""
    a, b = 1.0, 0.0
    target = labels.astype(np.float64)
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(a * margins + b, -40, 40)))
        w = np.maximum(p * (1 - p), 1e-9)
        grad = np.array([np.sum((p - target) * margins), np.sum(p - target)])
        hess = np.array([[np.sum(w * margins * margins), np.sum(w * margins)], [np.sum(w * margins), np.sum(w)]])
        step = np.linalg.solve(hess + 1e-9 * np.eye(2), grad)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-8:
            break
    return float(a), float(b)


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Return the logistic function of z."""
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


@dataclass(frozen=True)
class Choice:
    """What the inner loop picked: a hyperparameter value, the Platt calibration and the threshold."""

    param: float
    calibration: tuple[float, float]
    threshold: float
    inner_ap: float


# A learner: fit(train_rows, param) -> scorer; scorer(rows) -> margins (log-odds-like, monotone in belief).
Learner = Callable[[np.ndarray, float], Callable[[np.ndarray], np.ndarray]]


def choose(learner: Learner, rows: np.ndarray, labels: np.ndarray, groups: np.ndarray,
           grid: Sequence[float], inner_k: int) -> Choice:
    """Pick the grid value with the best out-of-fold average precision on ``rows``, then calibrate and threshold.

    Only ``rows`` are read: the caller's test fold stays unseen.
    """
    best = None
    for param in grid:
        margins = np.zeros(len(rows))
        for train, test in contiguous_folds(groups[rows], inner_k):
            margins[test] = learner(rows[train], param)(rows[test])
        ap = average_precision(labels[rows], margins)
        if best is None or ap > best[0]:
            best = (ap, param, margins)
    ap, param, margins = best
    a, b = platt(margins, labels[rows])
    threshold = plateau_threshold(labels[rows], sigmoid(a * margins + b))
    return Choice(param=param, calibration=(a, b), threshold=threshold, inner_ap=round(ap, 4))


@dataclass
class CVResult:
    """The outer loop's pooled out-of-fold probabilities and what each fold chose."""

    probabilities: np.ndarray
    predicted: np.ndarray
    choices: list[Choice]
    fold_f1: list[float]


def nested_cv(learner: Learner, labels: np.ndarray, groups: np.ndarray, grid: Sequence[float],
              outer_k: int, inner_k: int) -> CVResult:
    """Estimate the whole procedure (choose, calibrate, threshold, fit) on unseen groups."""
    probabilities = np.zeros(len(labels))
    predicted = np.zeros(len(labels), dtype=bool)
    choices, fold_f1 = [], []
    for train, test in contiguous_folds(groups, outer_k):
        picked = choose(learner, train, labels, groups, grid, inner_k)
        a, b = picked.calibration
        probabilities[test] = sigmoid(a * learner(train, picked.param)(test) + b)
        predicted[test] = probabilities[test] >= picked.threshold
        choices.append(picked)
        fold_f1.append(f1_at(labels[test], probabilities[test], picked.threshold)["f1"])
    return CVResult(probabilities, predicted, choices, fold_f1)


def pooled_f1(labels: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """Return P/R/F1 of pooled out-of-fold decisions (each fold at its own threshold)."""
    return f1_at(labels, predicted.astype(np.float64), 0.5)


def figures_line(labels: np.ndarray, scores: np.ndarray, threshold: float) -> str:
    """Return 'F1 .. P .. R .. AP ..' of scores at a threshold, as the benches print a dev-test read."""
    found = f1_at(labels, scores, threshold)
    return (f"F1 {found['f1']:.3f}  P {found['precision']:.3f}  R {found['recall']:.3f}  "
            f"AP {average_precision(labels, scores):.3f}")


# --------------------------------------------------------------------------
# Settings files: written by a choosing run, read (never written) by --final
# --------------------------------------------------------------------------


def settings_path(name: str) -> Path:
    """Return the settings file of one bench."""
    return SETTINGS_DIR / f"{name}.json"


def write_settings(name: str, settings: dict) -> Path:
    """Write the chosen settings (commit the file before a --final run)."""
    path = settings_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def read_settings(name: str) -> dict:
    """Return the chosen settings of one bench."""
    path = settings_path(name)
    if not path.is_file():
        raise SystemExit(f"{path.relative_to(REPO)} not found: run the bench with --choose first")
    return json.loads(path.read_text(encoding="utf-8"))


def settings_digest(name: str) -> str:
    """Return the sha256 of a settings file's bytes."""
    return hashlib.sha256(settings_path(name).read_bytes()).hexdigest()


def require_committed(*paths: Path) -> None:
    """Stop unless every path is tracked by git and identical to the committed version."""
    for path in paths:
        relative = str(path.relative_to(REPO))
        tracked = subprocess.run(["git", "ls-files", "--error-unmatch", relative], cwd=REPO,
                                 capture_output=True, check=False)
        if tracked.returncode != 0:
            raise SystemExit(f"--final refused: {relative} is not committed (commit the chosen settings first)")
        changed = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", relative], cwd=REPO, check=False)
        if changed.returncode != 0:
            raise SystemExit(f"--final refused: {relative} differs from the committed version")
