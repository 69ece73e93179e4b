"""A retracted fact-check: the workspace's buttons, the public notice, the ClaimReview feed, export and API."""

import csv
import io
import json

import pytest

from review import claims, users, workflow
from review.indexing import drain
from tests.conftest import add_user, login
from tests.review.test_retraction import publish

REASON = "Our source misread the ministry's table."


@pytest.fixture
def retracted(app, db):
    cara = add_user(db, "cara")
    eddie, erin = add_user(db, "eddie", "editor"), add_user(db, "erin", "editor")
    claim = publish(db, cara, eddie)
    drain(db, app.config["INDEX"])
    return {"cara": cara, "eddie": eddie, "erin": erin, "claim": claim}


def signed_in(app, name):
    client = app.test_client()
    assert login(client, name).status_code == 303
    return client


def test_retraction_through_the_workspace_needs_a_second_editor(app, db, retracted):
    claim = retracted["claim"]
    eddie, erin = signed_in(app, "eddie"), signed_in(app, "erin")
    page = eddie.get(f"/claims/{claim['id']}").get_data(as_text=True)
    assert "Request retraction" in page and "Approve retraction" not in page
    response = eddie.post(f"/claims/{claim['id']}/action/request_retraction",
                          data={"version": claim["version"], "comment": REASON})
    assert response.status_code == 303
    version = claims.get_claim(db, claim["id"])["version"]
    page = eddie.get(f"/claims/{claim['id']}").get_data(as_text=True)
    assert "Another editor must approve or decline it." in page and "Approve retraction" not in page
    refused = eddie.post(f"/claims/{claim['id']}/action/retract", data={"version": version})
    assert refused.status_code == 403 and "another editor must approve it" in refused.get_data(as_text=True)
    assert claims.get_claim(db, claim["id"])["status"] == "published"
    assert "Approve retraction" in erin.get(f"/claims/{claim['id']}").get_data(as_text=True)
    assert erin.post(f"/claims/{claim['id']}/action/retract", data={"version": version}).status_code == 303
    history = erin.get(f"/claims/{claim['id']}").get_data(as_text=True)
    assert "Retraction requested" in history and "Retracted" in history
    assert "Public notice" in history and REASON.replace("'", "&#39;") in history  # the verdict panel says so


def retract(db, retracted):
    claim = retracted["claim"]
    claim = workflow.apply_action(db, claim["id"], "request_retraction", retracted["eddie"], comment=REASON)
    return workflow.apply_action(db, claim["id"], "retract", retracted["erin"])


def test_the_public_page_becomes_a_retraction_notice(app, db, client, retracted):
    path = f"/fact-checks/{retracted['claim']['id']}/"
    before = client.get(path, follow_redirects=True).get_data(as_text=True)
    assert "application/ld+json" in before and "Retracted" not in before
    claim = retract(db, retracted)
    response = client.get(path, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"Retracted</strong> on {claim['retracted_at'][:10]}" in page
    assert "Its verdict no longer stands." in page and REASON.replace("'", "&#39;") in page
    assert "<del class=\"rating\">False</del>" in page  # shown struck through, never as standing
    assert "application/ld+json" not in page  # no ClaimReview markup claims a rating the page withdrew


def test_the_feed_export_and_api_carry_the_retraction(app, db, retracted):
    claim = retract(db, retracted)
    editor = signed_in(app, "erin")
    record = editor.get(f"/claims/{claim['id']}/claimreview.json").get_json()
    assert record["creativeWorkStatus"] == "Retracted" and "reviewRating" not in record
    assert record["correction"]["text"] == f"Retracted: {REASON}"
    assert record["dateModified"] == claim["retracted_at"][:10]
    feed = json.loads(editor.get("/export/download?format=json").get_data(as_text=True))
    items = [element["item"][0] for element in feed["dataFeedElement"]]
    assert [(i["claimReviewed"], i.get("creativeWorkStatus")) for i in items] == [
        (record["claimReviewed"], "Retracted")]
    assert all("reviewRating" not in i for i in items)
    rows = list(csv.DictReader(io.StringIO(editor.get("/export/download?format=csv").get_data(as_text=True))))
    assert [(r["rating"], r["status"]) for r in rows] == [("", "Retracted")]
    token = users.issue_token(db, retracted["cara"]["id"])
    api = app.test_client()
    feed = api.get("/api/v1/claimreview", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert feed["dataFeedElement"][0]["item"][0]["creativeWorkStatus"] == "Retracted"
    payload = api.get(f"/api/v1/claims/{claim['id']}", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert payload["status"] == "retracted" and payload["retraction_reason"] == REASON


def test_a_retracted_verdict_leaves_the_search_index(app, db, index, retracted):
    assert index.search("homes rebuilt", kind="verdict").total == 1
    retract(db, retracted)
    drain(db, app.config["INDEX"])
    assert index.search("homes rebuilt", kind="verdict").total == 0


def test_the_api_retracts_with_two_editors_and_refuses_one_alone(app, db, retracted):
    claim = retracted["claim"]
    api = app.test_client()

    def post(who, body):
        token = users.issue_token(db, retracted[who]["id"])
        return api.post(f"/api/v1/claims/{claim['id']}/actions", json=body, headers={"Authorization": f"Bearer {token}"})

    asked = post("eddie", {"action": "request_retraction", "version": claim["version"], "comment": REASON})
    assert asked.status_code == 200 and asked.json["allowed_actions"] == ["decline_retraction"]
    alone = post("eddie", {"action": "retract", "version": asked.json["version"]})
    assert alone.status_code == 403 and "another editor must approve it" in alone.json["error"]["message"]
    done = post("erin", {"action": "retract", "version": asked.json["version"]})
    assert done.status_code == 200 and done.json["status"] == "retracted"
    assert done.json["verdict"]["status"] == "retracted"  # the revision withdrawn, marked so
