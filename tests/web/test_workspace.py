"""The claim workspace as panels: each save swaps its own panel, the panels it changed come out of band.

Every htmx endpoint is asked both ways: a plain request gets the page (or a 303 to it), an htmx
request gets only its fragment. The prior match and the ClaimReview validator are reachable only
through the checked-before and verdict panels, so an answer without those panels ran neither.
"""

import json
import re
import sys
from pathlib import Path

import pytest

from review import claims, evidence, queue, verdicts, workflow
from review.indexing import drain

HX = {"HX-Request": "true"}
PANELS = ("head-panel", "prior-panel", "verdict-panel", "evidence-panel", "search-panel", "appearances-panel",
          "notes-panel", "actions-panel", "history-panel")
PRIOR = {"@context": "https://schema.org", "@type": "ClaimReview",
         "url": "https://checker.example/reviews/bridge-48-million",
         "claimReviewed": "The new Riverton bridge cost $48 million.",
         "author": {"@type": "Organization", "name": "PolitiFact"}, "datePublished": "2016-05-02",
         "reviewRating": {"@type": "Rating", "alternateName": "Pants on Fire"}}
NO_CLAIMANT = "who made the claim"  # the validator's problem for a claim without a claimant


def panels_in(html: str) -> dict[str, bool]:
    """Return the panel ids in a response, each with whether it comes out of band."""
    found = {}
    for tag in re.findall(r"<section\b[^>]*>", html):
        name = re.search(r'\bid="([^"]+)"', tag)
        if name and name.group(1) in PANELS:
            found[name.group(1)] = 'hx-swap-oob="true"' in tag
    return found


def toast_of(response) -> str:
    return json.loads(response.headers["HX-Trigger"])["toast"]["message"]


@pytest.fixture
def desk(app, db, make_user):
    """A claim in progress for checker1 (no claimant: the validator complains), a draft verdict, a prior review."""
    from review.claimreview.store import import_paths

    path = app.config["INSTANCE"] + "/prior.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(PRIOR) + "\n")
    import_paths(db, [path])
    drain(db, app.config["INDEX"])
    checker = make_user("checker1")
    claim = claims.create_manual_claim(db, text="The mayor said the new Riverton bridge cost $48 million.",
                                       url="https://tv.example/clip")
    for action in ("accept", "start"):
        workflow.apply_action(db, claim["id"], action, checker)
    verdicts.save_draft(db, claims.get_claim(db, claim["id"]), checker, {"rating_key": "true", "conclusion": "It did"})
    return claims.get_claim(db, claim["id"])


@pytest.fixture
def checker(app, desk):
    from tests.conftest import login

    client = app.test_client()
    assert login(client, "checker1").status_code == 303
    return client


def test_the_page_has_every_panel_and_the_match_and_the_problems(checker, desk):
    html = checker.get(f"/claims/{desk['id']}").get_data(as_text=True)
    assert "<html" in html
    assert panels_in(html) == dict.fromkeys(PANELS, False)
    assert "PolitiFact" in html and NO_CLAIMANT in html
    assert 'id="claim-version" name="version" value="4"' in html


def modules_run(request) -> set[str]:
    """Answer ``request()`` and return the project's source files whose functions ran meanwhile."""
    root = str(Path(__file__).resolve().parents[2]) + "/"
    ran = set()

    def profile(frame, event, arg):
        if event == "call" and frame.f_code.co_filename.startswith(root):
            ran.add(frame.f_code.co_filename.removeprefix(root))

    sys.setprofile(profile)
    try:
        response = request()
    finally:
        sys.setprofile(None)
    return response, ran


# What "checked before?" and the ClaimReview validator run: the search index, the match, the verdict checks.
MATCH_OR_VALIDATOR = ("review/prior.py", "review/matching.py", "review/scorers.py", "review/semantic/",
                      "review/claimreview/", "review/verdicts.py", "search_index/")


def test_a_note_swaps_the_notes_panel_and_the_history_and_runs_no_match_or_validator(checker, desk):
    response, ran = modules_run(lambda: checker.post(
        f"/claims/{desk['id']}/notes", data={"body": "Ask the city for the invoice.", "version": desk["version"]},
        headers={**HX, "HX-Target": "notes-panel"}))
    assert "review/claims.py" in ran and [path for path in ran if path.startswith(MATCH_OR_VALIDATOR)] == []
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert panels_in(html) == {"notes-panel": False, "history-panel": True}
    assert "Ask the city for the invoice." in html and '<span class="count">1</span>' in html
    assert "Note added" in html  # the history's new line
    assert "PolitiFact" not in html and NO_CLAIMANT not in html
    assert toast_of(response) == "Note added."


