"""Blind second ratings on the web: every surface the second checker can reach hides the first rating until both
are in (and the first checker's hide the second), the forms, the review screen and the dashboard's agreement chart."""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import lxml.html
import pytest

from review import claims, second_rating, users, verdicts, workflow
from review.indexing import drain
from tests.conftest import add_user, login
from tests.review.test_second_rating import FIRST_CONCLUSION, draft_first, start_claim

FIRST_LABEL, FIRST_KEY = "Missing context", "missing-context"
SECOND_REASONING = "Pangolin-marked reasoning: the signed contract says $61 million."
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def desk(app, db):
    """ana rated claim `blind` Missing context and submitted it; eve asked ben for a blind second rating.

    Claim `public` (same subject) is published, rated True, so searches have a verdict to find.
    """
    people = {name: add_user(db, name, role) for name, role in
              [("ana", "checker"), ("ben", "checker"), ("eve", "editor"), ("max", "editor"), ("root", "admin")]}
    second_rating.set_enabled(db, True, actor_id=None)
    public = start_claim(db, people["ana"], "The mayor said the old bridge cost $12 million to repair.")
    verdicts.save_draft(db, claims.get_claim(db, public), people["ana"], {
        "rating_key": "true", "conclusion": "Published bridge verdict", "explanation": "The repair invoice agrees."})
    workflow.apply_action(db, public, "submit", people["ana"])
    workflow.apply_action(db, public, "approve", people["eve"])
    blind = start_claim(db, people["ana"])
    draft_first(db, blind, people["ana"])
    workflow.apply_action(db, blind, "submit", people["ana"])
    second_rating.request(db, blind, people["eve"], people["ben"]["id"])
    drain(db, app.config["INDEX"])
    tokens = {name: users.issue_token(db, people[name]["id"]) for name in ("ana", "ben")}
    return {"people": people, "blind": blind, "public": public, "tokens": tokens}


def signed_in(app, name):
    client = app.test_client()
    assert login(client, name).status_code == 303
    return client


def without_scale(body: str) -> str:
    """Return a page's markup without the controls that list the whole rating scale (menus, the rating forms)."""
    page = lxml.html.fromstring(body)
    for element in page.xpath("//select | //form[contains(@class, 'second-rate')] | //form[contains(@class, 'verdict-form')]"):
        element.drop_tree()
    return lxml.html.tostring(page, encoding="unicode")


def visible_text(body: str) -> str:
    return lxml.html.fromstring(without_scale(body)).text_content()


def assert_first_rating_hidden(body: str) -> None:
    assert FIRST_CONCLUSION not in body and "Quokka" not in body  # the first rating's conclusion and explanation
    if body.lstrip().startswith("<"):
        body = without_scale(body)
        assert FIRST_LABEL not in lxml.html.fromstring(body).text_content()  # its label
    assert f"rating-{FIRST_KEY}" not in body and f'"{FIRST_KEY}"' not in body  # its key, as a badge or in JSON


# (path, headers, expected status, what the surface must show, so it is not empty for another reason)
PAGES = [
    ("/claims/{blind}", {}, 200, "asked you for a blind second rating"),
    ("/claims/{blind}", {"HX-Request": "true"}, 200, 'id="second-rating-panel"'),
    ("/claims/{blind}?q=bridge&kind=verdict", {"HX-Request": "true", "HX-Target": "ws-search-results"}, 200,
     "repair invoice agrees"),
    ("/claims/{blind}?q=bridge&kind=verdict", {}, 200, "repair invoice agrees"),
    ("/search/?q=bridge&kind=verdict", {}, 200, "repair invoice agrees"),
    ("/search/?q=bridge+mayor&kind=verdict", {"HX-Request": "true", "HX-Target": "search-results"}, 200,
     "repair invoice agrees"),
    ("/?tab=all&q=bridge", {}, 200, "new bridge cost $48 million"),
    ("/?tab=second", {}, 200, "Your blind second rating"),
    ("/?tab=in_review", {"HX-Request": "true", "HX-Target": "queue-rows"}, 200, "new bridge cost $48 million"),
    ("/dashboard", {}, 200, "My desk"),
    ("/claims/{blind}/claimreview.json", {}, 404, ""),
    ("/verdicts", {}, 403, ""),
    ("/export/download?format=jsonl", {}, 403, ""),
    ("/reports/verdicts", {}, 403, ""),
]


@pytest.mark.parametrize("path, headers, status, shows", PAGES)
def test_the_second_checker_sees_no_first_rating_on_any_page(app, desk, path, headers, status, shows):
    response = signed_in(app, "ben").get(path.format(**desk), headers=headers)
    body = response.get_data(as_text=True)
    assert response.status_code == status and shows in body
    assert_first_rating_hidden(body)


