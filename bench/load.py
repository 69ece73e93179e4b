"""Load: a desk's people working through `claimdesk serve` on loopback, measured with locust.

Builds a demo-sized desk in a temporary instance (``claimdesk demo`` plus a day's intake: the first
``--articles`` BBC articles of ../shared/data, through ``claimdesk ingest``), adds people (4 checkers
to 1 editor; their passwords use a cheap hash so 200 sign-ins do not measure scrypt, which
bench/login.py does), starts ``claimdesk serve`` with its defaults (no option but the port), and runs
bench/locustfile.py's people at each level for ``--seconds`` after they have all signed in
(``--reset-stats``): queue pages, queue filters (htmx), searches, claim pages, triage, starting work,
evidence and verdict saves, each person pausing 1-3 s between clicks. Each checker works claims no
one else touches, so every refusal counts as an error. Then the closed loop: ``--closed-loop``
people who never pause, for the server's maximum throughput.

Per level it prints requests/s, p50/p95/p99 in ms, the errors (locust's failures and the server's
5xx from its request log), the load average at the end, and the CPU time per measured request of
the servers (all their processes; the ramp-up's requests are in it too, so it is an upper bound) and
of the load generator, which shares the machine: the server's CPU per request says what the
machine can serve when nothing else runs on it. Requires the bench extra: ``pip install -e '.[bench]'``.

    .venv/bin/python bench/load.py                          # SQLite, one node: 10, 50, 200 users + closed loop
    .venv/bin/python bench/load.py --database-url postgresql://user@127.0.0.1:5432 --nodes 2
    .venv/bin/python bench/load.py --compare                # SQLite 1 node, PostgreSQL 1 and 2 nodes; 50 and 200

``--database-url`` names a PostgreSQL server: the bench creates a database of its own there and drops
it at the end. ``--compare`` starts a throwaway cluster (as the tests do) when no URL is given. Two
nodes are two ``claimdesk serve`` processes on different ports sharing one database and, on this one
machine, one instance folder (its search index and secret key); people are split between them.
"""

import argparse
import csv
import itertools
import json
import os
import random
import resource
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # the repository, not bench/ (bench/queue.py would shadow queue)

import requests  # noqa: E402

from review import users  # noqa: E402
from review.storage import open_store  # noqa: E402

BBC = ROOT.parent / "shared" / "data" / "news" / "bbc_news.jsonl"
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
PEOPLE_HASH = "pbkdf2:sha256:1000"
PASSWORD = "load bench password"
CLAIMS_EACH = 12  # new claims kept for each checker (about 6 writes a minute each at a 2 s pause)
TARGET_P95_MS = 300


