"""Measure the semantic extra (``claimdesk[semantic]``) under the honest protocol of the model benches.

    .venv/bin/python bench/semantic.py                  # cross-validated figures (the result), speed, sizes, memory
    .venv/bin/python bench/semantic.py --choose         # also fit both heads on all of train + dev and write
                                                        # bench/settings/semantic.json and review/semantic/model/*_head.json
    .venv/bin/python bench/semantic.py --final          # dev-test, once: needs those committed and unchanged
    .venv/bin/python bench/semantic.py --only checkworthiness   (or matching; with --final too: each dev-test
                                                        is read once, so a head refitted alone is read alone)

Check-worthiness (CheckThat! 2024 Task 1 English): the default model's recipe (SGD logistic regression over
hashed n-grams and cues) with the MiniLM sentence embedding as 384 more columns, grouped by debate block as
``bench/checkworthiness.py`` groups them (5 outer folds, 4 inner; the Platt calibration and the threshold
chosen inside the loop, alpha fixed at the default model's choice). Matching (CheckThat! 2022 2A English):
``bench/semantic_matching.py``, the hybrid re-ranker with its lexical pool, feature set, C and strong-match
threshold all chosen inside a grouped loop (by the fact-check a query repeats). Needs scikit-learn (the
``train`` extra) and the semantic extra.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from bench.semantic_matching import MATCH_HEAD, final_matching, instance, lookup_speed, matching_cv  # noqa: E402
from review import scorers, semantic  # noqa: E402
from review.semantic import checkworthiness as sem_cw  # noqa: E402
from review.semantic import matching as sem_matching  # noqa: E402
from review.semantic.encoder import DIMENSIONS, MODEL_DIR  # noqa: E402
from scripts.protocol import (  # noqa: E402
    average_precision, choose, figures_line, nested_cv, pooled_f1, read_settings, require_committed, settings_path,
    write_settings,
)
from scripts.train_checkworthiness import (  # noqa: E402
    DEFAULT_DATA, FEATURES, TrainConfig, column_scale, debate_groups, featurize, fit, load_splits, pooled,
)

OUTER_K, INNER_K = 5, 4
ALPHA_GRID = (3e-5,)  # the default model's choice; one value keeps the nested loop affordable on 2 cores
CW_HEAD = MODEL_DIR / sem_cw.HEAD_FILE


def section_digest(section: dict) -> str:
    """Return the sha256 of one settings section (a head records the digest of the section it was fitted with)."""
    return hashlib.sha256(json.dumps(section, sort_keys=True).encode("utf-8")).hexdigest()


def embed_timed(texts: list[str]) -> np.ndarray:
    """Embed texts with the product's encoder and print the speed (kept in a temporary file for the next run)."""
    key = hashlib.sha256("\n".join([sem_cw.encoder_id(), *texts]).encode("utf-8")).hexdigest()[:16]
    cache = Path(tempfile.gettempdir()) / f"claimdesk-semantic-{key}.npy"
    if cache.is_file():
        print(f"  embeddings of {len(texts):,} sentences read from {cache}")
        return np.load(cache)
    wall, cpu = time.perf_counter(), time.process_time()
    vectors = semantic.get_encoder().embed(texts)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"  embedded {len(texts):,} sentences: {len(texts) / cpu:,.0f} per CPU-second ({wall:.0f} s wall)")
    np.save(cache, vectors)
    return vectors


def joint_matrix(texts: list[str], embeddings: np.ndarray):
    """Return the default model's feature matrix with the scaled embedding columns beside it."""
    import scipy.sparse as sp

    return sp.hstack([featurize(texts, FEATURES), sp.csr_matrix(embeddings * sem_cw.EMBEDDING_SCALE)]).tocsr()


def head_learner(matrix, labels: np.ndarray):
    """Return a learner: the default model's SGD logistic regression over the joint columns (alpha from the grid)."""
    def learn(rows: np.ndarray, alpha: float):
        weights, bias = fit_joint(matrix[rows], labels[rows], alpha)
        return lambda target: matrix[target] @ weights + bias

    return learn, matrix


def fit_joint(matrix, labels: np.ndarray, alpha: float) -> tuple[np.ndarray, float]:
    """Fit the joint columns with the default model's recipe (its per-group scaling; embeddings unscaled)."""
    train = TrainConfig(alpha=alpha)
    scale = np.concatenate([column_scale(FEATURES, train), np.ones(DIMENSIONS)])
    return fit(matrix, labels, scale, train)


