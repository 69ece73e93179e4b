"""Erasing a person's name: claims, evidence, verdicts, notes and events say [erased] instead, search, the API,
the export and the public page no longer show the name, and who did what when is kept."""

import pytest

from review import claims, erasure, evidence, users, verdicts, workflow
from review.errors import ValidationError
from review.indexing import drain
from review.ingest.store import add_document
from tests.conftest import add_user, login

NAME = "Ana Lopez"
ARTICLE = ("Minister defends housing figures\n\nMinister Ana Lopez said 4,000 homes were rebuilt in 2023. "
           "Critics said the figure was closer to 1,200.")


@pytest.fixture
def world(app, db):
    cara, eddie, root = add_user(db, "cara"), add_user(db, "eddie", "editor"), add_user(db, "root", "admin")
    namesake = add_user(db, "alopez", "checker")
    db.execute("UPDATE users SET display_name = ? WHERE id = ?", ["Ana  lopez", namesake["id"]])
    document = add_document(db, body=ARTICLE, source="Daily", url="https://daily.example/h").document_id
    claim = claims.create_manual_claim(db, text="Ana Lopez said 4,000 homes were rebuilt in 2023.",
                                       claimant="Minister Ana Lopez", url="https://tv.example/clip", appeared_at="2024-12-07")
    for action in ("accept", "start"):
        workflow.apply_action(db, claim["id"], action, cara)
    evidence.add_evidence(db, claim["id"], cara, document_id=document, excerpt="Minister Ana Lopez said 4,000 homes")
    workflow.add_note(db, claim["id"], cara["id"], "Called ANA LOPEZ's office; no answer.")
    verdicts.save_draft(db, claims.get_claim(db, claim["id"]), cara, {
        "rating_key": "false", "conclusion": "About 1,200 homes were rebuilt",
        "claim_reviewed": "Ana Lopez: 4,000 homes were rebuilt in 2023",
        "explanation": "Records contradict what Lopez's ministry (and Ana Lopez) said."})
    workflow.apply_action(db, claim["id"], "submit", cara)
    workflow.apply_action(db, claim["id"], "approve", eddie)
    drain(db, app.config["INDEX"])
    return {"cara": cara, "eddie": eddie, "root": root, "namesake": namesake, "claim": claim["id"],
            "document": document}


def visible(app, db, world) -> str:
    token = users.issue_token(db, world["eddie"]["id"])
    headers = {"Authorization": f"Bearer {token}"}
    api = app.test_client()
    claim = world["claim"]
    shown = [api.get(f"/api/v1/claims/{claim}", headers=headers).get_data(as_text=True),
             api.get(f"/api/v1/claims/{claim}/evidence", headers=headers).get_data(as_text=True),
             api.get("/api/v1/search?q=minister&kind=verdict", headers=headers).get_data(as_text=True),
             api.get("/api/v1/search?q=homes&kind=verdict", headers=headers).get_data(as_text=True),
             api.get("/api/v1/claimreview", headers=headers).get_data(as_text=True),
             api.get(f"/fact-checks/{claim}/", follow_redirects=True).get_data(as_text=True),
             api.get(f"/claims/{claim}/claimreview.json").get_data(as_text=True)]
    editor = app.test_client()
    assert login(editor, "eddie").status_code == 303
    shown += [editor.get(f"/claims/{claim}").get_data(as_text=True),
              editor.get("/export/download?format=csv").get_data(as_text=True),
              editor.get("/?tab=published").get_data(as_text=True)]
    return "\n".join(shown).lower()


def test_the_name_is_erased_everywhere_the_desk_wrote_it(app, db, index, world):
    assert "ana lopez" in visible(app, db, world)
    assert index.search("claimant:lopez", kind="verdict").total == 1
    events_before = db.query("SELECT id, at, actor_id, action, entity_type, entity_id FROM events ORDER BY id")
    plan = erasure.plan_erasure(db, "ana   LOPEZ")
    # The claim typed in, and the one extracted from the article.
    assert plan["counts"]["claims"] == 2 and plan["counts"]["users"] == 1 and plan["counts"]["events"] >= 1
    counts = erasure.erase_name(db, "ana   LOPEZ", world["root"])
    assert counts["claims"] == 2 and counts["evidence"] == 1 and counts["notes"] == 1 and counts["verdicts"] == 1
    drain(db, app.config["INDEX"])
    shown = visible(app, db, world)
    assert "ana lopez" not in shown and "[erased]" in shown
    claim = claims.get_claim(db, world["claim"])
    assert claim["claimant"] == "Minister [erased]" and claim["text"].startswith("[erased] said")
    published = verdicts.published_revision(db, world["claim"])
    assert published["claim_reviewed"] == "[erased]: 4,000 homes were rebuilt in 2023"
    assert "Lopez's ministry (and [erased])" in published["explanation"]  # a surname alone is another name
    # Search finds the claim under its placeholder, not under the name.
    assert index.search("claimant:lopez", kind="verdict").total == 0
    assert index.search("homes", kind="verdict").total == 1
    # Who did what and when is kept, event by event; only details changed.
    assert db.query("SELECT id, at, actor_id, action, entity_type, entity_id FROM events WHERE id <= ? ORDER BY id",
                    [events_before[-1]["id"]]) == events_before
    assert all("ana lopez" not in r["details"].lower() for r in db.query("SELECT details FROM events"))
    namesake = users.get_user(db, world["namesake"]["id"])
    assert (namesake["username"], namesake["display_name"], namesake["active"]) == (
        f"erased-{namesake['id']}", "[erased]", 0)
    audit = db.one("SELECT actor_id, details FROM events WHERE action = 'name.erase'")
    assert audit["actor_id"] == world["root"]["id"] and "lopez" not in audit["details"].lower()
    # The article's own text is not rewritten: purge it to remove it (docs/REMOVAL.md).
    assert "Ana Lopez" in db.scalar("SELECT body FROM documents WHERE id = ?", [world["document"]])


@pytest.mark.parametrize("name", ["", "  ", "ab", ["Ana"]])
def test_a_name_too_short_or_not_text_is_refused(db, world, name):
    with pytest.raises(ValidationError):
        erasure.plan_erasure(db, name)


def test_the_admin_form_shows_the_counts_then_erases(app, db, world):
    admin = app.test_client()
    assert login(admin, "root").status_code == 303
    short = admin.post("/admin/erase/preview", data={"name": "al"})
    assert short.status_code == 422 and "at least 3 letters" in short.get_data(as_text=True)
    preview = admin.post("/admin/erase/preview", data={"name": NAME}).get_data(as_text=True)
    assert "2 claims" in preview and "Erase the name for good" in preview
    assert claims.get_claim(db, world["claim"])["claimant"] == "Minister Ana Lopez"  # nothing yet
    done = admin.post("/admin/erase", data={"name": NAME}, follow_redirects=True)
    assert done.status_code == 200 and "Name erased from" in done.get_data(as_text=True)
    assert claims.get_claim(db, world["claim"])["claimant"] == "Minister [erased]"


def test_the_erase_name_command(app, db, runner, world):
    result = runner.invoke(args=["erase-name", NAME], input="n\n")
    assert result.exit_code == 1 and "2 claims" in result.output
    result = runner.invoke(args=["erase-name", NAME, "--yes", "--as", "root"])
    assert result.exit_code == 0, result.output
    assert claims.get_claim(db, world["claim"])["claimant"] == "Minister [erased]"
    assert runner.invoke(args=["erase-name", NAME, "--yes"]).output.strip() == "Found: nothing."
