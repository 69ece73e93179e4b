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
chosen inside the loop, alpha fixed at the default model's choice). Matching (CheckThat! 2022 2A English): the
product's pool (the lexical re-ranker's best 20 or 50 of BM25's candidates with its probability, plus the 50
nearest stored embeddings) and its features (``review.semantic.matching.FEATURES``: lexical log-odds, cosines,
gaps, ranks, z-scores), re-ranked by a logistic regression fitted inside the loop (``scripts/matching_protocol.py``:
grouped by the fact-check a query repeats, 5 outer folds, 3 inner; the lexical pool size, C and the strong-match
threshold chosen inside). The fact-checks go through
the product: `claimdesk import-claimreview` into a fresh instance, which embeds them at import and stores the
vectors in its database. Needs scikit-learn (the ``train`` extra) and the semantic extra.
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
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from bench import prior_claims as pc  # noqa: E402
from review import scorers, semantic  # noqa: E402
from review.semantic import checkworthiness as sem_cw  # noqa: E402
from review.semantic import matching as sem_matching  # noqa: E402
from review.semantic.encoder import DIMENSIONS, MODEL_DIR  # noqa: E402
from review.storage import open_store  # noqa: E402
from scripts.matching_protocol import Candidates, choose_all, rerank_cv  # noqa: E402
from scripts.protocol import (  # noqa: E402
    average_precision, choose, f1_at, nested_cv, pooled_f1, read_settings, require_committed, settings_path,
    write_settings,
)
from scripts.train_checkworthiness import (  # noqa: E402
    DEFAULT_DATA, FEATURES, TrainConfig, column_scale, debate_groups, featurize, fit, load_splits, pooled,
)
from search_index import open_index  # noqa: E402

OUTER_K, INNER_K = 5, 4
ALPHA_GRID = (3e-5,)  # the default model's choice; one value keeps the nested loop affordable on 2 cores
CW_HEAD = MODEL_DIR / sem_cw.HEAD_FILE
MATCH_HEAD = MODEL_DIR / sem_matching.HEAD_FILE


def section_digest(section: dict) -> str:
    """Return the sha256 of one settings section (a head records the digest of the section it was fitted with)."""
    return hashlib.sha256(json.dumps(section, sort_keys=True).encode("utf-8")).hexdigest()


def percentile(values: list[float], share: float) -> float:
    """Return the value at ``share`` of the sorted values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


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


def gather(db, index, texts: list[str], relevant: list[set[str]]) -> dict[int, Candidates]:
    """Return every query's candidate pools with the product's FEATURES, one Candidates per lexical pool size
    (``LEXICAL_POOLS``: the lexical re-ranker's best 20 or 50, then the nearest embeddings they leave out)."""
    url_of = {("prior_review", row["id"]): row["url"] for row in db.query("SELECT id, url FROM prior_reviews")}
    rows = {size: ([], [], []) for size in sem_matching.LEXICAL_POOLS}
    for number, (text, rel) in enumerate(zip(texts, relevant)):
        found = sem_matching.gather(db, index, semantic.get_encoder(), text, lexical=max(sem_matching.LEXICAL_POOLS))
        for size, (features, labels, query) in rows.items():
            pool = found.pool(size)
            for key, values in zip(pool.keys, pool.features):
                features.append([float(v) for v in values])
                labels.append(pc.ID_PREFIX + (url_of.get(key) or "").rstrip("/").rsplit("/", 1)[-1] in rel)
                query.append(number)
    return {size: Candidates(np.array(features), np.array(labels), np.array(query), len(texts),
                             np.array([len(r) for r in relevant])) for size, (features, labels, query) in rows.items()}


def matching_cv(db, index, choose_now: bool):
    """Print the cross-validated MAP@5 of the hybrid re-ranker; with ``choose_now``, return its settings and writer.

    The lexical pool size (``LEXICAL_POOLS``) is chosen inside the loop with C and the strong threshold."""
    ids, texts, relevant_map = pc.load_queries(pc.TRAIN_DEV)
    relevant = [relevant_map[q] for q in ids]
    groups = pc.query_groups(ids, relevant_map)
    print(f"matching, train + dev: {len(ids):,} queries in {len(np.unique(groups)):,} groups; outer {pc.OUTER_K} "
          f"folds, inner {pc.INNER_K}")
    started = time.perf_counter()
    pools = gather(db, index, texts, relevant)
    widest = pools[max(pools)]
    lexical = Candidates(widest.features[:, :1], widest.relevant, widest.query, widest.n_queries, widest.n_relevant)
    for name, choices in (("default re-ranker's log-odds alone", {max(pools): lexical}),
                          ("hybrid: + neighbours, cosines, ranks", pools)):
        result = rerank_cv(choices, groups, pc.OUTER_K, pc.INNER_K)
        print(f"  {name:<38} MAP@5 {result['map5']:.4f}  strong: right {result['strong_precision']:.1%}, "
              f"reached by {result['strong_share']:.1%}  (lexical pool, C, threshold per fold {result['picks']})")
    print(f"  ({time.perf_counter() - started:.0f} s)")
    if choose_now:
        size, (inner, C, weights, intercept, threshold) = choose_all(pools, np.arange(len(ids)), groups, pc.INNER_K)
        section = {"C": C, "lexical_pool": size, "inner_map5": round(inner, 4), "strong_match": threshold,
                   "features": list(sem_matching.FEATURES),
                   "cross_validated": {"map5": round(result["map5"], 4),
                                       "strong_precision": round(result["strong_precision"], 4),
                                       "strong_share": round(result["strong_share"], 4)},
                   "data": "CheckThat! 2022 task 2A English, train + dev queries",
                   "grouping": "queries repeating one fact-check", "outer_k": pc.OUTER_K, "inner_k": pc.INNER_K}
        return section, lambda digest: write_match_head(weights, intercept, threshold, size, digest)
    return None


def write_match_head(weights: np.ndarray, intercept: float, threshold: float, size: int, digest: str) -> None:
    """Write the hybrid head fitted on all of train + dev."""
    payload = {"features": list(sem_matching.FEATURES), "weights": [round(float(w), 5) for w in weights],
                   "intercept": round(float(intercept), 5), "strong_match": threshold, "lexical_pool": size,
                   "encoder": sem_cw.encoder_id(), "settings_sha256": digest,
                   "lexical_model": sem_matching.lexical_model(),
                   "data": "CheckThat! 2022 task 2A English, train + dev queries"}
    MATCH_HEAD.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"  wrote {MATCH_HEAD.relative_to(ROOT)} (lexical pool {size}, strong match {threshold})")


