"""The queue page: rows and their fragment, filters in the URL, actions and undo, bulk, tabs and counts."""

import pytest

from review import claims, queue, workflow
from review.errors import ValidationError
from tests.review.test_queue import manual, three  # noqa: F401 (helpers and fixtures)

HX = {"HX-Request": "true"}


def test_full_page_and_rows_fragment(checker_client, three):
    page = checker_client.get("/")
    html = page.get_data(as_text=True)
    assert "<html" in html and 'id="queue-rows"' in html and "Claim number 2" in html
    assert "HX-Request" in page.headers["Vary"]
    fragment = checker_client.get("/", headers={**HX, "HX-Target": "queue-rows"}).get_data(as_text=True)
    assert "<html" not in fragment and fragment.lstrip().startswith("<tbody")
    assert 'id="count-new" hx-swap-oob="true"' in fragment
    # A boosted navigation or a history restore gets the full page.
    boosted = checker_client.get("/", headers={**HX, "HX-Boosted": "true", "HX-Target": "queue-rows"})
    assert "<html" in boosted.get_data(as_text=True)
    restore = checker_client.get("/", headers={**HX, "HX-History-Restore-Request": "true", "HX-Target": "queue-rows"})
    assert "<html" in restore.get_data(as_text=True)


def test_filters_combine_and_live_in_the_url(checker_client, db, three):
    manual(db, "The mayor said unemployment fell to 4 percent in 2023.", claimant="Mayor Elena Marsh")
    html = checker_client.get("/?q=unemployment&claimant=marsh").get_data(as_text=True)
    assert "unemployment fell" in html and "Claim number" not in html
    html = checker_client.get("/?q=evacuated&claimant=marsh").get_data(as_text=True)
    assert "No claims match these filters" in html
    # Tabs keep the filters.
    assert "claimant=marsh" in html