def test_the_second_checker_s_history_and_panel_swaps_hide_it_too(app, db, desk):
    client = signed_in(app, "ben")
    page = lxml.html.fromstring(client.get(f"/claims/{desk['blind']}").data)
    history = " ".join(page.get_element_by_id("history-panel").text_content().split())
    assert "Second rating asked (ben)" in history and "Submitted for review" in history
    assert page.get_element_by_id("review-panel").text_content().strip() == ""
    assert "hidden" in page.get_element_by_id("verdict-panel").text_content()
    version = claims.get_claim(db, desk["blind"])["version"]
    note = client.post(f"/claims/{desk['blind']}/notes", data={"body": "Looking at the contract.", "version": version},
                       headers={"HX-Request": "true"})
    assert note.status_code == 200 and 'id="history-panel"' in note.get_data(as_text=True)
    assert_first_rating_hidden(note.get_data(as_text=True))
    refused = client.post(f"/claims/{desk['blind']}/second-rating", data={"rating_key": FIRST_KEY, "reasoning": ""},
                          headers={"HX-Request": "true"})
    assert refused.status_code == 422 and "reasoning" in refused.get_data(as_text=True)
    assert_first_rating_hidden(refused.get_data(as_text=True).replace(FIRST_KEY, ""))  # (the key it sent back)


@pytest.mark.parametrize("path", ["/api/v1/claims/{blind}", "/api/v1/claims/{blind}/verdict",
                                  "/api/v1/claims?status=in_review", "/api/v1/search?q=bridge&kind=verdict",
                                  "/api/v1/claimreview", "/api/v1/match?text=mayor+bridge+cost"])
def test_the_api_hides_the_first_rating_from_the_second_checker(app, desk, path):
    response = app.test_client().get(path.format(**desk), headers={"Authorization": f"Bearer {desk['tokens']['ben']}"})
    assert response.status_code == 200
    body = json.dumps(response.json)
    assert_first_rating_hidden(body)
    if path == "/api/v1/claims/{blind}":
        assert response.json["verdict"] is None and response.json["second_rating"]["rater"] == "ben"
    if path.endswith("/verdict"):
        assert response.json["revisions"] == []


def test_the_export_never_holds_a_rating_in_review(app, desk):
    client = signed_in(app, "eve")
    for fmt in ("json", "jsonl", "csv"):
        body = client.get(f"/export/download?format={fmt}").get_data(as_text=True)
        assert "Published bridge verdict" in body and FIRST_CONCLUSION not in body and "Quokka" not in body


def test_once_both_are_in_the_review_screen_shows_them_side_by_side(app, desk):
    ben = signed_in(app, "ben")
    done = ben.post(f"/claims/{desk['blind']}/second-rating",
                    data={"rating_key": "mostly-false", "reasoning": SECOND_REASONING}, headers={"HX-Request": "true"})
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and "Both ratings are in" in done.headers["HX-Trigger"]
    assert 'id="review-panel"' in html and "hx-swap-oob" in html
    assert FIRST_LABEL in visible_text(ben.get(f"/claims/{desk['blind']}").get_data(as_text=True))  # now both see
    page = lxml.html.fromstring(signed_in(app, "eve").get(f"/claims/{desk['blind']}").data)
    compare = page.get_element_by_id("second-compare")
    first, second = compare.xpath(".//section[contains(@class, 'compare-side')]")
    assert "Raters disagree" in compare.text_content()
    assert FIRST_LABEL in first.text_content() and "ana" in first.text_content()
    assert "Mostly false" in second.text_content() and SECOND_REASONING in second.text_content()
    buttons = [b.text_content() for b in page.get_element_by_id("review-panel").xpath(".//button[@data-action]")]
    assert buttons == ["Approve and publish", "Send back", "Approve the second rating and publish"]
    assert "Raters disagree" in page.get_element_by_id("raters-disagree").text_content()
    queue = signed_in(app, "eve").get("/?tab=in_review").get_data(as_text=True)
    assert "Raters disagree" in queue
    assert "Raters disagree" in signed_in(app, "eve").get("/verdicts").get_data(as_text=True)


def test_the_first_checker_does_not_see_the_second_rating_before_submitting(app, db, desk):
    people = desk["people"]
    claim_id = start_claim(db, people["ana"], "The council said 3,000 homes were built last year.")
    draft_first(db, claim_id, people["ana"], "false")
    second_rating.request(db, claim_id, people["eve"], people["ben"]["id"])
    second_rating.rate(db, claim_id, people["ben"], "mostly-false", SECOND_REASONING)
    ana = signed_in(app, "ana")
    api = {"Authorization": f"Bearer {desk['tokens']['ana']}"}
    for body in (without_scale(ana.get(f"/claims/{claim_id}").get_data(as_text=True)),
                 without_scale(ana.get(f"/claims/{claim_id}", headers={"HX-Request": "true"}).get_data(as_text=True)),
                 without_scale(ana.get("/?tab=mine").get_data(as_text=True)),
                 json.dumps(app.test_client().get(f"/api/v1/claims/{claim_id}", headers=api).json)):
        assert "Pangolin" not in body and "rating-mostly-false" not in body and '"mostly-false"' not in body
    assert "ben's rating is in" in ana.get(f"/claims/{claim_id}").get_data(as_text=True)
    workflow.apply_action(db, claim_id, "submit", people["ana"])
    assert "Pangolin" in ana.get(f"/claims/{claim_id}").get_data(as_text=True)


