"""Benchmark ingest on the Reuters-21578 stories: parse+store, extraction and indexing, timed separately.

Usage: python bench/ingest.py [--limit N] [--chunk-size N] [--profile] [FILE]

Ingests into a fresh temporary instance through ``review.ingest.store.ingest_paths`` (the
code path of ``claimdesk ingest``), then drains the index outbox. Time inside
``extract_claims_many`` is measured by wrapping it, so extraction is reported apart from
parsing and storing; the sentence count comes from an untimed pass afterwards. CPU time is the
process's plus its index-building children's; SQL calls are counted per phase at the store.
Issue 14's target: the whole Reuters ingest (store, extract, index) in at most 60 CPU-seconds,
with the default models (CLAIMDESK_SEMANTIC=off; the bench says which models ran).
"""

import argparse
import cProfile
import collections
import functools
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Replace this script's folder on the path: bench/queue.py would shadow the standard library's queue.
sys.path[0] = str(ROOT)

import migrations  # noqa: E402
from review.ingest import records as ingest_records, store  # noqa: E402
from review.storage import open_store  # noqa: E402
from review.extraction.sentences import segment  # noqa: E402
from review.indexing import drain  # noqa: E402
from review.scorers import active  # noqa: E402

REUTERS = ROOT.parent / "shared" / "data" / "news" / "reuters21578.jsonl"
TARGET_CPU = 60.0  # issue 14: Reuters ingest (store, extract, index) in at most 60 CPU-seconds
SQL_METHODS = ("query", "one", "scalar", "execute", "insert", "executemany", "index_texts")


