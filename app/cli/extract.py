"""`claimdesk extract-text` and `claimdesk extract`: claims from text, and re-extraction of stored documents."""

import contextlib
import json
import sys
from collections.abc import Callable, Iterator

import click
from flask.cli import with_appcontext

from app.cli.common import drain_before_exit, fail, get_cli_db
from review.extraction.pipeline import extract_claims
from review.reextraction import new_report, reextract_documents, summary_line

BATCH = 100  # documents extracted (and scored) together


@click.command("extract-text")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True), metavar="FILE|-")
@click.option("--source", metavar="NAME", help="Outlet of the text: claims in its own voice are attributed to it.")
@click.option("--threshold", type=click.FloatRange(0, 1), help="Check-worthiness cut-off (default: the model's).")
@with_appcontext
def extract_text(file: str, source: str | None, threshold: float | None):
    """Print the check-worthy claims of a text file (or - for stdin) as JSON; stores nothing.

    Each claim has text (as it will be reviewed), sentence, start and end
    (character offsets of the sentence in the text as read, with line endings
    as LF), claimant ({"name", "kind"} or null), claim_type, quantities, dates
    and score.
    """
    text = _read_text(file)
    claims = extract_claims(text, source=source or None, threshold=threshold)
    click.echo(json.dumps({"claims": [claim.as_dict() for claim in claims]}, ensure_ascii=False, indent=2))


def _read_text(file: str) -> str:
    """Read UTF-8 text from a file or stdin, failing with one clear line."""
    name = "stdin" if file == "-" else file
    try:
        if file == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(file, "rb") as handle:
                data = handle.read()
    except OSError as error:
        fail(f"cannot read {name}: {error.strerror or error}")
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as error:
        fail(f"{name} is not UTF-8 text (undecodable byte at offset {error.start})")


@click.command()
@click.option("--document", "document_id", type=int, metavar="ID", help="Re-extract one document.")
@click.option("--all", "all_documents", is_flag=True, help="Re-extract every stored document.")
@with_appcontext
def extract(document_id: int | None, all_documents: bool):
    """Re-extract claims from stored documents after the rules or the model improved.

    Claims found for the first time are added; one that repeats a claim from
    another document is linked to it as another appearance; a claim found
    again is not added twice. Claims anybody has touched (triaged, edited,
    assigned, tagged, noted, given evidence, a verdict or a merge) are left
    exactly as they are. Claims nobody has touched that the current rules no
    longer find are removed, so the queue does not show old and new wording.
    """
    if (document_id is None) == (not all_documents):
        fail("give either --document ID or --all")
    db = get_cli_db()
    try:
        if document_id is not None and not db.one("SELECT id FROM documents WHERE id = ?", [document_id]):
            fail(f"no document with id {document_id}")
        report = new_report()
        ids = [document_id] if document_id is not None else _document_ids(db)
        with _progress(len(ids)) as advance:
            for start in range(0, len(ids), BATCH):
                batch = ids[start:start + BATCH]
                reextract_documents(db, batch, report)
                advance(len(batch))
        click.echo(summary_line(report))
        if report.count("new") or report.count("linked") or report.count("removed"):
            drain_before_exit(db)
    finally:
        db.close()


def _document_ids(db) -> list[int]:
    """Return every document id, oldest first."""
    return [r["id"] for r in db.query("SELECT id FROM documents ORDER BY id")]


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None]]:
    """Yield a callback that advances a progress bar when stderr is a terminal, and does nothing otherwise."""
    if total > 1 and sys.stderr.isatty():
        with click.progressbar(length=total, label="Extracting", file=sys.stderr, show_eta=True) as bar:
            yield bar.update
    else:
        yield lambda done: None
