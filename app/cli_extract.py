"""`claimdesk extract-text` and `claimdesk extract`: claims from text, and re-extraction of stored documents."""

import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import click
from flask.cli import with_appcontext

from app.cli import drain_before_exit, fail, get_cli_db, main
from review.claims import store_extracted
from review.db import row, transaction
from review.extraction import extract_claims, extract_claims_many, normalize_claim

BATCH = 100  # documents extracted (and scored) together


@main.command("extract-text")
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


@dataclass
class Tally:
    """What re-extraction did across documents."""

    documents: int = 0
    new: int = 0
    linked: int = 0
    known: int = 0

    def line(self) -> str:
        """Return the one-line summary printed at the end."""
        return (f"Re-extracted {self.documents} document(s): {self.new} new claim(s), {self.linked} linked to "
                f"claims from other documents, {self.known} already known.")


@main.command()
@click.option("--document", "document_id", type=int, metavar="ID", help="Re-extract one document.")
@click.option("--all", "all_documents", is_flag=True, help="Re-extract every stored document.")
@with_appcontext
def extract(document_id: int | None, all_documents: bool):
    """Re-extract claims from stored documents, adding only claims not found before.

    Claims already stored for a document are left exactly as they are,
    whatever their status: nothing is deleted or changed, and a claim found
    again is not added twice. A new claim that repeats one from another
    document is linked to it as another appearance.
    """
    if (document_id is None) == (not all_documents):
        fail("give either --document ID or --all")
    db = get_cli_db()
    try:
        if document_id is not None and not row(db, "SELECT id FROM documents WHERE id = ?", [document_id]):
            fail(f"no document with id {document_id}")
        tally = Tally()
        ids = [document_id] if document_id is not None else _document_ids(db)
        with _progress(len(ids)) as advance:
            for start in range(0, len(ids), BATCH):
                batch = ids[start:start + BATCH]
                _reextract(db, batch, tally)
                advance(len(batch))
        click.echo(tally.line())
        if tally.new or tally.linked:
            drain_before_exit(db)
    finally:
        db.close()


def _document_ids(db) -> list[int]:
    """Return every document id, oldest first."""
    return [r[0] for r in db.execute("SELECT id FROM documents ORDER BY id").fetchall()]


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None]]:
    """Yield a callback that advances a progress bar when stderr is a terminal, and does nothing otherwise."""
    if total > 1 and sys.stderr.isatty():
        with click.progressbar(length=total, label="Extracting", file=sys.stderr, show_eta=True) as bar:
            yield bar.update
    else:
        yield lambda done: None


def _reextract(db, document_ids: list[int], tally: Tally) -> None:
    """Extract documents again and store only the claims each does not have yet, one transaction per document."""
    marks = ", ".join("?" * len(document_ids))
    documents = list(db.query(
        f"SELECT id, url, published_at, source, body FROM documents WHERE id IN ({marks}) ORDER BY id", document_ids
    ))
    extracted = extract_claims_many([d["body"] for d in documents], sources=[d["source"] or None for d in documents])
    for document, claims in zip(documents, extracted):
        with transaction(db):
            known = _known_claims(db, document["id"])
            fresh = [claim for claim in claims if normalize_claim(claim.text) not in known]
            counts = store_extracted(db, document, fresh)
        tally.documents += 1
        tally.new += counts["new"]
        tally.linked += counts["linked"]
        tally.known += len(claims) - counts["new"] - counts["linked"]


def _known_claims(db, document_id: int) -> set[str]:
    """Return the normalized texts of every claim the document already has, triaged, merged or not."""
    rows = db.execute(
        "SELECT normalized_text FROM claims WHERE document_id = ? UNION SELECT c.normalized_text FROM"
        " claim_appearances a JOIN claims c ON c.id = a.claim_id WHERE a.document_id = ?",
        [document_id, document_id],
    ).fetchall()
    return {r[0] for r in rows}
