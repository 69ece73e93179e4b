"""`claimdesk import-claimreview`: import other fact-checkers' ClaimReview files as prior reviews."""

import sys

import click
from flask.cli import with_appcontext

from app.cli.common import drain_before_exit, get_cli_db
from review.claimreview.store import import_paths
from review.indexing import pending_count

SLOW_DRAIN = 2000  # outbox rows; Whoosh indexes roughly 250 reviews a second here


@click.command("import-claimreview")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...",
                type=click.Path(exists=True, file_okay=True, dir_okay=True))
@click.option("--base-url", metavar="URL",
              help="Page URL that relative links resolve against, for files that do not give their own.")
@with_appcontext
def import_claimreview(paths: tuple[str, ...], base_url: str | None):
    """Import ClaimReview records published by other fact-checkers as prior reviews.

    Each PATH is a JSON file (one ClaimReview, an array, an @graph or a DataFeed),
    a JSONL file (one record a line), a saved HTML page with JSON-LD or microdata,
    or a folder of such files (read recursively by suffix: .json, .jsonld, .jsonl,
    .ndjson, .html, .htm; hidden files skipped).

    A review already imported (same url and claimReviewed) is updated, not
    duplicated. Each record that cannot be used is printed to stderr as
    FILE:POSITION: reason (the line for JSONL, "record N" otherwise); values that
    cannot be read, such as an ambiguous date, are left empty with a warning.
    The exit status is 1 when any record was refused.
    """
    db = get_cli_db()
    try:
        summary = import_paths(db, paths, base_url=base_url)
        for line in summary.messages:
            click.echo(line, err=True)
        click.echo(summary.line())
        if pending_count(db) >= SLOW_DRAIN:
            click.echo("Updating the search index; with this many reviews it can take a minute.")
        drain_before_exit(db)
    finally:
        db.close()
    if summary.refused:
        sys.exit(1)