def test_a_plain_note_post_redirects_and_the_page_says_so(checker, desk):
    response = checker.post(f"/claims/{desk['id']}/notes", data={"body": "No JavaScript here.", "version": desk["version"]})
    assert response.status_code == 303 and response.headers["Location"] == f"/claims/{desk['id']}"
    page = checker.get(response.headers["Location"]).get_data(as_text=True)
    assert "<html" in page and "No JavaScript here." in page and "data-flash>Note added.<" in page


def test_tags_swap_the_head_and_refresh_every_form_version(checker, desk, db):
    response = checker.post(f"/claims/{desk['id']}/tags", data={"add": "bridges", "version": desk["version"]},
                            headers={**HX, "HX-Target": "head-panel"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert panels_in(html) == {"head-panel": False, "history-panel": True}
    version = desk["version"] + 1
    assert f'id="claim-version" name="version" value="{version}" form="none" hx-swap-oob="true"' in html
    # The other panels' forms keep their place; their version inputs follow out of band.
    assert (f'<input type="hidden" name="version" value="{version}" class="claim-version" '
            'hx-swap-oob="outerHTML:#workspace input.claim-version">') in html
    assert "PolitiFact" not in html and NO_CLAIMANT not in html
    assert claims.get_claim(db, desk["id"])["tags"] == ["bridges"]


def test_editing_the_claim_refreshes_the_match_and_the_verdict_check(checker, desk):
    response = checker.post(f"/claims/{desk['id']}/edit", headers={**HX, "HX-Target": "head-panel"}, data={
        "version": desk["version"], "text": desk["text"], "claimant": "Mayor Kim", "claim_type": "statistic"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    # The claimant fixed what blocked Submit: the actions panel follows.
    assert panels_in(html) == {"head-panel": False, "prior-panel": True, "verdict-panel": True,
                               "actions-panel": True, "history-panel": True}
    assert "Mayor Kim" in html and NO_CLAIMANT not in html
    assert toast_of(response) == "Claim saved."


def test_linking_a_prior_verdict_swaps_what_a_new_appearance_changes(checker, desk, db):
    prior_id = db.scalar("SELECT id FROM prior_reviews")
    response = checker.post(f"/claims/{desk['id']}/prior", headers={**HX, "HX-Target": "prior-panel"},
                            data={"url": PRIOR["url"], "prior_review_id": prior_id, "version": desk["version"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert panels_in(html) == {"prior-panel": False, "head-panel": True, "verdict-panel": True,
                               "appearances-panel": True, "history-panel": True}
    assert "Linked as the same claim" in html and "seen 2×" in html


def oob_ids(html: str) -> set[str]:
    return set(re.findall(r'<[^>]*\bid="([^"]+)"[^>]*hx-swap-oob="true"', html))


def test_evidence_swaps_only_its_list_its_count_and_the_history(checker, desk, db):
    response = checker.post(f"/claims/{desk['id']}/evidence", headers=HX,
                            data={"url": "https://city.example/budget", "title": "City budget", "stance": "refutes",
                                  "version": desk["version"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    # Nothing else re-renders: not the panel around the list (its URL form stays as the user left it).
    assert panels_in(html) == {"history-panel": True}
    assert oob_ids(html) == {"evidence-items", "evidence-count", "history-panel"}
    assert re.search(r'id="evidence-count" hx-swap-oob="true">1<', html)
    assert "Refutes the claim" in html and "Evidence added" in html and "PolitiFact" not in html
    assert toast_of(response) == "Evidence attached: City budget (refutes the claim)."
    item = evidence.list_evidence(db, desk["id"])[0]
    response = checker.post(f"/claims/{desk['id']}/evidence/{item['id']}", headers=HX,
                            data={"stance": "supports", "note": "page 4", "version": desk["version"]})
    assert oob_ids(response.get_data(as_text=True)) == {"evidence-items", "evidence-count", "history-panel"}
    assert toast_of(response) == "Evidence saved."
    response = checker.post(f"/claims/{desk['id']}/evidence/{item['id']}", headers=HX,
                            data={"remove": "1", "version": desk["version"]})
    assert "Evidence removed" in toast_of(response) and evidence.list_evidence(db, desk["id"]) == []
    assert re.search(r'id="evidence-count" hx-swap-oob="true">0<', response.get_data(as_text=True))
    plain = checker.post(f"/claims/{desk['id']}/evidence", data={"url": "https://city.example/minutes", "title": "Minutes",
                                                                 "version": desk["version"]})
    assert plain.status_code == 303 and plain.headers["Location"] == f"/claims/{desk['id']}"


@pytest.fixture
def article(db):
    from review.ingest.store import add_document

    body = ("The council met on Monday. The city budget lists $31 million for the bridge.\n\n"
            "Officials confirmed the figure. Critics disagreed.")
    return add_document(db, body=body, title="Budget report", source="Riverton Herald", origin="paste").document_id


def test_a_passage_offered_from_a_hit_grows_by_whole_sentences(checker, desk, article, db):
    url = f"/claims/{desk['id']}/evidence/passage"
    offered = checker.get(url, query_string={"document_id": article, "q": "bridge budget"},
                          headers={**HX, "HX-Target": f"passage-{article}"})
    html = offered.get_data(as_text=True)
    assert offered.status_code == 200 and "<html" not in html
    assert ">The city budget lists $31 million for the bridge.</textarea>" in html
    start = int(re.search(r'name="start" value="(\d+)"', html).group(1))
    end = int(re.search(r'name="end" value="(\d+)"', html).group(1))
    grown = checker.get(url, query_string={"document_id": article, "start": start, "end": end, "after": 1},
                        headers=HX).get_data(as_text=True)
    assert ">The city budget lists $31 million for the bridge.\n\nOfficials confirmed the figure.</textarea>" in grown
    page = checker.get(url, query_string={"document_id": article, "q": "bridge"}).get_data(as_text=True)
    assert "<html" in page and "Attach passage" in page


def test_an_attached_passage_is_the_documents_text_between_its_offsets(checker, desk, article, db):
    response = checker.post(f"/claims/{desk['id']}/evidence", headers={**HX, "HX-Target": f"passage-{article}"},
                            data={"document_id": article, "excerpt": "budget lists  $31 million\nfor the bridge",
                                  "excerpt_start": 30, "stance": "refutes", "version": desk["version"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<p id="passage-{article}" class="attached" role="status">Attached as evidence (refutes the claim).' in html
    item = evidence.list_evidence(db, desk["id"])[0]
    body = db.scalar("SELECT body FROM documents WHERE id = ?", [article])
    assert item["excerpt"] == body[item["excerpt_start"]:item["excerpt_end"]] == "budget lists $31 million for the bridge"
    refused = checker.post(f"/claims/{desk['id']}/evidence", headers=HX,
                           data={"document_id": article, "excerpt": "the bridge cost nothing", "stance": "refutes",
                                 "version": desk["version"]})
    assert refused.status_code == 422 and "HX-Trigger" not in refused.headers  # one message: the alert
    assert refused.get_data(as_text=True).count("the article&#39;s own words") == 1
    reader = checker.get(f"/documents/{article}?passage={item['excerpt_start']}-{item['excerpt_end']}")
    assert '<mark class="passage-mark" id="passage" title="The evidence\'s excerpt">budget lists $31 million for the bridge</mark>' \
        in reader.get_data(as_text=True).replace("&#39;", "'")


def test_saving_the_verdict_swaps_the_verdict_panel_with_its_warning(checker, desk):
    response = checker.post(f"/claims/{desk['id']}/verdict", headers={**HX, "HX-Target": "verdict-panel"},
                            data={"version": desk["version"], "rating_key": "true", "conclusion": "It did"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert panels_in(html) == {"verdict-panel": False, "head-panel": True, "actions-panel": True,
                               "history-panel": True}
    assert "PolitiFact rated a very similar claim" in html  # the draft is compared with the prior match
    assert f'id="claim-version" name="version" value="{desk["version"] + 1}"' in html
    assert toast_of(response) == "Verdict draft saved."
    plain = checker.post(f"/claims/{desk['id']}/verdict", data={"version": desk["version"] + 1, "conclusion": "Yes"})
    assert plain.status_code == 303


def with_claimant(db, claim: dict) -> dict:
    """Name the claimant, so the draft passes the ClaimReview check and can be submitted."""
    checker = db.one("SELECT * FROM users WHERE username = 'checker1'")
    return claims.update_claim(db, claim["id"], checker, version=claim["version"], claimant="Mayor Kim")


def test_a_workflow_action_swaps_the_whole_workspace(checker, desk, db):
    claim = with_claimant(db, desk)
    response = checker.post(f"/claims/{desk['id']}/action/submit", headers={**HX, "HX-Target": "workspace"},
                            data={"version": claim["version"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert "<html" not in html and 'id="workspace"' in html
    assert panels_in(html) == dict.fromkeys(PANELS, False)  # inside the workspace, not out of band
    assert f'id="claim-version" name="version" value="{claim["version"] + 1}" form="none" hx-swap-oob="true"' in html
    assert toast_of(response) == f"Submitted for review: {queue.claim_label(desk['text'])}."


def test_a_plain_action_redirects_with_the_message(checker, desk, db):
    claim = with_claimant(db, desk)
    response = checker.post(f"/claims/{desk['id']}/action/submit", data={"version": claim["version"]})
    assert response.status_code == 303 and response.headers["Location"] == f"/claims/{desk['id']}"
    page = checker.get(f"/claims/{desk['id']}").get_data(as_text=True)
    assert f"data-flash>Submitted for review: {queue.claim_label(desk['text'])}.<" in page


def test_plain_and_fragment_gets_of_the_workspace(checker, desk):
    boosted = checker.get(f"/claims/{desk['id']}", headers={**HX, "HX-Boosted": "true"}).get_data(as_text=True)
    assert "<html" in boosted
    fragment = checker.get(f"/claims/{desk['id']}", headers=HX).get_data(as_text=True)
    assert "<html" not in fragment and 'id="workspace"' in fragment and 'hx-swap-oob="true"' in fragment
    results = checker.get(f"/claims/{desk['id']}?q=bridge&kind=verdict",
                          headers={**HX, "HX-Target": "ws-search-results"}).get_data(as_text=True)
    assert results.lstrip().startswith('<div id="ws-search-results">') and "<html" not in results
    assert "search-panel" not in results
    page = checker.get(f"/claims/{desk['id']}?q=bridge&kind=verdict").get_data(as_text=True)
    assert "<html" in page and "Pants on Fire" in page


def test_only_who_may_draft_gets_the_verdict_form(app, desk, logged_in):
    other = logged_in("checker", "cora")
    html = other.get(f"/claims/{desk['id']}").get_data(as_text=True)
    assert "Save draft" not in html and "Edit the claim as it will be reviewed" not in html
    editor = logged_in("editor", "erin")
    html = editor.get(f"/claims/{desk['id']}").get_data(as_text=True)
    assert "Save draft" in html and "Edit the claim as it will be reviewed" in html


def test_a_claim_nobody_started_says_how_to_draft_its_verdict(app, db, logged_in):
    from review.users import find_user

    claim = claims.create_manual_claim(db, text="The harbour handled 3 million containers in 2023.")
    client = logged_in("checker", "cora")
    cora = find_user(db, "cora")
    for action in ("accept", "start"):  # new, then queued: neither has a draft yet
        html = client.get(f"/claims/{claim['id']}").get_data(as_text=True)
        assert "Start the claim to draft its verdict." in html and "Save draft" not in html, action
        workflow.apply_action(db, claim["id"], action, cora)
    html = client.get(f"/claims/{claim['id']}").get_data(as_text=True)
    assert "Start the claim to draft its verdict." not in html and "Save draft" in html
    assert "Start the claim to draft its verdict." not in client.get(f"/claims/{claim['id']}").get_data(as_text=True)


def test_claimreview_json_needs_a_published_verdict(checker, desk):
    assert checker.get(f"/claims/{desk['id']}/claimreview.json").status_code == 404


def test_the_review_screen_disables_approval_while_something_blocks_publishing(app, desk, db, logged_in):
    claim = with_claimant(db, desk)
    checker = db.one("SELECT * FROM users WHERE username = 'checker1'")
    workflow.apply_action(db, claim["id"], "submit", checker, version=claim["version"])
    editor = logged_in("editor", "erin")
    html = editor.get(f"/claims/{claim['id']}").get_data(as_text=True)
    assert 'aria-labelledby="review-heading"' in html and 'data-action="approve">Approve and publish<' in html
    # The claimant is removed behind the desk's back (an import, the API): approval waits and says why.
    db.execute("UPDATE claims SET claimant = NULL WHERE id = ?", [claim["id"]])
    html = editor.get(f"/claims/{claim['id']}").get_data(as_text=True)
    assert 'data-action="approve" disabled aria-describedby="approve-blocked">' in html
    assert "Not ready yet: Say who made the claim (Claimant)." in html


def test_opening_a_claim_in_review_writes_nothing_until_the_page_posts_what_the_editor_saw(app, desk, db, logged_in):
    """GET never writes: the review region posts back (htmx, on load, with CSRF) that the editor saw this content."""
    claim = with_claimant(db, desk)
    checker = db.one("SELECT * FROM users WHERE username = 'checker1'")
    workflow.apply_action(db, claim["id"], "submit", checker, version=claim["version"])
    editor = logged_in("editor", "erin")
    tables = [row["name"] for row in db.query(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()"
        if db.dialect == "postgres" else "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%'"
        " AND name NOT LIKE 'sqlite_%'")]

    def rows():
        return {t: db.scalar(f"SELECT count(*) FROM {t}") for t in tables if t not in ("sessions", "request_log")}

    before = rows()
    for headers in ({}, {"HX-Request": "true", "HX-Target": "workspace"}):
        html = editor.get(f"/claims/{claim['id']}", headers=headers).get_data(as_text=True)
    assert rows() == before
    assert 'hx-trigger="load"' in html and f'hx-post="/claims/{claim["id"]}/review/seen"' in html
    digest = html.split('name="digest" value="')[1].split('"')[0]
    response = editor.post(f"/claims/{claim['id']}/review/seen", data={"digest": digest},
                           headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert db.scalar("SELECT count(*) FROM review_views") == 1
