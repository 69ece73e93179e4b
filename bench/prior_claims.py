"""Measure "checked before?" matching on CheckThat! 2022 task 2A (English): MAP@5, Recall@5 and latency.

Usage (from the repository root):
    .venv/bin/python bench/prior_claims.py                  # the dev-test queries
    .venv/bin/python bench/prior_claims.py --split dev      # the dev queries (train-dev file, dev QRELs)
    .venv/bin/python bench/prior_claims.py --split train --split dev --split dev-test

It goes through the product as a user would: the 14,231 verified claims become
ClaimReview JSONL (vclaim -> claimReviewed, title -> headline, subtitle ->
reviewBody, one url per vclaim_id, author and date as given, Snopes as
publisher), `claimdesk import-claimreview` loads them into a fresh instance in a
temporary folder, and `claimdesk match --batch -` answers the queries, one line
at a time so that each answer's latency can be timed.
"""

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "prior-claims"
URL = "https://www.snopes.com/fact-check/{}/"
SPLITS = {
    "train": ("CT2022-Task2A-EN-Train-Dev_Queries.tsv", "CT2022-Task2A-EN-Train_QRELs.tsv"),
    "dev": ("CT2022-Task2A-EN-Train-Dev_Queries.tsv", "CT2022-Task2A-EN-Dev_QRELs.tsv"),
    "dev-test": ("CT2022-Task2A-EN-Dev-Test_Queries.tsv", "CT2022-Task2A-EN-Dev-Test_QRELs.tsv"),
}
K = 5


def claimreview(vclaim: dict) -> dict:
    """Return one verified claim as a ClaimReview object."""
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": URL.format(vclaim["vclaim_id"]),
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


def evaluate(env: dict, split: str) -> None:
    """Run one query set through `claimdesk match --batch` and print its measures."""
    queries_file, qrels_file = SPLITS[split]
    queries, relevant = read_queries(queries_file), read_qrels(qrels_file)
    ids = [qid for qid in relevant if qid in queries]
    answers, latencies, total = match_batch(env, [queries[qid] for qid in ids])
    scores, recalls = [], []
    for qid, matches in zip(ids, answers):
        ranked = [m["url"].rstrip("/").rsplit("/", 1)[-1] for m in matches if m.get("url")]
        scores.append(average_precision(ranked, relevant[qid]))
        recalls.append(len(set(ranked[:K]) & relevant[qid]) / len(relevant[qid]))
    steady = latencies[1:] or latencies
    print(f"{split}: {len(ids)} queries  MAP@{K} {statistics.mean(scores):.4f}  Recall@{K} {statistics.mean(recalls):.4f}")
    print(f"  match latency per query: median {statistics.median(steady):.1f} ms, p95 {percentile(steady, 0.95):.1f} ms"
          f" (first query, which loads the index: {latencies[0]:.0f} ms); {total:.1f} s in all")


def main() -> None:
    """Import the verified claims into a temporary instance and evaluate the chosen splits."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", action="append", choices=list(SPLITS), help="Query set(s); default dev-test.")
    parser.add_argument("--claimdesk", metavar="COMMAND", help="The claimdesk command to run (default: the one "
                        "installed beside this Python).")
    args = parser.parse_args()
    if args.claimdesk:
        COMMAND[:] = args.claimdesk.split()
    if not DATA.exists():
        sys.exit(f"data not found: {DATA} (the shared data folder sits beside the repository)")
    with tempfile.TemporaryDirectory(prefix="claimdesk-prior-") as folder:
        env = {**os.environ, "CLAIMDESK_INSTANCE": folder, "CLAIMDESK_DB": os.path.join(folder, "claimdesk.db"),
               "CLAIMDESK_INDEX": os.path.join(folder, "index")}
        import_reviews(env, Path(folder))
        for split in args.split or ["dev-test"]:
            evaluate(env, split)


if __name__ == "__main__":
    main()
