"""Check-worthiness scorer: dev-test quality against a TF-IDF baseline, and speed.

Prints F1 / precision / recall of the Yes class on CheckThat! 2024 dev-test for
the shipped weights (at ``CHECKWORTHY_THRESHOLD``) and for a TF-IDF word
1-2-gram + logistic-regression baseline trained the same way (train on train,
threshold on cross-fitted dev by the same plateau rule), then the scoring
throughput in sentences per second on Reuters newswire sentences.

Run from the repository root: .venv/bin/python bench/checkworthiness.py
Needs scikit-learn (the ``train`` extra) for the baseline only.
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
from scripts.train_checkworthiness import (  # noqa: E402
    DEFAULT_DATA, TrainConfig, id_blocks, load_splits, plateau_threshold, prf,
)

REUTERS = ROOT.parent / "shared" / "data" / "news" / "reuters21578.jsonl"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"])")


def baseline_scores(splits: dict, C: float, n_blocks: int) -> tuple[float, np.ndarray]:
    """Train TF-IDF + LR on train; return its dev threshold and dev-test scores."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    def fit_score(texts, labels, targets):
        """Fit on texts/labels; return probabilities for the target texts."""
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        model = LogisticRegression(C=C, solver="liblinear", random_state=0)
        model.fit(vectorizer.fit_transform(texts), labels)
        return model.predict_proba(vectorizer.transform(targets))[:, 1]

    train, dev, test = splits["train"], splits["dev"], splits["dev-test"]
    dev_scores = np.zeros(len(dev.texts))
    for held_out, dev_mask in id_blocks(train.ids, dev.ids, n_blocks):
        keep = np.setdiff1d(np.arange(len(train.texts)), held_out)
        texts = [train.texts[i] for i in keep]
        dev_scores[dev_mask] = fit_score(texts, train.labels[keep], [dev.texts[i] for i in np.flatnonzero(dev_mask)])
    threshold = plateau_threshold(dev.labels, dev_scores, TrainConfig.plateau)
    return threshold, fit_score(train.texts, train.labels, test.texts)


def print_row(name: str, threshold: float, scores: dict) -> None:
    """Print one quality line."""
    print(f"{name:<34} F1 {scores['f1']:.3f}  P {scores['precision']:.3f}  "
          f"R {scores['recall']:.3f}  (threshold {threshold:.2f})")


def quality(data_dir: Path) -> None:
    """Print dev-test figures for the shipped model and the baseline."""
    if not data_dir.is_dir():
        print(f"quality: skipped, {data_dir} not found")
        return
    splits = load_splits(data_dir)
    test = splits["dev-test"]
    shipped = np.array(cw.score_sentences(test.texts))
    print(f"dev-test: {len(test.texts)} sentences, {int(test.labels.sum())} Yes")
    print_row("shipped (hashed n-grams + cues, LR)", cw.CHECKWORTHY_THRESHOLD,
              prf(test.labels, shipped, cw.CHECKWORTHY_THRESHOLD))
    threshold, baseline = baseline_scores(splits, TrainConfig.C, TrainConfig.cv_blocks)
    print_row("baseline (TF-IDF word 1-2, LR)", threshold, prf(test.labels, baseline, threshold))


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
        cw.score_sentences(sentences)
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    mean_chars = sum(map(len, sentences)) / len(sentences)
    print(f"throughput: {len(sentences) / best_wall:,.0f} sentences/s wall, "
          f"{len(sentences) / best_cpu:,.0f} per CPU-second "
          f"({len(sentences):,} news sentences, mean {mean_chars:.0f} chars; model load {load_ms:.0f} ms)")


def main() -> int:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sentences", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    quality(args.data)
    throughput(args.sentences, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
