"""`claimdesk export`: published verdicts as ClaimReview (JSON-LD feed, JSONL or CSV)."""

import sys

import click
from flask.cli import with_appcontext

from app.cli.common import fail, get_cli_db
from app.publishing import publisher
from review.claimreview.export import export_records, serialize
from review.dates import clean_day


@click.command("export")
@click.option("--since", help="Only verdicts published on or after this date (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "csv"]), default="json", show_default=True,
              help="json: a schema.org DataFeed; jsonl: one ClaimReview per line; csv: for spreadsheets.")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), help="Write to this file instead of stdout.")
@with_appcontext
def export_command(since: str | None, fmt: str, out: str | None):
    """Export published verdicts as ClaimReview; records with errors are refused and named."""
    records, refused = export_records(get_cli_db(), publisher(), clean_day(since, "since"))
    for problem in refused:
        click.echo(f"refused: {problem}", err=True)
    body = serialize(records, fmt, publisher())
    if out:
        try:
            with open(out, "w", encoding="utf-8", newline="") as handle:
                handle.write(body)
        except OSError as error:
            fail(f"cannot write {out}: {error.strerror}")
        click.echo(f"Exported {len(records)} ClaimReview record(s) to {out}.", err=True)
    else:
        sys.stdout.write(body)
    if refused:
        sys.exit(1)
