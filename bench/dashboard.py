"""Dashboard speed at 100,000 claims and 10,000 published verdicts, through the Flask test client.

Seeds a desk spread over a year (claims created at random moments, a tenth of them published with
a verdict, others dismissed, in progress or assigned to one of 12 checkers) through plain INSERTs,
so the migration's triggers keep the summary rows as the app would. Prints one line per page:
`NAME: median X ms, p95 Y ms` (wall clock), the same for the CPU time the request took in this
process (what a shared, loaded machine does not inflate), and each page's median as a ratio to
the queue's New tab measured in the same run (the baseline). Target: every p95 under 100 ms.
Run: .venv/bin/python bench/dashboard.py [--claims N] [--verdicts N] [--repeat R] [--folder DIR]
(--folder keeps the seeded instance there and reuses it on the next run.)
"""

import sys
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])  # run from anywhere, import the checkout

import argparse  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import datetime, timedelta, timezone  # noqa: E402

from werkzeug.security import generate_password_hash  # noqa: E402

from app import create_app  # noqa: E402
from review import desk, second_rating  # noqa: E402
from review.dates import now  # noqa: E402
from review.storage import open_store  # noqa: E402

SOURCES = ["Reuters", "BBC", "RT", "SANA", "AP", "Gazette", "Herald", "Tribune", "Courier", "Post"]
RATINGS = ["false", "false", "mostly-false", "half-true", "mostly-true", "true", "misleading", "unproven"]
OPEN = ["new", "new", "new", "queued", "in_progress", "in_review"]
PASSWORD = "benchmark-password"


