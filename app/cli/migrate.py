"""`claimdesk migrate-to-postgres URL`: move an embedded desk (SQLite) into PostgreSQL."""

import click
from flask import current_app
from flask.cli import with_appcontext

import migrations
from app.cli.common import fail, get_cli_db
from review.storage import StoreError, describe, is_url, open_store
from review.storage.copy import copy_desk, verify


@click.command("migrate-to-postgres")
@click.argument("url", metavar="URL")
@with_appcontext
def migrate_to_postgres(url: str):
    """Copy this desk's SQLite database into the PostgreSQL database at URL and check the copy.

    URL is postgresql://user:password@host/name of an empty database. Its schema is created first;
    then every table is copied in one transaction and each table's row count and checksum is read
    back from both databases. The SQLite file is left as it was.
    """
    config = current_app.config
    if config["DATABASE_URL"]:
        fail("this desk already runs on PostgreSQL (CLAIMDESK_DATABASE_URL is set); unset it to copy the SQLite desk")
    if not is_url(url):
        fail(f"{url!r} is not a PostgreSQL URL (postgresql://user:password@host/name)")
    source = get_cli_db()
    try:
        target = open_store(url)
    except StoreError as error:
        source.close()
        fail(f"cannot open {describe(url)}: {error}")
    try:
        applied = migrations.apply(target)
        if applied:
            click.echo(f"Created the schema in {describe(url)} ({len(applied)} migrations).")
        try:
            tables = copy_desk(source, target)
        except StoreError as error:
            fail(f"nothing was copied: {error}")
        results = verify(source, target)
    finally:
        target.close()
        source.close()
    for result in results:
        click.echo(result.line())
    different = [r.table for r in results if not r.ok]
    if different:
        fail(f"the copy differs in {', '.join(different)}; keep running on SQLite and report this")
    click.echo(f"\nCopied {len(tables)} tables; every count and checksum agrees. Next:")
    click.echo(f"  1. On every node set CLAIMDESK_DATABASE_URL={describe(url)}")
    click.echo(f"  2. and CLAIMDESK_SECRET_KEY to one secret for all nodes (this desk's is in "
               f"{config['INSTANCE']}/secret_key; keeping it keeps people signed in).")
    click.echo("  3. Run `claimdesk reindex` (with CLAIMDESK_SEARCH=postgres the search lives in the database; "
               "with Whoosh, each node builds its own index), then `claimdesk serve`.")
    click.echo(f"  4. Keep {config['DB']} as a backup until the new desk has run a while.")
