"""Benchmark the search index against plain Whoosh and SQLite FTS5, built on the same records in the same run.

Usage (from the repository root):
    .venv/bin/python bench/search.py              # 21,578 Reuters stories (1x), then 215,780 documents (10x)
    .venv/bin/python bench/search.py --only base  # 1x only
    .venv/bin/python bench/search.py --quick      # 2,000 stories and 20,000 enlarged, for a sanity check
    .venv/bin/python bench/search.py --postgres postgresql://.../empty_db   # also PostgreSQL search
    .venv/bin/python bench/search.py --only base --only-build   # the 1x builds alone (Claimdesk, plain Whoosh)

At each size, three indexes are built from the same records: Claimdesk's
(``index.rebuild``, as ``claimdesk reindex`` does), plain Whoosh (title and body,
stemming, stored text: ``search_index.plain``) and SQLite FTS5 (title and body,
porter, bm25, with a table of sources and days for the filters). Build CPU
counts this process and the writer processes it forks. Every query of
bench/queries.txt runs through ``search()`` exactly as the search page calls it
(20 hits with highlighted snippets and the total); FTS5 does the same work (a
page of 20 by bm25 with ``snippet()``, and ``count(*)``), with the query's
filters as SQL conditions; plain Whoosh runs the words alone (stock parser and
highlighter). Every figure is printed with its ratio to plain Whoosh and to
FTS5, and, after both sizes, how each cost grew from 1x to 10x.

Query times are CPU time of this process (``time.process_time``: the machine
may be shared), with the wall-clock p95 printed beside them. "Checked before?"
is timed once, before the 1x size: the 14,231 CheckThat! fact-checks
(shared/data/prior-claims) become verdict records as an import makes them
(``review.indexing.prior_review_record``) in an index of their own, and
``review.matching.rank_matches`` (what ``claimdesk match`` calls) answers the
1,196 train + dev claims.

Targets (issue 14), each printed as a PASS or MISS line: build CPU <= 1.2x
plain Whoosh; query p95 <= 2.5x FTS5 at 1x and below FTS5's at 10x; match <=
10 ms CPU a query (the mean). A full run (both sizes) takes about 25 minutes of
CPU on two cores.
"""

import argparse
import csv
import json
import os
import random
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Replace this script's folder on the path: bench/queue.py would shadow the standard library's queue.
sys.path[0] = str(ROOT)

from search_index import open_index  # noqa: E402
from search_index.base import Record  # noqa: E402
from search_index.plain import PlainWhoosh  # noqa: E402
from search_index.query_text import read_query  # noqa: E402

CORPUS = ROOT.parent / "shared" / "data" / "news" / "reuters21578.jsonl"
PRIOR = ROOT.parent / "shared" / "data" / "prior-claims"
PRIOR_QUERIES = "CT2022-Task2A-EN-Train-Dev_Queries.tsv"
MATCH_MS = 10.0
QUERIES = Path(__file__).with_name("queries.txt")
OUTLETS = ["Reuters", "AP", "AFP", "Bloomberg", "Dow Jones"]
ENLARGE = 10
RUNS = 3
CLASSES = ("words", "phrase", "filter", "prefix", "boolean", "all")
SOURCE_TERM = re.compile(r"(?<![\w:])source:(\"[^\"]*\"|\S+)", re.IGNORECASE)


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


def enlarged_records(stories: list[dict], factor: int, seed: int = 1987) -> list[Record]:
    """Return the stories ``factor`` times: the originals, then copies with mixed paragraphs, outlets and dates.

    Copy k of a story keeps its title, shuffles its paragraphs with one paragraph
    of another story, names another outlet and is dated on a random day of
    1987 + k, so date filters over 1987-1996 select real slices.
    """
    rng = random.Random(seed)
    records = base_records(stories)
    number = len(stories)
    for copy in range(1, factor):
        for story in stories:
            number += 1
            paragraphs = [p for p in story["body"].split("\n    ") if p.strip()]
            other = rng.choice(stories)["body"].split("\n    ")
            paragraphs.append(rng.choice(other))
            rng.shuffle(paragraphs)
            day = date(1987 + copy, 1, 1) + timedelta(days=rng.randrange(365))
            records.append(Record(kind="document", id=number, title=story.get("title") or "",
                                  body="\n    ".join(paragraphs), source=OUTLETS[(number + copy) % len(OUTLETS)],
                                  url=f"https://news.example/{number}", published=day.isoformat(), language="en"))
    return records


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