def checkworthiness(choose_now: bool):
    """Print the cross-validated figures of the semantic head; with ``choose_now``, return its settings and writer."""
    data = pooled(load_splits(DEFAULT_DATA))
    groups = debate_groups(data.ids)
    print(f"check-worthiness, train + dev: {len(data.texts):,} sentences, {len(np.unique(groups))} debate blocks; "
          f"outer {OUTER_K} folds, inner {INNER_K}")
    learn, matrix = head_learner(joint_matrix(data.texts, embed_timed(data.texts)), data.labels)
    started = time.perf_counter()
    result = nested_cv(learn, data.labels, groups, ALPHA_GRID, OUTER_K, INNER_K)
    scores = pooled_f1(data.labels, result.predicted)
    ap = average_precision(data.labels, result.probabilities)
    picks = ", ".join(f"{c.param:g}@{c.threshold:.2f}" for c in result.choices)
    print(f"  semantic head (features + MiniLM)   F1 {scores['f1']:.3f}  P {scores['precision']:.3f}  "
          f"R {scores['recall']:.3f}  AP {ap:.3f}  fold F1 {min(result.fold_f1):.3f}-{max(result.fold_f1):.3f}  "
          f"({time.perf_counter() - started:.0f} s; picked {picks})")
    default = read_settings("checkworthiness")
    for key, name in (("model", "default model"), ("baseline", "TF-IDF + LR")):
        cv = default[key]["cross_validated"]
        print(f"  {name + ' (bench/checkworthiness.py)':<36} F1 {cv['f1']:.3f}  AP {cv['average_precision']:.3f}")
    figures = {**scores, "average_precision": round(ap, 4), "fold_f1": result.fold_f1}
    if choose_now:
        picked = choose(learn, np.arange(len(data.texts)), data.labels, groups, ALPHA_GRID, INNER_K)
        section = {"alpha": picked.param, "embedding_scale": sem_cw.EMBEDDING_SCALE,
                   "calibration": list(picked.calibration), "threshold": picked.threshold,
                   "inner_average_precision": picked.inner_ap, "cross_validated": figures,
                   "data": "CheckThat! 2024 Task 1 English, train + dev", "grouping": "debate blocks",
                   "outer_k": OUTER_K, "inner_k": INNER_K}
        return section, lambda digest: write_cw_head(matrix, data.labels, picked, digest)
    return None


def write_cw_head(matrix, labels: np.ndarray, picked, digest: str) -> None:
    """Fit the head on all of train + dev with the chosen alpha and write it, calibration folded in."""
    weights, bias = fit_joint(matrix, labels, picked.param)
    weights[-DIMENSIONS:] *= sem_cw.EMBEDDING_SCALE  # the runtime reads unscaled embeddings
    a, b = picked.calibration
    head = sem_cw.payload(weights * a, bias * a + b, picked.threshold, digest, FEATURES)
    sem_cw.head_from_dict(head)  # checks the layout the runtime reads
    CW_HEAD.write_text(json.dumps(head) + "\n", encoding="utf-8")
    print(f"  wrote {CW_HEAD.relative_to(ROOT)} ({CW_HEAD.stat().st_size / 1e6:.2f} MB; alpha {picked.param:g}, "
          f"threshold {picked.threshold})")


def scoring_speed(n: int = 2000) -> None:
    """Print the active check-worthiness scorer's speed on news sentences (what ingest pays), beside the default's."""
    from bench.checkworthiness import news_sentences
    from review.extraction.checkworthiness import model as default_model

    sentences = news_sentences(n)
    scorers.score_sentences(sentences[:10])
    for name, score in (("semantic head", scorers.score_sentences), ("default model", default_model.score_sentences)):
        wall, cpu = time.perf_counter(), time.process_time()
        score(sentences)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"  check-worthiness scoring, {name}: {len(sentences) / cpu:,.0f} sentences per CPU-second "
              f"({len(sentences) / wall:,.0f}/s wall; {len(sentences):,} Reuters sentences; load average "
              f"{os.getloadavg()[0]:.1f})")


