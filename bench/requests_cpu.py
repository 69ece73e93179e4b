"""Server CPU per request, page by page, for the pages bench/load.py's people ask for: in one process.

Builds the desk bench/load.py builds (``claimdesk demo`` plus the first ``--articles`` BBC articles of
../shared/data through ``claimdesk ingest``, and its 200 people; ``--desk DIR`` keeps it there and reuses it
on the next run),
creates the app as ``claimdesk serve``'s workers do (its defaults, the request log on), signs in a checker
and an editor as browsers do (CSRF on), and asks each page of bench/locustfile.py's mix ``--repeat`` times
through the WSGI interface, timing each request with ``time.process_time`` (this process's CPU: robust to a
busy machine, unlike wall-clock). It prints per page the median, p95 and least CPU ms (on a machine others
share, the least is the steadiest figure to compare two versions by), the ratio of the median to
a trivial route's (``/healthz``, through the same hooks, in the same run) and the SQL statements run per
request, then the CPU per request of the people's mix (locustfile weights, 4 checkers to 1 editor): what
the server's workers spend on average, which bounds what two cores serve (200 people pausing 1-3 s ask
about 100 requests a second).

Writes (triage, start, evidence, verdict) work claims still new, each once, as the people do.

    .venv/bin/python bench/requests_cpu.py                      # builds a desk in a temporary folder (~2 min)
    .venv/bin/python bench/requests_cpu.py --desk /tmp/desk     # keeps it there; the next run reuses it
    .venv/bin/python bench/requests_cpu.py --profile "claim page"   # cProfile of one page, top functions
    .venv/bin/py-spy record -r 500 -f raw -o stacks.txt -- .venv/bin/python bench/requests_cpu.py --only "claim page" \
        --repeat 1000                                           # where one page's time goes, sampled
"""

import argparse
import itertools
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # the repository, not bench/ (bench/queue.py would shadow queue)

from review import users  # noqa: E402
from review.storage import open_store  # noqa: E402
from review.storage.sqlite import SqliteStore  # noqa: E402

BBC = ROOT.parent / "shared" / "data" / "news" / "bbc_news.jsonl"
PASSWORD = "cpu bench password"
WORDS = ["minister", "growth", "million", "government", "percent", "election", "prices", "record", "jobs",
         "market", "health", "budget", "police", "sales", "court", "schools", "rise", "world", "energy", "tax"]
VERSION = re.compile(r'name="version" value="(\d+)"')
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')
#: Requests per person-minute of each page in bench/locustfile.py's mix: task weights, with a checker's
#: "work" task split over its steps (a claim's four steps and the claim page read before them).
MIX = {
    "checker": {"queue page (new)": 4, "queue filter (htmx)": 2, "search": 2, "claim page": 3 + 0.8,
                "search (prior verdicts)": 1, "triage (accept)": 0.8, "start (workspace)": 0.8,
                "evidence add": 0.8, "verdict save": 0.8},
    "editor": {"queue page (in review)": 4, "queue filter (htmx)": 2, "search": 2, "claim page": 3 + 4,
               "verdicts inbox": 1},
}
SHARE = {"checker": 0.8, "editor": 0.2}


