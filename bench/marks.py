"""Marks: what the server's indexer spends on the queue's "checked before?" marks, per cycle, with the semantic extra.

Builds the load bench's desk in a temporary instance (``claimdesk demo`` plus the first ``--articles`` BBC
articles of ../shared/data through ``claimdesk ingest``), then runs the indexer's marking cycles as
``claimdesk serve`` does (``app.cli.serve``: ``MARKS_BATCH`` claims at most, a ``Budget`` of ``MARKS_CPU``
seconds of CPU, then the pause) in this process, and prints per phase the cycles, claims checked, CPU per
cycle and per claim, texts embedded, and the pause the loop takes:

- first marking: every open claim, never checked (each embedded once, and stored);
- after a publication: one verdict of ours published through the workflow; every open claim checked again;
- baseline, in the same run: the way marks were made before claims' and our verdicts' embeddings were
  stored (the claim and every candidate without a stored embedding embedded for each check), on
  ``--baseline`` claims; its CPU per claim is the ratio's denominator.

CPU is this process's (``time.process_time``), so the load of other work on the machine changes the wall
times but little the figures. Requires the semantic extra (``pip install -e '.[semantic]'``).

    .venv/bin/python bench/marks.py                 # ~3,000 claims; about 4 minutes on an idle 2-core machine
    .venv/bin/python bench/marks.py --articles 60   # a quicker look
"""

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # the repository, not bench/

PUBLISHED = "SELECT count(*) FROM verdicts WHERE status = 'published'"
BBC = ROOT.parent / "shared" / "data" / "news" / "bbc_news.jsonl"


def claimdesk(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-c", "from app.cli import main; main()", *args], env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)


class Counting:
    """The process's real encoder, counting the texts it embeds."""

    def __init__(self):
        from review.semantic.encoder import Encoder

        self.texts = 0
        real = Encoder.embed

        def embed(encoder, texts):
            self.texts += len(texts)
            return real(encoder, texts)

        Encoder.embed = embed


def run_cycles(db, index, counting: Counting, label: str) -> float:
    """Run the indexer's marking cycles until one checks nothing; print the phase's figures; return ms a claim."""
    from app.cli.serve import MARKS_BATCH, MARKS_CPU, MARKS_SHARE
    from review.background import Budget
    from review.prior import refresh_marks

    cpu, checked, pauses = [], 0, []
    texts_before, wall = counting.texts, time.monotonic()
    while True:
        started = time.process_time()
        budget = Budget(MARKS_CPU, MARKS_SHARE)
        done = refresh_marks(db, index, limit=MARKS_BATCH, budget=budget)
        if not done:
            break
        cpu.append(time.process_time() - started)
        pauses.append(budget.pause())
        checked += done
    texts = counting.texts - texts_before
    print(f"{label:<22} {len(cpu):4d} cycles  {checked:5d} claims  CPU per cycle median {statistics.median(cpu):.2f} s,"
          f" max {max(cpu):.2f} s  {sum(cpu) / checked * 1000:5.1f} ms a claim  {texts:5d} texts embedded"
          f"  pause median {statistics.median(pauses):.2f} s  ({time.monotonic() - wall:.0f} s wall)", flush=True)
    return sum(cpu) / checked * 1000


def baseline(db, index, counting: Counting, count: int) -> float:
    """Check ``count`` open claims as before: every text embedded per check, our verdicts' not stored; ms a claim."""
    from review import scorers

    db.execute("DELETE FROM match_embeddings WHERE kind = 'verdict'")  # before: made at import and reindex only
    claims = db.query("SELECT text FROM claims WHERE status = 'new' ORDER BY priority DESC LIMIT ?", [count])
    texts_before, started = counting.texts, time.process_time()
    for claim in claims:
        scorers.rank_matches(db, index, claim["text"], limit=1)
    per_claim = (time.process_time() - started) / len(claims) * 1000
    print(f"{'baseline (before)':<22} {len(claims):5d} claims  {per_claim:5.1f} ms a claim"
          f"  {counting.texts - texts_before:5d} texts embedded ({(counting.texts - texts_before) / len(claims):.0f} a claim)",
          flush=True)
    return per_claim


def publish(db) -> None:
    """Publish one verdict of ours through the workflow (a checker writes it, an editor approves it)."""
    from review import claims, users, verdicts, workflow

    checker = users.create_user(db, "bench-checker", "checker", "bench password", hash_method="pbkdf2:sha256:1000")
    editor = users.create_user(db, "bench-editor", "editor", "bench password", hash_method="pbkdf2:sha256:1000")
    claim = claims.create_manual_claim(db, text="The council spent 3 million pounds on the new ferry terminal.",
                                       claimant="The council", url="https://news.example/ferry")
    for action in ("accept", "start"):
        workflow.apply_action(db, claim["id"], action, checker)
    verdicts.save_draft(db, claims.get_claim(db, claim["id"]), checker, {
        "rating_key": "false", "conclusion": "It cost 5 million pounds", "claim_reviewed": claim["text"]})
    workflow.apply_action(db, claim["id"], "submit", checker)
    workflow.apply_action(db, claim["id"], "approve", editor)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300, help="BBC articles ingested beside the demo")
    parser.add_argument("--baseline", type=int, default=40, help="claims checked the way marks were made before")
    args = parser.parse_args()
    os.environ.pop("CLAIMDESK_SEMANTIC", None)  # the extra, as a server with it installed runs
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory(prefix="claimdesk-marks-") as folder:
        instance = Path(folder) / "instance"
        instance.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMDESK_")}
        env["CLAIMDESK_INSTANCE"] = str(instance)
        started = time.monotonic()
        claimdesk(env, "demo")
        if args.articles and BBC.exists():
            intake = Path(folder) / "intake.jsonl"
            with BBC.open(encoding="utf-8") as source:
                intake.write_text("".join(itertools.islice(source, args.articles)), encoding="utf-8")
            claimdesk(env, "ingest", str(intake))
        os.environ["CLAIMDESK_INSTANCE"] = str(instance)
        from app import create_app
        from review import scorers
        from review.indexing import drain
        from review.storage import open_store
        from search_index import open_index

        config = create_app().config
        if not scorers.active().matching.startswith("semantic"):
            raise SystemExit(f"the semantic extra's matching is not active: {scorers.active().reason}")
        db = open_store(config["DB"])
        counting = Counting()
        index = open_index(config["INDEX"])
        try:
            db.execute("UPDATE claims SET prior_checked_round = NULL")  # the demo marked a few: all start unchecked
            db.execute("DELETE FROM claim_embeddings")
            print(f"desk: {db.scalar('SELECT count(*) FROM claims')} claims, "
                  f"{db.scalar('SELECT count(*) FROM prior_reviews')} imported reviews, "
                  f"{db.scalar(PUBLISHED)} verdicts"
                  f" of ours; built in {time.monotonic() - started:.0f} s", flush=True)
            first = run_cycles(db, index, counting, "first marking")
            publish(db)
            drain(db, config["INDEX"])
            index.close()
            index = open_index(config["INDEX"])
            again = run_cycles(db, index, counting, "after a publication")
            before = baseline(db, index, counting, args.baseline)
            print(f"claims embedded and stored: {db.scalar('SELECT count(*) FROM claim_embeddings')}; CPU a claim vs"
                  f" the baseline: first marking {first / before:.3f}x, after a publication {again / before:.3f}x")
        finally:
            index.close()
            db.close()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; rerun: .venv/bin/python bench/marks.py")


if __name__ == "__main__":
    main()
