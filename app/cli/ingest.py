"""`claimdesk ingest`: import article files, folders, feeds and URLs."""

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.cli.common import drain_before_exit, fail, get_cli_db
from review.indexing import pending_count
from review import jobs
from review.ingest.files import measure_paths, walk_files
from review.urls import looks_like_url
from review.reports import Outcome
from review.ingest.space import DiskFull, out_of_space
from review.ingest.store import ingest_paths


@contextlib.contextmanager
def progress_reporter(paths: tuple[str, ...]) -> Iterator:
    """Yield an ingest progress callback: a bar on a terminal, else failures printed as they happen."""
    stderr = sys.stderr  # the runner's stream under test, so a bar never shows there
    if not stderr.isatty():
        def report(outcome: Outcome, advanced: int) -> None:
            for message in outcome.messages:
                click.echo(message, err=True)

        yield report
        return
    failures: list[str] = []
    with click.progressbar(length=max(1, measure_paths(paths)), label="Ingesting", file=stderr,
                           show_pos=False, show_percent=True, show_eta=True) as bar:
        def report(outcome: Outcome, advanced: int) -> None:
            failures.extend(outcome.messages)
            bar.update(advanced)

        yield report
    for message in failures:  # after the bar, so the lines stay readable
        click.echo(message, err=True)


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--source", metavar="NAME",
              help="Outlet for records that do not name one (default: the page's site name, else the file name).")
@click.option("--max-chars", type=click.IntRange(min=1), metavar="N",
              help="Longest article text accepted, in characters (default: the MAX_DOCUMENT_CHARS setting, "
                   "else 200,000).")
@click.option("--queue", "queue", is_flag=True,
              help="Queue the work as jobs for `claimdesk worker` (on any machine) instead of doing it here.")
@with_appcontext
def ingest(paths: tuple[str, ...], source: str | None, max_chars: int | None, queue: bool):
    """Import articles, extract their claims and index them.

    Each PATH is a plain-text or Markdown file (first line as title), a saved HTML
    page, a JSON file (an object or an array of objects), a JSONL file, an RSS/Atom
    feed, a folder (read recursively, hidden files skipped) or an http(s) URL.
    JSON fields: title; body or text; url; source; published_at, date_iso or date;
    id or newid; language; author.

    Duplicates (same url or same text) and empty records are counted, not stored.
    Each failure is printed as FILE:LINE: reason and the rest goes on; the exit
    status is 1 only when something failed.
    """
    config = current_app.config
    db = get_cli_db()
    if queue:
        try:
            queue_paths(db, paths, source=source, max_chars=max_chars or config.get("MAX_DOCUMENT_CHARS"),
                        allow_private=bool(config.get("ALLOW_PRIVATE_URLS")))
        finally:
            db.close()
        return
    try:
        added = []  # documents stored so far, for the message when the disk fills up
        with progress_reporter(paths) as progress:
            def report(outcome: Outcome, advanced: int) -> None:
                if outcome.status == "added":
                    added.append(outcome.where)
                progress(outcome, advanced)

            try:
                summary = ingest_paths(db, paths, source=source, progress=report,
                                       allow_private=bool(config.get("ALLOW_PRIVATE_URLS")),
                                       max_chars=max_chars or config.get("MAX_DOCUMENT_CHARS"))
            except DiskFull as error:
                fail(f"{error.message} ({len(added)} document(s) added before it)")
            except OSError as error:
                if not out_of_space(error):  # a file, model or temporary file that could not be written
                    raise
                fail(f"stopped: no space left to write ({error}); everything stored before it is kept "
                     f"({len(added)} document(s) added)")
        click.echo(summary.line())
        if summary.added:
            click.echo(f"{summary.count('claims')} new claims extracted.")
        if sys.stderr.isatty() and summary.added:
            click.echo(f"Updating the search index ({pending_count(db)} changes)...", err=True)
        drain_before_exit(db)
    finally:
        db.close()
    if summary.failed:
        sys.exit(1)


def queue_paths(db, paths: tuple[str, ...], *, source: str | None, max_chars: int | None, allow_private: bool) -> None:
    """Queue one ingest job per path (a URL, a file, or a folder's files); say each job's number.

    The files' bytes go into the database with the job, so a worker on another machine can work it.
    """
    params = {"source": source or "", "max_chars": max_chars}
    unreadable = 0
    for path in paths:
        if looks_like_url(path):
            job_id = jobs.enqueue(db, "ingest", {**params, "url": path, "allow_private": allow_private})
            click.echo(f"Queued job {job_id}: {path}")
            continue
        files = []
        for file, error in (walk_files(path) if os.path.isdir(path) else [(Path(path), None)]):
            try:
                if error:
                    raise error
                name = str(file.relative_to(path)) if os.path.isdir(path) else file.name
                files.append((name, file.read_bytes()))
            except OSError as problem:
                unreadable += 1
                click.echo(f"{file}: cannot be read: {problem.strerror or problem}", err=True)
        if files:
            job_id = jobs.enqueue(db, "ingest", params, files=files)
            click.echo(f"Queued job {job_id}: {path} ({len(files)} file(s))")
    click.echo("A worker takes the jobs: `claimdesk worker` (or the running server).")
    if unreadable:
        sys.exit(1)
