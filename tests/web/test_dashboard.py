"""The dashboard page: every number opens the queue listing that many claims; charts parse; CSV; who sees what."""

import csv
import io
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest

from review import desk
from tests.conftest import login
from tests.review.test_dashboard import build_desk

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def known(db):
    return build_desk(db, desk.today(db))


def signed_in(app, name):
    client = app.test_client()
    assert login(client, name).status_code == 303
    return client


def queue_count(client, href: str) -> int:
    """Return the number of claims the queue says it lists at ``href``."""
    page = lxml.html.fromstring(client.get(href).data)
    matching = page.get_element_by_id("queue-matching", None)
    if matching is not None:
        return int(matching.text_content())
    tab = parse_qs(urlsplit(href).query)["tab"][0]
    return int(page.get_element_by_id(f"count-{tab}").text_content())


@pytest.mark.parametrize("days", [30, 90])
def test_every_number_on_the_dashboard_opens_a_queue_of_that_many_claims(app, known, days):
    client = signed_in(app, "eve")
    response = client.get(f"/dashboard?days={days}")
    assert response.status_code == 200 and b"Desk overview" in response.data
    page = lxml.html.fromstring(response.data)
    figures = {}
    for link in page.iter("a"):
        href, text = link.get("href") or "", link.text_content().strip()
        if href.startswith("/?") and text.isdigit():
            figures.setdefault(href, set()).add(int(text))
    assert len(figures) > 40 and sum(max(v) for v in figures.values()) > 40
    for href, shown in figures.items():
        assert len(shown) == 1, (href, shown)
        assert queue_count(client, href) == shown.pop(), href


def charts(html: bytes) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(rb"<svg\b.*?</svg>", html, re.S)]


def test_each_chart_parses_with_a_title_axis_labels_and_the_table_s_links(app, known):
    html = signed_in(app, "eve").get("/dashboard").data
    page = lxml.html.fromstring(html)
    found = charts(html)
    assert len(found) == 5
    for svg in found:
        children = list(svg)
        assert children[0].tag == f"{SVG}title" and children[0].text.strip()
        labels = {t.get("class"): (t.text or "").strip() for t in svg.iter(f"{SVG}text")
                  if "axis-label" in (t.get("class") or "")}
        assert labels["axis-label x-label"] and labels["axis-label y-label"]
        assert "style" not in ET.tostring(svg, encoding="unicode")
        figure = page.get_element_by_id(svg.get("aria-labelledby").removesuffix("-title"))
        table_links = {a.get("href") for a in figure.iter("a") if a.get("href", "").startswith("/?")}
        bar_links = {a.get("href") for a in svg.iter(f"{SVG}a")}
        assert bar_links and bar_links <= table_links


@pytest.mark.parametrize("chart", ["states", "flow", "ratings", "ages", "workload"])
def test_each_chart_downloads_as_csv_with_the_table_s_numbers(app, known, chart):
    client = signed_in(app, "eve")
    response = client.get(f"/dashboard/{chart}.csv?days=30")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode())))
    figure = lxml.html.fromstring(client.get("/dashboard").data).get_element_by_id(f"chart-{chart}")
    table = [[cell.text_content().strip() for cell in tr] for tr in figure.iter("tr")]
    assert rows == table


def test_a_checker_sees_their_own_workload_and_ages(app, known):
    client = signed_in(app, "ana")
    response = client.get("/dashboard")
    assert response.status_code == 200 and b"My desk" in response.data
    html = response.data
    assert [svg[0].text for svg in charts(html)] == ["Open claims by age (mine) (the numbers are in the table below)",
                                                     "Open claims per checker (the numbers are in the table below)"]
    page = lxml.html.fromstring(html)
    workload = page.get_element_by_id("workload")
    assert [td.text_content().strip() for td in workload.iter("td")] == ["ana", "1", "1", "0", "2"]
    assert queue_count(client, "/?tab=open&assignee=ana") == 2
    assert b"ben" not in page.get_element_by_id("oldest").text_content().encode()


def test_a_new_claim_someone_took_has_its_own_workload_column(app, db, known):
    from review import workflow

    workflow.apply_action(db, known["ids"][8], "take", known["people"]["ana"])  # c9, still new
    client = signed_in(app, "eve")
    workload = lxml.html.fromstring(client.get("/dashboard").data).get_element_by_id("workload")
    assert [th.text_content() for th in workload.iter("th")] == ["Checker", "Queued", "In progress", "In review",
                                                                 "New", "Open"]
    assert [td.text_content().strip() for td in workload.iter("td")] == ["ana", "1", "1", "0", "1", "3",
                                                                         "ben", "0", "0", "1", "0", "1"]
    assert queue_count(client, "/?tab=new&assignee=ana") == 1


