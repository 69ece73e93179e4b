"""The API checks every request against its one OpenAPI declaration: wrong types, ids out of range and
bodies that are not JSON objects are refused with 400 or 422 in the error envelope, never a 500."""

import os
import re
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from app.views.openapi import BODY_METHODS, MAX_ID, PATHS
from review import users
from tests.conftest import add_user

DEEP = "[" * 50_000 + "]" * 50_000


@pytest.fixture
def api(app, db):
    token = users.issue_token(db, add_user(db, "bot", "editor")["id"])
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    def call(method, path, **kwargs):
        return client.open(path, method=method.upper(), headers=headers, **kwargs)

    return call


@pytest.fixture
def claim(api):
    response = api("post", "/api/v1/claims", json={"text": "The governor said 12,000 jobs were created in 2023.",
                                                   "claimant": "Ann Lee"})
    assert response.status_code == 201
    return response.json


def test_every_api_route_has_a_request_schema(app):
    routes = [(rule.rule, method.lower()) for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
              for method in rule.methods - {"HEAD", "OPTIONS"}]
    assert len(routes) >= 14
    for rule, method in routes:
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)
        declared = PATHS[path][method]
        assert isinstance(declared["parameters"], list), (path, method)
        for name in re.findall(r"{(\w+)}", path):
            assert any(p["name"] == name and p["in"] == "path" and p["schema"]["type"] == "integer"
                       for p in PATHS[path].get("parameters", [])), (path, name)
        if method in BODY_METHODS:
            schema = declared["requestBody"]["content"]["application/json"]["schema"]
            assert schema["type"] == "object" and schema["additionalProperties"] is False, (path, method)
            assert all("type" in field for field in schema["properties"].values()), (path, method)


