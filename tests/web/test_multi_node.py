"""Two app nodes, one PostgreSQL database, one search (issue 16): what a desk on many machines relies on.

Each node is a `claimdesk serve` process with an instance folder of its own (no shared disk) and
CLAIMDESK_SEARCH=postgres. An edit on one shows on the other, a conflicting edit gets the 409, a
session started on one works on the other, a document pasted through one is found on both, and
every outbox row is applied exactly once (a trigger of the test records each time one is marked).
"""

import re
import time

import pytest
import requests

from review import claims, workflow
from review.storage import open_store
from tests.conftest import BACKEND, add_user, make_app
from tests.reliability.servers import Browser, serving

pytestmark = pytest.mark.skipif(BACKEND != "postgres", reason="several nodes share a PostgreSQL database")

VERSION = re.compile(r'id="claim-version" name="version" value="(\d+)"')
APPLIED_LOG = """
CREATE TABLE outbox_applied (outbox_id BIGINT NOT NULL, done_at TEXT NOT NULL);
CREATE FUNCTION log_outbox_applied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outbox_applied VALUES (NEW.id, NEW.done_at);
    RETURN NEW;
END $$;
CREATE TRIGGER outbox_applied AFTER UPDATE OF done_at ON index_outbox
    FOR EACH ROW WHEN (NEW.done_at IS NOT NULL) EXECUTE FUNCTION log_outbox_applied();
"""


@pytest.fixture
def desk(tmp_path):
    folder = tmp_path / "setup"
    folder.mkdir()
    app = make_app(folder)
    db = open_store(app.config["DB"])
    editors = [add_user(db, f"editor{n}", "editor") for n in range(2)]
    claim = claims.create_manual_claim(db, text="The council said 4,000 homes were built last year.")
    workflow.apply_action(db, claim["id"], "accept", editors[0])
    db.run_script(APPLIED_LOG)
    yield {"db": db, "folder": folder, "claim": claim["id"]}
    db.close()


@pytest.fixture
def nodes(desk, tmp_path):
    with serving(None, desk["folder"], 2, tmp_path,
                 env={"CLAIMDESK_SEARCH": "postgres", "CLAIMDESK_DRAIN_INTERVAL": "0.2"}) as urls:
        yield urls


def test_two_nodes_share_edits_conflicts_sessions_search_and_apply_the_outbox_once(desk, nodes):
    claim_id = desk["claim"]
    one, two = Browser(nodes[0], "editor0"), Browser(nodes[1], "editor1")

    version = int(VERSION.search(two.get(f"/claims/{claim_id}").text).group(1))
    saved = one.post(f"/claims/{claim_id}/edit", {"text": "The council said 5,000 homes were built in 2024.",
                                                  "version": version}, target="claim-head")
    assert saved.status_code == 200
    page = two.get(f"/claims/{claim_id}").text  # the other node shows the edit at once
    assert "5,000 homes were built in 2024" in page and int(VERSION.search(page).group(1)) == version + 1
    stale = two.post(f"/claims/{claim_id}/edit", {"text": "The council said 6,000 homes.", "version": version},
                     target="claim-head")
    assert stale.status_code == 409 and "editor0" in stale.text  # who changed it, in plain words
    assert "5,000 homes" in claims.get_claim(desk["db"], claim_id)["text"]

    travelling = requests.Session()  # a session started on node one carries on on node two
    travelling.cookies.update(one.session.cookies)
    assert "editor0" in travelling.get(f"{nodes[1]}/", timeout=30).text

    pasted = one.post("/documents/new", {"mode": "paste", "title": "Report on quokkas", "source": "Test Wire",
                                         "text": "Officials said 3,000 quokka sightings were recorded in 2024."})
    assert pasted.status_code == 303
    deadline, found = time.monotonic() + 30, {}
    while time.monotonic() < deadline:
        found = {url: "Report on quokkas" in browser.get("/search/?q=quokka").text
                 for url, browser in ((nodes[0], one), (nodes[1], two))}
        if all(found.values()):
            break
        time.sleep(0.3)
    assert all(found.values()), found

    db = desk["db"]
    assert db.scalar("SELECT count(*) FROM index_outbox WHERE done_at IS NULL") == 0
    marked = db.query("SELECT outbox_id, count(*) AS n FROM outbox_applied GROUP BY outbox_id")
    assert marked and all(row["n"] == 1 for row in marked), marked  # no row applied by both nodes
    assert len(marked) == db.scalar("SELECT count(*) FROM index_outbox")