def cpu_seconds() -> float:
    """Return the CPU time of this process and of its finished children (the writer processes)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def size_of(path: str) -> int:
    """Return the bytes of a file, or of everything under a folder."""
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files)


def percentile(values: list[float], share: float) -> float:
    """Return the value at ``share`` of the sorted values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


# -- the three engines -----------------------------------------------------------------------------
class Claimdesk:
    name = "claimdesk"

    def __init__(self, path: str):
        self.path = path

    def build(self, records: list[Record], procs: int) -> int:
        index = open_index(self.path)
        try:
            return index.rebuild(iter(records), procs=procs)
        finally:
            index.close()

    def open(self) -> None:
        self.index = open_index(self.path)

    def search(self, text: str, filters: dict) -> int:
        results = self.index.search(text, kind="document", filters=filters, page_size=20)
        assert all(str(hit.snippet) for hit in results.hits), text
        return results.total

    def close(self) -> None:
        self.index.close()


class Plain:
    name = "whoosh"

    def __init__(self, path: str):
        self.plain = PlainWhoosh(path)

    def build(self, records: list[Record], procs: int) -> int:
        return self.plain.build(((r.id, r.title, r.body) for r in records), procs=procs)

    def open(self) -> None:
        pass

    def search(self, text: str, filters: dict) -> int:
        words = SOURCE_TERM.sub(" ", read_query(text).text).strip()
        return self.plain.search(words)[0] if words else 0

    def close(self) -> None:
        self.plain.close()


class Fts5:
    name = "fts5"

    def __init__(self, path: str):
        self.path = path

    def build(self, records: list[Record], procs: int) -> int:
        connection = sqlite3.connect(self.path)
        connection.executescript(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
            "CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='porter unicode61 remove_diacritics 2');"
            "CREATE TABLE meta (id INTEGER PRIMARY KEY, source TEXT, day TEXT);"
            "CREATE INDEX meta_day ON meta(day);")
        with connection:
            connection.executemany("INSERT INTO docs (rowid, title, body) VALUES (?, ?, ?)",
                                   ((r.id, r.title, r.body) for r in records))
            connection.executemany("INSERT INTO meta VALUES (?, ?, ?)",
                                   ((r.id, r.source.lower(), (r.published or "")[:10]) for r in records))
        connection.close()
        return len(records)

    def open(self) -> None:
        self.connection = sqlite3.connect(self.path)

    def search(self, text: str, filters: dict) -> int:
        read = read_query(text)
        sources = [s.strip("\"'") for s in SOURCE_TERM.findall(read.text)]
        match = SOURCE_TERM.sub(" ", read.text).replace("AND NOT", "NOT").strip()
        conditions, params = ["docs MATCH ?"], [match]
        start = read.date_from or _day(filters.get("date_from"))
        end = read.date_to or _day(filters.get("date_to"), end=True)
        sources += [filters["source"]] if filters.get("source") else []
        meta = []
        if start:
            meta.append("day >= ?")
            params.append(start.isoformat())
        if end:
            meta.append("day <= ? AND day != ''")
            params.append(end.isoformat())
        for source in sources:
            meta.append("source = ?")
            params.append(source.lower())
        # The full-text match drives the join (CROSS JOIN keeps that order); the filters check each match.
        source = "docs CROSS JOIN meta ON meta.id = docs.rowid" if meta else "docs"
        where = " AND ".join(conditions + meta)
        rows = self.connection.execute(
            f"SELECT docs.rowid, snippet(docs, 1, '<mark>', '</mark>', '…', 40) FROM {source} WHERE {where}"
            " ORDER BY bm25(docs) LIMIT 20", params).fetchall()
        assert all(row[1] is not None for row in rows), text
        return self.connection.execute(f"SELECT count(*) FROM {source} WHERE {where}", params).fetchone()[0]

    def close(self) -> None:
        self.connection.close()


