"""Benchmark the search index: build time, size and query latency on Reuters-21578 and a 10x enlargement.

Usage (from the repository root):
    .venv/bin/python bench/search.py            # 21,578 Reuters stories, then 215,780 documents
    .venv/bin/python bench/search.py --quick    # 2,000 stories and a 10x enlargement, for a sanity check
    .venv/bin/python bench/search.py --only large --keep /tmp/bench-index   # reuse an index built before

The index is built directly from records (``index.rebuild``), not through
``review.ingest.store.add_document``, whose claim extraction would dominate the
time. Every query runs through ``search()`` exactly as the search page calls it
(20 hits a page, with highlighted snippets).
"""

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Replace this script's folder on the path: bench/queue.py would shadow the standard library's queue.
sys.path[0] = str(ROOT)

from search_index import open_index  # noqa: E402
from search_index.base import Record  # noqa: E402

CORPUS = ROOT.parent / "shared" / "data" / "news" / "reuters21578.jsonl"
QUERIES = Path(__file__).with_name("queries.txt")
OUTLETS = ["Reuters", "AP", "AFP", "Bloomberg", "Dow Jones"]
ENLARGE = 10
RUNS = 3


def load_stories(limit: int | None) -> list[dict]:
    """Return the Reuters stories (1,799 of them are a headline without a body)."""
    if not CORPUS.exists():
        sys.exit(f"corpus not found: {CORPUS} (the shared data folder sits beside the repository)")
    stories = []
    with CORPUS.open(encoding="utf-8") as lines:
        for line in lines:
            story = json.loads(line)
            story["body"] = story.get("body") or ""
            stories.append(story)
            if limit and len(stories) >= limit:
                break
    return stories


def base_records(stories: list[dict]) -> list[Record]:
    """Return one record per story, as ingest would store it."""
    return [Record(kind="document", id=n, title=s.get("title") or "", body=s["body"], source="Reuters",
                   url=f"https://reuters.example/{s['newid']}", published=s.get("date_iso"), language="en")
            for n, s in enumerate(stories, 1)]


def enlarged_records(stories: list[dict], factor: int, seed: int = 1987):
    """Yield the stories ``factor`` times: the originals, then copies with mixed paragraphs, outlets and dates.

    Copy k of a story keeps its title, shuffles its paragraphs with one paragraph
    of another story, names another outlet and is dated on a random day of
    1987 + k, so date filters over 1987-1996 select real slices.
    """
    rng = random.Random(seed)
    yield from base_records(stories)
    number = len(stories)
    for copy in range(1, factor):
        for story in stories:
            number += 1
            paragraphs = [p for p in story["body"].split("\n    ") if p.strip()]
            other = rng.choice(stories)["body"].split("\n    ")
            paragraphs.append(rng.choice(other))
            rng.shuffle(paragraphs)
            day = date(1987 + copy, 1, 1) + timedelta(days=rng.randrange(365))
            yield Record(kind="document", id=number, title=story.get("title") or "", body="\n    ".join(paragraphs),
                         source=OUTLETS[(number + copy) % len(OUTLETS)], url=f"https://news.example/{number}",
                         published=day.isoformat(), language="en")


def read_queries() -> list[tuple[str, str, dict]]:
    """Return (class, query, filters) for each line of queries.txt."""
    queries = []
    for line in QUERIES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, text, *rest = line.split("\t")
        filters = dict(pair.split("=", 1) for pair in (rest[0].split() if rest else []))
        queries.append((kind, text, filters))
    return queries


def folder_size(path: str) -> int:
    """Return the bytes under ``path``."""
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files)


def percentile(values: list[float], share: float) -> float:
    """Return the value at ``share`` of the sorted values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def build(path: str, records, procs: int) -> tuple[int, float]:
    """Rebuild the index at ``path`` from ``records``; return (count, seconds)."""
    started = time.perf_counter()
    index = open_index(path)
    count = index.rebuild(records, procs=procs)
    index.close()
    return count, time.perf_counter() - started


def time_queries(path: str, queries) -> dict[str, list[float]]:
    """Run every query once to warm up, then RUNS times; return milliseconds per class."""
    index = open_index(path)
    started = time.perf_counter()
    index.search("warm up", filters={"date_from": "1987-01-01"})
    print(f"  first search (opens the index, reads the date column): {1000 * (time.perf_counter() - started):.0f} ms")
    timings: dict[str, list[float]] = defaultdict(list)
    slowest = []
    for kind, text, filters in queries:
        results = index.search(text, kind="document", filters=filters, page_size=20)
        assert all(str(hit.snippet) for hit in results.hits), text
        for _ in range(RUNS):
            started = time.perf_counter()
            index.search(text, kind="document", filters=filters, page_size=20)
            elapsed = 1000 * (time.perf_counter() - started)
            timings[kind].append(elapsed)
            timings["all"].append(elapsed)
        slowest.append((max(timings[kind][-RUNS:]), text, filters, results.total))
    index.close()
    print("  slowest: " + "; ".join(f"{q!r} {f or ''} {ms:.0f} ms ({n} hits)"
                                     for ms, q, f, n in sorted(slowest, reverse=True)[:3]))
    return timings


def report(label: str, count: int, seconds: float, size: int, timings: dict[str, list[float]]) -> None:
    """Print build figures and latency per query class."""
    print(f"{label}: {count:,} documents, built in {seconds:.1f} s, index {size / 1e6:.1f} MB")
    for kind in ("words", "phrase", "filter", "prefix", "boolean", "all"):
        values = timings.get(kind)
        if values:
            print(f"  {kind:<8} n={len(values):<4} p50 {statistics.median(values):6.1f} ms   "
                  f"p95 {percentile(values, 0.95):6.1f} ms   max {max(values):6.1f} ms")


def run(label: str, path: str, records, procs: int, reuse: bool, queries) -> None:
    """Build (or reuse) one index and time the queries on it."""
    if reuse and open_index(path).exists():
        count, seconds = open_index(path).stats()["documents"], float("nan")
    else:
        count, seconds = build(path, records, procs)
    report(label, count, seconds, folder_size(path), time_queries(path, queries))


def main() -> None:
    """Run the benchmark at the sizes asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="Use 2,000 stories (and 20,000 enlarged).")
    parser.add_argument("--only", choices=["base", "large"], help="Run one of the two sizes.")
    parser.add_argument("--keep", metavar="DIR", help="Build into DIR and keep it; reuse an index already there.")
    parser.add_argument("--procs", type=int, default=2, help="Writer processes for the large build.")
    args = parser.parse_args()
    stories = load_stories(2000 if args.quick else None)
    queries = read_queries()
    workdir = args.keep or tempfile.mkdtemp(prefix="claimdesk-bench-")
    try:
        if args.only in (None, "base"):
            run("base", os.path.join(workdir, "base"), base_records(stories), 1, bool(args.keep), queries)
        if args.only in (None, "large"):
            run(f"{ENLARGE}x", os.path.join(workdir, "large"), enlarged_records(stories, ENLARGE), args.procs,
                bool(args.keep), queries)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
