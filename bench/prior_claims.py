"""Measure "checked before?" matching on CheckThat! 2022 task 2A (English) under the honest protocol.

    .venv/bin/python bench/prior_claims.py            # cross-validated MAP@5 (the result), baselines, speed
    .venv/bin/python bench/prior_claims.py --choose   # also fit the shipped re-ranking and strong-match
                                                      # threshold on all of train + dev, write
                                                      # bench/settings/prior_claims.json and review/matching.py
    .venv/bin/python bench/prior_claims.py --final    # dev-test, once: needs both committed and unchanged
    .venv/bin/python bench/prior_claims.py --engine postgres --database-url postgresql://...   # an empty database:
                                                      # the same measures with PostgreSQL search

Grouping: queries that repeat the same fact-check stay in one fold (``scripts/matching_protocol.py``);
5 outer folds, 3 inner. Baselines under the same loop: BM25 plain (claim only, lower-cased words) and BM25
tuned (claim + title + subtitle, the index's analyzer, tweet cleaning, k1 and b chosen inside the loop).

It goes through the product as a user would: the 14,231 verified claims become ClaimReview JSONL (vclaim ->
claimReviewed, title -> headline, subtitle -> reviewBody, author and date as given, Snopes as publisher, and
as url the fact-check's Snopes address, whose slug the vclaim_id carries: vclaim-sno-hero-wombats-australia-fires
is https://www.snopes.com/fact-check/hero-wombats-australia-fires/), `claimdesk import-claimreview` loads them
into a fresh instance in a temporary folder,
the candidates and their features come from that instance's index, and `claimdesk match --batch -` answers
the train + dev queries one line at a time to time each answer (the first one from a cold process).
Needs scikit-learn (the ``train`` extra).
"""

import argparse
import csv
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

import numpy as np  # noqa: E402

from review import matching  # noqa: E402
from scripts.matching_protocol import (  # noqa: E402
    BM25_GRID, Bm25Table, Candidates, STRONG_PRECISION, bm25_cv, choose_all, query_groups, rerank_cv,
)
from search_index import claim_table  # noqa: E402
from scripts.protocol import read_settings, require_committed, settings_digest, settings_path, write_settings  # noqa: E402
from search_index import open_index  # noqa: E402
from review.storage import open_store  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "prior-claims"
URL = "https://www.snopes.com/fact-check/{}/"
ID_PREFIX = "vclaim-sno-"  # every vclaim_id is this and the slug of its Snopes address
TRAIN_DEV = ("CT2022-Task2A-EN-Train-Dev_Queries.tsv", ("CT2022-Task2A-EN-Train_QRELs.tsv", "CT2022-Task2A-EN-Dev_QRELs.tsv"))
DEV_TEST = ("CT2022-Task2A-EN-Dev-Test_Queries.tsv", ("CT2022-Task2A-EN-Dev-Test_QRELs.tsv",))
K = 5
OUTER_K, INNER_K = 5, 3
MATCHING_PY = ROOT / "review" / "matching.py"
CLAIM_TABLE_PY = ROOT / "search_index" / "claim_table.py"
PRODUCT_BM25_GRID = ((1.2, 0.75), (1.6, 0.5))  # the index's (k1, b), chosen inside the loop with the re-ranker


def claimreview(vclaim: dict) -> dict:
    """Return one verified claim as a ClaimReview object."""
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": URL.format(vclaim["vclaim_id"].removeprefix(ID_PREFIX)),
        "claimReviewed": vclaim["vclaim"],
        "headline": vclaim["title"],
        "reviewBody": vclaim["subtitle"],
        "author": {"@type": "Person", "name": vclaim["author"]},
        "publisher": {"@type": "Organization", "name": "Snopes", "url": "https://www.snopes.com/"},
        "datePublished": vclaim["date"],
        "inLanguage": "en",
    }