def test_unknown_chart_and_signed_out(app, known, client):
    assert client.get("/dashboard").status_code == 302
    assert signed_in(app, "eve").get("/dashboard/nothing.csv").status_code == 404


def test_queue_rows_swap_carries_the_matching_count(app, known):
    response = signed_in(app, "eve").get("/?tab=all&rating=false",
                                         headers={"HX-Request": "true", "HX-Target": "queue-rows"})
    assert b"<html" not in response.data
    assert b'id="queue-scope"' in response.data and b'hx-swap-oob="true"' in response.data
    assert re.search(rb'id="queue-matching">2<', response.data)


def test_admin_sets_the_desk_time_zone(app, known, make_user):
    make_user("root", "admin")
    admin = signed_in(app, "root")
    assert admin.get("/admin/desk").status_code == 200
    refused = admin.post("/admin/desk", data={"time_zone": "Atlantis/Capital"})
    assert refused.status_code == 422 and b"choose a time zone from the list" in refused.data
    saved = admin.post("/admin/desk", data={"time_zone": "Asia/Kathmandu"})
    assert saved.status_code == 303
    assert b"Days in Asia/Kathmandu" in admin.get("/dashboard").data
    assert signed_in(app, "eve").post("/admin/desk", data={"time_zone": "UTC"}).status_code == 403


def test_recheck_from_the_workspace_to_the_queue_badge_and_the_correction(app, db):
    from tests.review.test_dashboard import published_claim
    from tests.conftest import add_user

    checker, editor = add_user(db, "ana"), add_user(db, "eve", "editor")
    claim_id = published_claim(db, checker, editor)
    client = signed_in(app, "eve")
    today = desk.today(db).isoformat()
    version = db.scalar("SELECT version FROM claims WHERE id = ?", [claim_id])
    swapped = client.post(f"/claims/{claim_id}/recheck", data={"recheck_by": today, "version": version},
                          headers={"HX-Request": "true", "HX-Target": "verdict-panel"})
    assert swapped.status_code == 200 and b"<html" not in swapped.data
    assert b'id="verdict-panel"' in swapped.data and b"Re-check due" in swapped.data
    assert "Re-check by" in swapped.headers["HX-Trigger"]
    queue = client.get("/?tab=published").data
    assert f"Re-check due {today}".encode() in queue
    assert queue_count(client, "/?tab=all&recheck=due") == 1
    page = client.get(f"/claims/{claim_id}").data
    assert b"Re-check now (open a correction)" in page
    opened = client.post(f"/claims/{claim_id}/action/correct", data={"version": db.scalar(
        "SELECT version FROM claims WHERE id = ?", [claim_id])})
    assert opened.status_code == 303
    page = lxml.html.fromstring(client.get(f"/claims/{claim_id}").data)
    beside = page.find_class("old-verdict")[0].text_content()
    assert "Published now · revision 1" in beside and "The count is still moving" in beside
    refused = client.post(f"/claims/{claim_id}/recheck", data={"recheck_by": "2001-01-01", "version": db.scalar(
        "SELECT version FROM claims WHERE id = ?", [claim_id])})
    assert refused.status_code == 422 and b"choose today or a later day" in refused.data
    other = signed_in(app, "ana")
    assert other.get("/dashboard").status_code == 200


def test_report_of_published_verdicts_as_page_and_csv(app, known):
    client = signed_in(app, "eve")
    page = client.get("/reports/verdicts")
    assert page.status_code == 200
    html = lxml.html.fromstring(page.data)
    titles = [h.text_content() for h in html.find_class("report-verdict")]
    assert len(titles) == 4 and "4 publications" in html.find_class("meta")[0].text_content()
    ratings = {tr[0].text_content(): tr[1].text_content() for tr in html.find_class("report-ratings")[0].iter("tr")
               if tr[0].tag == "td"}
    assert ratings == {"False": "2", "True": "1", "Mostly false": "1"}
    today = desk.today(app_db(app))
    first = (today - timedelta(days=7)).isoformat()  # c2 and c4; c1 and c3 were published eight days ago
    rows = list(csv.reader(io.StringIO(client.get(f"/reports/verdicts.csv?from={first}&to={today}").data.decode())))
    assert rows[0][:3] == ["published", "claim", "revision"] and [r[5] for r in rows[1:]] == ["False", "Mostly false"]
    assert all(r[9].startswith("http") for r in rows[1:])
    refused = client.get(f"/reports/verdicts?from={today}&to={first}")
    assert refused.status_code == 422 and b"the first day comes after the last one" in refused.data
    assert client.get("/reports/verdicts?from=soon").status_code == 422
    assert signed_in(app, "ana").get("/reports/verdicts").status_code == 403