def test_the_served_description_is_the_declaration(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.1")
    body = spec["paths"]["/api/v1/claims/{claim_id}/actions"]["post"]["requestBody"]
    assert "approve" in body["content"]["application/json"]["schema"]["properties"]["action"]["enum"]


WRONG_TYPES = [
    ("post", "/api/v1/documents", {"body": "Prices rose 5 percent in May, the office said.", "title": 5}, "title"),
    ("post", "/api/v1/documents", {"body": "Prices rose 5 percent in May.", "language": {}}, "language"),
    ("post", "/api/v1/documents", {"body": ["a"]}, "body"),
    ("post", "/api/v1/claims", {"text": 12}, "text"),
    ("post", "/api/v1/claims", {"claimant": "nobody"}, "text"),
    ("patch", "/api/v1/claims/{id}", {"version": 1, "text": 5}, "text"),
    ("patch", "/api/v1/claims/{id}", {"version": 1, "claimant": ["a"]}, "claimant"),
    ("patch", "/api/v1/claims/{id}", {"version": 1, "claim_type": {}}, "claim_type"),
    ("patch", "/api/v1/claims/{id}", {"version": "1", "text": "Same claim, said again today."}, "version"),
    ("patch", "/api/v1/claims/{id}", {"version": True}, "version"),
    ("patch", "/api/v1/claims/{id}", {"version": 1, "colour": "red"}, "colour"),
    ("put", "/api/v1/claims/{id}/verdict", {"version": 1, "article_url": 5}, "article_url"),
    ("put", "/api/v1/claims/{id}/verdict", {"version": 1, "rating_key": ["false"]}, "rating_key"),
    ("post", "/api/v1/claims/{id}/actions", {"version": 1, "action": ["accept"]}, "action"),
    ("post", "/api/v1/claims/{id}/actions", {"version": 1, "action": {"a": 1}}, "action"),
    ("post", "/api/v1/claims/{id}/actions", {"version": 1, "action": "fly"}, "action"),
    ("post", "/api/v1/claims/{id}/actions", {"version": 2**70, "action": "accept"}, "version"),
    ("post", "/api/v1/claims/{id}/actions", {"version": 1, "action": "merge", "target_id": 2**64}, "target_id"),
    ("post", "/api/v1/claims/{id}/actions", {"version": 1.5, "action": "accept"}, "version"),
    ("post", "/api/v1/claims/{id}/evidence", {"document_id": 2**64, "excerpt": "x"}, "document_id"),
    ("post", "/api/v1/claims/{id}/evidence", {"url": "https://x.example/a", "stance": "maybe"}, "stance"),
]


@pytest.mark.parametrize("method, path, body, field", WRONG_TYPES)
def test_wrong_types_and_huge_numbers_are_422(api, claim, method, path, body, field):
    response = api(method, path.format(id=claim["id"]), json=body)
    assert response.status_code == 422, response.data
    assert field in response.json["error"]["fields"] and response.json["error"]["message"]


@pytest.mark.parametrize("path", [f"/api/v1/claims/{2**70}", f"/api/v1/documents/{2**64}",
                                  f"/api/v1/claims/{MAX_ID + 1}/evidence", "/api/v1/claims/0/verdict"])
def test_ids_out_of_range_in_paths_are_refused(api, path):
    response = api("get", path)
    assert response.status_code == 422 and response.json["error"]["fields"]


def test_the_largest_id_is_simply_not_found(api):
    response = api("get", f"/api/v1/claims/{MAX_ID}")
    assert response.status_code == 404


@pytest.mark.parametrize("path, field", [("/api/v1/claims?limit=abc", "limit"), ("/api/v1/claims?limit=100000", "limit"),
                                         ("/api/v1/claims?status=bogus", "status"),
                                         (f"/api/v1/search?page={2**70}", "page"),
                                         ("/api/v1/search?kind=people", "kind"), ("/api/v1/match?text=x&limit=-1", "limit")])
def test_query_parameters_are_checked(api, path, field):
    response = api("get", path)
    assert response.status_code == 422 and field in response.json["error"]["fields"]


@pytest.mark.parametrize("data, status", [
    (DEEP, 400), ("[" * 20 + "]" * 20, 400), ('{"text": ' + "1" * 5000 + "}", 400), ('{"text": "x"', 400),
    (b'{"text": "\xff"}', 400), ("[]", 422), ('"just text"', 422), ("", 422),
])
def test_bodies_that_are_not_json_objects_are_refused(api, data, status):
    response = api("post", "/api/v1/claims", data=data, content_type="application/json")
    assert response.status_code == status, response.data
    assert response.json["error"]["fields"]["body"] and response.json["error"]["message"]


def test_a_valid_request_still_goes_through(api, claim):
    response = api("patch", f"/api/v1/claims/{claim['id']}", json={"version": claim["version"], "claimant": None,
                                                                   "text": "The governor said 12,000 jobs came in 2023."})
    assert response.status_code == 200 and response.json["text"].endswith("came in 2023.")


# -- schemathesis: cases generated from the served description, valid and invalid ---------------------------
FUZZ_EXAMPLES = int(os.environ.get("CLAIMDESK_FUZZ_EXAMPLES", "3"))  # per operation and mode; bench/fuzz.py runs more


def fuzz_api(app, token: str, examples: int) -> Counter:
    """Send schemathesis cases (valid and invalid) to every operation; return the statuses seen.

    Fails on any 5xx, a status the description does not declare, or a body that does not match it.
    """
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {token}"}
    checks = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]
    seen: Counter = Counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def send(case):
                response = case.call(headers=headers)
                seen[(case.method.upper(), case.path, response.status_code)] += 1
                case.validate_response(response, checks=checks)

            send()
    return seen


def test_schemathesis_finds_no_server_error_and_no_undeclared_answer(app, db, client):
    token = users.issue_token(db, add_user(db, "fuzzer", "editor")["id"])
    seen = fuzz_api(app, token, FUZZ_EXAMPLES)
    statuses = {status for _, _, status in seen}
    assert {200, 422} <= statuses and not any(status >= 500 for status in statuses)
    served = client.get("/api/v1/openapi.json").json["paths"]
    assert {(method, path) for method, path, _ in seen} == {
        (method.upper(), path) for path, spec in served.items() for method in spec
        if method != "parameters" and path != "/api/v1/openapi.json"}  # the description itself is not fuzzed
