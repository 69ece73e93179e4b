"""Who may reach what: every route (pages, their htmx fragments, the API) for anonymous visitors, each
role signed in, and an API token of each role.

The rules, as the routes declare them: public pages and the sign-in page are open; every other page
needs a signed-in user, the admin pages the admin role and the editor's pages (inbox, export, reports)
the editor role; pages never take an API token, and the API takes only a token (of any role: what a
role may do to a claim is the workflow's rule, tested with it). A route missing from the tables below
is still checked as "any signed-in user"; a test lists the routes so a new one is classified.
"""

import re

import pytest

from app.charts import CHART_FIGURES
from review import evidence, users
from review.ingest.store import add_document
from tests.conftest import login

ROLES = ("checker", "editor", "admin")
PUBLIC = {"auth.login", "static", "health.healthz", "health.readyz", "public.index", "public.show", "api.openapi"}
EDITOR = {"verdicts.inbox", "verdicts.export_page", "verdicts.download", "reports.verdicts", "reports.verdicts_csv",
          "budgets.index", "budgets.save"}
ADMIN_BLUEPRINTS = {"admin", "admin_imports", "admin_removal"}
ADMIN = {"dashboard.settings", "dashboard.save_settings", "dashboard.save_second_ratings"}
SKIPPED = {"auth.logout"}
QUERIES = {"api.match": "?text=turbine"}
# Answers other than 200 that a reachable GET may give with the world below.
OTHER_ANSWERS = {"verdicts.claimreview_json": {404},  # the claim is not published
                 "evidence.passage": {404},  # no passage chosen
                 "documents.job": {404}, "admin_imports.job": {404},  # no job ran
                 "dashboard.chart_csv": {404},  # a chart a checker's dashboard does not show
                 "admin.index": {302}, "health.readyz": {503}}  # the index is not built yet  # it ends the session the other requests use; tests/web/test_auth.py covers it
RANK = {"checker": 1, "editor": 2, "admin": 3}
ARTICLE = ("Harbor council approves turbine plan\n\nThe Harbor council approved a turbine plan on Tuesday. "
           "The mayor said the turbines would power 40,000 homes by 2027.")


def required(endpoint: str) -> str:
    """Return who may reach an endpoint: public, token (the API), checker (any user), editor or admin."""
    if endpoint in PUBLIC:
        return "public"
    if endpoint.startswith("api."):
        return "token"
    if endpoint in ADMIN or endpoint.split(".")[0] in ADMIN_BLUEPRINTS:
        return "admin"
    return "editor" if endpoint in EDITOR else "checker"


@pytest.fixture
def world(app, db, make_user):
    """Users of each role with a token each, a document with a claim and evidence, and another user to act on."""
    people = {role: make_user(role, role) for role in ROLES}
    target = make_user("target", "checker")
    tokens = {role: users.issue_token(db, people[role]["id"]) for role in ROLES}
    document_id = add_document(db, body=ARTICLE, source="Harbor Gazette", url="https://gazette.example/t").document_id
    claim_id = db.scalar("SELECT id FROM claims WHERE document_id = ? ORDER BY id", [document_id])
    item = evidence.add_evidence(db, claim_id, people["editor"], url="https://stats.example/t", excerpt="40,000 homes")
    values = {"claim_id": claim_id, "document_id": document_id, "evidence_id": item["id"], "user_id": target["id"],
              "job_id": 1, "chart_id": next(iter(CHART_FIGURES), "x"), "slug": "turbines", "action": "accept",
              "filename": "claimdesk.css"}
    return {"tokens": tokens, "values": values}


