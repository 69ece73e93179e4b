"""The claim workspace page: editing, tags, notes, history, and the version in #claim-version."""

from review import claims, workflow
from tests.conftest import add_user
from tests.review.test_claims import make  # noqa: F401 (helpers and fixtures)

HX = {"HX-Request": "true"}


def test_workspace_shows_claim_actions_and_history(checker_client, db):
    claim = make(db)
    html = checker_client.get(f"/claims/{claim['id']}").get_data(as_text=True)
    assert "4,000 homes were rebuilt" in html and "Minister Ana Lopez" in html
    assert 'data-action="accept"' in html and 'data-action="dismiss"' in html
    assert 'data-action="approve"' not in html  # checkers cannot approve
    assert 'id="claim-version" name="version" value="1"' in html


def test_editor_sees_editor_actions(editor_client, db):
    claim = make(db)
    db.execute("UPDATE claims SET status = 'in_review' WHERE id = ?", [claim["id"]])
    html = editor_client.get(f"/claims/{claim['id']}").get_data(as_text=True)
    assert 'data-action="approve"' in html and 'data-action="send_back"' in html and 'data-action="assign"' in html
    assert 'data-action="accept"' not in html


def test_only_the_assignee_edits_the_claim_text(checker_client, db, make_user):
    claim = make(db)
    response = checker_client.post(f"/claims/{claim['id']}/edit", data={"text": "Changed text of the claim.", "version": 1},
                                   headers=HX)
    assert response.status_code == 403
    me = db.scalar("SELECT id FROM users WHERE username = 'checker1'")
    workflow.apply_action(db, claim["id"], "take", {"id": me, "role": "checker"})
    response = checker_client.post(f"/claims/{claim['id']}/edit",
                                   data={"text": "4,000 homes were rebuilt in 2023.", "version": 2,
                                         "claimant": "Ana Lopez", "claim_type": "statistic"}, headers=HX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="claim-version" name="version" value="3" form="none" hx-swap-oob="true"' in html
    assert "Claim saved" in response.headers["HX-Trigger"]
    stored = claims.get_claim(db, claim["id"])
    assert stored["text"] == "4,000 homes were rebuilt in 2023." and stored["claim_type"] == "statistic"
    event = db.scalar("SELECT details FROM events WHERE action = 'claim.edit'")
    assert "The minister said" in event  # the before value is kept in the audit log


def test_edit_with_bad_values_is_refused(editor_client, db):
    claim = make(db)
    response = editor_client.post(f"/claims/{claim['id']}/edit", data={"text": "short", "claim_type": "gossip"},
                                  headers=HX)
    assert response.status_code == 422
    assert claims.get_claim(db, claim["id"])["text"] == claim["text"]


def test_tags_and_notes(checker_client, db):
    claim = make(db)
    checker_client.post(f"/claims/{claim['id']}/tags", data={"add": "Housing, Elections 2024", "version": 1}, headers=HX)
    assert claims.get_claim(db, claim["id"])["tags"] == ["elections 2024", "housing"]
    checker_client.post(f"/claims/{claim['id']}/tags", data={"remove": "housing", "version": 2}, headers=HX)
    assert claims.get_claim(db, claim["id"])["tags"] == ["elections 2024"]
    response = checker_client.post(f"/claims/{claim['id']}/notes", data={"body": "<script>alert(1)</script> check the ministry",
                                                                            "version": 3},
                                   headers=HX)
    html = response.get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; check the ministry" in html
    history = checker_client.get(f"/claims/{claim['id']}").get_data(as_text=True)
    assert "Tags" in history and "Note" in history


def test_send_back_needs_a_comment_and_records_it(editor_client, db):
    claim = make(db)
    db.execute("UPDATE claims SET status = 'in_review' WHERE id = ?", [claim["id"]])
    response = editor_client.post(f"/claims/{claim['id']}/action/send_back", data={"comment": "", "version": 1},
                                  headers=HX)
    assert response.status_code == 422 and "comment" in response.get_data(as_text=True)
    response = editor_client.post(f"/claims/{claim['id']}/action/send_back", data={"comment": "Add the 2022 figure.",
                                                                                  "version": 1},
                                  headers=HX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Add the 2022 figure." in html and claims.get_claim(db, claim["id"])["status"] == "in_progress"


def test_plain_form_post_redirects(checker_client, db):
    claim = make(db)
    response = checker_client.post(f"/claims/{claim['id']}/action/accept", data={"version": 1})
    assert response.status_code == 303 and response.headers["Location"] == f"/claims/{claim['id']}"


def test_unknown_claim_is_404(checker_client):
    assert checker_client.get("/claims/999").status_code == 404


def test_merged_claim_shows_where_it_went(checker_client, db):
    user = add_user(db, "merger")
    a, b = make(db), make(db, text="Another claim about rebuilt homes in 2023 totals.")
    workflow.apply_action(db, b["id"], "merge", user, target_id=a["id"])
    html = checker_client.get(f"/claims/{b['id']}").get_data(as_text=True)
    assert f"merged into <a href=\"/claims/{a['id']}\"" in html