def app_db(app):
    from review.storage import open_store

    return open_store(app.config["DB"])


@pytest.mark.parametrize("field, value, message", [
    ("tab", "everything", "choose one of the queue's tabs"),
    ("page_size", "7", "choose 25, 50, 100, 200 claims a page"),
    ("page_size", "lots", "choose 25, 50, 100, 200 claims a page"),
    ("sort", "random", "sort by priority or by date"),
    ("date_from", "tomorrow", "use a date like 2024-12-08"),
])
def test_bad_preferences_are_refused_per_field(app, known, field, value, message):
    response = signed_in(app, "ana").post("/preferences", data={field: value})
    assert response.status_code == 422
    page = lxml.html.fromstring(response.data)
    assert page.get_element_by_id(f"{field}-error").text_content() == message


def test_the_queue_opens_with_the_user_s_tab_filters_and_page_size(app, db, known):
    from review import claims

    for n in range(30):
        claims.create_manual_claim(db, text=f"The ministry said {n} new schools opened this year.", claimant="Ministry")
    client = signed_in(app, "ana")
    saved = client.post("/preferences", data={"tab": "new", "claimant": "ministry", "page_size": "25"})
    assert saved.status_code == 303
    opened = client.get("/")
    assert opened.status_code == 302 and opened.headers["Location"] == "/?claimant=ministry&tab=new"
    page = lxml.html.fromstring(client.get(opened.headers["Location"]).data)
    assert len(page.find_class("claim-row")) == 25 and page.get_element_by_id("queue-more") is not None
    assert page.get_element_by_id("queue-matching").text_content() == "30"
    assert signed_in(app, "ben").get("/").status_code == 200  # others keep the desk's default
    # "Make this my start view" from the queue keeps the page size.
    made = client.post("/preferences/queue", data={"tab": "all", "rating": "false", "sort": "date"})
    assert made.status_code == 303 and made.headers["Location"] == "/?rating=false&tab=all&sort=date"
    assert client.get("/").headers["Location"] == "/?rating=false&tab=all&sort=date"
    swapped = client.post("/preferences/queue", data={"tab": "open", "assignee": "ana"}, headers={"HX-Request": "true"})
    assert swapped.status_code == 204 and swapped.headers["HX-Location"] == "/?assignee=ana&tab=open"
    assert client.get("/").headers["Location"] == "/?assignee=ana&tab=open"
    form = lxml.html.fromstring(client.get("/preferences").data)
    assert form.xpath("//select[@name='page_size']/option[@selected]")[0].text == "25"
    assert form.xpath("//select[@name='tab']/option[@selected]")[0].get("value") == "open"


def test_the_demo_backdates_ninety_days_the_dashboard_can_show(app, db):
    from app.cli.demo import backdate_activity, load_demo
    from review import agreement, dashboard
    from tests.conftest import CHEAP_HASH
    from tests.review.test_dashboard import kept, recount

    outcome = load_demo(db, hash_method=CHEAP_HASH)
    assert outcome["activity"] > 100 and backdate_activity(db) == 0  # only once
    assert kept(db) == recount(db)
    today = desk.today(db)
    flow = dashboard.flow(db, today, 90)
    assert sum(1 for d in flow if d["entered"]) > 45 and sum(1 for d in flow if d["left"]) > 45
    assert db.scalar("SELECT min(created_at) FROM claims") < (today - timedelta(days=80)).isoformat()
    assert dashboard.timings(db, today, 90)["n"] > 40
    states = {s["query"]["tab"]: s["n"] for s in dashboard.state_counts(db)}
    assert all(states[s] for s in ("new", "queued", "published", "dismissed"))
    assert {p["username"] for p in dashboard.workload(db)} >= {"checker", "checker2"}
    assert sum(r["n"] for r in dashboard.ratings(db)) == states["published"]
    pairs = agreement.over_time(db, today)["total"]
    assert pairs["n"] > 5 and 0 < pairs["agreed"] < pairs["n"] and pairs["kappa"] is not None  # blind second ratings
    page = signed_in_as(app, db, "editor").get("/dashboard?days=90")
    assert page.status_code == 200 and len(charts(page.data)) == 6


def signed_in_as(app, db, username):
    """Sign in a demo user (their password is random): give them a known one first."""
    from review import users
    from tests.conftest import CHEAP_HASH, PASSWORD

    users.set_password(db, users.find_user(db, username)["id"], PASSWORD, actor_id=None, hash_method=CHEAP_HASH)
    return signed_in(app, username)
