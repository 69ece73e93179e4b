"""Long fuzz runs: the property tests and schemathesis with many more examples than CI gives them.

Usage (from the repository root):
    .venv/bin/python bench/fuzz.py                    # 1,000 examples per property, 100 per API operation and mode
    .venv/bin/python bench/fuzz.py --examples 5000 --api-examples 300

CI runs the same tests (tests/review/test_properties.py and the schemathesis test of
tests/web/test_api_schema.py) with 40 examples per property and 3 per API operation
and mode. This runs them with more, prints each test's time and the total, and exits
non-zero when one fails (the failing input is printed by Hypothesis).
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ["tests/review/test_properties.py",
         "tests/web/test_api_schema.py::test_schemathesis_finds_no_server_error_and_no_undeclared_answer"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000, help="examples per property test")
    parser.add_argument("--api-examples", type=int, default=100, help="schemathesis cases per operation and mode")
    args = parser.parse_args()
    env = {**os.environ, "CLAIMDESK_PROPERTY_EXAMPLES": str(args.examples),
           "CLAIMDESK_FUZZ_EXAMPLES": str(args.api_examples)}
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "--no-browser", "--durations=0",
                             "-o", "log_cli=false", *TESTS], cwd=ROOT, env=env)
    print(f"fuzz: {args.examples} examples per property, {args.api_examples} API cases per operation and mode, "
          f"{time.monotonic() - started:.0f} s in all, {'passed' if result.returncode == 0 else 'FAILED'}")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