def claimdesk(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-c", "from app.cli import main; main()", *args], env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)


def build_desk(folder: Path, articles: int, people: int) -> Path:
    """Build (or reuse) the load bench's desk in ``folder``; return its instance folder."""
    instance = folder / "instance"
    if (instance / "claimdesk.db").exists() and (folder / "built").exists():
        return instance
    instance.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMDESK_") or k == "CLAIMDESK_SEMANTIC"}
    env["CLAIMDESK_INSTANCE"] = str(instance)
    started = time.monotonic()
    claimdesk(env, "demo")
    if articles and BBC.exists():
        intake = folder / "intake.jsonl"
        with BBC.open(encoding="utf-8") as source:
            intake.write_text("".join(itertools.islice(source, articles)), encoding="utf-8")
        claimdesk(env, "ingest", str(intake))
    db = open_store(instance / "claimdesk.db")
    try:
        for role in ("checker", "editor"):
            users.create_user(db, f"cpu-{role}", role, PASSWORD, hash_method="pbkdf2:sha256:1000")
        for n in range(people):  # bench/load.py's people: they fill the queue's user menus as they do there
            role = "editor" if n % 5 == 4 else "checker"
            users.create_user(db, f"{role}-{n:03d}", role, PASSWORD, hash_method="pbkdf2:sha256:1000")
    finally:
        db.close()
    (folder / "built").write_text("ok")
    print(f"built the desk in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return instance


class Counter:
    """Count the SQL statements the store runs (the SQLite store's one entry point)."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0  # time in the statements themselves (the cursor's rows are fetched later, outside)
        original = SqliteStore._run
        counter = self

        def counted(store, sql, params):
            counter.count += 1
            started = time.perf_counter()  # cheaper than process_time (a system call), and SQLite runs on this thread
            try:
                return original(store, sql, params)
            finally:
                counter.seconds += time.perf_counter() - started

        SqliteStore._run = counted


class Person:
    """A signed-in browser on the in-process app (cookies, CSRF token)."""

    def __init__(self, app, username: str):
        self.client = app.test_client()
        form = self.client.get("/login").get_data(as_text=True)
        token = form.split('name="csrf_token" value="')[1].split('"')[0]
        signed = self.client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
        assert signed.status_code == 303, signed.status_code
        page = self.client.get("/?tab=new").get_data(as_text=True)
        self.csrf = CSRF_HEADER.search(page).group(1)

    def htmx(self, target: str) -> dict:
        return {"HX-Request": "true", "HX-Target": target, "X-CSRFToken": self.csrf,
                "HX-Current-URL": "http://localhost/?tab=new"}


def measure(call, repeat: int, counter: Counter, warm: int = 3) -> dict:
    """Time ``call`` (one request) ``repeat`` times in CPU ms; return median, p95 and SQL statements per call."""
    for _ in range(warm):
        call()
    times, statements, in_sql = [], [], []
    for _ in range(repeat):
        before_sql, before_seconds = counter.count, counter.seconds
        started = time.process_time()
        call()
        times.append((time.process_time() - started) * 1000)
        statements.append(counter.count - before_sql)
        in_sql.append((counter.seconds - before_seconds) * 1000)
    times.sort()
    return {"median": statistics.median(times), "p95": times[min(len(times) - 1, int(len(times) * 0.95))],
            "least": times[0], "sql": statistics.median(statements), "sql_ms": statistics.median(in_sql)}


def check(response, expected: int = 200):
    if response.status_code != expected:
        raise SystemExit(f"{response.request.path}: {response.status_code} {response.get_data(as_text=True)[:300]}")
    return response


def pages(app, checker: Person, editor: Person, readable: list[int], new: list[int], rng: random.Random) -> dict:
    """Return each page of the mix as a call making one request (writes step through fresh claims)."""
    work = iter(new)
    state = {}

    def get(person, path, headers=None):
        return lambda: check(person.client.get(path() if callable(path) else path, headers=headers))

    def claim_path():
        return f"/claims/{rng.choice(readable)}"

    def write(step):
        def call():
            if step == "accept":
                state["claim"] = claim = next(work)
                html = checker.client.get(f"/claims/{claim}").get_data(as_text=True)
                state["version"] = max(int(v) for v in VERSION.findall(html))
                started = time.process_time()
                check(checker.client.post(f"/claims/{claim}/action/accept", data={"version": state["version"]},
                                          headers=checker.htmx(f"claim-{claim}")))
                state["version"] += 1
                return time.process_time() - started
            claim = state["claim"]
            if step == "start":
                answer = checker.client.post(f"/claims/{claim}/action/start", data={"version": state["version"]},
                                             headers=checker.htmx("workspace"))
            elif step == "evidence":
                answer = checker.client.post(f"/claims/{claim}/evidence", data={
                    "version": state["version"], "url": f"https://stats.example/tables/{claim}", "stance": "refutes",
                    "title": "Official table", "excerpt": "The table shows a smaller rise.", "note": "cpu bench"},
                    headers=checker.htmx("evidence-panel"))
            else:
                answer = checker.client.post(f"/claims/{claim}/verdict", data={
                    "version": state["version"], "rating_key": "mostly-false", "conclusion": "The figures are smaller",
                    "claim_reviewed": "The claim as reviewed", "explanation": "The official table shows otherwise."},
                    headers=checker.htmx("verdict-panel"))
            check(answer)
            state["version"] = max(int(v) for v in VERSION.findall(answer.get_data(as_text=True)))
            return None

        return call

    word = lambda: rng.choice(WORDS)  # noqa: E731
    return {
        "/healthz (baseline)": get(checker, "/healthz"),
        "queue page (new)": get(checker, "/?tab=new"),
        "queue page (in review)": get(editor, "/?tab=in_review"),
        "queue filter (htmx)": get(checker, lambda: f"/?tab=open&q={word()}", checker.htmx("queue-rows")),
        "search": get(checker, lambda: f"/search/?q={word()}"),
        "search (prior verdicts)": get(checker, lambda: f"/search/?kind=verdict&q={word()}"),
        "claim page": get(checker, claim_path),
        "verdicts inbox": get(editor, "/verdicts"),
        "triage (accept)": write("accept"),
        "start (workspace)": write("start"),
        "evidence add": write("evidence"),
        "verdict save": write("verdict"),
    }


def measure_writes(calls: dict, repeat: int, counter: Counter) -> dict:
    """Time the four steps of a claim's work, claim after claim (the accept step times its POST alone)."""
    steps = ["triage (accept)", "start (workspace)", "evidence add", "verdict save"]
    times = {s: [] for s in steps}
    statements = {s: [] for s in steps}
    in_sql = {s: [] for s in steps}
    for _ in range(repeat + 2):
        for step in steps:
            before_sql, before_seconds = counter.count, counter.seconds
            started = time.process_time()
            own = calls[step]()
            spent = own if own is not None else time.process_time() - started
            times[step].append(spent * 1000)
            statements[step].append(counter.count - before_sql)  # accept: its claim page's too
            in_sql[step].append((counter.seconds - before_seconds) * 1000)
    results = {}
    for step in steps:
        kept = sorted(times[step][2:])  # the first two claims warm the templates up
        results[step] = {"median": statistics.median(kept), "p95": kept[min(len(kept) - 1, int(len(kept) * 0.95))],
                         "least": kept[0],
                         "sql": statistics.median(statements[step][2:]), "sql_ms": statistics.median(in_sql[step][2:])}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--desk", help="folder to build the desk in and reuse (default: a temporary one)")
    parser.add_argument("--articles", type=int, default=300, help="BBC articles ingested beside the demo")
    parser.add_argument("--people", type=int, default=200, help="accounts besides the demo's, as bench/load.py adds")
    parser.add_argument("--repeat", type=int, default=40, help="requests timed per page")
    parser.add_argument("--profile", help="profile one page (its name as printed) with cProfile instead")
    parser.add_argument("--only", help="time this page alone (its name as printed), e.g. under a sampling profiler")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="claimdesk-cpu-") as scratch:
        folder = Path(args.desk or scratch)
        instance = build_desk(folder, args.articles, args.people)
        run(instance, args)


def run(instance: Path, args) -> None:
    for name in [k for k in os.environ if k.startswith("CLAIMDESK_") and k != "CLAIMDESK_SEMANTIC"]:
        del os.environ[name]
    os.environ["CLAIMDESK_INSTANCE"] = str(instance)
    from app import create_app
    from app.cli.serve import warm_up

    app = create_app()
    warm_up(app)
    counter = Counter()
    # Held open through the run, as the server's indexer process holds one: closing the last connection to a
    # WAL database checkpoints it, which a serving worker never pays.
    db = open_store(app.config["DB"])
    stderr, sys.stderr = sys.stderr, open(os.devnull, "w")  # the request log's lines (their cost is counted)
    try:
        readable = [r["id"] for r in db.query("SELECT id FROM claims WHERE status <> 'merged' ORDER BY id")]
        new = [r["id"] for r in db.query("SELECT id FROM claims WHERE status = 'new' ORDER BY id")]
        rng = random.Random(12)
        rng.shuffle(new)
        calls = pages(app, Person(app, "cpu-checker"), Person(app, "cpu-editor"), readable, new, rng)
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores;"
              f" {len(readable)} claims ({len(new)} new); {args.repeat} requests per page; CPU ms per request",
              file=sys.__stdout__, flush=True)
        if args.profile:
            profile(calls[args.profile], args.repeat, stderr)
            return
        if args.only:
            result = measure(calls[args.only], args.repeat, counter)
            print(f"{args.only}: median {result['median']:.2f} ms, p95 {result['p95']:.2f} ms, least"
                  f" {result['least']:.2f} ms CPU; {result['sql']:.0f} SQL statements", file=sys.__stdout__)
            return
        results = {name: measure(call, args.repeat, counter) for name, call in calls.items()
                   if name not in ("triage (accept)", "start (workspace)", "evidence add", "verdict save")}
        results.update(measure_writes(calls, max(10, args.repeat // 4), counter))
    finally:
        sys.stderr.close()
        sys.stderr = stderr
        db.close()
    print_results(results)


def print_results(results: dict) -> None:
    base = results["/healthz (baseline)"]["median"]
    print(f"{'page':<26} {'median':>8} {'p95':>8} {'least':>8} {'x baseline':>11} {'SQL/request':>12} {'in SQL ms':>10}")
    for name, r in results.items():
        print(f"{name:<26} {r['median']:8.2f} {r['p95']:8.2f} {r['least']:8.2f} {r['median'] / base:11.1f}"
              f" {r['sql']:12.0f} {r['sql_ms']:10.2f}")
    mix = {}
    for role, weights in MIX.items():
        for name, weight in weights.items():
            mix[name] = mix.get(name, 0) + SHARE[role] * weight
    total = sum(mix.values())
    mean = sum(results[name]["median"] * weight for name, weight in mix.items()) / total
    least = sum(results[name]["least"] * weight for name, weight in mix.items()) / total
    print(f"the people's mix (bench/locustfile.py weights): {mean:.2f} ms CPU per request"
          f" ({mean / base:.1f} x baseline; {least:.2f} ms from each page's least);"
          f" at 100 requests/s (200 people) that is {mean / 10:.2f} cores")


def profile(call, repeat: int, out) -> None:
    import cProfile
    import pstats

    for _ in range(3):
        call()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        call()
    profiler.disable()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