def claimdesk(env: dict, *args: str, stdout=subprocess.DEVNULL) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from app.cli import main; main()", *args], env=env,
                          stdout=stdout, stderr=subprocess.PIPE, text=True, check=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Desk:
    """A temporary instance with a demo-sized desk, its people and its serving nodes."""

    def __init__(self, folder: Path, database_url: str | None, articles: int, people: int, search: str | None = None):
        self.folder = folder
        self.instance = folder / "instance"
        self.instance.mkdir()
        self.env = {**os.environ, "CLAIMDESK_INSTANCE": str(self.instance)}
        kept = ("CLAIMDESK_INSTANCE", "CLAIMDESK_SEMANTIC")  # CLAIMDESK_SEMANTIC=off measures the default models
        for name in [k for k in self.env if k.startswith("CLAIMDESK_") and k not in kept]:
            del self.env[name]  # the server's defaults, nothing inherited from this shell
        self.database_url = database_url
        if database_url:  # nodes on PostgreSQL share one configured key (serve refuses to make its own there)
            self.env["CLAIMDESK_DATABASE_URL"] = database_url
            self.env["CLAIMDESK_SECRET_KEY"] = secrets.token_urlsafe(32)
        if search:
            self.env["CLAIMDESK_SEARCH"] = search
        self.location = database_url or str(self.instance / "claimdesk.db")
        started = time.monotonic()
        claimdesk(self.env, "demo")
        if articles and BBC.exists():
            intake = folder / "intake.jsonl"
            with BBC.open(encoding="utf-8") as source:
                intake.write_text("".join(itertools.islice(source, articles)), encoding="utf-8")
            claimdesk(self.env, "ingest", str(intake))
        elif articles:
            print(f"note: {BBC} is absent; the desk is the demo alone", file=sys.stderr)
        self.people = self._add_people(people)
        db = open_store(self.location)
        try:
            self.size = {table: db.scalar(f"SELECT count(*) FROM {table}") for table in ("documents", "claims")}
            self.size["new"] = db.scalar("SELECT count(*) FROM claims WHERE status = 'new'")
        finally:
            db.close()
        self.built_in = time.monotonic() - started
        self.nodes: list[tuple[subprocess.Popen, str, Path]] = []

    def _add_people(self, count: int) -> list[dict]:
        db = open_store(self.location)
        try:
            people = []
            for n in range(count):
                role = "editor" if n % 5 == 4 else "checker"
                name = f"{role}-{n:03d}"
                users.create_user(db, name, role, PASSWORD, hash_method=PEOPLE_HASH)
                people.append({"username": name, "password": PASSWORD, "role": role})
            return people
        finally:
            db.close()

    def serve(self, nodes: int, options: tuple[str, ...] = ()) -> list[str]:
        """Start ``nodes`` servers (``claimdesk serve --port P``, nothing else unless ``options``) and wait until they
        answer."""
        urls = []
        for n in range(nodes):
            port, log = free_port(), self.folder / f"node-{n}.log"
            with log.open("w") as stderr:
                process = subprocess.Popen(
                    [sys.executable, "-c", "from app.cli import main; main()", "serve", "--port", str(port), *options],
                    env=self.env, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
            self.nodes.append((process, f"http://127.0.0.1:{port}", log))
            urls.append(f"http://127.0.0.1:{port}")
        for process, url, log in self.nodes:
            deadline = time.monotonic() + 120
            while True:
                if process.poll() is not None:
                    raise SystemExit(f"the server exited: {log.read_text()[-2000:]}")
                try:
                    if requests.get(f"{url}/readyz", timeout=5).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit(f"the server at {url} was not ready in 120 s")
                time.sleep(0.2)
        return urls

    def people_file(self, count: int, urls: list[str]) -> Path:
        """Write the people of one run: the first ``count``, split between the nodes, with claims still new."""
        db = open_store(self.location)
        try:
            new = [r["id"] for r in db.query("SELECT id FROM claims WHERE status = 'new' ORDER BY id")]
            readable = [r["id"] for r in db.query("SELECT id FROM claims WHERE status <> 'merged' ORDER BY id")]
        finally:
            db.close()
        random.Random(count).shuffle(new)
        checkers = [p for p in self.people[:count] if p["role"] == "checker"]
        mine = {p["username"]: new[i * CLAIMS_EACH:(i + 1) * CLAIMS_EACH] for i, p in enumerate(checkers)}
        people = [{**p, **sign_in(urls[i % len(urls)], p["username"]), "node": urls[i % len(urls)],
                   "claims": mine.get(p["username"], [])} for i, p in enumerate(self.people[:count])]
        path = self.folder / f"people-{count}.json"
        path.write_text(json.dumps({"people": people, "claims": readable}), encoding="utf-8")
        return path

    def server_errors(self) -> int:
        """Count the 5xx answers in the nodes' request logs (one line per request)."""
        return sum(line.count(" status=5") for _, _, log in self.nodes for line in log.read_text().splitlines())

    def server_cpu(self) -> float:
        """Return the CPU seconds the nodes' processes (masters, workers, indexers) have used so far (Linux)."""
        return sum(self.server_cpu_by_kind().values())

    def server_cpu_by_kind(self) -> dict[str, float]:
        """Return the CPU seconds the nodes' processes have used so far, by kind: web workers, the indexer, the
        masters (Linux). A process that ended (a worker replaced after ``--max-requests``) is no longer counted."""
        groups, ticks = {process.pid for process, _, _ in self.nodes}, os.sysconf("SC_CLK_TCK")
        used = {"workers": 0, "indexer": 0, "master": 0}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as handle:
                        fields = handle.read().rsplit(")", 1)[1].split()
                    with open(f"/proc/{entry}/cmdline", "rb") as handle:
                        command = handle.read()
                except OSError:
                    continue
                if int(fields[2]) in groups:
                    # workers are forks of the master (its command line); the indexer and its helpers are not
                    kind = "master" if int(entry) in groups else "workers" if b"gunicorn" in command else "indexer"
                    used[kind] += int(fields[11]) + int(fields[12])
        return {kind: ticks_used / ticks for kind, ticks_used in used.items()}

    def stop(self) -> None:
        for process, _, _ in self.nodes:
            if process.poll() is None:
                os.killpg(process.pid, 15)
        for process, _, _ in self.nodes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait()
        self.nodes = []


def sign_in(url: str, username: str) -> dict:
    """Sign a person in on their node; return the session cookie and the page's CSRF token."""
    browser = requests.Session()
    form = browser.get(f"{url}/login", timeout=30).text
    token = form.split('name="csrf_token" value="')[1].split('"')[0]
    signed = browser.post(f"{url}/login", data={"username": username, "password": PASSWORD, "csrf_token": token},
                          allow_redirects=False, timeout=30)
    if signed.status_code != 303:
        raise SystemExit(f"{username} could not sign in: {signed.status_code}")
    page = browser.get(f"{url}/?tab=new", timeout=30).text
    return {"session": browser.cookies["session"], "csrf": page.split('"X-CSRFToken": "')[1].split('"')[0]}


def run_level(desk: Desk, urls: list[str], users_count: int, seconds: int, *, pause: bool = True) -> dict:
    """Run ``users_count`` people for ``seconds`` after all have signed in; return locust's aggregate figures."""
    people = desk.people_file(users_count, urls)
    prefix = desk.folder / f"run-{users_count}-{'pause' if pause else 'closed'}"
    rate = max(5, users_count // 10)
    ramp = -(-users_count // rate)
    env = {**os.environ, "CLAIMDESK_LOAD_PEOPLE": str(people), "CLAIMDESK_LOAD_PAUSE": "1" if pause else "0"}
    errors_before = desk.server_errors()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_before = desk.server_cpu_by_kind()
    subprocess.run([sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary",
                    "-u", str(users_count), "-r", str(rate), "-t", f"{ramp + seconds}s", "--reset-stats",
                    "--stop-timeout", "5", "--csv", str(prefix), "--host", urls[0], "--loglevel", "WARNING"],
                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_after = desk.server_cpu_by_kind()  # includes the ramp-up, so per request it is an upper bound
    server_kinds = {kind: server_after[kind] - server_before[kind] for kind in server_after}
    load = os.getloadavg()[0]
    time.sleep(1)  # the last request lines reach the logs
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    with open(f"{prefix}_failures.csv", encoding="utf-8") as handle:
        failures = [f"{r['Occurrences']} x {r['Method']} {r['Name']}: {r['Error'][:160]}" for r in csv.DictReader(handle)]
    return {
        "users": users_count, "pause": pause, "requests": int(total["Request Count"]),
        "rps": float(total["Requests/s"]), "p50": float(total["50%"]), "p95": float(total["95%"]),
        "p99": float(total["99%"]), "errors": int(total["Failure Count"]), "failures": failures,
        "server_5xx": desk.server_errors() - errors_before, "load": load,
        "server_cpu": sum(server_kinds.values()), "server_kinds": server_kinds,
        "generator_cpu": (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime),
        "by_name": {r["Name"]: (int(r["Request Count"]), float(r["95%"])) for r in rows if r["Name"] != "Aggregated"},
    }


def line(label: str, result: dict) -> str:
    mark = "" if not result["pause"] else ("  ok" if result["p95"] < TARGET_P95_MS and not result["errors"] else "  MISSED")
    per_request = lambda seconds: seconds / max(1, result["requests"]) * 1000  # noqa: E731
    kinds = ", ".join(f"{kind} {per_request(seconds):.1f}" for kind, seconds in result["server_kinds"].items())
    return (f"{label:<28} {result['rps']:7.1f} req/s  p50 {result['p50']:6.0f}  p95 {result['p95']:6.0f}"
            f"  p99 {result['p99']:6.0f} ms  errors {result['errors']} (5xx {result['server_5xx']})"
            f"  load {result['load']:.1f}  CPU/req: server {per_request(result['server_cpu']):.1f} ms ({kinds}),"
            f" generator {per_request(result['generator_cpu']):.1f} ms{mark}")


def report(result: dict, label: str, verbose: bool) -> None:
    print(line(label, result), flush=True)
    for failure in result["failures"][:5]:
        print(f"    {failure}")
    if verbose:
        for name, (count, p95) in sorted(result["by_name"].items()):
            print(f"    {name:<28} {count:6d} requests  p95 {p95:6.0f} ms")


def run_configuration(label: str, database_url: str | None, nodes: int, levels: list[int], args) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="claimdesk-load-") as folder:
        desk = Desk(Path(folder), database_url, args.articles, max(levels + [args.closed_loop]),
                    args.search if database_url else None)
        print(f"{label}: {desk.size['documents']} documents, {desk.size['claims']} claims ({desk.size['new']} new),"
              f" {len(desk.people)} people; built in {desk.built_in:.0f} s"
              + (f"; serve {' '.join(args.serve_option)}" if args.serve_option else "; serve with its defaults"),
              flush=True)
        results = []
        try:
            urls = desk.serve(nodes, tuple(args.serve_option))
            for count in levels:
                results.append(run_level(desk, urls, count, args.seconds))
                report(results[-1], f"  {count} users", args.verbose)
            if args.closed_loop:
                results.append(run_level(desk, urls, args.closed_loop, args.seconds, pause=False))
                report(results[-1], f"  closed loop, {args.closed_loop} users", args.verbose)
        finally:
            desk.stop()
        return results


def create_database(server_url: str) -> tuple[str, callable]:
    """Create a database of the bench's own on a PostgreSQL server; return its URL and how to drop it."""
    import psycopg

    server = server_url.rstrip("/")
    if server.count("/") > 2:
        server = server.rsplit("/", 1)[0]
    name = f"claimdesk_load_{os.getpid()}_{int(time.time())}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")

    def drop():
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    return f"{server}/{name}", drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", default="10,50,200", help="people per level, comma-separated")
    parser.add_argument("--seconds", type=int, default=30, help="measured seconds per level, after sign-in")
    parser.add_argument("--closed-loop", type=int, default=16, help="people without pauses (0: skip)")
    parser.add_argument("--articles", type=int, default=300, help="BBC articles ingested beside the demo")
    parser.add_argument("--database-url", help="a PostgreSQL server (the bench creates and drops its database)")
    parser.add_argument("--nodes", type=int, default=1, help="claimdesk serve processes sharing the database")
    parser.add_argument("--compare", action="store_true",
                        help="SQLite 1 node, PostgreSQL 1 node, PostgreSQL 2 nodes, side by side at 50 and 200")
    parser.add_argument("--search", choices=["whoosh", "postgres"],
                        help="the search engine on PostgreSQL (default: the server's, Whoosh in the shared instance folder)")
    parser.add_argument("--verbose", action="store_true", help="p95 per kind of request too")
    parser.add_argument("--serve-option", action="append", default=[], metavar="OPTION",
                        help="pass an option to `claimdesk serve` (e.g. --serve-option=--threads=4), to compare a"
                             " setting with the defaults; the target is measured without any")
    args = parser.parse_args()
    levels = [int(n) for n in args.users.split(",") if n.strip()]
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores;"
          f" {args.seconds} s per level, people pause 1-3 s", flush=True)
    if not args.compare:
        drop = None
        url = None
        if args.database_url:
            url, drop = create_database(args.database_url)
        label = f"{'PostgreSQL' if url else 'SQLite'}, {args.nodes} node{'s' if args.nodes > 1 else ''}"
        try:
            run_configuration(label, url, args.nodes, levels, args)
        finally:
            if drop:
                drop()
        return
    compare(args)


def compare(args) -> None:
    cluster = None
    server = args.database_url
    if not server:
        from tests.pg_cluster import Cluster

        cluster = Cluster()
        server = cluster.url
    levels = [n for n in (50, 200)]
    table = {}
    try:
        table["SQLite, 1 node"] = run_configuration("SQLite, 1 node", None, 1, levels,
                                                    argparse.Namespace(**{**vars(args), "closed_loop": 0}))
        for nodes in (1, 2):
            url, drop = create_database(server)
            label = f"PostgreSQL, {nodes} node{'s' if nodes > 1 else ''}"
            try:
                table[label] = run_configuration(label, url, nodes, levels,
                                                 argparse.Namespace(**{**vars(args), "closed_loop": 0}))
            finally:
                drop()
    finally:
        if cluster:
            cluster.stop()
    print("\nside by side (req/s, p95 ms, errors):")
    print(f"{'':<22}" + "".join(f"{f'{n} users':>30}" for n in levels))
    for label, results in table.items():
        cells = "".join(f"{r['rps']:>12.1f} {r['p95']:>8.0f} ms {r['errors']:>4}  " for r in results)
        print(f"{label:<22}{cells}")


if __name__ == "__main__":
    main()
