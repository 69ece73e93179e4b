"""Verdict pages: drafting and publishing through the web client."""

import json

from tests.review.test_verdicts import desk  # noqa: F401 (helpers and fixtures)

HX = {"HX-Request": "true"}


def test_workspace_verdict_flow_over_http(app, db, desk, logged_in):
    people, claim = desk
    checker = app.test_client()
    from tests.conftest import login

    login(checker, "cara")
    page = checker.get(f"/claims/{claim['id']}").get_data(as_text=True)
    assert 'name="rating_key"' in page
    response = checker.post(f"/claims/{claim['id']}/verdict", headers=HX, data={
        "version": claim["version"], "rating_key": "false", "conclusion": "No evidence for the figure",
        "claim_reviewed": "Government forces neutralized 2,500 terrorists.", "explanation": "See *sources*."})
    assert response.status_code == 200 and "Verdict draft saved" in response.headers["HX-Trigger"]
    version = int(response.get_data(as_text=True).split('id="claim-version" name="version" value="')[1].split('"')[0])
    assert checker.post(f"/claims/{claim['id']}/action/submit", data={"version": version}, headers=HX).status_code == 200
    editor = app.test_client()
    login(editor, "erin")
    inbox = editor.get("/verdicts").get_data(as_text=True)
    assert "Government forces neutralized 2,500 terrorists." in inbox
    response = editor.post(f"/claims/{claim['id']}/action/approve", data={"version": version + 1}, headers=HX)
    assert response.status_code == 200, response.get_data(as_text=True)
    record = editor.get(f"/claims/{claim['id']}/claimreview.json").json
    assert record["reviewRating"]["name"] == "False" and record["reviewRating"]["ratingValue"] == 1
    public = app.test_client().get(f"/fact-checks/{claim['id']}/x", follow_redirects=True)
    html = public.get_data(as_text=True)
    assert public.status_code == 200 and "No evidence for the figure" in html
    embedded = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert embedded["claimReviewed"] == "Government forces neutralized 2,500 terrorists."
    assert embedded["url"].endswith(f"/fact-checks/{claim['id']}/government-forces-neutralized-2-500-terrorists")


def test_public_page_needs_no_login_and_hides_unpublished(client, db, desk):
    people, claim = desk
    assert client.get(f"/fact-checks/{claim['id']}/anything").status_code == 404
    assert client.get("/fact-checks/").status_code == 200


def test_checkers_cannot_reach_the_inbox_or_export(checker_client):
    assert checker_client.get("/verdicts").status_code == 403
    assert checker_client.get("/export").status_code == 403