def test_accept_from_the_queue_removes_the_row_and_offers_undo(checker_client, db, three):
    claim = three[0]
    response = checker_client.post(f"/claims/{claim['id']}/action/accept", data={"version": claim["version"]},
                                   headers={**HX, "HX-Target": f"claim-{claim['id']}"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'id="count-new" hx-swap-oob="true">2<' in body and 'id="count-queued" hx-swap-oob="true">1<' in body
    assert '"undo"' in response.headers["HX-Trigger"]
    assert claims.get_claim(db, claim["id"])["status"] == "queued"
    undo = response.headers["HX-Trigger"].split('"undo": "')[1].split('"')[0]
    assert checker_client.post(undo, headers=HX).status_code == 200
    assert claims.get_claim(db, claim["id"])["status"] == "new"


def test_illegal_transition_is_refused_with_a_message_and_changes_nothing(checker_client, db, three):
    claim = three[0]
    response = checker_client.post(f"/claims/{claim['id']}/action/approve", data={"version": claim["version"]},
                                   headers=HX)
    assert response.status_code == 403
    assert "toast" in response.headers["HX-Trigger"]
    assert claims.get_claim(db, claim["id"]) == claim


def test_two_clients_on_the_same_claim(app, db, logged_in, three):
    """The second writer, working from a stale version, is refused and told who changed what."""
    claim = three[0]
    first = logged_in("checker", "ana")
    second = logged_in("checker", "ben")
    ok = first.post(f"/claims/{claim['id']}/action/accept", data={"version": claim["version"]}, headers=HX)
    assert ok.status_code == 200
    stale = second.post(f"/claims/{claim['id']}/action/dismiss",
                        data={"version": claim["version"], "reason": "opinion"}, headers=HX)
    assert stale.status_code == 409
    assert "ana moved it to Queued just now" in stale.get_data(as_text=True)  # who did what, when, in words
    assert claims.get_claim(db, claim["id"])["status"] == "queued"
    # The first writer keeps working from the version the server sent back: no self-conflict.
    page = first.get(f"/claims/{claim['id']}").get_data(as_text=True)
    version = page.split('id="claim-version" name="version" value="')[1].split('"')[0]
    again = first.post(f"/claims/{claim['id']}/action/start", data={"version": version}, headers=HX)
    assert again.status_code == 200
    assert 'id="claim-version" name="version" value="3"' in again.get_data(as_text=True)
    assert 'hx-swap-oob="true"' in again.get_data(as_text=True)


def bulk(db, ids: list[int], **form) -> dict:
    """A bulk form as the queue page sends it: the selected ids, each with its version."""
    versions = {f"version-{i}": claims.get_claim(db, i)["version"] for i in ids}
    return {"ids": ids, **versions, **form}


def test_bulk_accept_and_merge(checker_client, db, three):
    ids = [c["id"] for c in three]
    response = checker_client.post("/claims/bulk", data=bulk(db, ids[:2], bulk_action="accept"), headers=HX)
    assert response.status_code == 200 and "Accepted: 2 claims" in response.headers["HX-Trigger"]
    response = checker_client.post("/claims/bulk", data=bulk(db, [ids[2], ids[0]], bulk_action="merge"), headers=HX)
    assert response.status_code == 200 and "Merged: 1 claim." in response.headers["HX-Trigger"]
    assert claims.get_claim(db, ids[0])["duplicate_of"] == ids[2]
    response = checker_client.post("/claims/bulk", data=bulk(db, ids, bulk_action="tag", tag="Elections"),
                                   headers=HX)
    assert response.status_code == 200 and "Tagged: 3 claims." in response.headers["HX-Trigger"]
    assert all("elections" in claims.get_claim(db, i)["tags"] for i in ids)


def test_bulk_reports_claims_it_could_not_change(checker_client, db, three):
    ids = [c["id"] for c in three]
    db.execute("UPDATE claims SET status = 'published' WHERE id = ?", [ids[0]])
    response = checker_client.post("/claims/bulk", data=bulk(db, ids, bulk_action="dismiss", reason="opinion"),
                                   headers=HX)
    trigger = response.headers["HX-Trigger"]
    assert "Dismissed: 2 claims" in trigger and f"claim {ids[0]}" in trigger


def test_more_rows_fragment_for_infinite_scroll(checker_client, db):
    for i in range(55):
        manual(db, f"Generated claim {i} about 2,{i:03d} evacuated people.")
    html = checker_client.get("/").get_data(as_text=True)
    more = html.split('id="queue-more"')[1].split('hx-get="')[1].split('"')[0].replace("&amp;", "&")
    fragment = checker_client.get(more, headers={**HX, "HX-Target": "queue-more"}).get_data(as_text=True)
    assert "<tbody" not in fragment and fragment.count('class="claim-row"') == 5


def test_mine_tab_lists_my_open_claims(checker_client, db, three):
    me = db.scalar("SELECT id FROM users WHERE username = 'checker1'")
    workflow.apply_action(db, three[1]["id"], "take", {"id": me, "role": "checker"})
    html = checker_client.get("/?tab=mine").get_data(as_text=True)
    assert "Claim number 2" in html and "Claim number 1" not in html
    assert 'id="count-mine">1<' in html


def test_manual_claim_form(checker_client, db):
    response = checker_client.post("/claims/new", data={"text": "short", "url": "ftp://x", "appeared_at": "yesterday"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "at least 10 characters" in html and "http://" in html and "2024-12-08" in html
    response = checker_client.post("/claims/new", data={
        "text": "The senator said on TV that crime doubled in 2023.", "claimant": "Senator Jane Roe",
        "url": "https://tv.example/clip", "appeared_at": "2024-03-01"})
    assert response.status_code == 303
    page = checker_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "crime doubled" in page and "Senator Jane Roe" in page and "https://tv.example/clip" in page


def test_rows_offer_the_actions_the_user_may_take_now(checker_client, db, three):
    me = db.one("SELECT id, role FROM users WHERE username = 'checker1'")
    workflow.apply_action(db, three[0]["id"], "accept", me)
    new = checker_client.get("/", headers={**HX, "HX-Target": "queue-rows"}).get_data(as_text=True)
    assert new.count('data-row-action="a"') == 2 and new.count('data-row-action="d"') == 2
    queued = checker_client.get("/?tab=queued", headers={**HX, "HX-Target": "queue-rows"}).get_data(as_text=True)
    assert 'data-row-action="a"' not in queued and queued.count("data-dismiss") == 1
    published = checker_client.get("/?tab=published", headers={**HX, "HX-Target": "queue-rows"})
    assert "data-row-action" not in published.get_data(as_text=True)


def test_queue_rows_show_the_priority_parts(checker_client, db):
    claim = manual(db, "The council said 40 percent of buses were late in March.")
    db.execute("UPDATE claims SET checkworthiness = 0.8 WHERE id = ?", [claim["id"]])
    claims._refresh_priority(db, claim["id"])
    html = checker_client.get("/").get_data(as_text=True)
    assert ">Priority</abbr>" in html and "score 56.0" in html


def test_tab_counts_honour_the_active_filters(checker_client, db, three):
    manual(db, "The mayor said unemployment fell to 4 percent in 2023.", claimant="Mayor Elena Marsh")
    assert queue.tab_counts(db, None)["new"] == 4
    assert queue.tab_counts(db, None, {"q": "unemployment"})["new"] == 1
    assert queue.tab_counts(db, None, {"claimant": "person"})["new"] == 3
    html = checker_client.get("/?q=unemployment").get_data(as_text=True)
    assert 'id="count-new">1<' in html


def test_the_new_tab_shows_each_articles_top_claims_and_keeps_the_rest(checker_client, db):
    from review.ingest.store import add_document

    places = ["Aleppo", "Hama", "Homs", "Idlib", "Daraa", "Latakia", "Tartus", "Raqqa"]
    body = " ".join(f"The ministry said {n + 2},{n}00 people were evacuated from {place} on Monday."
                    for n, place in enumerate(places))
    doc_id = add_document(db, title="Evacuations", source="Wire", body=body, published_at="2024-05-02").document_id
    total = db.scalar("SELECT count(*) FROM claims WHERE document_id = ?", [doc_id])
    assert total > queue.ARTICLE_BUDGET
    shown = queue.list_queue(db, tab="new").rows
    assert [r["article_rank"] for r in shown] == list(range(1, queue.ARTICLE_BUDGET + 1))
    best = db.query("SELECT id FROM claims WHERE document_id = ? ORDER BY checkworthiness DESC, id LIMIT ?",
                    [doc_id, queue.ARTICLE_BUDGET])
    assert {r["id"] for r in shown} == {r["id"] for r in best}  # the article's best by score
    assert len(queue.list_queue(db, tab="new", filters={"more_from": str(doc_id)}).rows) == total
    html = checker_client.get("/").get_data(as_text=True)
    assert "More from this article" in html and f"more_from={doc_id}" in html
    queue.set_source_budget(db, "Wire", 2)
    assert len(queue.list_queue(db, tab="new").rows) == 2
    with pytest.raises(ValidationError):
        queue.set_source_budget(db, "Wire", -1)


def test_messages_name_the_claim_by_its_first_words(checker_client, db, three):
    claim = three[0]
    response = checker_client.post(f"/claims/{claim['id']}/action/accept", headers={**HX, "HX-Target": f"claim-{claim['id']}"},
                                   data={"version": claim["version"]})
    assert "Accepted: \\u201cClaim number 1 says 1000 people\\u2026\\u201d." in response.headers["HX-Trigger"]
    assert queue.claim_label("Short claim.") == "“Short claim.”"


def test_counts_after_a_triage_follow_the_queue_pages_filters(checker_client, db, three):
    manual(db, "The mayor said unemployment fell to 4 percent in 2023.", claimant="Mayor Elena Marsh")
    claim = three[0]
    response = checker_client.post(f"/claims/{claim['id']}/action/accept", data={"version": claim["version"]},
                                   headers={**HX, "HX-Target": f"claim-{claim['id']}",
                                            "HX-Current-URL": "http://localhost/?claimant=person"})
    html = response.get_data(as_text=True)
    assert 'id="count-new" hx-swap-oob="true">2<' in html and 'id="count-queued" hx-swap-oob="true">1<' in html


def test_queue_rows_show_the_desks_text_as_text(checker_client, db):
    """Every row is built from desk text (claim, claimant, tags, a prior verdict's label): none of it is markup."""
    claim = manual(db, 'Officials said <img src=x onerror=alert(1)> "all" & \'most\' fell.', claimant="<b>Ann</b> & co")
    me = db.one("SELECT id, role FROM users WHERE username = 'checker1'")
    claims.set_tags(db, claim["id"], me, add=["<i>hot</i>"])
    db.execute("UPDATE claims SET prior_match_score = 0.9, prior_match_label = '<u>False</u>',"
               " prior_match_publisher = 'Fact & Co' WHERE id = ?", [claim["id"]])
    html = checker_client.get("/").get_data(as_text=True)
    assert "<img src=x" not in html and "<b>Ann" not in html and "<u>False" not in html and "<i>hot" not in html
    assert "Officials said &lt;img src=x onerror=alert(1)&gt; &#34;all&#34; &amp; &#39;most&#39; fell." in html
    assert "&lt;b&gt;Ann&lt;/b&gt; &amp; co" in html
    assert "Checked before: <strong>&lt;u&gt;False&lt;/u&gt;</strong> — Fact &amp; Co" in html
    row = html[html.index(f'id="claim-{claim["id"]}"'):]
    assert f'action="/claims/{claim["id"]}/action/accept"' in row[:row.index("</tr>")]


@pytest.mark.parametrize("tab", ["open", "new", "queued", "mine", "all", "dismissed"])
def test_the_figure_above_the_rows_counts_what_the_tab_lists(checker_client, db, three, tab):
    me = db.one("SELECT id, role FROM users WHERE username = 'checker1'")
    manual(db, "The mayor said unemployment fell to 4 percent in 2023.", claimant="Mayor Elena Marsh")
    workflow.apply_action(db, three[0]["id"], "accept", me)
    workflow.apply_action(db, three[1]["id"], "dismiss", me, reason="not_checkworthy")
    db.execute("UPDATE claims SET assignee_id = ? WHERE id = ?", [me["id"], three[0]["id"]])
    html = checker_client.get(f"/?tab={tab}&q=people", headers={**HX, "HX-Target": "queue-rows"}).get_data(as_text=True)
    listed = html.count('class="claim-row"')
    expected = {"open": 2, "new": 1, "queued": 1, "mine": 1, "all": 3, "dismissed": 1}[tab]
    assert listed == expected and f'id="queue-matching">{expected}<' in html
