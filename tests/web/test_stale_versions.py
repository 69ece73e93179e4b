"""Bulk queue actions and the re-check form carry the claim version, as the workspace forms do (issue 12, item 4).

A bulk action from a queue page loaded before someone else changed a selected claim leaves that
claim alone and says who changed it; a form that lost its versions changes nothing.
"""

import re

import pytest

from review import claims, recheck, workflow
from tests.conftest import add_user, login
from tests.review.test_dashboard import published_claim

HX = {"HX-Request": "true"}


@pytest.fixture
def desk(app, db):
    maria, eve = add_user(db, "maria"), add_user(db, "eve")
    ids = [claims.create_manual_claim(db, text=f"Officials said {n},000 homes were built in {2020 + n}.")["id"]
           for n in range(1, 4)]
    client = app.test_client()
    assert login(client, "maria").status_code == 303
    return {"client": client, "ids": ids, "maria": maria, "eve": eve}


def queue_form(client, ids: list[int]) -> dict:
    """Select ``ids`` on the queue page as it is rendered now: each checkbox with the version beside it."""
    page = client.get("/?tab=new").get_data(as_text=True)
    versions = dict(re.findall(r'<input type="hidden" name="(version-\d+)" value="(\d+)" form="bulk-form">', page))
    return {"ids": ids, **{f"version-{i}": versions[f"version-{i}"] for i in ids}}


def statuses(db, ids):
    return [claims.get_claim(db, i)["status"] for i in ids]


def test_every_queue_row_gives_the_bulk_form_its_version(desk, db):
    page = desk["client"].get("/?tab=new").get_data(as_text=True)
    for claim_id in desk["ids"]:
        version = claims.get_claim(db, claim_id)["version"]
        assert f'<input type="hidden" name="version-{claim_id}" value="{version}" form="bulk-form">' in page


def test_a_bulk_action_without_versions_is_refused_and_changes_nothing(desk, db):
    events = db.scalar("SELECT count(*) FROM events")
    response = desk["client"].post("/claims/bulk", data={"ids": desk["ids"], "bulk_action": "accept"}, headers=HX)
    assert response.status_code == 422
    assert "did not say which version of the claim it changes" in response.get_data(as_text=True)
    assert statuses(db, desk["ids"]) == ["new"] * 3
    assert db.scalar("SELECT count(*) FROM events") == events


def test_a_bulk_action_leaves_a_claim_changed_since_the_page_was_loaded_and_names_who_changed_it(desk, db):
    client, ids = desk["client"], desk["ids"]
    form = queue_form(client, ids)
    workflow.apply_action(db, ids[1], "take", desk["eve"])  # eve takes one while maria's page is open
    response = client.post("/claims/bulk", data={**form, "bulk_action": "dismiss", "reason": "opinion"}, headers=HX)
    assert response.status_code == 200
    message = response.headers["HX-Trigger"]
    assert "Dismissed: 2 claims." in message
    assert f"claim {ids[1]}: eve took it just now, after you opened this claim" in message
    assert statuses(db, ids) == ["dismissed", "new", "dismissed"]
    assert claims.get_claim(db, ids[1])["assignee_id"] == desk["eve"]["id"]


def test_a_bulk_action_on_claims_that_all_changed_is_a_conflict(desk, db):
    client, ids = desk["client"], desk["ids"]
    form = queue_form(client, ids[:2])
    for claim_id in ids[:2]:
        claims.set_tags(db, claim_id, desk["eve"], add=["housing"])
    response = client.post("/claims/bulk", data={**form, "bulk_action": "accept"}, headers=HX)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Nothing was changed: every selected claim changed after this page was loaded" in html
    assert "eve changed it (Tags" in html and "Reload the queue and try again." in html
    assert statuses(db, ids[:2]) == ["new", "new"]


def test_a_bulk_tag_with_the_current_versions_is_saved(desk, db):
    client, ids = desk["client"], desk["ids"]
    response = client.post("/claims/bulk", data={**queue_form(client, ids), "bulk_action": "tag", "tag": "Homes"},
                           headers=HX)
    assert response.status_code == 200 and "Tagged: 3 claims." in response.headers["HX-Trigger"]
    assert all(claims.get_claim(db, i)["tags"] == ["homes"] for i in ids)


# -- the re-check form ---------------------------------------------------------------------------------------------

@pytest.fixture
def published(app, db):
    checker, editor = add_user(db, "ana"), add_user(db, "ed", "editor")
    claim_id = published_claim(db, checker, editor)
    client = app.test_client()
    assert login(client, "ed").status_code == 303
    return {"client": client, "claim_id": claim_id, "checker": checker}


def test_the_recheck_form_carries_the_version(published, db):
    page = published["client"].get(f"/claims/{published['claim_id']}").get_data(as_text=True)
    form = re.search(r'<form[^>]*action="/claims/\d+/recheck".*?</form>', page, flags=re.S).group(0)
    assert f'name="version" value="{claims.get_claim(db, published["claim_id"])["version"]}"' in form


def test_a_recheck_day_without_a_version_is_refused(published, db):
    day = recheck.desk.today(db).isoformat()
    response = published["client"].post(f"/claims/{published['claim_id']}/recheck", data={"recheck_by": day},
                                         headers=HX)
    assert response.status_code == 422
    assert "did not say which version of the claim it changes" in response.get_data(as_text=True)
    assert recheck.recheck_state(db, published["claim_id"])["recheck_by"] is None


def test_a_recheck_day_on_a_stale_version_is_refused_saying_who_changed_the_claim(published, db):
    claim_id = published["claim_id"]
    version = claims.get_claim(db, claim_id)["version"]
    claims.set_tags(db, claim_id, published["checker"], add=["housing"])
    day = recheck.desk.today(db).isoformat()
    response = published["client"].post(f"/claims/{claim_id}/recheck", data={"recheck_by": day, "version": version},
                                         headers=HX)
    assert response.status_code == 409
    assert "ana changed it (Tags" in response.get_data(as_text=True)
    assert recheck.recheck_state(db, claim_id)["recheck_by"] is None
    current = claims.get_claim(db, claim_id)["version"]
    saved = published["client"].post(f"/claims/{claim_id}/recheck", data={"recheck_by": day, "version": current},
                                      headers={**HX, "HX-Target": "verdict-panel"})
    assert saved.status_code == 200 and recheck.recheck_state(db, claim_id)["recheck_by"] == day
