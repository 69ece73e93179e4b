"""Sign-in timing and a login flood, with the production password hash (scrypt).

Part 1 times ``users.authenticate`` in-process for a known user with a wrong password (the baseline),
the right password, an unknown name and a deactivated account: with the dummy hash the three failures
cost the same, so the time does not tell which names exist. The lookup alone (what an unknown name
cost before the dummy hash) is shown for comparison.

Part 2 serves an instance with ``claimdesk serve`` (its defaults) on loopback and times a claim page
while nobody signs in, then while 8 threads send 8 wrong passwords a second in all from one
address: once with the login throttle as configured, once with it set out of reach (the behaviour
before the throttle). The page is timed once the flood has made 30 attempts (past the address
limit of 20), so the figures show the steady state; the time that took is printed. Medians and p95 in ms, and ratios to the quiet baseline of the same run.

    .venv/bin/python bench/login.py [--rounds 20] [--seconds 20]
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])  # the repository, not bench/ (bench/queue.py would shadow queue)

import requests  # noqa: E402

from app import create_app  # noqa: E402
from review import claims, users  # noqa: E402
from review.storage import open_store  # noqa: E402

PASSWORD = "correct horse battery"
RATE_PER_THREAD = 1.0  # attempts a second per attacking thread: 8 a second in all (the audit's flood: 3 a second)
WARM_UP = 30  # sign-in attempts before the page is timed: past the address limit (20) and the requests in flight


def summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000


def timed(function, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


def part_one(db, rounds: int) -> None:
    print(f"1. users.authenticate with {users.HASH_METHOD}, {rounds} rounds each")
    cases = {
        "known user, wrong password (baseline)": lambda: users.authenticate(db, "maria", "not it"),
        "known user, right password": lambda: users.authenticate(db, "maria", PASSWORD),
        "unknown name": lambda: users.authenticate(db, "nobody-here", "not it"),
        "deactivated account": lambda: users.authenticate(db, "gone", PASSWORD),
        "the lookup alone (unknown names before)": lambda: db.one("SELECT * FROM users WHERE username = ?",
                                                                  ["nobody-here"]),
    }
    base = None
    for name, function in cases.items():
        p50, p95 = summary(timed(function, rounds))
        base = base or p50
        print(f"   {name:<42} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms   x{p50 / base:5.2f}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(instance: str, extra_env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "CLAIMDESK_INSTANCE": instance, **extra_env}
    process = subprocess.Popen([sys.executable, "-c", "from app.cli import main; main()", "serve", "--port", str(port)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if requests.get(f"{url}/healthz", timeout=5).status_code == 200:
                return process, url
        except requests.RequestException:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def claim_page_times(url: str, claim_id: int, seconds: float, flood: bool) -> tuple[list[float], dict]:
    reader = requests.Session()
    page = reader.get(f"{url}/login").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    reader.post(f"{url}/login", data={"username": "maria", "password": PASSWORD, "csrf_token": token})
    stop, answers = threading.Event(), {}

    def attack(number: int):
        session = requests.Session()
        form = session.get(f"{url}/login").text
        csrf = form.split('name="csrf_token" value="')[1].split('"')[0]
        count, began = 0, time.monotonic()
        while not stop.wait(max(0.0, began + count / RATE_PER_THREAD - time.monotonic())):
            status = session.post(f"{url}/login", data={"username": f"guess{number}-{count}", "password": "x",
                                                        "csrf_token": csrf}).status_code
            answers[status] = answers.get(status, 0) + 1
            count += 1

    threads = [threading.Thread(target=attack, args=(n,)) for n in range(8 if flood else 0)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    while flood and sum(answers.values()) < WARM_UP and time.monotonic() - started < 120:
        time.sleep(0.05)  # time the page once the flood is past the address limit (the steady state)
    answers["warm-up s"] = round(time.monotonic() - started, 1)
    samples, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        assert reader.get(f"{url}/claims/{claim_id}").status_code == 200
        samples.append(time.perf_counter() - started)
    stop.set()
    for thread in threads:
        thread.join()
    return samples, answers


def part_two(instance: str, claim_id: int, seconds: float) -> None:
    print(f"2. a claim page during a login flood (8 threads, 8 wrong passwords a second, one address), {seconds:.0f} s each")
    base = None
    runs = [("nobody signing in (baseline)", {}, False), ("flood, throttle on (defaults)", {}, True),
            ("flood, throttle out of reach (before)", {"CLAIMDESK_LOGIN_ACCOUNT_FAILURES": "100000000",
                                                       "CLAIMDESK_LOGIN_ADDRESS_FAILURES": "100000000"}, True)]
    for name, env, flood in runs:
        db = open_store(os.path.join(instance, "claimdesk.db"))
        db.execute("DELETE FROM login_failures")
        db.close()
        process, url = serve(instance, env)
        try:
            samples, answers = claim_page_times(url, claim_id, seconds, flood)
        finally:
            os.killpg(process.pid, 15)
            process.wait()
        p50, p95 = summary(samples)
        base = base or p50
        warm_up = answers.pop("warm-up s")
        shown = ", ".join(f"{count} x {status}" for status, count in sorted(answers.items())) or "none"
        shown += f" (timing began after {warm_up} s)" if flood else ""
        print(f"   {name:<40} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  x{p50 / base:5.2f}  sign-in answers: {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"INSTANCE": instance, "PASSWORD_HASH_METHOD": users.HASH_METHOD})
        db = open_store(app.config["DB"])
        maria = users.create_user(db, "maria", "checker", PASSWORD)
        gone = users.create_user(db, "gone", "checker", PASSWORD)
        users.set_active(db, gone["id"], False, actor_id=None)
        claim = claims.create_manual_claim(db, text="The river rose 3 metres in 2024.", actor_id=maria["id"])
        part_one(db, args.rounds)
        db.close()
        part_two(instance, claim["id"], args.seconds)


if __name__ == "__main__":
    main()