class Postgres:
    """PostgreSQL search (``CLAIMDESK_SEARCH=postgres``) on an empty database of its own."""

    name = "postgres"
    url: str | None = None  # set by --postgres

    def __init__(self, path: str):
        import migrations
        from review.storage import open_store

        self.path, self.store = path, open_store(self.url)
        migrations.apply(self.store)  # the search table is the database's own
        self.index = open_index(path, engine="postgres", store=self.store)

    def build(self, records: list[Record], procs: int) -> int:
        count = self.index.rebuild(iter(records))
        self.store.optimize()  # ANALYZE, as an operator would after a bulk load
        return count

    def open(self) -> None:
        pass

    search = Claimdesk.search

    def close(self) -> None:
        self.bytes = self.index.stats()["bytes"]
        self.store.close()


def report_postgres(figures: dict) -> None:
    """Print PostgreSQL search's figures beside Claimdesk's Whoosh index and FTS5."""
    ours, whoosh, fts = figures["postgres"], figures["claimdesk"], figures["fts5"]
    print(f"{'postgres':18}{'postgres':>12}{'claimdesk':>12}{'fts5':>12}{'vs claimdesk':>14}{'vs fts5':>10}")
    print(f"{'build wall':18}" + "".join(f"{f['build_wall']:10.1f} s" for f in (ours, whoosh, fts))
          + f"{ratio(ours['build_wall'], whoosh['build_wall']):>14}{ratio(ours['build_wall'], fts['build_wall']):>10}")
    for kind in CLASSES:
        for share, name in ((0.5, "p50"), (0.95, "p95")):
            values = [percentile(f["timings"][kind], share) for f in (ours, whoosh, fts)]
            print(f"{kind + ' ' + name:18}" + "".join(f"{v:10.2f}ms" for v in values)
                  + f"{ratio(values[0], values[1]):>14}{ratio(values[0], values[2]):>10}")
    differing = [q for q in ours["totals"] if ours["totals"][q] != whoosh["totals"][q]]
    print(f"postgres: {ours['size'] / 1e6:.1f} MB with its indexes; totals equal to the Whoosh index's on "
          f"{len(ours['totals']) - len(differing)} of {len(ours['totals'])} queries"
          + (f" (differ: {', '.join(repr(q) for q in differing[:6])})" if differing else ""))


def _day(value, *, end: bool = False):
    from search_index.query_text import parse_day

    return parse_day(value, end=end) if value else None


# -- measuring -------------------------------------------------------------------------------------
def measure(engine, path: str, records: list[Record], procs: int, queries) -> dict:
    """Build one engine's index, time its queries; return the figures."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    engine.build(records, procs)
    figures = {"build_cpu": cpu_seconds() - cpu, "build_wall": time.perf_counter() - wall, "size": size_of(path)}
    engine.open()
    started = time.perf_counter()
    engine.search("warm up", {"date_from": "1987-01-01"})
    figures["first_ms"] = 1000 * (time.perf_counter() - started)
    timings: dict[str, list[float]] = defaultdict(list)
    walls = []
    totals = {}
    for kind, text, filters in queries:
        totals[text] = engine.search(text, filters)
        for _ in range(RUNS):
            started, cpu = time.perf_counter(), time.process_time()
            engine.search(text, filters)
            elapsed = 1000 * (time.process_time() - cpu)
            walls.append(1000 * (time.perf_counter() - started))
            timings[kind].append(elapsed)
            timings["all"].append(elapsed)
    engine.close()
    figures["timings"] = timings
    figures["wall_p95"] = percentile(walls, 0.95)
    figures["totals"] = totals
    return figures


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:5.2f}x" if theirs else "  n/a"


def report(label: str, count: int, figures: dict) -> None:
    """Print each engine's figures and Claimdesk's ratios to plain Whoosh and FTS5."""
    ours, plain, fts = figures["claimdesk"], figures["whoosh"], figures["fts5"]
    print(f"\n== {label}: {count:,} documents ==")
    print(f"{'':18}{'claimdesk':>12}{'whoosh':>12}{'fts5':>12}{'vs whoosh':>11}{'vs fts5':>10}")
    for key, name, scale, unit in (("build_cpu", "build CPU", 1, "s"), ("build_wall", "build wall", 1, "s"),
                                   ("size", "size", 1e-6, "MB"), ("first_ms", "first search", 1, "ms")):
        values = [f[key] * scale for f in (ours, plain, fts)]
        print(f"{name:18}" + "".join(f"{v:10.1f}{unit:>2}" for v in values)
              + f"{ratio(values[0], values[1]):>11}{ratio(values[0], values[2]):>10}")
    for kind in CLASSES:
        for share, name in ((0.5, "p50"), (0.95, "p95")):
            values = [percentile(f["timings"][kind], share) for f in (ours, plain, fts)]
            print(f"{kind + ' ' + name:18}" + "".join(f"{v:10.2f}ms" for v in values)
                  + f"{ratio(values[0], values[1]):>11}{ratio(values[0], values[2]):>10}")
    differing = [q for q in ours["totals"] if ours["totals"][q] != fts["totals"][q]]
    print(f"totals equal to FTS5's on {len(ours['totals']) - len(differing)} of {len(ours['totals'])} queries"
          + (f" (differ: {', '.join(repr(q) for q in differing[:6])})" if differing else ""))
    print(f"query wall p95 (not the target: the machine may be shared){'':2}" + "".join(
        f"{f['wall_p95']:9.2f}ms" for f in (ours, plain, fts)))
    p95 = [percentile(f["timings"]["all"], 0.95) for f in (ours, fts)]
    build = ours["build_cpu"] / plain["build_cpu"]
    query_limit = 2.5 if label == "1x" else 1.0
    verdict(f"{label} build CPU <= 1.20x plain Whoosh", build, build <= 1.2)
    verdict(f"{label} query p95 {'<=' if label == '1x' else '<'} {query_limit:.2f}x FTS5 "
            f"({p95[0]:.2f} ms vs {p95[1]:.2f} ms CPU)", p95[0] / p95[1],
            p95[0] / p95[1] <= query_limit if label == "1x" else p95[0] < p95[1])


def verdict(target: str, value: float, met: bool) -> None:
    """Print one target's line: PASS or MISS with its figure."""
    print(f"TARGET {target}: {value:.2f}x {'PASS' if met else 'MISS'}", flush=True)


