"""The API changes a published fact-check only through a correction, and only for the claim's assignee."""

import pytest

from review import claims, users, verdicts, workflow
from tests.conftest import add_user


@pytest.fixture
def desk(app, db):
    cara, eddie = add_user(db, "cara"), add_user(db, "eddie", "editor")
    claim = claims.create_manual_claim(db, text="The minister said 4,000 homes were rebuilt in 2023.",
                                       claimant="Minister Ana Lopez", url="https://tv.example/clip",
                                       appeared_at="2024-12-07")
    for action in ("accept", "start"):
        workflow.apply_action(db, claim["id"], action, cara)
    client = app.test_client()

    def as_user(user):
        headers = {"Authorization": f"Bearer {users.issue_token(db, user['id'])}"}

        class Api:
            def get(self, path):
                return client.get(path, headers=headers)

            def patch(self, path, json):
                return client.patch(path, headers=headers, json=json)

            def post(self, path, json):
                return client.post(path, headers=headers, json=json)

            def put(self, path, json):
                return client.put(path, headers=headers, json=json)

        return Api()

    api = {"cara": as_user(cara), "eddie": as_user(eddie), "cole": as_user(add_user(db, "cole"))}
    return api, cara, eddie, claims.get_claim(db, claim["id"])


def publish(db, cara, eddie, claim):
    verdicts.save_draft(db, claims.get_claim(db, claim["id"]), cara, {
        "rating_key": "false", "conclusion": "About 1,200 homes were rebuilt",
        "claim_reviewed": "4,000 homes were rebuilt in 2023."})
    workflow.apply_action(db, claim["id"], "submit", cara)
    return workflow.apply_action(db, claim["id"], "approve", eddie)


def test_patch_and_evidence_on_a_published_claim_are_refused(db, desk):
    api, cara, eddie, claim = desk
    current = publish(db, cara, eddie, claim)
    for who in ("cara", "eddie"):
        response = api[who].patch(f"/api/v1/claims/{claim['id']}",
                                  json={"version": current["version"], "appeared_url": "https://elsewhere.example/"})
        assert response.status_code == 403, response.json
        assert "correction" in response.json["error"]["message"]
        response = api[who].post(f"/api/v1/claims/{claim['id']}/evidence",
                                 json={"url": "https://x.example/new", "title": "New"})
        assert response.status_code == 403 and "correction" in response.json["error"]["message"]
    assert claims.get_claim(db, claim["id"]) == current
    response = api["eddie"].put(f"/api/v1/claims/{claim['id']}/verdict",
                            json={"version": current["version"], "rating_key": "true"})
    assert response.status_code == 403


def test_the_api_keeps_a_checker_to_their_own_claims(db, desk):
    api, cara, eddie, claim = desk
    response = api["cole"].patch(f"/api/v1/claims/{claim['id']}", json={"version": claim["version"], "claimant": "X"})
    assert response.status_code == 403 and "assigned to cara" in response.json["error"]["message"]
    response = api["cole"].put(f"/api/v1/claims/{claim['id']}/verdict",
                               json={"version": claim["version"], "conclusion": "Mine now"})
    assert response.status_code == 403
    response = api["cara"].put(f"/api/v1/claims/{claim['id']}/verdict",
                               json={"version": claim["version"], "conclusion": "Not confirmed"})
    assert response.status_code == 200 and response.json["conclusion"] == "Not confirmed"


def test_the_api_does_not_offer_approval_to_an_author_of_the_revision(app, db, desk):
    api, cara, eddie, claim = desk
    verdicts.save_draft(db, claims.get_claim(db, claim["id"]), eddie, {
        "rating_key": "false", "conclusion": "About 1,200 homes were rebuilt",
        "claim_reviewed": "4,000 homes were rebuilt in 2023."})
    workflow.apply_action(db, claim["id"], "submit", cara)
    assert "approve" not in api["eddie"].get(f"/api/v1/claims/{claim['id']}").json["allowed_actions"]
    seen_by_author = api["eddie"].post(f"/api/v1/claims/{claim['id']}/actions", json={"action": "approve",
                                       "version": claims.get_claim(db, claim["id"])["version"]})
    assert seen_by_author.status_code == 403 and "another editor" in seen_by_author.json["error"]["message"]
    erin = add_user(db, "erin", "editor")
    token = users.issue_token(db, erin["id"])
    as_erin = app.test_client().get(f"/api/v1/claims/{claim['id']}", headers={"Authorization": f"Bearer {token}"})
    assert "approve" in as_erin.json["allowed_actions"]
