"""Check-worthiness under the honest protocol: grouped cross-validation on train + dev, dev-test once.

Data: CheckThat! 2024 Task 1 English. Grouping: **debate blocks**, runs of 1,100 consecutive Sentence_ids
(the data carries no debate id; ClaimBuster numbers its sentences debate by debate, about 1,040 a debate),
so a test fold holds debates the model never saw. Outer loop: 5 contiguous folds of blocks; inside each,
a 4-fold grouped loop on the training folds alone picks the regularisation (best out-of-fold average
precision), the Platt calibration and the threshold (midpoint of the F1 plateau); the outer fold is then
scored once. The baseline, TF-IDF word 1-2-grams + logistic regression (vectoriser fitted inside the loop),
goes through the same loop.

    .venv/bin/python bench/checkworthiness.py            # cross-validated figures, model size, speed
    .venv/bin/python bench/checkworthiness.py --choose   # also choose the settings on all of train + dev
                                                         # and write bench/settings/checkworthiness.json
    .venv/bin/python bench/checkworthiness.py --final    # dev-test, once: needs the settings and the
                                                         # shipped weights committed, and unchanged

Needs scikit-learn (the ``train`` extra); the shipped scorer does not.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from review.extraction.checkworthiness import model as cw  # noqa: E402
from scripts.protocol import (  # noqa: E402
    average_precision, choose, f1_at, nested_cv, pooled_f1, read_settings, require_committed, settings_digest,
    settings_path, sigmoid, write_settings,
)
from scripts.train_checkworthiness import (  # noqa: E402
    DEFAULT_DATA, FEATURES, WEIGHTS_PATH, TrainConfig, column_scale, debate_groups, featurize, fit, load_splits,
    pooled,
)

REUTERS = ROOT.parent / "shared" / "data" / "news" / "reuters21578.jsonl"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"])")
OUTER_K, INNER_K = 5, 4
MODEL_GRID = (1e-5, 3e-5, 1e-4)  # SGD alpha
BASELINE_GRID = (1.0, 3.0, 10.0, 30.0)  # logistic regression C


def model_learner(texts: list[str], labels: np.ndarray):
    """Return a learner for the shipped model's recipe over ``texts`` (featurised once)."""
    matrix = featurize(texts, FEATURES)

    def learn(rows: np.ndarray, alpha: float):
        train = TrainConfig(alpha=alpha)
        weights, bias = fit(matrix[rows], labels[rows], column_scale(FEATURES, train), train)
        return lambda target: matrix[target] @ weights + bias

    return learn


def baseline_learner(texts: list[str], labels: np.ndarray):
    """Return a learner for TF-IDF word 1-2-grams + logistic regression (vocabulary from the training rows)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    def learn(rows: np.ndarray, C: float):
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        model = LogisticRegression(C=C, solver="liblinear", random_state=0)
        model.fit(vectorizer.fit_transform([texts[i] for i in rows]), labels[rows])
        return lambda target: model.decision_function(vectorizer.transform([texts[i] for i in target]))

    return learn


def row(name: str, figures: dict, extra: str = "") -> None:
    """Print one quality line."""
    print(f"  {name:<38} F1 {figures['f1']:.3f}  P {figures['precision']:.3f}  R {figures['recall']:.3f}{extra}")


def cross_validate(data, learners: dict) -> dict:
    """Print and return the nested grouped CV figures of each learner."""
    groups = debate_groups(data.ids)
    print(f"train + dev: {len(data.texts):,} sentences, {int(data.labels.sum()):,} Yes, "
          f"{len(np.unique(groups))} debate blocks; outer {OUTER_K} folds, inner {INNER_K}")
    figures = {}
    for name, (learner, grid) in learners.items():
        started = time.perf_counter()
        result = nested_cv(learner, data.labels, groups, grid, OUTER_K, INNER_K)
        scores = pooled_f1(data.labels, result.predicted)
        ap = average_precision(data.labels, result.probabilities)
        picks = ", ".join(f"{c.param:g}@{c.threshold:.2f}" for c in result.choices)
        row(name, scores, f"  AP {ap:.3f}  fold F1 {min(result.fold_f1):.3f}-{max(result.fold_f1):.3f}"
            f"  ({time.perf_counter() - started:.0f} s; picked {picks})")
        figures[name] = {**scores, "average_precision": round(ap, 4), "fold_f1": result.fold_f1}
    return figures


def choose_all(data, learners: dict, figures: dict) -> None:
    """Choose each learner's settings on all of train + dev and write the settings file."""
    groups = debate_groups(data.ids)
    settings = {"data": "CheckThat! 2024 Task 1 English, train + dev",
                "grouping": "debate blocks of 1,100 consecutive Sentence_ids", "outer_k": OUTER_K, "inner_k": INNER_K}
    for key, (name, (learner, grid)) in zip(("model", "baseline"), learners.items()):
        picked = choose(learner, np.arange(len(data.texts)), data.labels, groups, grid, INNER_K)
        settings[key] = {"alpha" if key == "model" else "C": picked.param, "calibration": list(picked.calibration),
                         "threshold": picked.threshold, "inner_average_precision": picked.inner_ap,
                         "cross_validated": figures[name]}
        print(f"  chose {key}: {picked}")
    print(f"wrote {write_settings('checkworthiness', settings).relative_to(ROOT)}: commit it, then train and run --final")