def seed(db, claims: int, verdicts: int, checkers: list[int]) -> None:
    rng = random.Random(15)
    end = datetime.now(timezone.utc)
    claimants = [f"Claimant {i}" for i in range(2000)]
    weights = [1.0 / (i + 1) for i in range(len(claimants))]
    stamp = now()
    with db.transaction():
        db.executemany("INSERT INTO documents (title, source, body, content_hash, ingested_at) VALUES (?, ?, ?, ?, ?)",
                       [(f"Doc {i}", SOURCES[i % len(SOURCES)], "body", f"h{i}", stamp) for i in range(2000)])
        published = set(rng.sample(range(claims), verdicts))
        rows, verdict_rows = [], []
        for i in range(claims):
            created = end - timedelta(seconds=rng.randint(0, 365 * 86400))
            if i in published:
                status = "published"
            else:
                status = rng.choice(OPEN + ["dismissed", "merged"])
            assignee = rng.choice(checkers) if status in ("queued", "in_progress", "in_review") or \
                (status == "published" and rng.random() < .5) else None
            updated = min(end, created + timedelta(hours=rng.randint(1, 24 * 20)))
            rows.append((rng.randint(1, 2000), f"claim {i}", f"claim {i}", rng.choices(claimants, weights)[0],
                         status, assignee, created.date().isoformat(), created.isoformat(timespec="seconds"),
                         updated.isoformat(timespec="seconds")))
            if i in published:
                submitted = created + (updated - created) * 0.7
                verdict_rows.append((i + 1, rng.choice(RATINGS), submitted.isoformat(timespec="seconds"),
                                     updated.isoformat(timespec="seconds"), updated.isoformat(timespec="seconds"),
                                     (end + timedelta(days=rng.randint(-30, 200))).date().isoformat()
                                     if rng.random() < .1 else None, stamp, stamp))
        db.executemany("INSERT INTO claims (document_id, text, normalized_text, claimant, status, assignee_id,"
                       " source_date, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.executemany("INSERT INTO verdicts (claim_id, revision, rating_key, claim_reviewed, status, submitted_at,"
                       " approved_at, published_at, recheck_by, created_at, updated_at)"
                       " VALUES (?, 1, ?, 'x', 'published', ?, ?, ?, ?, ?, ?)", verdict_rows)
        # Blind second ratings on a tenth of the published claims, most agreeing (the agreement chart's pairs).
        pairs = []
        for claim_id, rating, submitted, *_ in verdict_rows[::10]:
            second = rating if rng.random() < .7 else rng.choice(RATINGS)
            pairs.append((claim_id, checkers[0], submitted, checkers[1], second, "bench", submitted, rating, submitted))
        db.executemany("INSERT INTO second_ratings (claim_id, requested_by, requested_at, rater_id, rating_key, reasoning,"
                       " rated_at, first_rating_key, compared_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", pairs)
        db.executemany("UPDATE claims SET second_rating = ? WHERE id = ?",
                       [("agree" if p[4] == p[7] else "disagree", p[0]) for p in pairs])
        second_rating.set_enabled(db, True, actor_id=None)
    db.optimize()


def timed(client, url: str, repeat: int) -> tuple[list[float], list[float]]:
    """Return the wall-clock and CPU milliseconds of each request."""
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return wall, cpu


def p95(times: list[float]) -> float:
    times = sorted(times)
    return times[max(0, int(len(times) * 0.95) - 1)]


def report(name: str, measured: tuple[list[float], list[float]], baseline: float | None = None) -> float:
    wall, cpu = measured
    ratio = f" ({statistics.median(wall) / baseline:.2f}x the queue)" if baseline else ""
    print(f"{name}: median {statistics.median(wall):.1f} ms, p95 {p95(wall):.1f} ms; CPU median "
          f"{statistics.median(cpu):.1f} ms, p95 {p95(cpu):.1f} ms{ratio}")
    return p95(wall)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--verdicts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--folder", help="instance folder to keep (and reuse when already seeded)")
    args = parser.parse_args()
    folder = Path(args.folder or tempfile.mkdtemp(prefix="claimdesk-dashboard-bench-"))
    app = create_app({"INSTANCE": str(folder), "WTF_CSRF_ENABLED": False, "SECRET_KEY": "bench"})
    db = open_store(app.config["DB"])
    if db.scalar("SELECT count(*) FROM users") == 0:
        stamp, hashed = now(), generate_password_hash(PASSWORD)
        people = {}
        for name, role in [("editor", "editor")] + [(f"checker{i}", "checker") for i in range(12)]:
            people[name] = db.insert("INSERT INTO users (username, role, password_hash, created_at, updated_at)"
                                     " VALUES (?, ?, ?, ?, ?)", [name, role, hashed, stamp, stamp])
        desk.set_time_zone(db, "America/New_York", actor_id=None)
        started = time.perf_counter()
        seed(db, args.claims, args.verdicts, [v for k, v in people.items() if k != "editor"])
        print(f"seeded {args.claims:,} claims and {args.verdicts:,} published verdicts in "
              f"{time.perf_counter() - started:.1f} s (desk time zone America/New_York)")
    args.claims = db.scalar("SELECT count(*) FROM claims")
    args.verdicts = db.scalar("SELECT count(*) FROM verdicts")
    editor, checker = app.test_client(), app.test_client()
    editor.post("/login", data={"username": "editor", "password": PASSWORD})
    checker.post("/login", data={"username": "checker3", "password": PASSWORD})
    timed(editor, "/dashboard?days=90", 3)  # warm the page cache and the templates
    queue_times = timed(editor, "/?tab=new", args.repeat)
    report("baseline: queue, New tab", queue_times)
    base = statistics.median(queue_times[0])
    worst = max(
        report("dashboard, editor, 30 days", timed(editor, "/dashboard?days=30", args.repeat), base),
        report("dashboard, editor, 90 days", timed(editor, "/dashboard?days=90", args.repeat), base),
        report("dashboard, checker", timed(checker, "/dashboard", args.repeat), base),
        report("flow chart CSV, 90 days", timed(editor, "/dashboard/flow.csv?days=90", args.repeat), base),
        report("rater agreement CSV, 90 days", timed(editor, "/dashboard/agreement.csv", args.repeat), base),
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    pairs = db.scalar("SELECT count(*) FROM second_ratings")
    print(f"corpus: {args.claims:,} claims, {args.verdicts:,} verdicts, {pairs:,} second-rating pairs; worst p95 {worst:.1f} ms (target < 100 ms);"
          f" load average {load:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
