"""Time a cold `claimdesk match`: how long a fresh process takes to answer its first claim.

    .venv/bin/python bench/cold_match.py                  # imports the 14,231 CheckThat! fact-checks first
    .venv/bin/python bench/cold_match.py --instance DIR   # an instance that already holds prior verdicts

Each round starts one `claimdesk match TEXT` process and, as the baseline built in the same run, one process
that first creates the Flask app (what `claimdesk match` did before it read its settings through
``app.paths``); rounds alternate the two so both see the same machine load. Printed per kind: the median and
the slowest wall time to the answer (process start to exit), and the median CPU time (user + system), which
a loaded shared machine inflates far less than wall time. The target is a first answer within 1 s.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)

QUERY = "A video shows a ten-meter anaconda swimming across a river in Brazil"
CLAIMDESK = str(Path(sys.executable).with_name("claimdesk"))
WITH_APP = ("import sys\nfrom app import create_app\ncreate_app()\nfrom app.cli import main\n"
            "main(['match', sys.argv[1]])")


def run(command: list[str], env: dict) -> tuple[float, float]:
    """Run one cold process; return (wall seconds, CPU seconds) and fail loudly if it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0 or not done.stdout.startswith("1. "):
        sys.exit(f"{command[0]} failed ({done.returncode}):\n{done.stdout}\n{done.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def report(name: str, samples: list[tuple[float, float]]) -> float:
    walls, cpus = [s[0] for s in samples], [s[1] for s in samples]
    print(f"  {name:<44} wall median {statistics.median(walls):.2f} s (slowest {max(walls):.2f} s), "
          f"CPU median {statistics.median(cpus):.2f} s")
    return statistics.median(walls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", type=Path, help="an instance folder that already holds prior verdicts")
    parser.add_argument("--rounds", type=int, default=7, help="cold processes of each kind (default 7)")
    parser.add_argument("--semantic", action="store_true",
                        help="let the semantic extra rank, when installed (default: the default model, as installed "
                             "without the extra)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="claimdesk-cold-") as scratch:
        folder = str(args.instance or scratch)
        env = {**os.environ, "CLAIMDESK_INSTANCE": folder}
        if not args.semantic:
            env["CLAIMDESK_SEMANTIC"] = "off"
        for key in ("CLAIMDESK_DB", "CLAIMDESK_INDEX", "CLAIMDESK_DATABASE_URL", "CLAIMDESK_SEARCH"):
            env.pop(key, None)
        if not args.instance:
            sys.path.insert(0, str(ROOT / "bench"))
            import prior_claims

            prior_claims.import_reviews({**env, "CLAIMDESK_DB": os.path.join(folder, "claimdesk.db"),
                                         "CLAIMDESK_INDEX": os.path.join(folder, "index")}, Path(folder))
        run([CLAIMDESK, "match", QUERY], env)  # warm the page cache and the claim tables' files once
        fast, baseline = [], []
        load = os.getloadavg()[0]
        for _ in range(args.rounds):
            fast.append(run([CLAIMDESK, "match", QUERY], env))
            baseline.append(run([sys.executable, "-c", WITH_APP, QUERY], env))
        print(f"cold `claimdesk match` ({'the semantic extra if installed' if args.semantic else 'default model'}), "
              f"{args.rounds} rounds (load average {load:.1f} -> {os.getloadavg()[0]:.1f}, "
              f"{os.cpu_count()} cores):")
        ours = report("claimdesk match (settings via app.paths)", fast)
        theirs = report("baseline: create the app, then match", baseline)
        print(f"  ratio to the baseline: {ours / theirs:.2f}x wall, "
              f"{statistics.median(s[1] for s in fast) / statistics.median(s[1] for s in baseline):.2f}x CPU; "
              f"target: first answer within 1 s: {'met' if ours < 1 else 'not met'} on this run")


if __name__ == "__main__":
    main()
