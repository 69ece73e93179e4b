"""`claimdesk status`: the readiness checks of /readyz from the shell, plus the instance's figures."""

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from app.cli.common import get_cli_db
from app.views.health import private_files, readiness
from review.sessions import open_session_count
from review.throttle import active_lockouts


@click.command()
@with_appcontext
def status():
    """Say whether this instance can serve (database, migrations, index, backlog) and show its figures."""
    config = current_app.config
    db = get_cli_db()
    checks = readiness(config, db)
    for check in checks:
        click.echo(f"{'ok' if check.ok else 'FAIL':<5} {check.name}: {check.detail}")
    for check in private_files(config):  # a warning: the instance still serves
        click.echo(f"{'ok' if check.ok else 'warn':<5} {check.name}: {check.detail}")
    if checks[0].ok:
        counts = db.one("SELECT (SELECT count(*) FROM users WHERE active = 1) AS users,"
                        " (SELECT count(*) FROM claims) AS claims, (SELECT count(*) FROM documents) AS documents")
        click.echo(f"      {counts['users']} active user(s), {open_session_count(db)} open session(s), "
                   f"{counts['claims']} claim(s), {counts['documents']} document(s)")
        for lockout in active_lockouts(db):
            click.echo(f"      sign-ins locked for {lockout['scope']} {lockout['subject']} until {lockout['locked_until']}")
    db.close()
    if not all(check.ok for check in checks):
        click.echo("Not ready.", err=True)
        sys.exit(1)
    click.echo("Ready.")
