"""`claimdesk worker`: work queued ingest and import jobs outside the web server.

Any number of workers, on any number of machines sharing one PostgreSQL database, take jobs from
the one ``jobs`` table (review/jobs.py: one job per taker, ``FOR UPDATE SKIP LOCKED``). The web
server's own runner takes jobs the same way, so a desk without workers still works its queue.
"""

import signal
import sys
import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from app.cli.common import get_cli_db
from review import jobs
from review.background import lower_priority
from review.indexing import drain


@click.command()
@click.option("--once", is_flag=True, help="Work the jobs waiting now, then stop (default: keep waiting for more).")
@click.option("--poll", default=2.0, show_default=True, type=click.FloatRange(min=0.1), metavar="SECONDS",
              help="How often an idle worker looks for new jobs.")
@with_appcontext
def worker(once: bool, poll: float):
    """Work queued ingest and import jobs (from the browser or `claimdesk ingest --queue`).

    Prints one line per job as it ends. Stops on Ctrl-C or SIGTERM after the job in hand.
    """
    config = current_app.config
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    lower_priority()  # a worker beside `serve` leaves the cores to the web workers first
    db = get_cli_db()
    name = jobs.worker_name()
    click.echo(f"Worker {name} taking jobs" + (" waiting now." if once else f" (looking every {poll:g} s)."))
    try:
        jobs.fail_abandoned(db)
        while not stop.is_set():
            worked = 0
            while not stop.is_set() and (job := jobs.take_next(db, name)) is not None:
                done = jobs.run_job(db, job)
                click.echo(_line(done))
                sys.stdout.flush()
                worked += 1
            if worked:
                drain(db, config["INDEX"], wait=5)  # the server's indexer catches up with anything left
            if once:
                break
            stop.wait(poll)
    except KeyboardInterrupt:
        pass
    finally:
        db.close()


def _line(job: dict) -> str:
    """Return the line a worker prints for a job it finished."""
    if job["state"] == "failed":
        return f"Job {job['id']} ({job['label']}) failed: {job['error']}"
    return f"Job {job['id']} ({job['label']}) done: {job['result']['line']}"