def measure_match(workdir: str) -> None:
    """Time "checked before?" (``rank_matches``, limit 5) on CheckThat! claims against its fact-checks."""
    from review import matching
    from review.indexing import prior_review_record

    if not PRIOR.exists():
        print(f"match: skipped, {PRIOR} not found")
        return
    records = []
    with (PRIOR / "vclaims.jsonl").open(encoding="utf-8") as lines:
        for number, line in enumerate(filter(str.strip, lines), 1):
            vclaim = json.loads(line)
            try:
                day = datetime.strptime(vclaim.get("date") or "", "%d %B %Y").date().isoformat()
            except ValueError:
                day = None
            records.append(prior_review_record({
                "id": number, "claim_reviewed": vclaim["vclaim"], "headline": vclaim["title"],
                "review_body": vclaim["subtitle"], "publisher": "Snopes", "date_published": day, "language": "en",
                "url": f"https://www.snopes.com/fact-check/{vclaim['vclaim_id']}/"}))
    with (PRIOR / PRIOR_QUERIES).open(encoding="utf-8", newline="") as lines:
        texts = [row[1] for row in csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
                 if len(row) >= 2 and row[0] != "iclaim_id"]
    index = open_index(os.path.join(workdir, "claims"))
    try:
        index.rebuild(iter(records))
        matching.rank_matches(index, texts[0])  # the first lookup loads the claim tables
        spent = []
        for text in texts[1:]:
            started = time.process_time()
            matching.rank_matches(index, text, limit=5)
            spent.append(1000 * (time.process_time() - started))
    finally:
        index.close()
    mean = sum(spent) / len(spent)
    print(f"\n== match: {len(spent):,} CheckThat! claims against {len(records):,} fact-checks ==")
    print(f"rank_matches CPU a query: mean {mean:.2f} ms, median {percentile(spent, 0.5):.2f} ms, "
          f"p95 {percentile(spent, 0.95):.2f} ms")
    print(f"TARGET match <= {MATCH_MS:.0f} ms CPU a query (mean): {mean:.2f} ms "
          f"{'PASS' if mean <= MATCH_MS else 'MISS'}", flush=True)


