"""The JSON API: tokens, the error envelope, claims and actions with versions, OpenAPI coverage."""

import pytest

from review import claims, users
from tests.conftest import add_user


@pytest.fixture
def api(app, db):
    user = add_user(db, "bot", "editor")
    token = users.issue_token(db, user["id"])
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    class Api:
        def get(self, path, **kw):
            return client.get(path, headers=headers, **kw)

        def post(self, path, json=None, **kw):
            return client.post(path, headers=headers, json=json, **kw)

        def patch(self, path, json=None):
            return client.patch(path, headers=headers, json=json)

        def put(self, path, json=None):
            return client.put(path, headers=headers, json=json)

    return Api()


def test_every_api_route_is_described(app, client):
    spec = client.get("/api/v1/openapi.json").json
    import re

    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            assert path in spec["paths"], path
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert method.lower() in spec["paths"][path], (path, method)


@pytest.mark.parametrize("method,path", [("get", "/api/v1/claims"), ("post", "/api/v1/claims"),
                                         ("get", "/api/v1/claims/1"), ("get", "/api/v1/claimreview")])
def test_anonymous_calls_get_401_json(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 401 and response.json["error"]["message"]


def test_create_list_and_act_on_claims(api, db):
    response = api.post("/api/v1/claims", json={"text": "short"})
    assert response.status_code == 422 and "text" in response.json["error"]["fields"]
    response = api.post("/api/v1/claims", json={"text": "The governor said 12,000 jobs were created in 2023.",
                                                 "claimant": "Governor Ann Lee", "url": "https://tv.example/c"})
    assert response.status_code == 201
    claim = response.json
    assert "accept" in claim["allowed_actions"]
    listed = api.get("/api/v1/claims?status=new&claimant=lee").json
    assert [c["id"] for c in listed["claims"]] == [claim["id"]]
    accepted = api.post(f"/api/v1/claims/{claim['id']}/actions", json={"action": "accept", "version": claim["version"]})
    assert accepted.status_code == 200 and accepted.json["status"] == "queued"
    stale = api.post(f"/api/v1/claims/{claim['id']}/actions",
                     json={"action": "dismiss", "reason": "opinion", "version": claim["version"]})
    assert stale.status_code == 409 and "version" in stale.json["error"]["fields"]
    illegal = api.post(f"/api/v1/claims/{claim['id']}/actions", json={"action": "approve", "version": 2})
    assert illegal.status_code == 403
    missing = api.post(f"/api/v1/claims/{claim['id']}/actions", json={"action": "accept"})
    assert missing.status_code == 422 and "version" in missing.json["error"]["fields"]


def test_the_api_lists_every_queue_tab(api, db):
    from review import queue

    kept = claims.create_manual_claim(db, text="The port moved 9 million tonnes of grain in 2024.")
    retracted = claims.create_manual_claim(db, text="The bridge carried 40,000 cars a day in 2022.")
    db.execute("UPDATE claims SET status = 'retracted' WHERE id = ?", [retracted["id"]])
    tabs = [key for key, _ in queue.TABS] + list(queue.OTHER_TABS)
    for tab in tabs:
        response = api.get(f"/api/v1/claims?status={tab}")
        assert response.status_code == 200, (tab, response.json)
    listed = {tab: [c["id"] for c in api.get(f"/api/v1/claims?status={tab}").json["claims"]]
              for tab in ("open", "all", "retracted")}
    assert (listed["open"], listed["retracted"]) == ([kept["id"]], [retracted["id"]])
    assert sorted(listed["all"]) == sorted([kept["id"], retracted["id"]])


def test_unknown_claim_and_bad_json(api):
    assert api.get("/api/v1/claims/999").status_code == 404
    assert api.get("/api/v1/claims/999").json["error"]["message"] == "claim 999 not found"
    response = api.post("/api/v1/claims", json=None, data="not json", content_type="text/plain")
    assert response.status_code == 422


def test_evidence_and_verdict_through_the_api(api, db):
    claim = api.post("/api/v1/claims", json={"text": "The mayor said the bridge cost $48 million.",
                                              "claimant": "Mayor Kim", "url": "https://tv.example/m"}).json
    for action in ("accept", "start"):
        claim = api.post(f"/api/v1/claims/{claim['id']}/actions", json={"action": action, "version": claim["version"]}).json
    item = api.post(f"/api/v1/claims/{claim['id']}/evidence", json={"url": "https://city.example/budget",
                                                                     "title": "City budget", "stance": "refutes"})
    assert item.status_code == 201
    verdict = api.put(f"/api/v1/claims/{claim['id']}/verdict", json={
        "version": claim["version"], "rating_key": "mostly-false", "conclusion": "It cost $31 million",
        "claim_reviewed": "The bridge cost $48 million."})
    assert verdict.status_code == 200 and verdict.json["rating_key"] == "mostly-false"
    assert api.get(f"/api/v1/claims/{claim['id']}/verdict").json["revisions"][0]["revision"] == 1
    assert claims.get_claim(db, claim["id"])["version"] == claim["version"] + 1


def test_claimreview_feed_and_bad_since(api):
    assert api.get("/api/v1/claimreview").json["@type"] == "DataFeed"
    response = api.get("/api/v1/claimreview?since=yesterday")
    assert response.status_code == 422 and "since" in response.json["error"]["fields"]


def test_match_needs_text_and_answers_with_urls(api):
    assert api.get("/api/v1/match").status_code == 422
    response = api.get("/api/v1/match?text=the+bridge+cost+48+million")
    assert response.status_code == 200 and response.json["matches"] == []