def write_claimreviews(path: Path) -> int:
    """Convert vclaims.jsonl into a ClaimReview JSONL file; return the record count."""
    count = 0
    with (DATA / "vclaims.jsonl").open(encoding="utf-8") as source, path.open("w", encoding="utf-8") as target:
        for line in source:
            if line.strip():
                target.write(json.dumps(claimreview(json.loads(line)), ensure_ascii=False) + "\n")
                count += 1
    return count


def read_queries(name: str) -> dict[str, str]:
    """Return query id -> text from a queries TSV."""
    with (DATA / name).open(encoding="utf-8", newline="") as lines:
        return {row[0]: row[1] for row in csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
                if len(row) >= 2 and row[0] != "iclaim_id"}


def read_qrels(name: str) -> dict[str, set[str]]:
    """Return query id -> relevant vclaim ids from a QRELs TSV."""
    relevant: dict[str, set[str]] = {}
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 4 and parts[3].strip() == "1":
            relevant.setdefault(parts[0], set()).add(parts[2])
    return relevant


def average_precision(ranked: list[str], relevant: set[str], k: int = K) -> float:
    """Return AP@k of one ranking."""
    hits, total = 0, 0.0
    for position, found in enumerate(ranked[:k], 1):
        if found in relevant:
            hits += 1
            total += hits / position
    return total / min(len(relevant), k)


def percentile(values: list[float], share: float) -> float:
    """Return the value at ``share`` of the sorted values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


COMMAND = [str(Path(sys.executable).with_name("claimdesk"))]


def claimdesk(env: dict, *args: str) -> subprocess.CompletedProcess:
    """Run one claimdesk command and return its result."""
    return subprocess.run([*COMMAND, *args], env=env, capture_output=True, text=True, check=False)


def import_reviews(env: dict, folder: Path) -> None:
    """Write the ClaimReview file and import it with `claimdesk import-claimreview`."""
    path = folder / "claimreviews.jsonl"
    count = write_claimreviews(path)
    started = time.perf_counter()
    done = claimdesk(env, "import-claimreview", str(path))
    if done.returncode != 0:
        sys.exit(f"import-claimreview failed ({done.returncode}):\n{done.stdout}\n{done.stderr[-3000:]}")
    print(f"imported {count:,} ClaimReview records in {time.perf_counter() - started:.1f} s: "
          f"{done.stdout.strip().splitlines()[0] if done.stdout.strip() else ''}")


def match_batch(env: dict, texts: list[str]) -> tuple[list[list[dict]], list[float], float]:
    """Feed texts to one `claimdesk match --batch -` a line at a time; return answers, latencies, total."""
    command = [*COMMAND, "match", "--batch", "-", "--limit", str(K)]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                               encoding="utf-8", bufsize=1)
    answers, latencies = [], []
    for text in texts:
        sent = time.perf_counter()
        process.stdin.write(text.replace("\n", " ") + "\n")
        process.stdin.flush()
        answers.append(json.loads(process.stdout.readline()))
        latencies.append(1000 * (time.perf_counter() - sent))
    process.stdin.close()
    assert process.stdout.read() == "", "match --batch wrote more lines than it was given"
    process.wait()
    return answers, latencies, time.perf_counter() - started


def load_queries(spec) -> tuple[list[str], list[str], dict[str, set[str]]]:
    """Return (ids, texts, relevant) of a query file and its QRELs files."""
    queries_file, qrels_files = spec
    queries, relevant = read_queries(queries_file), {}
    for name in qrels_files:
        for qid, found in read_qrels(name).items():
            relevant.setdefault(qid, set()).update(found)
    ids = sorted(qid for qid in relevant if qid in queries)
    return ids, [queries[q] for q in ids], relevant


def vclaim_id(hit) -> str:
    """Return the fact-check id a hit's url carries."""
    return ID_PREFIX + (hit.fields.get("url") or "").rstrip("/").rsplit("/", 1)[-1]


