"""The hybrid matching part of ``bench/semantic.py``: its grouped cross-validation, head, speed and dev-test.

Matching (CheckThat! 2022 2A English): the product's pool (the lexical re-ranker's best 20 or 50 of BM25's
candidates with its probability, plus the 50 nearest stored embeddings) and its features
(``review.semantic.matching.FEATURES``), re-ranked by a logistic regression. Everything the head is made of is
chosen inside the loop (``scripts/matching_protocol.py``: grouped by the fact-check a query repeats, 5 outer
folds, 3 inner): the lexical pool size, the feature set (``VARIANTS``), C and the strong-match threshold, by
the inner folds' MAP@5 on the outer training folds alone; each outer fold is then ranked once. The
fact-checks go through the product: `claimdesk import-claimreview` into a fresh instance, which embeds them at
import and stores the vectors in its database.
"""

import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from bench import prior_claims as pc
from review import scorers, semantic
from review.semantic import checkworthiness as sem_cw
from review.semantic import matching as sem_matching
from review.semantic.encoder import MODEL_DIR
from review.storage import open_store
from scripts.matching_protocol import Candidates, choose_all, rerank_cv
from search_index import open_index

ROOT = Path(__file__).resolve().parents[1]
MATCH_HEAD = MODEL_DIR / sem_matching.HEAD_FILE
# The feature sets the inner loop chooses among (with the lexical pool size, C and the threshold).
VARIANTS = {
    "cosines": tuple(name for name in sem_matching.FEATURES if name not in sem_matching.CLAIM_FEATURES),
    "cosines + claim alone": sem_matching.FEATURES,
}
DATA = "CheckThat! 2022 task 2A English, train + dev queries"


def percentile(values: list[float], share: float) -> float:
    """Return the value at ``share`` of the sorted values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def gather(db, index, texts: list[str], relevant: list[set[str]]) -> dict[tuple[int, str], Candidates]:
    """Return every query's candidate pools, one Candidates per (lexical pool size, feature set): the lexical
    re-ranker's best 20 or 50 (``LEXICAL_POOLS``), then the nearest embeddings they leave out, with the
    ``VARIANTS`` columns of FEATURES."""
    url_of = {("prior_review", row["id"]): row["url"] for row in db.query("SELECT id, url FROM prior_reviews")}
    rows = {size: ([], [], []) for size in sem_matching.LEXICAL_POOLS}
    for number, (text, rel) in enumerate(zip(texts, relevant)):
        found = sem_matching.gather(db, index, semantic.get_encoder(), text, lexical=max(sem_matching.LEXICAL_POOLS))
        for size, (features, labels, query) in rows.items():
            pool = found.pool(size)
            features.append(pool.features)
            labels += [pc.ID_PREFIX + (url_of.get(key) or "").rstrip("/").rsplit("/", 1)[-1] in rel
                       for key in pool.keys]
            query += [number] * len(pool.keys)
    n_relevant = np.array([len(r) for r in relevant])
    out = {}
    for size, (features, labels, query) in rows.items():
        every = np.vstack(features)
        for name, columns in VARIANTS.items():
            picked = every[:, [sem_matching.FEATURES.index(c) for c in columns]]
            out[size, name] = Candidates(picked, np.array(labels), np.array(query), len(texts), n_relevant)
    return out


def matching_cv(db, index, choose_now: bool):
    """Print the cross-validated MAP@5 of the hybrid re-ranker (per fold and pooled); with ``choose_now``, return
    its settings and writer."""
    ids, texts, relevant_map = pc.load_queries(pc.TRAIN_DEV)
    relevant = [relevant_map[q] for q in ids]
    groups = pc.query_groups(ids, relevant_map)
    print(f"matching, train + dev: {len(ids):,} queries in {len(np.unique(groups)):,} groups; outer {pc.OUTER_K} "
          f"folds, inner {pc.INNER_K}; chosen inside: lexical pool {sem_matching.LEXICAL_POOLS}, feature set "
          f"{list(VARIANTS)}, C, strong threshold")
    started = time.perf_counter()
    pools = gather(db, index, texts, relevant)
    widest = pools[max(sem_matching.LEXICAL_POOLS), "cosines"]
    lexical = Candidates(widest.features[:, :1], widest.relevant, widest.query, widest.n_queries, widest.n_relevant)
    for name, choices in (("default re-ranker's log-odds alone", {"lexical": lexical}),
                          ("hybrid, feature set chosen inside", pools)):
        result = rerank_cv(choices, groups, pc.OUTER_K, pc.INNER_K)
        folds = " ".join(f"{m:.4f}" for m in result["fold_map5"])
        print(f"  {name:<36} MAP@5 {result['map5']:.4f} (folds {folds})  strong: right "
              f"{result['strong_precision']:.1%}, reached by {result['strong_share']:.1%}")
        print(f"    picked per fold ((pool, features), C, threshold): {result['picks']}")
    print(f"  ({time.perf_counter() - started:.0f} s)")
    if choose_now:
        (size, variant), (inner, C, weights, intercept, threshold) = choose_all(
            pools, np.arange(len(ids)), groups, pc.INNER_K)
        section = {"C": C, "lexical_pool": size, "inner_map5": round(inner, 4), "strong_match": threshold,
                   "feature_set": variant, "features": list(VARIANTS[variant]),
                   "cross_validated": {"map5": round(result["map5"], 4),
                                       "fold_map5": [round(m, 4) for m in result["fold_map5"]],
                                       "picks": [[list(p[0]), p[1], p[2]] for p in result["picks"]],
                                       "strong_precision": round(result["strong_precision"], 4),
                                       "strong_share": round(result["strong_share"], 4)},
                   "data": DATA, "grouping": "queries repeating one fact-check", "outer_k": pc.OUTER_K,
                   "inner_k": pc.INNER_K}
        return section, lambda digest: write_match_head(VARIANTS[variant], weights, intercept, threshold, size, digest)
    return None


def write_match_head(features, weights: np.ndarray, intercept: float, threshold: float, size: int,
                     digest: str) -> None:
    """Write the hybrid head fitted on all of train + dev."""
    payload = {"features": list(features), "weights": [round(float(w), 5) for w in weights],
               "intercept": round(float(intercept), 5), "strong_match": threshold, "lexical_pool": size,
               "encoder": sem_cw.encoder_id(), "settings_sha256": digest,
               "lexical_model": sem_matching.lexical_model(), "data": DATA}
    MATCH_HEAD.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"  wrote {MATCH_HEAD.relative_to(ROOT)} ({len(features)} features, lexical pool {size}, "
          f"strong match {threshold})")


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
    """A fresh instance holding the fact-checks, imported (and embedded) by `claimdesk import-claimreview`; with a
    folder that holds an import, that one (embeddings made since brought up to date, as `claimdesk reindex` does)."""

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
        else:
            done = pc.claimdesk(self.env, "db", "upgrade")
            if done.returncode != 0:
                raise SystemExit(f"claimdesk db upgrade failed:\n{done.stdout}\n{done.stderr[-2000:]}")
        self.db, self.index = open_store(self.env["CLAIMDESK_DB"]), open_index(self.env["CLAIMDESK_INDEX"])
        if self.folder is not None:
            made = scorers.refresh_embeddings(self.db)
            if made and made["embedded"]:
                print(f"  ({made['embedded']:,} prior verdicts embedded again in {self.folder})")
        return self.env, self.db, self.index

    def __exit__(self, *exc):
        self.index.close()
        self.db.close()
        if self.scratch:
            self.scratch.cleanup()
