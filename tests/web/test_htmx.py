"""Fragment or page, toasts on htmx answers, and messages that survive a redirect."""

import io
import json

import pytest

from app.htmx import wants_fragment
from app.jobs import runner
from review import claims

HTMX = {"HX-Request": "true"}
BOOSTED = {"HX-Request": "true", "HX-Boosted": "true"}


@pytest.mark.parametrize("headers, target, expected", [
    ({}, None, False),
    ({"HX-Request": "false"}, None, False),
    (HTMX, None, True),
    (BOOSTED, None, False),
    ({"HX-Request": "true", "HX-History-Restore-Request": "true"}, None, False),
    ({**HTMX, "HX-Target": "queue-rows"}, "queue-rows", True),
    ({**HTMX, "HX-Target": "queue-more"}, "queue-rows", False),
    ({**BOOSTED, "HX-Target": "queue-rows"}, "queue-rows", False),
])
def test_wants_fragment(app, headers, target, expected):
    with app.test_request_context("/", headers=headers):
        assert wants_fragment(target) is expected


def test_every_answer_varies_on_hx_request(checker_client):
    assert "HX-Request" in checker_client.get("/").headers["Vary"]


def flashed_toasts(page: str) -> str:
    """Return the toast area of a full page."""
    assert "<html" in page
    return page.split('id="toasts"')[1].split("</div>\n</body>")[0]


def test_an_admin_action_says_what_it_did_on_the_next_page(admin_client):
    response = admin_client.post("/admin/users", data={"username": "newbie", "role": "checker",
                                                       "password": "long enough pw"})
    assert response.status_code == 303 and "HX-Trigger" not in response.headers
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    toasts = flashed_toasts(page)
    assert "User newbie created." in toasts and 'role="status"' in toasts
    assert 'id="toasts" class="toasts" aria-live="polite" hx-preserve' not in page  # the new toasts replace the old
    later = admin_client.get("/admin/users").get_data(as_text=True)
    assert "User newbie created." not in later  # shown once
    assert 'aria-live="polite" hx-preserve="true"' in later


def test_a_boosted_admin_form_gets_the_redirect_and_the_message(admin_client):
    response = admin_client.post("/admin/ratings/mappings", data={"label": "Pants on fire!", "rating_key": "false"},
                                 headers=BOOSTED)
    assert response.status_code == 303
    page = admin_client.get(response.headers["Location"], headers=BOOSTED).get_data(as_text=True)
    assert "Mapping saved." in flashed_toasts(page)


def test_signing_out_says_so_on_the_sign_in_page(checker_client):
    response = checker_client.post("/logout")
    assert response.status_code == 303
    assert "Signed out." in flashed_toasts(checker_client.get("/login").get_data(as_text=True))


def test_a_finished_import_polled_in_place_carries_its_toast_in_a_header(app, admin_client):
    upload = (io.BytesIO(b'{"@type": "ClaimReview"}'), "one.json")
    response = admin_client.post("/admin/imports", data={"files": [upload]}, headers=BOOSTED)
    assert response.status_code == 303 and runner(app).wait_idle(60)  # an import runs as a job
    response = admin_client.get(response.headers["Location"], headers={**HTMX, "HX-Target": "job"})
    assert response.status_code == 200 and "<html" not in response.get_data(as_text=True)
    toast = json.loads(response.headers["HX-Trigger"])["toast"]
    assert toast == {"level": "error", "message": "Imported: added 0, updated 0, refused 1."}


@pytest.fixture
def claim(db):
    return claims.create_manual_claim(db, text="The river rose 3 metres in 2024.", claimant="The mayor",
                                      url="https://example.org/a")


def test_a_boosted_post_gets_a_page_an_htmx_post_a_fragment(checker_client, claim):
    path = f"/claims/{claim['id']}/notes"
    boosted = checker_client.post(path, data={"body": "Called the river authority.", "version": 1}, headers=BOOSTED)
    assert boosted.status_code == 303
    fragment = checker_client.post(path, data={"body": "They confirm 2.1 metres.", "version": 1},
                                   headers={**HTMX, "HX-Target": "workspace"})
    assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)
    assert json.loads(fragment.headers["HX-Trigger"])["toast"]["message"] == "Note added."