def gather(index, texts: list[str], relevant: list[set[str]]) -> Candidates:
    """Return every query's candidates from the product's index, with the product's features."""
    features, labels, query = [], [], []
    for number, (text, rel) in enumerate(zip(texts, relevant)):
        for hit, found in matching.candidates(index, text):
            features.append([found[name] for name in matching.FEATURES])
            labels.append(vclaim_id(hit) in rel)
            query.append(number)
    return Candidates(np.array(features), np.array(labels), np.array(query), len(texts),
                      np.array([len(r) for r in relevant]))


def cross_validate(index, choose: bool) -> None:
    """Print the cross-validated figures of the baselines and the product; with ``choose``, pick the shipped settings."""
    ids, texts, relevant_map = load_queries(TRAIN_DEV)
    relevant = [relevant_map[q] for q in ids]
    groups = query_groups(ids, relevant_map)
    vclaims = [json.loads(line) for line in (DATA / "vclaims.jsonl").open(encoding="utf-8") if line.strip()]
    print(f"train + dev: {len(ids):,} queries in {len(np.unique(groups)):,} groups (queries repeating one fact-check);"
          f" outer {OUTER_K} folds, inner {INNER_K}")
    plain, _ = bm25_cv(Bm25Table.plain(vclaims), texts, relevant, groups, [(1.2, 0.75)], OUTER_K)
    print(f"  BM25 plain (claim only, k1 1.2, b 0.75)             MAP@5 {plain:.4f}")
    tuned, picks = bm25_cv(Bm25Table.tuned(vclaims), texts, relevant, groups, BM25_GRID, OUTER_K)
    print(f"  BM25 tuned (k1, b chosen inside the loop)          MAP@5 {tuned:.4f}  (picked {picks})")
    started, pools = time.perf_counter(), {}
    for params in PRODUCT_BM25_GRID:
        claim_table.K1, claim_table.B = params
        pools[params] = cands = gather(index, texts, relevant)
        recall = np.mean([cands.relevant[cands.query == q].sum() / len(relevant[q]) for q in range(len(ids))])
        print(f"  candidates with k1 {params[0]}, b {params[1]}: recall {recall:.3f} ({len(cands.query) / len(ids):.1f} a "
              f"query: the BM25 top {matching.CANDIDATES} and the top {matching.WINDOW_CANDIDATES} published "
              f"{matching.WINDOW[0]} to {matching.WINDOW[1]} days from the claim)")
    result = rerank_cv(pools, groups, OUTER_K, INNER_K)
    print(f"  product: BM25 candidates + re-ranking   MAP@5 {result['map5']:.4f}"
          f"  ({time.perf_counter() - started:.0f} s; (k1, b), C, threshold per fold {result['picks']})")
    print(f"  strong match (precision target {STRONG_PRECISION:.0%} chosen inside the loop): right "
          f"{result['strong_precision']:.1%} of the time on unseen queries, reached by {result['strong_share']:.1%} of them; "
          f"{result['unchecked_strong_share']:.1%} of their unchecked twins (own fact-checks taken out) reach it, so "
          f"with as many never-checked claims as repeats a strong match is right {result['mixed_precision']:.1%} of the time")
    if choose:
        (k1, b), (_, C, weights, intercept, threshold) = choose_all(pools, np.arange(len(ids)), groups, INNER_K)
        settings = {"k1": k1, "b": b, "data": "CheckThat! 2022 task 2A English, train + dev queries", "grouping": "queries repeating one fact-check",
                    "features": list(matching.FEATURES), "C": C, "weights": [round(float(w), 4) for w in weights],
                    "intercept": round(intercept, 4), "strong_match": threshold,
                    "cross_validated": {"map5": round(result["map5"], 4), "bm25_plain": round(plain, 4),
                                        "bm25_tuned": round(tuned, 4),
                                        "strong_precision": round(result["strong_precision"], 4),
                                        "strong_share": round(result["strong_share"], 4),
                                        "unchecked_strong_share": round(result["unchecked_strong_share"], 4),
                                        "mixed_precision": round(result["mixed_precision"], 4)}}
        write_settings("prior_claims", settings)
        write_literals(settings)
        print(f"wrote bench/settings/prior_claims.json and review/matching.py (strong match {threshold}): commit both")