def cpu_seconds() -> float:
    """Return the CPU time of this process and of its finished children (the index's worker processes)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


class Stopwatch:
    """Accumulate the wall and CPU time spent inside a wrapped function."""

    def __init__(self):
        self.seconds = 0.0
        self.cpu = 0.0
        self.calls = 0

    def wrap(self, function, count=None):
        """Return ``function`` timed; ``count(first argument)`` says how many items a call handles (default 1)."""
        @functools.wraps(function)
        def timed(*args, **kwargs):
            started, cpu = time.perf_counter(), cpu_seconds()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started
                self.cpu += cpu_seconds() - cpu
                self.calls += count(args[0]) if count else 1

        return timed


class CountingStore:
    """A store that counts the SQL calls made through it (an executemany is one call), by method, and their CPU.

    CPU is kept by statement ("INSERT INTO claims", "SELECT id, content_hash"): an insert's includes its
    triggers and index updates. ``index_texts`` (a batch's claims added to the full-text index at once)
    counts as one statement, named by its table.
    """

    def __init__(self, store):
        self._store = store
        self.calls: collections.Counter = collections.Counter()
        self.cpu: collections.Counter = collections.Counter()

    def __getattr__(self, name):
        found = getattr(self._store, name)
        if name not in SQL_METHODS:
            return found

        def counted(sql, *args, **kwargs):
            self.calls[name] += 1
            started = time.process_time()
            try:
                return found(sql, *args, **kwargs)
            finally:
                statement = f"{name} {sql}" if name == "index_texts" else " ".join(sql.split()[:3]).rstrip(" (,")
                self.cpu[statement] += time.process_time() - started

        return counted

    def total(self) -> int:
        return sum(self.calls.values())

    def take_cpu(self) -> collections.Counter:
        """Return the CPU by statement since the last call, and start counting afresh."""
        taken, self.cpu = self.cpu, collections.Counter()
        return taken


def sql_line(cpu: collections.Counter, top: int = 3) -> str:
    """Say how much CPU the SQL took, naming the costliest statements."""
    named = ", ".join(f"{statement} {seconds:.1f}" for statement, seconds in cpu.most_common(top))
    return f"SQL {sum(cpu.values()):.1f} ({named})"


def limited_copy(path: Path, limit: int, folder: str) -> Path:
    """Write the first ``limit`` lines of a JSONL file to a temporary file with the same name."""
    target = Path(folder) / path.name
    with path.open("rb") as source, target.open("wb") as out:
        for number, line in enumerate(source):
            if number >= limit:
                break
            out.write(line)
    return target


def count_sentences(db) -> int:
    return sum(len(segment(row["body"])) for row in db.query("SELECT body FROM documents"))


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s" if seconds > 0 else "-"


def run(path: Path, *, limit: int, profile: bool, chunk_size: int) -> None:
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="claimdesk-bench-") as folder:
        if limit:
            path = limited_copy(path, limit, folder)
        db = open_store(Path(folder) / "claimdesk.db")
        migrations.apply(db)
        db = CountingStore(db)
        extract = Stopwatch()
        store.extract_claims_many = extract.wrap(store.extract_claims_many)  # every path extracts in batches
        language = Stopwatch()  # records.prepare_record(s) detect the language of a record that names none
        ingest_records.detect_language = language.wrap(ingest_records.detect_language)
        ingest_records.detect_languages = language.wrap(ingest_records.detect_languages, count=len)  # a chunk at once
        profiler = cProfile.Profile(time.process_time) if profile else None  # CPU, not wall: the cores are shared

        started, cpu_started, system_started = time.perf_counter(), cpu_seconds(), os.times().system
        if profiler:
            profiler.enable()
        summary = store.ingest_paths(db, [str(path)], chunk_size=chunk_size)
        if profiler:
            profiler.disable()
        ingested, cpu_ingested, system_ingested = time.perf_counter(), cpu_seconds(), os.times().system
        ingest_calls = db.total()
        ingest_sql = db.take_cpu()
        indexed = drain(db, str(Path(folder) / "index"), wait=30, procs=os.cpu_count() or 1)
        finished, cpu_finished = time.perf_counter(), cpu_seconds()
        index_calls = db.total() - ingest_calls
        index_sql = db.take_cpu()

        records = summary.added + summary.duplicates + summary.skipped + summary.failed
        sentences = count_sentences(db)
        print(f"file: {path.name}  ({records:,} records, {summary.added:,} articles stored, {sentences:,} sentences)")
        print(f"added {summary.added:,}, skipped {summary.skipped:,} (empty), duplicates {summary.duplicates:,}, "
              f"failed {summary.failed:,}; {summary.count('claims'):,} claims extracted")
        print(f"models: {active().checkworthiness}")
        print(f"load average: {load:.1f} before the run, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores "
              "(wall times include waiting for other processes)")
        print(f"{'phase':<26}{'wall s':>8}{'cpu s':>8}{'articles':>13}{'sentences':>14}")
        for name, seconds, cpu, count in [
            ("ingest (parse + store)", ingested - started - extract.seconds, cpu_ingested - cpu_started - extract.cpu,
             records),
            ("extraction", extract.seconds, extract.cpu, records - summary.skipped),
            ("indexing (drain)", finished - ingested, cpu_finished - cpu_ingested, indexed),
        ]:
            print(f"{name:<26}{seconds:8.1f}{cpu:8.1f}{rate(count, seconds):>13}{rate(sentences, seconds):>14}")
        total_cpu = cpu_finished - cpu_started
        print(f"{'total':<26}{finished - started:8.1f}{total_cpu:8.1f}{rate(records, finished - started):>13}")
        parse_store = cpu_ingested - cpu_started - extract.cpu
        print(f"ingest (parse + store) CPU-s: language detection {language.cpu:.1f} ({language.calls:,} texts), "
              f"{sql_line(ingest_sql, 5)}, the rest {parse_store - language.cpu - sum(ingest_sql.values()):.1f}; "
              f"kernel time of parse, store and extraction {system_ingested - system_started:.1f} (mostly pages SQLite writes)")
        workers = os.times().children_user + os.times().children_system  # only the drain starts processes
        print(f"indexing CPU-s: {sql_line(index_sql, 2)}, index workers {workers:.1f}, "
              f"the rest {cpu_finished - cpu_ingested - sum(index_sql.values()) - workers:.1f}")
        print(f"SQL calls: ingest {ingest_calls:,} ({ingest_calls / max(1, records):.1f} a record), "
              f"indexing {index_calls:,}; " + ", ".join(f"{k} {v:,}" for k, v in sorted(db.calls.items())))
        if path.name == REUTERS.name and not limit:
            verdict = "met" if total_cpu <= TARGET_CPU else "MISSED"
            print(f"target: Reuters ingest <= {TARGET_CPU:.0f} CPU-s: {total_cpu:.1f} CPU-s, {verdict}; "
                  f"indexing {100 * (cpu_finished - cpu_ingested) / total_cpu:.0f}% of it")
        for failure in summary.problems[:10]:
            print(f"failure: {failure}")
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
            print(out.getvalue())
        db.close()
    command = " ".join(["CLAIMDESK_SEMANTIC=off" if not active().semantic else "", ".venv/bin/python bench/ingest.py",
                        *sys.argv[1:]]).strip()
    print(f"rerun at idle (about {finished - started:.0f} s here): {command}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=REUTERS, help="a JSONL file (default: Reuters-21578)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N records")
    parser.add_argument("--chunk-size", type=int, default=store.CHUNK_SIZE,
                        help=f"documents per commit (default {store.CHUNK_SIZE}; 1 commits each document)")
    parser.add_argument("--profile", action="store_true", help="print where ingest time goes (cProfile)")
    args = parser.parse_args()
    if not args.file.exists():
        sys.exit(f"{args.file} not found (the shared data folder sits next to the repository)")
    run(args.file, limit=args.limit, profile=args.profile, chunk_size=args.chunk_size)