def final(folder: Path | None, only: str | None = None) -> None:
    """Read the dev-tests once with the committed heads (``only`` one of them)."""
    require_committed(settings_path("semantic"), CW_HEAD, MATCH_HEAD)
    settings = read_settings("semantic")
    if (sem_cw.load_head().settings_sha256 != section_digest(settings["checkworthiness"])
            or sem_matching.load_head().settings_sha256 != section_digest(settings["matching"])):
        raise SystemExit("--final refused: the heads were not written with the committed settings")
    if only != "matching":
        final_checkworthiness()
    if only != "checkworthiness":
        final_matching(folder)


def final_checkworthiness() -> None:
    """Read the check-worthiness dev-test once with the committed head."""
    test = load_splits(DEFAULT_DATA, ("dev-test",))["dev-test"]
    probabilities = np.array(scorers.score_sentences(test.texts))
    print(f"check-worthiness dev-test (read once): {len(test.texts)} sentences  "
          f"{figures_line(test.labels, probabilities, scorers.checkworthy_threshold())}")


def sizes() -> None:
    """Print the model files' sizes, the extra's install size and this process's peak memory."""
    import onnxruntime
    import tokenizers

    files = ", ".join(f"{p.name} {p.stat().st_size / 1e6:.1f} MB" for p in sorted(MODEL_DIR.iterdir()) if p.is_file())
    installed = sum(f.stat().st_size for module in (onnxruntime, tokenizers)
                    for f in Path(module.__file__).parent.rglob("*") if f.is_file()) / 1e6
    print(f"model files: {files}")
    print(f"install size of the extra: onnxruntime + tokenizers {installed:.0f} MB (numpy is in the default install)")
    print(f"this process's peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


WORKER = """
import os, sys
from app import create_app
from app.db import get_db, get_index
from review import scorers
app = create_app()
with app.app_context():
    scorers.score_sentences(["Unemployment fell to 3.5 percent in 2019."])
    scorers.rank_matches(get_db(), get_index(), "5G towers spread the coronavirus")
    rss = [line for line in open("/proc/self/status") if line.startswith("VmRSS")][0].split()[1]
    print(int(rss) // 1024, scorers.active().matching)
"""


def worker_memory(env: dict) -> None:
    """Print the resident memory of a process that is what a web worker is (the app, a scored claim, a match)."""
    import subprocess

    for switch in ("off", "on"):
        done = subprocess.run([sys.executable, "-c", WORKER], env={**env, semantic.SWITCH: switch}, cwd=ROOT,
                              capture_output=True, text=True, check=True)
        rss, model = done.stdout.strip().split(" ", 1)
        print(f"  web worker RSS after a scored claim and a match, extra {switch}: {rss} MB ({model})")


def main() -> int:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--choose", action="store_true", help="fit both heads on train + dev and write them")
    parser.add_argument("--final", action="store_true", help="read dev-test once with the committed heads")
    parser.add_argument("--only", choices=("checkworthiness", "matching"))
    parser.add_argument("--speed", action="store_true", help="only time lookups and measure a web worker's memory")
    parser.add_argument("--instance", type=Path, help="reuse an instance folder that already holds the import")
    args = parser.parse_args()
    os.environ.pop(semantic.SWITCH, None)
    if not scorers.active().semantic and not args.choose:
        sys.exit(f"the semantic extra is not active: {scorers.active().reason}")
    if args.final:
        final(args.instance, args.only)
        return 0
    chosen = {}
    if args.speed:
        scoring_speed()
        with instance(args.instance) as (env, db, index):
            lookup_speed(db, index)
            worker_memory(env)
        return 0
    if args.only != "matching":
        chosen["checkworthiness"] = checkworthiness(args.choose)
        scoring_speed()
    if args.only != "checkworthiness":
        with instance(args.instance) as (env, db, index):
            chosen["matching"] = matching_cv(db, index, args.choose)
            if scorers.active().matching.startswith("semantic"):
                lookup_speed(db, index)
                worker_memory(env)
    if args.choose:
        path = settings_path("semantic")
        settings = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        settings.update({"encoder": sem_cw.encoder_id(), **{k: v[0] for k, v in chosen.items()}})
        write_settings("semantic", settings)
        for key, (section, writer) in chosen.items():
            writer(section_digest(section))
        print(f"wrote {path.relative_to(ROOT)} and the heads of {', '.join(chosen)}: commit them, then run --final")
    sizes()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