def final(data_dir: Path) -> None:
    """Score dev-test once with the committed settings and the shipped weights."""
    require_committed(settings_path("checkworthiness"), WEIGHTS_PATH)
    settings = read_settings("checkworthiness")
    shipped = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    if shipped.get("training", {}).get("settings_sha256") != settings_digest("checkworthiness"):
        raise SystemExit("--final refused: the shipped weights were not trained with the committed settings")
    splits = load_splits(data_dir, ("train", "dev", "dev-test"))
    data, test = pooled(splits), splits["dev-test"]
    print(f"dev-test (read once): {len(test.texts)} sentences, {int(test.labels.sum())} Yes")
    scores = np.array(cw.score_sentences(test.texts))
    row("shipped model", f1_at(test.labels, scores, cw.CHECKWORTHY_THRESHOLD),
        f"  AP {average_precision(test.labels, scores):.3f}  (threshold {cw.CHECKWORTHY_THRESHOLD})")
    base = settings["baseline"]
    texts = data.texts + test.texts
    labels = np.concatenate([data.labels, test.labels])
    margins = baseline_learner(texts, labels)(np.arange(len(data.texts)), base["C"])(
        np.arange(len(data.texts), len(texts)))
    a, b = base["calibration"]
    probabilities = sigmoid(a * margins + b)
    row("baseline TF-IDF + LR", f1_at(test.labels, probabilities, base["threshold"]),
        f"  AP {average_precision(test.labels, probabilities):.3f}  (threshold {base['threshold']})")


def news_sentences(limit: int) -> list[str]:
    """Return up to ``limit`` Reuters sentences (or repeated built-in ones)."""
    sentences: list[str] = []
    if REUTERS.is_file():
        with REUTERS.open(encoding="utf-8") as handle:
            for line in handle:
                body = " ".join((json.loads(line).get("body") or "").split())
                sentences.extend(s for s in SENTENCE_END.split(body) if s)
                if len(sentences) >= limit:
                    break
    if not sentences:
        sentences = [
            "Government forces neutralized 2,500 terrorists in Idlib last week, Syrian media reported.",
            "The company said net profit rose 12 pct to 45.6 mln dlrs in the first quarter.",
            "I think we should be kind to one another.",
        ]
    return (sentences * (limit // len(sentences) + 1))[:limit]


def folder_mb(path: Path) -> float:
    """Return the size of a folder's files in MB."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def sizes() -> None:
    """Print the model's size and what the scorer needs installed."""
    import numpy as module

    package = ROOT / "review" / "extraction" / "checkworthiness"
    print(f"model size: weights.json {WEIGHTS_PATH.stat().st_size / 1e6:.2f} MB; scorer package {folder_mb(package):.2f} MB")
    line = f"install size: runtime needs numpy only ({folder_mb(Path(module.__file__).parent):.0f} MB)"
    try:
        import scipy
        import sklearn

        line += (f"; the baseline and training also need scikit-learn + scipy "
                 f"({folder_mb(Path(sklearn.__file__).parent) + folder_mb(Path(scipy.__file__).parent):.0f} MB)")
    except ImportError:
        pass
    print(line)


def throughput(n: int, repeat: int) -> None:
    """Print model load time and best-of-``repeat`` scoring speed (wall and CPU)."""
    sentences = news_sentences(n)
    cw.load_model.cache_clear()
    started = time.perf_counter()
    cw.load_model()
    load_ms = (time.perf_counter() - started) * 1000
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        scores = cw.score_sentences(sentences)
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    mean_chars = sum(map(len, sentences)) / len(sentences)
    kept = sum(s >= cw.CHECKWORTHY_THRESHOLD for s in scores) / len(scores)
    print(f"throughput: {len(sentences) / best_wall:,.0f} sentences/s wall, "
          f"{len(sentences) / best_cpu:,.0f} per CPU-second "
          f"({len(sentences):,} news sentences, mean {mean_chars:.0f} chars; model load {load_ms:.0f} ms); "
          f"{kept:.0%} of them score at or above the threshold")


def main() -> int:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--choose", action="store_true", help="choose the settings on train + dev and write them")
    parser.add_argument("--final", action="store_true", help="read dev-test once with the committed settings")
    parser.add_argument("--sentences", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"quality: skipped, {args.data} not found")
    elif args.final:
        final(args.data)
    else:
        data = pooled(load_splits(args.data))
        learners = {"model (hashed n-grams + cues)": (model_learner(data.texts, data.labels), MODEL_GRID),
                    "baseline TF-IDF word 1-2 + LR": (baseline_learner(data.texts, data.labels), BASELINE_GRID)}
        print("cross-validated on unseen debates (the result):")
        figures = cross_validate(data, learners)
        if args.choose:
            choose_all(data, learners, figures)
    sizes()
    throughput(args.sentences, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
