"""`claimdesk demo`: demo users, articles, prior reviews and a desk with claims in every state."""

import secrets
from collections.abc import Sequence
from importlib import resources

import click
from flask import current_app
from flask.cli import with_appcontext

from app.cli.common import drain_before_exit, fail, get_cli_db
from app.config import save_instance_settings
from review import claims, evidence, users, verdicts, workflow
from review.claimreview.build import Publisher
from review.claimreview.store import import_paths
from review.ingest import store
from review.prior import refresh_marks
from search_index import open_index

DEMO_USERS = [("admin", "admin"), ("editor", "editor"), ("checker", "checker")]
DEMO_ARTICLES = [("riverton-budget.txt", "Riverton Herald (demo)", "2024-03-01"),
                 ("harbor-vaccines.txt", "Harbor Gazette (demo)", "2025-01-15")]
DEMO_URL = "https://claimdesk.invalid/demo/articles/"
DEMO_SETTINGS = {"PUBLIC_URL": "http://127.0.0.1:5000", "ORG_NAME": "Claimdesk Demo Desk",
                 "ORG_URL": "https://claimdesk.invalid/demo"}
# (rating, conclusion) for the demo verdicts; they are demo data, not findings.
DEMO_VERDICTS = [("mostly-false", "Demo: the official figures do not support the full claim"),
                 ("unproven", "Demo: no independent source confirms this yet")]


def load_demo(db, *, first_run: bool = False, articles: Sequence[str] = (),
              hash_method: str = users.HASH_METHOD) -> dict:
    """Create demo users (returning their new passwords), articles, prior reviews and claim states; idempotent.

    ``articles`` are the texts of extra articles to load beside the ones that ship in app/demo/.
    """
    existing = {u["username"] for u in users.list_users(db)}
    if first_run and existing:
        return {"passwords": {}, "documents": 0, "skipped": True}
    passwords = {}
    for name, role in DEMO_USERS:
        if name not in existing:
            password = secrets.token_urlsafe(9)
            users.create_user(db, name, role, password, display_name=f"Demo {role}", hash_method=hash_method)
            passwords[name] = password
    added = 0
    folder = resources.files("app.demo")
    for filename, source, published in DEMO_ARTICLES:
        result = store.add_document(db, body=folder.joinpath(filename).read_text(encoding="utf-8"),
                                    source=source, published_at=published, origin="demo",
                                    url=DEMO_URL + filename.removesuffix(".txt"))
        added += result.status == "added"
    for text in articles:
        added += store.add_document(db, body=text, origin="demo").status == "added"
    with resources.as_file(folder.joinpath("prior_reviews.jsonl")) as path:
        import_paths(db, [str(path)])
    arranged = arrange_desk(db)
    return {"passwords": passwords, "documents": added, "skipped": False, "arranged": arranged}


def arrange_desk(db) -> bool:
    """Move a few demo claims through the workflow so every state has something; only once."""
    if db.one("SELECT id FROM claims WHERE status != 'new' LIMIT 1"):
        return False
    checker, editor = users.find_user(db, "checker"), users.find_user(db, "editor")
    demo = [r["id"] for r in db.query(
        "SELECT c.id FROM claims c JOIN documents d ON d.id = c.document_id WHERE d.origin = 'demo'"
        " AND d.source LIKE '%(demo)' ORDER BY c.priority DESC, c.id")]
    if len(demo) < 6:
        return False
    publisher = Publisher(DEMO_SETTINGS["ORG_NAME"], DEMO_SETTINGS["ORG_URL"], DEMO_SETTINGS["PUBLIC_URL"])
    published, in_review, in_progress, queued, dismissed = demo[:5]
    for claim_id in (published, in_review, in_progress):
        for action in ("accept", "start"):
            workflow.apply_action(db, claim_id, action, checker)
        claim = claims.get_claim(db, claim_id)
        evidence.add_evidence(db, claim_id, checker, url="https://claimdesk.invalid/demo/official-statistics",
                              title="Official statistics table (demo source)", excerpt="Demo excerpt: the table lists a lower figure.",
                              stance="refutes")
        rating, conclusion = DEMO_VERDICTS[claim_id % len(DEMO_VERDICTS)]
        verdicts.save_draft(db, claims.get_claim(db, claim_id), checker, {
            "rating_key": rating, "conclusion": conclusion, "claim_reviewed": claim["text"],
            "explanation": "This is **demo data**: the figures quoted in the article are compared with the "
                           "official statistics table listed below."})
    for claim_id in (published, in_review):
        workflow.apply_action(db, claim_id, "submit", checker, publisher=publisher)
    workflow.apply_action(db, published, "approve", editor, publisher=publisher)
    workflow.apply_action(db, queued, "accept", checker)
    workflow.apply_action(db, dismissed, "dismiss", checker, reason="opinion")
    return True


@click.command()
@click.option("--first-run", is_flag=True, help="Do nothing when the instance already has users.")
@click.option("--article", "articles", multiple=True, metavar="PATH", type=click.Path(exists=True, dir_okay=False),
              help="Also load this plain-text (UTF-8) article; repeat for more.")
@with_appcontext
def demo(first_run: bool, articles: tuple[str, ...]):
    """Load demo users, articles, prior reviews and claims in every state (idempotent)."""
    texts = [_read_article(path) for path in articles]
    db = get_cli_db()
    outcome = load_demo(db, first_run=first_run, articles=texts,
                        hash_method=current_app.config["PASSWORD_HASH_METHOD"])
    if outcome["skipped"]:
        click.echo(f"Instance {current_app.config['INSTANCE']} is already set up; sign in with your users "
                   "(`claimdesk user password NAME` sets a new password).")
        return
    save_instance_settings(current_app.config["INSTANCE"], DEMO_SETTINGS)
    drain_before_exit(db)
    index = open_index(current_app.config["INDEX"])
    try:
        refresh_marks(db, index, limit=500)
    finally:
        index.close()
    if outcome["passwords"]:
        click.echo("Demo users (passwords are shown only once):")
        for name, password in outcome["passwords"].items():
            click.echo(f"  {name:<8} {password}")
    click.echo(f"Loaded {outcome['documents']} new demo article(s) and the demo prior reviews; "
               f"publishing as {DEMO_SETTINGS['ORG_NAME']} at {current_app.config['PUBLIC_URL']}.")


def _read_article(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except UnicodeDecodeError as error:
        fail(f"{path} is not UTF-8 text (undecodable byte at offset {error.start})")
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror or error}")
