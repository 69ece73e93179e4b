import re

import pytest


def test_pages_send_a_strict_csp_and_no_store(checker_client):
    response = checker_client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp and "unsafe-inline" not in csp
    assert "style-src 'self'" in csp
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "HX-Request" in response.headers["Vary"]


def test_pages_have_no_inline_script_style_or_eval_attributes(checker_client, admin_client):
    for client, path in [(checker_client, "/"), (checker_client, "/search/"), (checker_client, "/documents/new"),
                         (admin_client, "/admin/users")]:
        page = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), path
        assert " style=" not in page and "hx-on" not in page and "js:" not in page, path
        assert '"allowEval": false' in page and '"historyCacheSize": 0' in page


def test_htmx_is_served_from_our_static_files(checker_client):
    page = checker_client.get("/").get_data(as_text=True)
    assert '/static/vendor/htmx.min.js' in page
    assert "unpkg" not in page and "jsdelivr" not in page


def test_htmx_error_answers_raise_a_toast(checker_client):
    response = checker_client.get("/documents/99999", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert "toast" in response.headers["HX-Trigger"]


# -- every edit from the workspace names the claim version it was based on --------------------------------------------

from review import claims, evidence, verdicts, workflow  # noqa: E402
from review.ingest.store import add_document  # noqa: E402

ARTICLE = ("Riverton Post - The new Riverton bridge cost $48 million, the mayor said on Monday. "
           "The council's own budget lists $61 million for the bridge.")


@pytest.fixture
def desk(app, db, make_user):
    """A claim in progress for checker1 with one piece of evidence and a draft verdict, and an article to cite."""
    checker = make_user("checker1")
    claim = claims.create_manual_claim(db, text="The mayor said the new Riverton bridge cost $48 million.",
                                       claimant="The mayor", url="https://tv.example/clip")
    for action in ("accept", "start"):
        claim = workflow.apply_action(db, claim["id"], action, checker)
    item = evidence.add_evidence(db, claim["id"], checker, url="https://city.example/budget", title="Budget")
    verdicts.edit_draft(db, claim["id"], checker, {"rating_key": "false", "conclusion": "It cost $61 million"},
                        version=claim["version"])
    document = add_document(db, body=ARTICLE, title="Bridge costs", source="Riverton Post")
    return {"claim": claims.get_claim(db, claim["id"]), "evidence": item, "document": document.document_id}


@pytest.fixture
def checker(app, desk):
    from tests.conftest import login

    client = app.test_client()
    assert login(client, "checker1").status_code == 303
    return client


def post_forms(html: str) -> list[str]:
    return re.findall(r"<form\b[^>]*method=\"post\"[^>]*>.*?</form>", html, flags=re.S)


def test_every_workspace_form_that_changes_something_carries_the_version(checker, desk):
    claim = desk["claim"]
    page = checker.get(f"/claims/{claim['id']}").get_data(as_text=True)
    passage = checker.get(f"/claims/{claim['id']}/evidence/passage?document_id={desk['document']}&q=bridge",
                          headers={"HX-Request": "true"}).get_data(as_text=True)
    workspace = page[page.index('id="workspace"'):]
    forms = post_forms(workspace) + post_forms(passage)
    actions = {re.search(r'action="([^"]+)"', form).group(1).split("?")[0].rsplit("/", 1)[-1] for form in forms}
    assert {"edit", "tags", "notes", "verdict", "evidence", str(desk["evidence"]["id"])} <= actions
    for form in forms:
        assert f'name="version" value="{claim["version"]}"' in form, form[:200]


def workspace_posts(desk):
    claim, item = desk["claim"], desk["evidence"]
    base = f"/claims/{claim['id']}"
    return [
        (f"{base}/edit", {"text": "The mayor said the bridge cost $48 million in total."}),
        (f"{base}/tags", {"add": "bridges"}),
        (f"{base}/notes", {"body": "Ask the council for the invoice."}),
        (f"{base}/verdict", {"rating_key": "false", "conclusion": "It cost $61 million", "claim_reviewed": "x y z"}),
        (f"{base}/action/submit", {}),
        (f"{base}/evidence", {"url": "https://city.example/minutes", "title": "Minutes"}),
        (f"{base}/evidence/{item['id']}", {"stance": "refutes", "note": "the budget line"}),
        (f"{base}/evidence/{item['id']}", {"remove": "1"}),
        (f"{base}/prior", {"url": "https://checker.example/reviews/bridge"}),
        (f"{base}/undo", {}),
    ]


@pytest.mark.parametrize("index", range(10))
def test_an_edit_without_a_version_is_refused_and_changes_nothing(checker, desk, db, index):
    path, data = workspace_posts(desk)[index]
    events = db.scalar("SELECT count(*) FROM events")
    response = checker.post(path, data=data, headers={"HX-Request": "true"})
    assert response.status_code == 422, (path, response.status_code)
    assert "did not say which version of the claim it changes" in response.get_data(as_text=True)
    assert db.scalar("SELECT count(*) FROM events") == events
    assert claims.get_claim(db, desk["claim"]["id"])["version"] == desk["claim"]["version"]


@pytest.mark.parametrize("value", ["", "abc", "0", "-1", "1.5", "99999999999999999999", "²"])
def test_a_malformed_version_is_refused(checker, desk, value):
    response = checker.post(f"/claims/{desk['claim']['id']}/notes", data={"body": "Hello desk.", "version": value})
    assert response.status_code == 422


@pytest.mark.parametrize("index", [2, 5, 6, 7])
def test_notes_and_evidence_based_on_a_stale_version_are_refused(checker, desk, db, index):
    path, data = workspace_posts(desk)[index]
    claims.set_tags(db, desk["claim"]["id"], users_named(db, "checker1"), add=["meanwhile"])
    response = checker.post(path, data={**data, "version": desk["claim"]["version"]}, headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert "after you opened this claim" in response.get_data(as_text=True)


def test_notes_and_evidence_with_the_current_version_are_saved(checker, desk, db):
    claim = desk["claim"]
    for index in (2, 5, 6):
        path, data = workspace_posts(desk)[index]
        response = checker.post(path, data={**data, "version": claim["version"]}, headers={"HX-Request": "true"})
        assert response.status_code == 200, (path, response.get_data(as_text=True)[:300])


def users_named(db, name):
    from review import users

    return users.find_user(db, name)
