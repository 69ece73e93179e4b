"""`claimdesk purge document|claim ID` and `claimdesk erase-name NAME`: removing what must not be kept."""

import click
from flask.cli import with_appcontext

from app.cli.common import drain_before_exit, fail, get_cli_db
from review import erasure, purge as purging, users
from review.errors import NotFound

INDEX_NOTE = ("The search index no longer finds it; its files drop the text at their next merge, or at once"
              " with `claimdesk reindex`. Backups made before still hold it (docs/OPERATIONS.md).")


def _actor(db, username: str | None) -> dict:
    """Return the admin the audit event names: --as NAME, else the command line (no user)."""
    if not username:
        return {"id": None, "username": ""}
    try:
        user = users.find_user(db, username)
    except NotFound:
        user = None
    if user is None or not users.has_role(user, "admin"):
        fail(f"--as {username!r}: no admin of that name")
    return user


@click.command("purge")
@click.argument("kind", type=click.Choice(purging.KINDS))
@click.argument("entity_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--as", "username", help="The admin to name in the audit log.")
@with_appcontext
def purge(kind: str, entity_id: int, yes: bool, username: str | None):
    """Remove a document (with its claims) or a claim for good, with every copy of its text."""
    db = get_cli_db()
    plan = purging.plan_purge(db, kind, entity_id)
    counts = plan["counts"]
    click.echo(f"{kind} {entity_id}: {counts['claims']} claim(s), {counts['verdicts']} verdict revision(s)"
               f" ({counts['public_verdicts']} public), {counts['evidence']} evidence, {counts['appearances']}"
               f" appearance(s); {counts['reopened']} claim(s) merged into them reopened.")
    if not yes:
        click.confirm("Purge it for good? This cannot be undone", abort=True)
    purging.purge(db, kind, entity_id, _actor(db, username))
    drain_before_exit(db)
    click.echo(f"Purged {kind} {entity_id}. {INDEX_NOTE}")


@click.command("erase-name")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--as", "username", help="The admin to name in the audit log.")
@with_appcontext
def erase_name(name: str, yes: bool, username: str | None):
    """Replace a person's NAME with [erased] in claims, evidence, verdicts, notes and events."""
    db = get_cli_db()
    plan = erasure.plan_erasure(db, name)
    found = ", ".join(f"{n} {table}" for table, n in plan["counts"].items() if n) or "nothing"
    click.echo(f"Found: {found}.")
    if not plan["total"]:
        return
    if not yes:
        click.confirm(f"Replace it with {erasure.PLACEHOLDER}? This cannot be undone", abort=True)
    counts = erasure.erase_name(db, name, _actor(db, username))
    drain_before_exit(db)
    click.echo(f"Erased the name from {sum(counts.values())} row(s). {INDEX_NOTE}")
