"""`claimdesk user add|password|token|list`: users and their API tokens."""

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from app.cli.common import fail, get_cli_db
from review import users


@click.group()
def user():
    """Manage users and their API tokens."""


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@user.command("add")
@click.argument("name")
@click.option("--role", required=True, help="checker, editor or admin.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@with_appcontext
def user_add(name: str, role: str, password_stdin: bool):
    """Add a user NAME with a role; the password comes from a prompt or stdin."""
    if role not in users.ROLES:
        fail(f"unknown role {role!r}; choose one of {', '.join(users.ROLES)}")
    created = users.create_user(get_cli_db(), name, role, _read_password(password_stdin),
                                hash_method=current_app.config["PASSWORD_HASH_METHOD"])
    click.echo(f"Created {created['role']} {created['username']}.")


@user.command("password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@with_appcontext
def user_password(name: str, password_stdin: bool):
    """Set a new password for NAME (ends their sessions and tokens)."""
    database = get_cli_db()
    found = users.find_user(database, name)
    users.set_password(database, found["id"], _read_password(password_stdin), actor_id=None,
                       hash_method=current_app.config["PASSWORD_HASH_METHOD"])
    click.echo(f"Password changed for {found['username']}.")


@user.command("token")
@click.argument("name")
@click.option("--label", default="cli", help="A note on what the token is for.")
@with_appcontext
def user_token(name: str, label: str):
    """Print a new API token for NAME (shown once; only its hash is stored)."""
    database = get_cli_db()
    found = users.find_user(database, name)
    click.echo(users.issue_token(database, found["id"], label=label))


@user.command("list")
@with_appcontext
def user_list():
    """List users with their roles."""
    for row in users.list_users(get_cli_db()):
        click.echo(f"{row['username']:<20} {row['role']:<8} {'active' if row['active'] else 'deactivated'}")
