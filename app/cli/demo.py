"""`claimdesk demo`: demo users, articles, prior reviews and a desk with claims in every state."""

import random
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from importlib import resources

import click
from flask import current_app
from flask.cli import with_appcontext

from app.cli.common import drain_before_exit, fail, get_cli_db
from app.config import save_instance_settings
from review import claims, evidence, recheck, second_rating, users, verdicts, workflow
from review.claimreview.build import Publisher
from review.claimreview.store import import_paths
from review.ingest import store
from review.prior import refresh_marks
from app.db import open_search

DEMO_USERS = [("admin", "admin"), ("editor", "editor"), ("checker", "checker"), ("checker2", "checker")]
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
    activity = backdate_activity(db)
    return {"passwords": passwords, "documents": added, "skipped": False, "arranged": arranged, "activity": activity}


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
    # The claim in review has a blind second rating that disagrees: the review screen shows both side by side.
    second_rating.set_enabled(db, True, actor_id=None)
    second_rating.request(db, in_review, editor, users.find_user(db, "checker2")["id"])
    first = verdicts.open_revision(db, in_review)["rating_key"]
    second_rating.rate(db, in_review, users.find_user(db, "checker2"), "half-true" if first != "half-true" else "false",
                       "Demo: the official table confirms part of the claim; the rest has no source.")
    workflow.apply_action(db, queued, "accept", checker)
    workflow.apply_action(db, dismissed, "dismiss", checker, reason="opinion")
    return True


# 90 days of a desk's work, made up (clearly demo data): outlets publish articles with claims, which
# checkers triage, research, rate and submit and an editor approves, sends back or leaves waiting.
ACTIVITY_DAYS = 90
ACTIVITY_URL = DEMO_URL + "activity-"
OUTLETS = ["Riverton Herald (demo)", "Harbor Gazette (demo)", "Northern Courier (demo)", "Valley Tribune (demo)"]
SPEAKERS = ["Interior Minister Dana Holt", "Mayor Luis Ortega", "Senator Grace Okafor", "Opposition leader Tom Becker",
            "Police spokesman Ian Reyes", "Health Minister Ana Ruiz", "Councillor Maya Lindqvist"]