def growth(small: dict, large: dict) -> None:
    """Print how each cost grew from the first size to the second."""
    print("\n== growth from 1x to 10x ==")
    for engine in ("claimdesk", "whoosh", "fts5"):
        a, b = small[engine], large[engine]
        p50 = percentile(b["timings"]["all"], 0.5) / percentile(a["timings"]["all"], 0.5)
        p95 = percentile(b["timings"]["all"], 0.95) / percentile(a["timings"]["all"], 0.95)
        print(f"{engine:10} build CPU {b['build_cpu'] / a['build_cpu']:5.1f}x   size {b['size'] / a['size']:5.1f}x"
              f"   query p50 {p50:5.1f}x   p95 {p95:5.1f}x")


def run_builds(label: str, workdir: str, records: list[Record], procs: int) -> None:
    """Build Claimdesk's index and plain Whoosh on the same records; print the build CPU target line."""
    spent = {}
    for engine in (Claimdesk(os.path.join(workdir, "claimdesk")), Plain(os.path.join(workdir, "whoosh"))):
        wall, cpu = time.perf_counter(), cpu_seconds()
        engine.build(records, procs)
        spent[engine.name] = cpu_seconds() - cpu
        print(f"  {label} {engine.name}: built in {spent[engine.name]:.1f} CPU-s "
              f"({time.perf_counter() - wall:.1f} s wall)", flush=True)
    build = spent["claimdesk"] / spent["whoosh"]
    verdict(f"{label} build CPU <= 1.20x plain Whoosh", build, build <= 1.2)


def run(label: str, workdir: str, records: list[Record], procs: int, queries) -> dict:
    """Build and time the three engines on the same records."""
    figures = {}
    for engine in (Claimdesk(os.path.join(workdir, "claimdesk")), Plain(os.path.join(workdir, "whoosh")),
                   Fts5(os.path.join(workdir, "fts5.db"))):
        figures[engine.name] = measure(engine, getattr(engine, "path", None) or engine.plain.path, records, procs,
                                       queries)
        print(f"  {label} {engine.name}: built in {figures[engine.name]['build_cpu']:.1f} CPU-s", flush=True)
    if Postgres.url:
        engine = Postgres(os.path.join(workdir, "postgres"))
        figures["postgres"] = measure(engine, engine.path, records, procs, queries)
        figures["postgres"]["size"] = engine.bytes
        print(f"  {label} postgres: built in {figures['postgres']['build_wall']:.1f} s", flush=True)
    report(label, len(records), figures)
    if Postgres.url:
        report_postgres(figures)
    return figures


def main() -> None:
    """Run the benchmark at the sizes asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="Use 2,000 stories (and 20,000 enlarged).")
    parser.add_argument("--only", choices=["base", "large"], help="Run one of the two sizes.")
    parser.add_argument("--procs", type=int, default=2, help="Writer processes for the 10x builds (all engines).")
    parser.add_argument("--postgres", metavar="URL", help="Also measure PostgreSQL search on this empty database.")
    parser.add_argument("--no-match", action="store_true", help="Do not time \"checked before?\" matching.")
    parser.add_argument("--only-build", action="store_true",
                        help="Only build Claimdesk's index and plain Whoosh (no FTS5, queries or matching).")
    args = parser.parse_args()
    Postgres.url = args.postgres
    stories = load_stories(2000 if args.quick else None)
    queries = read_queries()
    print(f"load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())}; {os.cpu_count()} cores")
    print("rerun: .venv/bin/python bench/search.py " + " ".join(sys.argv[1:]), flush=True)
    run_started = time.perf_counter()
    if not args.no_match and not args.only_build:
        workdir = tempfile.mkdtemp(prefix="claimdesk-bench-match-")
        try:
            measure_match(workdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    found = {}
    for size in ("base", "large"):
        if args.only not in (None, size):
            continue
        workdir = tempfile.mkdtemp(prefix=f"claimdesk-bench-{size}-")
        try:
            records = base_records(stories) if size == "base" else enlarged_records(stories, ENLARGE)
            label, procs = ("1x", 1) if size == "base" else (f"{ENLARGE}x", args.procs)
            if args.only_build:
                run_builds(label, workdir, records, procs)
                continue
            found[size] = run(label, workdir, records, procs, queries)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    if len(found) == 2:
        growth(found["base"], found["large"])
    print(f"load average at end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}; "
          f"the run took {(time.perf_counter() - run_started) / 60:.1f} minutes")


if __name__ == "__main__":
    main()