def rewrite(path: Path, replacements: list[tuple[str, str]]) -> None:
    """Replace one line-anchored literal per pattern in a source file."""
    source = path.read_text(encoding="utf-8")
    for pattern, value in replacements:
        source, count = re.subn(pattern, value, source, count=1, flags=re.MULTILINE)
        if count != 1:
            raise SystemExit(f"{pattern} not found in {path}")
    path.write_text(source, encoding="utf-8")


def write_literals(settings: dict) -> None:
    """Rewrite the re-ranking literals of review/matching.py and the BM25 ones of search_index/claim_table.py."""
    weights = ", ".join(f'"{n}": {w}' for n, w in zip(settings["features"], settings["weights"]))
    rewrite(MATCHING_PY, [(r"^INTERCEPT = .*$", f"INTERCEPT = {settings['intercept']}"),
                          (r"^WEIGHTS = \{[^}]*\}$", f"WEIGHTS = {{{weights}}}"),
                          (r"^STRONG_MATCH = .*$", f"STRONG_MATCH = {settings['strong_match']}")])
    rewrite(CLAIM_TABLE_PY, [(r"^K1 = .*$", f"K1 = {settings['k1']}"), (r"^B = .*$", f"B = {settings['b']}")])


def cpu_per_query(index) -> None:
    """Print the CPU time of one in-process lookup (rank_matches, limit 5): the figure the load of a shared machine
    does not inflate."""
    _, texts, _ = load_queries(TRAIN_DEV)
    started = time.perf_counter()
    matching.rank_matches(index, texts[0])
    first = 1000 * (time.perf_counter() - started)
    spent = []
    for text in texts[1:]:
        started = time.process_time()
        matching.rank_matches(index, text, limit=K)
        spent.append(1000 * (time.process_time() - started))
    print(f"in-process lookup: median {statistics.median(spent):.2f} ms CPU, p95 {percentile(spent, 0.95):.2f} ms CPU "
          f"a query; the first one (loads the claim tables) {first:.0f} ms wall")


