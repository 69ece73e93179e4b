"""Evidence through the workspace's forms."""

import html

from review import claims, evidence, workflow
from tests.review.test_evidence import add_doc, claim  # noqa: F401 (helpers and fixtures)

HX = {"HX-Request": "true"}


def test_workspace_search_panel_attaches_a_hit(app, checker_client, db, claim):
    from review.indexing import drain

    add_doc(db, body="A <script>alert(1)</script> report: the ministry lists 1,200 rebuilt homes in 2023.")
    drain(db, app.config["INDEX"])
    me = db.one("SELECT id, role FROM users WHERE username = 'checker1'")
    workflow.apply_action(db, claim["id"], "take", me)
    fragment = checker_client.get(f"/claims/{claim['id']}?q=rebuilt+homes",
                                  headers={**HX, "HX-Target": "ws-search-results"}).get_data(as_text=True)
    assert "<html" not in fragment and "Choose a passage to attach" in fragment
    assert "&lt;script&gt;" in fragment and "<script>alert" not in fragment
    document_id = fragment.split('name="document_id" value="')[1].split('"')[0]
    offered = checker_client.get(f"/claims/{claim['id']}/evidence/passage", headers=HX,
                                 query_string={"document_id": document_id, "q": "rebuilt homes"}).get_data(as_text=True)
    excerpt = html.unescape(offered.split('name="excerpt"')[1].split(">", 1)[1].split("</textarea>")[0])
    assert excerpt == "A <script>alert(1)</script> report: the ministry lists 1,200 rebuilt homes in 2023."
    response = checker_client.post(f"/claims/{claim['id']}/evidence", headers=HX,
                                   data={"document_id": document_id, "excerpt": excerpt, "stance": "refutes",
                                         "version": claims.get_claim(db, claim["id"])["version"]})
    assert response.status_code == 200
    stored = evidence.list_evidence(db, claim["id"])[0]
    body = db.scalar("SELECT body FROM documents WHERE id = ?", [document_id])
    assert stored["excerpt"] == body[stored["excerpt_start"]:stored["excerpt_end"]] == excerpt
    page = response.get_data(as_text=True)
    assert "Refutes the claim" in page
