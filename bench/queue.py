"""Queue speed at 100,000 claims, through the Flask test client.

Prints one line per case: `NAME: median X ms, p95 Y ms`. Target: every p95 under 50 ms.
Run: .venv/bin/python bench/queue.py [--claims N] [--repeat R]
"""

import sys
from pathlib import Path

# This file is named like the standard library's `queue`: run from the repo root, not from bench/.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse  # noqa: E402
import random
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from werkzeug.security import generate_password_hash  # noqa: E402

from app import create_app  # noqa: E402
from review.dates import now  # noqa: E402
from review.storage import open_store  # noqa: E402
from review.states import CLAIM_TYPES  # noqa: E402

WORDS = ("government forces terrorists ministry unemployment inflation vaccine election budget bridge crime police "
         "refugees exports wheat oil prices hospital schools taxes border troops rebels aid drought floods").split()
SOURCES = ["Reuters", "BBC", "RT", "SANA", "AP", "Gazette", "Herald"]
CLAIMANTS = ["Sergey Lavrov", "Syrian media", "Elena Marsh", "Ministry of Health", "Police", "Media reports"]
TYPES = list(CLAIM_TYPES)
STATES = ["new"] * 6 + ["queued", "in_progress", "in_review", "published", "dismissed"]


def vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    """Return topical words plus pseudo-words, to be drawn with a Zipf-like skew like real text."""
    letters = "abcdefghiklmnoprstuvw"
    made = {"".join(rng.choice(letters) for _ in range(rng.randint(4, 9))) for _ in range(size)}
    return WORDS + sorted(made)


def seed(db, n: int, users: list[int]) -> None:
    rng = random.Random(7)
    words = vocabulary(rng)
    weights = [1.0 / (rank + 1) for rank in range(len(words))]
    stamp = now()
    with db.transaction():
        for i in range(1, 501):
            db.execute("INSERT INTO documents (title, source, body, content_hash, published_at, ingested_at)"
                       " VALUES (?, ?, ?, ?, ?, ?)",
                       [f"Doc {i}", SOURCES[i % len(SOURCES)], "body", f"h{i}", f"2024-{i % 12 + 1:02d}-01", stamp])
        rows = []
        for i in range(n):
            text = " ".join(rng.choices(words, weights, k=14)) + f" {rng.randint(1, 9999)}"
            day = f"20{rng.randint(18, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            score = rng.random()
            rows.append([rng.randint(1, 500), text, text.lower(), rng.choice(CLAIMANTS), "person", rng.choice(TYPES),
                         score, round(score * 100 + rng.random(), 4), rng.choice(STATES),
                         rng.choice(users + [None, None]), day, stamp, stamp])
        db.executemany(
            "INSERT INTO claims (document_id, text, normalized_text, claimant, claimant_kind, claim_type,"
            " checkworthiness, priority, status, assignee_id, source_date, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.executemany("INSERT INTO claim_tags (claim_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING",
                            [(rng.randint(1, n), rng.choice(["elections", "health", "war"])) for _ in range(n // 10)])
    db.optimize()


def timed(client, url: str, repeat: int, headers=None) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url, headers=headers or {})
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def report(name: str, times: list[float]) -> float:
    times = sorted(times)
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(f"{name}: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms")
    return p95


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=100_000, help="Claims to seed (any number from 1).")
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="claimdesk-queue-bench-"))
    app = create_app({"INSTANCE": str(folder), "WTF_CSRF_ENABLED": False, "SECRET_KEY": "bench"})
    db = open_store(app.config["DB"])
    stamp = now()
    users = []
    for name in ("checker", "editor"):
        users.append(db.insert("INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                            [name, name, generate_password_hash("benchmark-password"), stamp, stamp]))
    started = time.perf_counter()
    seed(db, args.claims, users)
    print(f"seeded {args.claims:,} claims in {time.perf_counter() - started:.1f} s")
    client = app.test_client()
    client.post("/login", data={"username": "checker", "password": "benchmark-password"})
    # A cursor deep into the New tab: 10,000 rows, or as deep as a small corpus goes.
    new_claims = db.scalar("SELECT count(*) FROM claims WHERE status = 'new'")
    depth = max(0, min(10_000, new_claims - 1))
    row = db.one("SELECT priority, id FROM claims WHERE status = 'new' ORDER BY priority DESC, id DESC"
                 " LIMIT 1 OFFSET ?", [depth])
    fragment = {"HX-Request": "true", "HX-Target": "queue-rows"}
    cases = [
        report("New tab", timed(client, "/?tab=new", args.repeat)),
        report("Mine tab", timed(client, "/?tab=mine", args.repeat)),
        report("text + claimant + date filter",
               timed(client, "/?tab=new&q=ministry+budget&claimant=lavrov&date_from=2020-01-01&date_to=2023-12-31",
                     args.repeat)),
        report("rows fragment", timed(client, "/?tab=new", args.repeat, fragment)),
    ]
    if row:
        cases.append(report(f"page {depth:,} rows deep (cursor)",
                            timed(client, f"/?tab=new&cursor={row['priority']}~{row['id']}", args.repeat)))
    worst = max(cases)
    print(f"corpus: {args.claims:,} claims; worst p95 {worst:.1f} ms (target < 50 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
