"""Measure the app's CPU a "checked before?" lookup costs on PostgreSQL search, against Whoosh's in the same run.

    .venv/bin/python bench/pg_lookup.py                 # all 14,231 CheckThat! fact-checks, 400 lookups
    .venv/bin/python bench/pg_lookup.py --verified 3000 --queries 200   # a quicker run

The verified claims of CheckThat! 2022 task 2A become the records the desk indexes for imported fact-checks
(``review.indexing.prior_review_record``), written to a Whoosh index and to two PostgreSQL search databases
of a throwaway cluster (``tests/pg_cluster.py``; ``--server postgresql://user@host:port`` to use one of
yours that may create databases). The second database has its stored re-ranking features removed, as a
table written before they were kept: its lookups compute them from the candidates' texts, the previous
code's work, so it stands for the before-state in this run. Each train + dev tweet is looked up in turn on
the three (interleaved, so load changes hit them alike) with the shipped re-ranker
(``review.matching.rank_matches``, five answers). Printed: the app's CPU per lookup (process time: what
the load of a shared machine inflates least), wall time, the PostgreSQL server's CPU per lookup (its
backend's, read from /proc), medians and p95, ratios to Whoosh and to the before-state, whether the two
PostgreSQL states answer alike, and the load average.
"""

import argparse
import csv
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

from review import matching  # noqa: E402
from review.dates import normalize_date  # noqa: E402
from review.indexing import prior_review_record  # noqa: E402
from review.storage import open_store  # noqa: E402
from search_index import open_index  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "prior-claims"
URL = "https://www.snopes.com/fact-check/{}/"
TICKS = os.sysconf("SC_CLK_TCK")


def records(limit: int) -> list:
    """Return the first ``limit`` verified claims as the index records of imported fact-checks."""
    found = []
    with (DATA / "vclaims.jsonl").open(encoding="utf-8") as lines:
        for number, line in enumerate((line for line in lines if line.strip()), 1):
            if number > limit:
                break
            vclaim = json.loads(line)
            published = normalize_date(vclaim["date"])  # as the ClaimReview import reads it
            found.append(prior_review_record({
                "id": number, "claim_reviewed": vclaim["vclaim"], "headline": vclaim["title"],
                "review_body": vclaim["subtitle"], "publisher": "Snopes", "language": "en",
                "date_published": published, "url": URL.format(vclaim["vclaim_id"].removeprefix("vclaim-sno-")),
                "rating_label": "", "rating_key": ""}))
    return found


def queries(limit: int) -> list[str]:
    """Return the first ``limit`` train + dev tweets."""
    with (DATA / "CT2022-Task2A-EN-Train-Dev_Queries.tsv").open(encoding="utf-8", newline="") as lines:
        texts = [row[1] for row in csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
                 if len(row) >= 2 and row[0] != "iclaim_id"]
    return texts[:limit]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def backend_cpu(store) -> callable:
    """Return a function giving the CPU seconds the store's PostgreSQL backend has used (0 when unreadable)."""
    pid = store.scalar("SELECT pg_backend_pid()")

    def used() -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / TICKS

    return used


def build(args, server: str) -> None:
    from tests.pg_cluster import Databases

    databases = Databases(server)
    made = [databases.create(), databases.create()]
    stores = [open_store(url) for url in made]
    folder = tempfile.mkdtemp(prefix="claimdesk-pg-lookup-")
    whoosh = open_index(os.path.join(folder, "index"))
    try:
        corpus = records(args.verified)
        started = time.process_time()
        whoosh.rebuild(corpus)
        whoosh_build = time.process_time() - started
        engines = {"whoosh": whoosh}
        builds = []
        for name, store in zip(("postgres", "before"), stores):
            engines[name] = open_index("", engine="postgres", store=store)
            started = time.process_time()
            engines[name].rebuild(corpus)
            builds.append(time.process_time() - started)
        stores[1].execute("UPDATE search_records SET features = NULL")  # the before-state: computed per lookup
        for store in stores:
            store.execute("VACUUM ANALYZE search_records")
        print(f"{len(corpus):,} fact-checks; app CPU to index them: Whoosh {whoosh_build:.1f} s, PostgreSQL "
              f"search with the features {builds[0]:.1f} s (its copy {builds[1]:.1f} s)")
        measure(args, engines, {"postgres": backend_cpu(stores[0]), "before": backend_cpu(stores[1])})
    finally:
        whoosh.close()
        for store, url in zip(stores, made):
            store.close()
            databases.drop(url)
        databases.close()