STATEMENTS = [
    "{n} people were evacuated from {place} on {weekday}", "unemployment in {place} fell to {p} percent in {month}",
    "the new bridge in {place} cost {n} million dollars", "{n} new cases of measles were reported in {place} last week",
    "crime in {place} fell by {p} percent last year", "the city built {n} affordable homes in {place} last year",
    "{n} families in {place} lost their homes in the floods", "wheat exports rose by {p} percent in {month}",
    "the government hired {n} new teachers in {place} this year", "hospital waiting times in {place} doubled since {month}",
]
PLACES = ["Riverton", "Harbor City", "the northern districts", "Eastvale", "Lake County", "the old town"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
SECOND_SHARE, SECOND_AGREE = 0.3, 0.7  # a share of submitted claims gets a blind second rating; most agree
RATING_MIX = ["false"] * 4 + ["mostly-false"] * 3 + ["half-true"] * 2 + ["mostly-true", "true", "misleading",
                                                                           "missing-context", "unproven"]


def backdate_activity(db, *, days: int = ACTIVITY_DAYS, seed: int = 90) -> int:
    """Add ``days`` days of desk activity, with every timestamp moved into the past; only once.

    Articles arrive every day or two; their claims are triaged within hours, researched, rated,
    submitted and approved over the following days (one in six is sent back once), so the
    dashboard has flows, ages, timings, ratings and a workload to show. Returns the claims added.
    """
    if db.one("SELECT id FROM documents WHERE url LIKE ? LIMIT 1", [ACTIVITY_URL + "%"]):
        return 0
    rng = random.Random(seed)
    people = {name: users.find_user(db, name) for name in ("checker", "checker2", "editor")}
    checkers = [people["checker"], people["checker2"]]
    publisher = Publisher(DEMO_SETTINGS["ORG_NAME"], DEMO_SETTINGS["ORG_URL"], DEMO_SETTINGS["PUBLIC_URL"])
    end = datetime.now(timezone.utc).replace(microsecond=0)
    added = 0
    with db.transaction():  # one commit: the steps inside become savepoints
        second_rating.set_enabled(db, True, actor_id=None)  # the dashboard's agreement chart has pairs to show
        for number in range(days * 2 // 3):
            arrived = end - timedelta(days=days * (1 - number / (days * 2 // 3)), hours=rng.randint(-10, 0))
            body = " ".join(_sentence(rng) for _ in range(rng.randint(2, 4)))
            outcome = store.add_document(db, body=body, source=rng.choice(OUTLETS), origin="demo-activity",
                                         url=f"{ACTIVITY_URL}{number}", published_at=arrived.date().isoformat())
            if outcome.status != "added":
                continue
            for claim in db.query("SELECT id FROM claims WHERE document_id = ? ORDER BY id", [outcome.document_id]):
                _live(db, claim["id"], arrived, end, rng, checkers, people["editor"], publisher)
                added += 1
    return added


def _sentence(rng: random.Random) -> str:
    statement = rng.choice(STATEMENTS).format(
        n=f"{rng.randint(12, 4800):,}", p=rng.randint(2, 40), place=rng.choice(PLACES), month=rng.choice(MONTHS),
        weekday=rng.choice(WEEKDAYS))
    return f"{rng.choice(SPEAKERS)} said {statement}."


def _live(db, claim_id: int, arrived: datetime, end: datetime, rng: random.Random, checkers, editor, publisher):
    """Take one claim as far as its age allows, stamping each step at its moment in the past."""
    moment = arrived
    times = {"created": moment}

    def step(hours: float, action, *args, **kwargs) -> bool:
        nonlocal moment
        when = moment + timedelta(hours=hours)
        if when >= end:
            return False
        before = db.scalar("SELECT coalesce(max(id), 0) FROM events")
        action(*args, **kwargs)
        db.execute("UPDATE events SET at = ? WHERE id > ?", [when.isoformat(), before])
        moment = when
        return True

    checker = rng.choice(checkers)
    if rng.random() < 0.2:
        if step(rng.uniform(1, 20), workflow.apply_action, db, claim_id, "dismiss", checker,
                reason=rng.choice(["opinion", "not_checkworthy", "out_of_scope"])):
            times["closed"] = moment
        return _stamp(db, claim_id, times, moment)
    if not step(rng.uniform(1, 24), workflow.apply_action, db, claim_id, "accept", checker):
        return _stamp(db, claim_id, times, moment)
    if rng.random() < 0.15 or not step(rng.uniform(2, 60), workflow.apply_action, db, claim_id, "start", checker):
        return _stamp(db, claim_id, times, moment)
    times["started"] = moment
    claim = claims.get_claim(db, claim_id)
    if not claim["claimant"]:
        claims.update_claim(db, claim_id, checker, version=claim["version"], claimant=rng.choice(SPEAKERS))
    evidence.add_evidence(db, claim_id, checker, url="https://claimdesk.invalid/demo/official-figures",
                          title="Official figures (demo source)", excerpt="Demo excerpt: the official table.",
                          stance=rng.choice(["refutes", "supports", "context"]))
    rating = rng.choice(RATING_MIX)
    verdicts.save_draft(db, claims.get_claim(db, claim_id), checker, {
        "rating_key": rating, "conclusion": "Demo: compared with the official figures", "claim_reviewed": claim["text"],
        "explanation": "This is **demo data**: the claim is compared with the official figures."})
    if not step(rng.uniform(6, 96), workflow.apply_action, db, claim_id, "submit", checker, publisher=publisher):
        return _stamp(db, claim_id, times, moment)
    times["submitted"] = moment
    second = None
    if rng.random() < SECOND_SHARE:
        other = next(c for c in checkers if c["id"] != checker["id"])
        if not step(rng.uniform(1, 12), second_rating.request, db, claim_id, editor, other["id"]):
            return _stamp(db, claim_id, times, moment)
        times["second_asked"] = moment
        second = rating if rng.random() < SECOND_AGREE else rng.choice([r for r in RATING_MIX if r != rating])
        if not step(rng.uniform(2, 36), second_rating.rate, db, claim_id, other, second,
                    "Demo: rated from the official figures without seeing the first rating."):
            return _stamp(db, claim_id, times, moment)  # the second rating is still awaited
        times["second_rated"] = moment
    if rng.random() < 0.17:
        if not step(rng.uniform(2, 30), workflow.apply_action, db, claim_id, "send_back", editor,
                    comment="Demo: add the source of the official figures."):
            return _stamp(db, claim_id, times, moment)
        if not step(rng.uniform(2, 48), workflow.apply_action, db, claim_id, "submit", checker, publisher=publisher):
            return _stamp(db, claim_id, times, moment)
        times["submitted"] = moment
    decision = "approve_second" if second and second != rating and rng.random() < 0.4 else "approve"
    if step(rng.uniform(1, 40), workflow.apply_action, db, claim_id, decision, editor, publisher=publisher):
        times["closed"] = times["approved"] = moment
        if rng.random() < 0.12:  # moving figures: check again soon (some already due)
            recheck.set_recheck(db, claim_id, editor, (end + timedelta(days=rng.randint(0, 20))).date().isoformat())
    _stamp(db, claim_id, times, moment)


def _stamp(db, claim_id: int, times: dict, last: datetime) -> None:
    """Move the claim's rows to the moments its steps were given (triggers move the dashboard's tallies)."""
    created, stamp = times["created"].isoformat(), last.isoformat()
    db.execute("UPDATE claims SET created_at = ?, updated_at = ? WHERE id = ?", [created, stamp, claim_id])
    db.execute("UPDATE claim_appearances SET created_at = ? WHERE claim_id = ?", [created, claim_id])
    db.execute("UPDATE documents SET ingested_at = ? WHERE id = (SELECT document_id FROM claims WHERE id = ?)",
               [created, claim_id])
    if "closed" in times:
        db.execute("UPDATE claims SET closed_at = ? WHERE id = ?", [times["closed"].isoformat(), claim_id])
    if "started" in times:
        started = times["started"].isoformat()
        db.execute("UPDATE evidence SET added_at = ?, updated_at = ? WHERE claim_id = ?", [started, started, claim_id])
        db.execute("UPDATE revision_authors SET first_at = ? WHERE claim_id = ?", [started, claim_id])
        approved = times.get("approved")
        db.execute("UPDATE verdicts SET created_at = ?, updated_at = ?, submitted_at = ?, approved_at = ?,"
                   " published_at = ? WHERE claim_id = ?",
                   [started, stamp, times["submitted"].isoformat() if "submitted" in times else None,
                    approved and approved.isoformat(), approved and approved.isoformat(), claim_id])
    db.execute("UPDATE notes SET created_at = ? WHERE claim_id = ?", [stamp, claim_id])
    if "second_asked" in times:
        rated = times.get("second_rated") and times["second_rated"].isoformat()
        db.execute("UPDATE second_ratings SET requested_at = ?, rated_at = ?, compared_at = ? WHERE claim_id = ?",
                   [times["second_asked"].isoformat(), rated, rated, claim_id])


@click.command()
@click.option("--first-run", is_flag=True, help="Do nothing when the instance already has users.")
@click.option("--article", "articles", multiple=True, metavar="PATH", type=click.Path(exists=True, dir_okay=False),
              help="Also load this plain-text (UTF-8) article; repeat for more.")
@with_appcontext
def demo(first_run: bool, articles: tuple[str, ...]):
    """Load demo users, articles, prior reviews, claims in every state and 90 days of desk activity (idempotent)."""
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
    index = open_search(current_app.config, db)
    try:
        refresh_marks(db, index, limit=500)
    finally:
        index.close()
    if outcome["passwords"]:
        click.echo("Demo users (passwords are shown only once):")
        for name, password in outcome["passwords"].items():
            click.echo(f"  {name:<8} {password}")
    if outcome.get("activity"):
        click.echo(f"Backdated {ACTIVITY_DAYS} days of desk activity: {outcome['activity']} claims (see /dashboard).")
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