def folder_mb(path: Path) -> float:
    """Return the size of a folder's files in MB."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def sizes(index_folder: str) -> None:
    """Print the model's size, the claim tables' size in the index and what matching needs installed."""
    import importlib.util

    import Stemmer

    tables = sum(f.stat().st_size for f in Path(index_folder).rglob(".claims-*.npz"))
    print(f"model size: {len(matching.WEIGHTS) + 1} weights and the strong-match threshold in review/matching.py; "
          f"the index's claim tables with their precomputed features {tables / 1e6:.1f} MB")
    runtime = folder_mb(Path(np.__file__).parent) + folder_mb(Path(importlib.util.find_spec("whoosh").origin).parent)
    print(f"install size: matching runs on the default install: numpy + whoosh {runtime:.0f} MB, "
          f"PyStemmer {Path(Stemmer.__file__).stat().st_size / 1e6:.1f} MB; choosing the weights (this bench) also "
          f"needs scikit-learn (the train extra)")


def speed(env: dict) -> None:
    """Time `claimdesk match --batch` on the train + dev queries: a cold first answer, then each one."""
    _, texts, _ = load_queries(TRAIN_DEV)
    _, latencies, total = match_batch(env, texts)
    steady = latencies[1:]
    print(f"speed: first answer of a cold `claimdesk match` {latencies[0]:.0f} ms; then median "
          f"{statistics.median(steady):.1f} ms, p95 {percentile(steady, 0.95):.1f} ms a query ({len(texts):,} queries, {total:.1f} s)")


def final(env: dict) -> None:
    """Rank the dev-test queries once, with the committed settings, through `claimdesk match`."""
    require_committed(settings_path("prior_claims"), MATCHING_PY, CLAIM_TABLE_PY)
    settings = read_settings("prior_claims")
    if (settings["strong_match"], settings["intercept"], settings["k1"], settings["b"]) != (
            matching.STRONG_MATCH, matching.INTERCEPT, claim_table.K1, claim_table.B):
        raise SystemExit("--final refused: review/matching.py does not hold the committed settings")
    ids, texts, relevant = load_queries(DEV_TEST)
    answers, latencies, _ = match_batch(env, texts)
    aps, strong, right, twins = [], 0, 0, 0
    for qid, found in zip(ids, answers):
        ranked = [ID_PREFIX + m["url"].rstrip("/").rsplit("/", 1)[-1] for m in found if m.get("url")]
        aps.append(average_precision(ranked, relevant[qid]))
        if found and found[0]["score"] >= matching.STRONG_MATCH:
            strong += 1
            right += ranked[0] in relevant[qid]
        # The unchecked twin: the best match that is not one of the query's fact-checks (in the top 5 whenever a
        # query has fewer than 5 of them).
        twins += any(m["score"] >= matching.STRONG_MATCH for m, found_id in zip(found, ranked)
                     if found_id not in relevant[qid])
    print(f"dev-test (read once, settings {settings_digest('prior_claims')[:12]}): {len(ids)} queries  "
          f"MAP@5 {statistics.mean(aps):.4f}; strong matches {strong} ({right / max(strong, 1):.1%} right), "
          f"unchecked twins reaching it {twins} ({right / max(strong + twins, 1):.1%} right with as many never-checked "
          f"claims); "
          f"median {statistics.median(latencies[1:]):.1f} ms a query")


def main() -> None:
    """Import the verified claims into a temporary instance, then measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--choose", action="store_true", help="fit the shipped settings on train + dev and write them")
    parser.add_argument("--final", action="store_true", help="rank dev-test once with the committed settings")
    parser.add_argument("--instance", type=Path, help="reuse an instance folder that already holds the import")
    parser.add_argument("--engine", choices=["whoosh", "postgres"], default="whoosh",
                        help="the search engine to measure (postgres needs --database-url)")
    parser.add_argument("--database-url", help="an empty PostgreSQL database for the import (postgresql://...)")
    parser.add_argument("--claimdesk", metavar="COMMAND", help="The claimdesk command to run (default: the one "
                        "installed beside this Python).")
    args = parser.parse_args()
    if args.claimdesk:
        COMMAND[:] = args.claimdesk.split()
    if not DATA.exists():
        sys.exit(f"data not found: {DATA} (the shared data folder sits beside the repository)")
    with tempfile.TemporaryDirectory(prefix="claimdesk-prior-") as scratch:
        folder = str(args.instance or scratch)
        env = {**os.environ, "CLAIMDESK_INSTANCE": folder, "CLAIMDESK_DB": os.path.join(folder, "claimdesk.db"),
               "CLAIMDESK_INDEX": os.path.join(folder, "index"), "CLAIMDESK_SEARCH": args.engine,
               "CLAIMDESK_SEMANTIC": "off"}  # the default model's bench: the extra's hybrid has bench/semantic.py
        if args.engine == "postgres":
            if not args.database_url:
                sys.exit("--engine postgres needs --database-url postgresql://... (an empty database)")
            env["CLAIMDESK_DATABASE_URL"] = args.database_url
            env.setdefault("CLAIMDESK_SECRET_KEY", "bench")
        if not args.instance:
            import_reviews(env, Path(folder))
        if args.final:
            final(env)
            return
        store = open_store(env.get("CLAIMDESK_DATABASE_URL") or env["CLAIMDESK_DB"])
        index = open_index(env["CLAIMDESK_INDEX"], engine=args.engine, store=store)
        try:
            print(f"engine: {args.engine}")
            cross_validate(index, args.choose)
            cpu_per_query(index)
            if args.engine == "whoosh":
                sizes(env["CLAIMDESK_INDEX"])
        finally:
            index.close()
            store.close()
        speed(env)


if __name__ == "__main__":
    main()