def measure(args, engines: dict, server_cpu: dict) -> None:
    texts = queries(args.queries)
    for engine in engines.values():  # warm: Whoosh loads its claim tables, PostgreSQL its caches
        matching.rank_matches(engine, texts[0])
    cpu = {name: [] for name in engines}
    wall = {name: [] for name in engines}
    server = {name: [] for name in server_cpu}
    answers = {name: [] for name in engines}
    for text in texts:
        for name, engine in engines.items():
            before_server = server_cpu[name]() if name in server_cpu else 0.0
            started_cpu, started = time.process_time(), time.perf_counter()
            found = matching.rank_matches(engine, text)
            cpu[name].append(1000 * (time.process_time() - started_cpu))
            wall[name].append(1000 * (time.perf_counter() - started))
            if name in server_cpu:
                server[name].append(1000 * (server_cpu[name]() - before_server))
            answers[name].append([(m.prior_review_id, m.score) for m in found])
    labels = {"whoosh": "Whoosh", "postgres": "PostgreSQL, stored features",
              "before": "PostgreSQL, computed per lookup (before)"}
    print(f"{len(texts)} lookups each (rank_matches, 5 answers), interleaved; ms a lookup, median / p95:")
    for name in engines:
        line = (f"  {labels[name]:<42} app CPU {statistics.median(cpu[name]):6.2f} / {percentile(cpu[name], 0.95):6.2f}"
                f"   wall {statistics.median(wall[name]):6.2f} / {percentile(wall[name], 0.95):6.2f}")
        if name in server:
            line += (f"   server CPU {statistics.mean(server[name]):6.2f} mean "
                     f"(clock ticks of {1000 / TICKS:.0f} ms)")
        print(line)
    median = {name: statistics.median(values) for name, values in cpu.items()}
    p95 = {name: percentile(values, 0.95) for name, values in cpu.items()}
    print(f"ratios of app CPU: PostgreSQL / Whoosh {median['postgres'] / median['whoosh']:.2f}x median, "
          f"{p95['postgres'] / p95['whoosh']:.2f}x p95; PostgreSQL / before {median['postgres'] / median['before']:.2f}x "
          f"median, {p95['postgres'] / p95['before']:.2f}x p95; before / Whoosh {median['before'] / median['whoosh']:.2f}x")
    alike = sum(ids(a) == ids(b) and all(abs(x - y) < 1e-9 for (_, x), (_, y) in zip(a, b))
                for a, b in zip(answers["postgres"], answers["before"]))
    agree = sum(ids(a) == ids(b) for a, b in zip(answers["postgres"], answers["whoosh"]))
    print(f"answers: stored features and before alike (ids, scores) in {alike} of {len(texts)}; "
          f"PostgreSQL and Whoosh give the same five in {agree} of {len(texts)}")


def ids(found: list[tuple]) -> list:
    return [i for i, _ in found]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verified", type=int, default=20000, help="how many fact-checks to index (default: all)")
    parser.add_argument("--queries", type=int, default=400, help="how many tweets to look up")
    parser.add_argument("--server", help="a PostgreSQL server that may create databases (default: a throwaway cluster)")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"data not found: {DATA} (the shared data folder sits beside the repository)")
    began = time.perf_counter()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    cluster = None
    try:
        if not args.server:
            from tests.pg_cluster import Cluster

            cluster = Cluster()
        build(args, args.server or cluster.url)
    finally:
        if cluster is not None:
            cluster.stop()
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"run took {time.perf_counter() - began:.0f} s: .venv/bin/python bench/pg_lookup.py "
          + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