def routes(app, values: dict):
    """Yield (endpoint, method, url) for every route and method, with real ids in the URL."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint in SKIPPED:
            continue
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), rule.rule) + QUERIES.get(rule.endpoint, "")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url


def call(client, method: str, url: str, headers: dict | None = None, fragment: bool = False):
    headers = dict(headers or {})
    if fragment:
        headers["HX-Request"] = "true"
    if url.startswith("/api/") and method in ("POST", "PUT", "PATCH"):
        response = client.open(url, method=method, headers=headers, json={})
    else:
        response = client.open(url, method=method, headers=headers, data={})
    response.get_data()  # read a streamed file, so closing it leaves the status, headers and body
    response.close()
    return response


def refused_as_anonymous(response) -> bool:
    """A visitor without a session is sent to sign in (pages) or answered 401 (the API)."""
    if response.status_code == 401:
        return True
    return response.status_code in (302, 303) and "/login" in response.headers.get("Location", "")


def reached(response) -> bool:
    return not refused_as_anonymous(response) and response.status_code != 403 and response.status_code < 500


def test_every_route_is_classified(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    unknown = {e for e in endpoints if required(e) == "checker"} - {
        "queue.index", "claims.show", "claims.edit", "claims.add_note", "claims.link_prior", "claims.tags", "claims.review_seen",
        "claims.new", "triage.act", "triage.undo", "triage.bulk", "evidence.add", "evidence.edit",
        "evidence.passage", "verdicts.save", "verdicts.claimreview_json", "dashboard.index", "dashboard.chart_csv",
        "dashboard.set_recheck", "documents.index", "documents.show", "documents.add_claim", "documents.job",
        "documents.new", "search.index", "preferences.edit", "preferences.save", "preferences.save_view",
        "second_rating.ask", "second_rating.cancel", "second_rating.rate",
        "auth.logout"}
    assert not unknown, f"classify these routes in the tables above: {sorted(unknown)}"


def test_anonymous_visitors_reach_only_public_pages(app, world):
    client = app.test_client()
    for endpoint, method, url in routes(app, world["values"]):
        for fragment in (False, True) if method == "GET" else (False,):
            response = call(client, method, url, fragment=fragment)
            assert response.status_code < 500 or response.status_code in OTHER_ANSWERS.get(endpoint, ()), \
                (method, url, response.status_code)
            if endpoint == "auth.login" and method == "POST":
                assert response.status_code in (401, 422), (method, url)  # no credentials: refused, on the form
            elif required(endpoint) == "public":
                assert not refused_as_anonymous(response), (method, url)
            else:
                assert refused_as_anonymous(response), (method, url, fragment, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_a_signed_in_user_reaches_the_pages_of_their_role_and_no_api(app, world, role):
    client = app.test_client()
    assert login(client, role).status_code == 303
    for endpoint, method, url in routes(app, world["values"]):
        if endpoint == "auth.login":
            continue  # signing in again would replace this session
        need = required(endpoint)
        for fragment in (False, True) if method == "GET" else (False,):
            response = call(client, method, url, fragment=fragment)
            where = (role, method, url, fragment, response.status_code)
            assert response.status_code < 500 or response.status_code in OTHER_ANSWERS.get(endpoint, ()), where
            if need == "token":
                allowed = endpoint in PUBLIC
                assert reached(response) if allowed else response.status_code == 401, where
            elif need in RANK and RANK[role] < RANK[need]:
                assert response.status_code == 403, where
            elif method == "POST":  # reached; the workflow may still refuse this user this claim (403)
                assert not refused_as_anonymous(response) and response.status_code < 500, where
            else:
                assert reached(response) or response.status_code in OTHER_ANSWERS.get(endpoint, ()), where
                if need != "public" and not fragment:
                    assert response.status_code in {200, *OTHER_ANSWERS.get(endpoint, ())}, where


@pytest.mark.parametrize("role", ROLES)
def test_an_api_token_reaches_the_api_and_no_page(app, world, role):
    client = app.test_client()
    headers = {"Authorization": f"Bearer {world['tokens'][role]}"}
    for endpoint, method, url in routes(app, world["values"]):
        response = call(client, method, url, headers=headers)
        where = (role, method, url, response.status_code)
        assert response.status_code < 500 or response.status_code in OTHER_ANSWERS.get(endpoint, ()), where
        if required(endpoint) == "token":
            assert reached(response), where
            if method == "GET":
                assert response.status_code == 200, where
            else:
                assert response.status_code in (200, 201, 403, 409, 422), where
        elif required(endpoint) != "public":
            assert refused_as_anonymous(response), where


def test_a_wrong_or_revoked_token_is_refused_everywhere_in_the_api(app, db, world):
    client = app.test_client()
    users.revoke_tokens(db, db.scalar("SELECT id FROM users WHERE username = 'editor'"), actor_id=None)
    for headers in ({"Authorization": f"Bearer {world['tokens']['editor']}"}, {"Authorization": "Bearer nope"},
                    {"Authorization": f"Basic {world['tokens']['admin']}"}):
        for endpoint, method, url in routes(app, world["values"]):
            if required(endpoint) == "token":
                response = call(client, method, url, headers=headers)
                assert response.status_code == 401, (headers, method, url, response.status_code)
                assert response.json["error"]["message"]
