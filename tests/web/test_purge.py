"""Purging a document or a claim: search, the API, the ClaimReview export and the public page no longer show it,
nothing that copied its text keeps it, and one audit event says who purged what, when."""

import json

import pytest

from review import claims, evidence, purge, users, verdicts, workflow
from review.indexing import drain
from review.ingest.store import add_document
from tests.conftest import BACKEND, add_user, login

ARTICLE = ("Harbor council approves turbine plan\n\nThe Harbor council approved a turbine plan on Tuesday. "
           "The mayor said the zephyrine turbines would power 40,000 homes by 2027.")
OTHER = ("Port report\n\nOfficials said the port handled 4.1 million containers last year, a record. "
         "Harbor traffic rose 12 percent in 2024, the harbor master said.")
SECRET = "zephyrine"  # a word only the purged article holds
# What only the purged article, its claims and its fact-check say (pages echo the query, so not the query word).
MARKERS = ("zephyrine turbines would power", "harbor council approves turbine plan", "gazette.example/t",
           "power 9,000 homes")


@pytest.fixture
def world(app, db):
    cara, eddie, root = add_user(db, "cara"), add_user(db, "eddie", "editor"), add_user(db, "root", "admin")
    purged_doc = add_document(db, body=ARTICLE, source="Harbor Gazette", url="https://gazette.example/t").document_id
    kept_doc = add_document(db, body=OTHER, source="Port Daily", url="https://port.example/r").document_id
    target = db.scalar("SELECT id FROM claims WHERE document_id = ? AND text LIKE ? ORDER BY id",
                       [purged_doc, f"%{SECRET}%"])
    kept = db.scalar("SELECT id FROM claims WHERE document_id = ? ORDER BY id", [kept_doc])
    # The purged article's claim is published with evidence quoting it; a kept claim quotes it too.
    for action in ("accept", "start"):
        workflow.apply_action(db, target, action, cara)
    evidence.add_evidence(db, target, cara, document_id=purged_doc, excerpt="zephyrine turbines would power 40,000 homes")
    verdicts.save_draft(db, claims.get_claim(db, target), cara, {
        "rating_key": "false", "conclusion": "Zephyrine turbines power 9,000 homes",
        "claim_reviewed": "Zephyrine turbines would power 40,000 homes by 2027"})
    workflow.apply_action(db, target, "submit", cara)
    workflow.apply_action(db, target, "approve", eddie)
    workflow.apply_action(db, kept, "accept", cara)
    workflow.apply_action(db, kept, "start", cara)
    quote = evidence.add_evidence(db, kept, cara, document_id=purged_doc, excerpt="The Harbor council approved a turbine plan")
    drain(db, app.config["INDEX"])
    return {"cara": cara, "eddie": eddie, "root": root, "purged_doc": purged_doc, "kept_doc": kept_doc,
            "target": target, "kept": kept, "quote": quote["id"]}


def everything_visible(app, db, index, world) -> str:
    """Return what search, the API, the export and the public pages show, as one text."""
    token = users.issue_token(db, world["eddie"]["id"])
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    shown = [api.get(f"/api/v1/search?q={SECRET}&kind={kind}", headers=headers).get_data(as_text=True)
             for kind in ("document", "verdict")]
    shown += [api.get(f"/api/v1/claims?status={tab}&q={SECRET}", headers=headers).get_data(as_text=True)
              for tab in ("new", "published", "in_progress")]
    shown += [api.get(f"/api/v1/claims/{world['kept']}", headers=headers).get_data(as_text=True),
              api.get(f"/api/v1/documents/{world['kept_doc']}", headers=headers).get_data(as_text=True),
              api.get("/api/v1/claimreview", headers=headers).get_data(as_text=True),
              api.get("/fact-checks/", follow_redirects=True).get_data(as_text=True)]
    editor = app.test_client()
    assert login(editor, "eddie").status_code == 303
    shown += [editor.get(f"/export/download?format={fmt}").get_data(as_text=True) for fmt in ("json", "csv")]
    shown += [editor.get(f"/search/?q={SECRET}").get_data(as_text=True),
              editor.get(f"/?tab=all&q={SECRET}").get_data(as_text=True),
              editor.get(f"/search/?q={SECRET}&kind=verdict").get_data(as_text=True)]
    shown.append(" ".join(str(h.fields) for h in index.search(SECRET, kind="document").hits))
    return "\n".join(shown).lower()


