"""`claimdesk demo`: demo users and articles, so a fresh install shows a living desk."""

import secrets
from importlib import resources
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.cli import get_cli_db, main
from review import documents, users
from search_index.sync import drain

DEMO_USERS = [("admin", "admin"), ("editor", "editor"), ("checker", "checker")]
DEMO_ARTICLES = [("riverton-budget.txt", "Riverton Herald (demo)"), ("harbor-vaccines.txt", "Harbor Gazette (demo)")]
SEED_ARTICLE = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "hts-offensive-lavrov.txt"


def load_demo(db, *, first_run: bool = False) -> dict:
    """Create demo users (returning their new passwords) and load the demo articles; idempotent."""
    existing = {u["username"] for u in users.list_users(db)}
    if first_run and existing:
        return {"passwords": {}, "documents": 0, "skipped": True}
    passwords = {}
    for name, role in DEMO_USERS:
        if name not in existing:
            password = secrets.token_urlsafe(9)
            users.create_user(db, name, role, password, display_name=f"Demo {role}")
            passwords[name] = password
    added = 0
    folder = resources.files("app.demo")
    for filename, source in DEMO_ARTICLES:
        result = documents.add_document(db, body=folder.joinpath(filename).read_text(encoding="utf-8"),
                                        source=source, origin="demo")
        added += result.status == "added"
    if SEED_ARTICLE.exists():
        result = documents.add_document(db, body=SEED_ARTICLE.read_text(encoding="utf-8"), source="RT",
                                        published_at="2024-12-08", origin="demo")
        added += result.status == "added"
    return {"passwords": passwords, "documents": added, "skipped": False}


@main.command()
@click.option("--first-run", is_flag=True, help="Do nothing when the instance already has users.")
@with_appcontext
def demo(first_run: bool):
    """Load demo users and demo articles (idempotent: nothing is loaded twice)."""
    db = get_cli_db()
    outcome = load_demo(db, first_run=first_run)
    drain(db, current_app.config["INDEX"], wait=5)
    if outcome["skipped"]:
        click.echo(f"Instance {current_app.config['INSTANCE']} is already set up; sign in with your users "
                   "(`claimdesk user password NAME` sets a new password).")
        return
    if outcome["passwords"]:
        click.echo("Demo users (passwords are shown only once):")
        for name, password in outcome["passwords"].items():
            click.echo(f"  {name:<8} {password}")
    click.echo(f"Loaded {outcome['documents']} new demo article(s).")