def lookup_speed(db, index) -> None:
    """Print the hybrid lookup's wall and CPU time a query, in process (scorers.rank_matches, limit 5), beside the
    default lexical lookup's on the same queries in the same run (the baseline)."""
    from review import matching

    _, texts, _ = pc.load_queries(pc.TRAIN_DEV)
    scorers.rank_matches(db, index, texts[0])
    started = time.perf_counter()
    timed = {"hybrid": ([], []), "default": ([], [])}
    for text in texts[1:400]:
        for name, lookup in (("hybrid", lambda: scorers.rank_matches(db, index, text, limit=5)),
                             ("default", lambda: matching.rank_matches(index, text, limit=5))):
            wall, cpu = time.perf_counter(), time.process_time()
            lookup()
            timed[name][0].append(1000 * (time.perf_counter() - wall))
            timed[name][1].append(1000 * (time.process_time() - cpu))
    for name, (walls, cpus) in timed.items():
        model = scorers.active().matching if name == "hybrid" else "default lexical re-ranker"
        print(f"  {name} lookup ({model}): median {statistics.median(cpus):.1f} ms CPU (p95 "
              f"{percentile(cpus, 0.95):.1f}), median {statistics.median(walls):.1f} ms wall (p95 "
              f"{percentile(walls, 0.95):.1f}) a query, {len(walls)} queries")
    ratio = statistics.median(timed["hybrid"][1]) / statistics.median(timed["default"][1])
    print(f"  hybrid / default CPU median: {ratio:.2f}x; load average {os.getloadavg()[0]:.1f}; rerun at idle: "
          f".venv/bin/python bench/semantic.py --speed  (about {time.perf_counter() - started:.0f} s here, plus the "
          "import of the fact-checks unless --instance names a folder that holds it)")


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
    found = f1_at(test.labels, probabilities, scorers.checkworthy_threshold())
    print(f"check-worthiness dev-test (read once): {len(test.texts)} sentences  F1 {found['f1']:.3f}  "
          f"P {found['precision']:.3f}  R {found['recall']:.3f}  AP {average_precision(test.labels, probabilities):.3f}")


def final_matching(folder: Path | None) -> None:
    """Read the matching dev-test once with the committed head, through the product's lookup."""
    with instance(folder) as (env, db, index):
        ids, texts, relevant = pc.load_queries(pc.DEV_TEST)
        aps, strong, right = [], 0, 0
        for qid, text in zip(ids, texts):
            found = scorers.rank_matches(db, index, text, limit=pc.K)
            ranked = [pc.ID_PREFIX + m.url.rstrip("/").rsplit("/", 1)[-1] for m in found if m.url]
            aps.append(pc.average_precision(ranked, relevant[qid]))
            if found and found[0].strong:
                strong += 1
                right += ranked[0] in relevant[qid]
        print(f"matching dev-test (read once): {len(ids)} queries  MAP@5 {statistics.mean(aps):.4f}; strong matches "
              f"{strong} ({right / max(strong, 1):.1%} right)")


class instance:
    """A fresh instance holding the fact-checks, imported (and embedded) by `claimdesk import-claimreview`."""

    def __init__(self, folder: Path | None = None):
        self.folder, self.scratch = folder, None

    def __enter__(self):
        if self.folder is None:
            self.scratch = tempfile.TemporaryDirectory(prefix="claimdesk-semantic-")
        folder = str(self.folder or self.scratch.name)
        self.env = {**os.environ, "CLAIMDESK_INSTANCE": folder, "CLAIMDESK_DB": os.path.join(folder, "claimdesk.db"),
                    "CLAIMDESK_INDEX": os.path.join(folder, "index")}
        if self.folder is None:
            started = time.perf_counter()
            pc.import_reviews(self.env, Path(folder))
            print(f"  (import with the semantic extra, embeddings included: {time.perf_counter() - started:.0f} s)")
        self.db, self.index = open_store(self.env["CLAIMDESK_DB"]), open_index(self.env["CLAIMDESK_INDEX"])
        return self.env, self.db, self.index

    def __exit__(self, *exc):
        self.index.close()
        self.db.close()
        if self.scratch:
            self.scratch.cleanup()


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