def test_purging_a_document_removes_every_copy_of_its_text(app, db, index, world):
    before = everything_visible(app, db, index, world)
    assert all(marker in before for marker in MARKERS)
    plan = purge.plan_purge(db, "document", world["purged_doc"])
    assert plan["claim_ids"] and world["target"] in plan["claim_ids"] and plan["counts"]["public_verdicts"] == 1
    purge.purge(db, "document", world["purged_doc"], world["root"])
    drain(db, app.config["INDEX"])
    index.close()
    after = everything_visible(app, db, index, world)
    assert [marker for marker in MARKERS if marker in after] == []
    client = app.test_client()
    assert client.get(f"/fact-checks/{world['target']}/").status_code == 404
    token = users.issue_token(db, world["eddie"]["id"])
    for path in (f"/api/v1/claims/{world['target']}", f"/api/v1/documents/{world['purged_doc']}"):
        assert client.get(path, headers={"Authorization": f"Bearer {token}"}).status_code == 404
    # The kept claim lost the evidence quoting the article, and its history says so without the text.
    assert [e["id"] for e in evidence.list_evidence(db, world["kept"])] == []
    # No row anywhere still points at the purged claims, and no event or outbox entry holds the text.
    for table in tables_with(db, "claim_id"):
        assert db.scalar(f"SELECT count(*) FROM {table} WHERE claim_id IN ({purge.marks(plan['claim_ids'])})",
                         plan["claim_ids"]) == 0, table
    assert all(SECRET not in r["details"].lower() and "harbor council approved" not in r["details"].lower()
               for r in db.query("SELECT details FROM events"))
    assert db.scalar("SELECT count(*) FROM index_outbox WHERE done_at IS NULL") == 0
    audit = db.one("SELECT actor_id, action, entity_type, entity_id, details FROM events WHERE action = 'document.purge'")
    assert (audit["actor_id"], audit["entity_id"]) == (world["root"]["id"], world["purged_doc"])
    assert json.loads(audit["details"])["claims"] == plan["claim_ids"]
    assert db.scalar("SELECT count(*) FROM documents WHERE id = ?", [world["purged_doc"]]) == 0
    assert db.scalar("SELECT count(*) FROM documents WHERE id = ?", [world["kept_doc"]]) == 1


def tables_with(db, column: str) -> list[str]:
    """Return every table with the column (the schema as it is, so a table added later is checked too)."""
    if BACKEND == "postgres":
        rows = db.query("SELECT table_name AS name FROM information_schema.columns WHERE table_schema = 'public'"
                        " AND column_name = ?", [column])
    else:
        rows = db.query("SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) p"
                        " WHERE m.type = 'table' AND p.name = ?", [column])
    return sorted(r["name"] for r in rows)


def test_purging_a_claim_keeps_its_document_and_reopens_what_was_merged_into_it(app, db, index, world):
    other = claims.create_manual_claim(db, text="Zephyrine turbines will light 40,000 homes.", claimant="The mayor")
    workflow.apply_action(db, other["id"], "merge", world["cara"], target_id=world["target"])
    purge.purge(db, "claim", world["target"], world["root"])
    drain(db, app.config["INDEX"])
    assert db.scalar("SELECT count(*) FROM claims WHERE id = ?", [world["target"]]) == 0
    assert db.scalar("SELECT count(*) FROM documents WHERE id = ?", [world["purged_doc"]]) == 1
    reopened = claims.get_claim(db, other["id"])
    assert (reopened["status"], reopened["duplicate_of"]) == ("new", None)
    assert index.search("zephyrine", kind="verdict").total == 0


@pytest.mark.parametrize("kind, entity_id, field", [("page", 1, "kind"), ("claim", "x", "id"), ("claim", None, "id")])
def test_bad_purge_requests_are_named(db, world, kind, entity_id, field):
    from review.errors import ValidationError

    with pytest.raises(ValidationError) as error:
        purge.plan_purge(db, kind, entity_id)
    assert field in error.value.fields


def test_the_admin_sees_what_will_go_before_purging_in_the_browser(app, db, world):
    admin = app.test_client()
    assert login(admin, "root").status_code == 303
    missing = admin.post("/admin/purge/preview", data={"kind": "claim", "id": "99999"})
    assert missing.status_code == 404 and "claim 99999 not found" in missing.get_data(as_text=True)
    preview = admin.post("/admin/purge/preview", data={"kind": "document", "id": world["purged_doc"]})
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and f"Purge document {world['purged_doc']} for good" in page
    assert db.scalar("SELECT count(*) FROM documents WHERE id = ?", [world["purged_doc"]]) == 1  # nothing yet
    done = admin.post("/admin/purge", data={"kind": "document", "id": world["purged_doc"]}, follow_redirects=True)
    assert done.status_code == 200 and f"Purged document {world['purged_doc']}" in done.get_data(as_text=True)
    assert f"document {world['purged_doc']} purged" in done.get_data(as_text=True)  # the audit list
    editor = app.test_client()
    assert login(editor, "eddie").status_code == 303
    assert editor.post("/admin/purge", data={"kind": "document", "id": world["kept_doc"]}).status_code == 403


def test_the_purge_command_asks_first(app, db, runner, world):
    result = runner.invoke(args=["purge", "claim", str(world["target"])], input="n\n")
    assert result.exit_code == 1 and "1 claim(s)" in result.output
    assert db.scalar("SELECT count(*) FROM claims WHERE id = ?", [world["target"]]) == 1
    result = runner.invoke(args=["purge", "claim", str(world["target"]), "--yes", "--as", "root"])
    assert result.exit_code == 0, result.output
    assert f"Purged claim {world['target']}" in result.output
    assert db.scalar("SELECT actor_id FROM events WHERE action = 'claim.purge'") == world["root"]["id"]
    assert runner.invoke(args=["purge", "claim", "99999", "--yes"]).output.strip() == "Error: claim 99999 not found"
