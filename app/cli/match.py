"""`claimdesk match` (has this claim been checked before?) and `claimdesk reindex`."""

import json
import os
import sys
import time

import click

from app.cli.light import settings, with_app
from review.indexing import IndexBusy, pending_count
from review.indexing import reindex as rebuild_index
from review.matching import Match
from review.scorers import match_claims, refresh_embeddings
from review.storage import open_store
from search_index import open_index


def print_matches(matches: list[Match]) -> None:
    """Print a ranking for people: score, rating, publisher, date, then the claim and its url."""
    if not matches:
        click.echo("No prior verdict matches this claim.")
        return
    for number, found in enumerate(matches, 1):
        rating = found.rating_label or found.rating_key or "no rating"
        click.echo(f"{number}. {found.score:.2f}  {rating}  {found.publisher or found.origin}  {found.date or ''}".rstrip())
        click.echo(f"   {found.claim_reviewed}")
        click.echo(f"   {found.url or '(no url)'}")


def warn_if_stale(db) -> None:
    """Say on stderr when changes still wait for the index (stdout stays machine-readable)."""
    waiting = pending_count(db)
    if waiting:
        click.echo(f"note: {waiting} change(s) are not in the search index yet; start the server or run "
                   "`claimdesk reindex`.", err=True)


@click.command()
@click.argument("text", required=False)
@click.option("--batch", "batch", type=click.File("r", encoding="utf-8"), metavar="FILE|-",
              help="Read one claim a line from FILE (- for stdin); write one JSON line of matches for each.")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 50), help="Matches per claim.")
@click.option("--json", "as_json", is_flag=True, help="Print the matches as JSON.")
@click.pass_context
def match(ctx: click.Context, text: str | None, batch, limit: int, as_json: bool):
    """Rank prior verdicts (our own and imported ones) that may have checked TEXT before.

    Prints each match's score (0-1), rating, publisher, date, claim and url. With
    --batch, every input line gets exactly one JSON array on stdout (an empty line
    gets []), and the index is loaded once for all of them. It starts without creating the app
    (``app.cli.light``): the first answer comes in well under a second (``bench/cold_match.py``).
    """
    if (text is None) == (batch is None):
        raise click.ClickException("give the claim as TEXT, or --batch FILE (or - for stdin), but not both")
    config = settings(ctx)
    lines = (line.rstrip("\r\n") for line in batch) if batch is not None else [text]
    db = open_store(config["DB"])
    index = open_index(config["INDEX"], engine=config["SEARCH"], store=db)
    try:
        warn_if_stale(db)
        for matches in match_claims(db, index, lines, limit=limit):
            if batch is not None or as_json:
                click.echo(json.dumps([m.as_dict() for m in matches], ensure_ascii=False))
                sys.stdout.flush()
            else:
                print_matches(matches)
    finally:
        index.close()
        db.close()


@click.command()
@with_app
def reindex():
    """Rebuild the search index from the database into a new folder and swap it in atomically."""
    from flask import current_app

    from app.cli.common import fail, get_cli_db
    from app.db import open_search

    config = current_app.config
    db = get_cli_db()
    started = time.monotonic()
    try:
        rebuild_index(db, config["INDEX"], procs=os.cpu_count() or 1, engine=config["SEARCH"])
        embedded = refresh_embeddings(db)  # the semantic extra's prior-verdict embeddings, kept in the database
        index = open_search(config, db)
        try:
            stats = index.stats()
        finally:
            index.close()
    except IndexBusy as error:
        fail(str(error))
    finally:
        db.close()
    click.echo(f"Reindexed {stats['documents']} documents and {stats['verdicts']} verdicts in "
               f"{time.monotonic() - started:.1f}s ({stats['bytes'] / 1e6:.1f} MB, {stats['generation']}).")
    if embedded is not None:
        click.echo(f"Semantic matching: embedded {embedded['embedded']} prior verdicts, kept {embedded['kept']}, "
                   f"dropped {embedded['dropped']}.")