def test_the_editor_asks_and_cancels_from_the_workspace(app, db, desk):
    people = desk["people"]
    claim_id = start_claim(db, people["ana"], "The council said 3,000 homes were built last year.")
    eve = signed_in(app, "eve")
    page = lxml.html.fromstring(eve.get(f"/claims/{claim_id}").data)
    assert [o.text for o in page.xpath("//select[@name='rater_id']/option")] == ["ben"]
    asked = eve.post(f"/claims/{claim_id}/second-rating/request", data={"rater_id": people["ben"]["id"]},
                     headers={"HX-Request": "true"})
    assert asked.status_code == 200 and "Asked ben for a blind second rating." in asked.headers["HX-Trigger"]
    assert "Waiting for ben" in asked.get_data(as_text=True)
    again = eve.post(f"/claims/{claim_id}/second-rating/request", data={"rater_id": people["ben"]["id"]})
    assert again.status_code == 403 and "already asked from ben" in again.get_data(as_text=True)
    assert signed_in(app, "ben").get("/?tab=second").get_data(as_text=True).count('class="claim-row"') == 2
    cancelled = eve.post(f"/claims/{claim_id}/second-rating/cancel")
    assert cancelled.status_code == 303
    assert claims.get_claim(db, claim_id)["second_rating"] is None
    assert signed_in(app, "ana").post(f"/claims/{desk['blind']}/second-rating/cancel").status_code == 403


def test_an_admin_turns_second_ratings_on_and_off(app, db, desk):
    people = desk["people"]
    claim_id = start_claim(db, people["ana"], "The council said 3,000 homes were built last year.")
    root = signed_in(app, "root")
    off = root.post("/admin/desk/second-ratings", data={})
    assert off.status_code == 303 and not second_rating.enabled(db)
    settings = root.get("/admin/desk").get_data(as_text=True)
    assert "Let editors ask for blind second ratings" in settings and "Now: off." in settings
    page = signed_in(app, "eve").get(f"/claims/{claim_id}").get_data(as_text=True)
    assert "Ask for a blind second rating" not in page and "second-rating-heading" not in page  # no panel at all
    assert signed_in(app, "eve").post("/admin/desk/second-ratings", data={"second_ratings": "on"}).status_code == 403
    root.post("/admin/desk/second-ratings", data={"second_ratings": "on"})
    assert second_rating.enabled(db)
    assert "Ask for a blind second rating" in signed_in(app, "eve").get(f"/claims/{claim_id}").get_data(as_text=True)


def test_the_dashboard_charts_agreement_and_kappa_with_links_to_the_claims(app, db, desk):
    people = desk["people"]
    second_rating.rate(db, desk["blind"], people["ben"], "mostly-false", SECOND_REASONING)
    for n, (first, second) in enumerate([("false", "false"), ("true", "true")]):
        claim_id = start_claim(db, people["ana"], f"Claim {n}: the council said {n + 2},000 homes were built.")
        draft_first(db, claim_id, people["ana"], first)
        workflow.apply_action(db, claim_id, "submit", people["ana"])
        second_rating.request(db, claim_id, people["eve"], people["ben"]["id"])
        second_rating.rate(db, claim_id, people["ben"], second, "Checked the register.")
    client = signed_in(app, "eve")
    html = client.get("/dashboard").data
    page = lxml.html.fromstring(html)
    figure = page.get_element_by_id("chart-agreement")
    svg = ET.fromstring(re.search(rb'<svg\b[^>]*aria-labelledby="chart-agreement-title".*?</svg>', html, re.S).group(0))
    assert svg[0].tag == f"{SVG}title" and svg[0].text.startswith("Agreement between blind raters per week")
    labels = {t.get("class"): t.text for t in svg.iter(f"{SVG}text") if "axis-label" in (t.get("class") or "")}
    assert labels == {"axis-label x-label": "Week starting", "axis-label y-label": "Share agreed / kappa"}
    table = [[cell.text_content().strip() for cell in tr] for tr in figure.iter("tr")]
    assert table[0] == ["Week starting", "Pairs", "Agreed", "Raw agreement", "Cohen's kappa"]
    # 3 pairs: (missing-context, mostly-false), (false, false), (true, true): p_o = 2/3; p_e = 2/9; kappa = 4/7.
    assert table[-1] == ["Last 90 days", "3", "2", "0.67", "0.57"]
    rows = list(csv.reader(io.StringIO(client.get("/dashboard/agreement.csv").get_data(as_text=True))))
    assert rows[0] == table[0] and rows[-1] == table[-1] and len(rows) == len(table) == 15
    links = {a.get("href"): int(a.text_content()) for a in figure.iter("a") if a.text_content().strip().isdigit()}
    assert {a.get("href") for a in svg.iter(f"{SVG}a")} <= set(links)
    for href, n in links.items():
        queue = lxml.html.fromstring(client.get(href).data)
        assert int(queue.get_element_by_id("queue-matching").text_content()) == n, href
