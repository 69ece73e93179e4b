"""The claims-per-article screen: editors set a source's budget, checkers cannot, bad numbers are refused."""

import pytest

from review import queue
from review.ingest.store import add_document


@pytest.fixture
def wire(db):
    body = " ".join(f"The ministry said {n + 2},{n}00 people were evacuated from {place} on Monday."
                    for n, place in enumerate(["Aleppo", "Hama", "Homs", "Idlib"]))
    return add_document(db, title="Evacuations", source="Wire", body=body, published_at="2024-05-02").document_id


def test_an_editor_sees_each_source_and_sets_its_budget(editor_client, db, wire):
    page = editor_client.get("/sources/").get_data(as_text=True)
    assert "<html" in page and 'aria-label="Claims per article from Wire"' in page and "default" in page
    response = editor_client.post("/sources/budget", data={"source": "Wire", "budget": "2"})
    assert response.status_code == 303
    assert [s["in_force"] for s in queue.source_budgets(db) if s["source"] == "Wire"] == [2]
    assert len(queue.list_queue(db, tab="new").rows) == 2
    editor_client.post("/sources/budget", data={"source": "Wire", "budget": ""})  # back to the default
    assert [s["budget"] for s in queue.source_budgets(db) if s["source"] == "Wire"] == [None]


@pytest.mark.parametrize("budget", ["abc", "-1", "101", "2.5", "٣"])
def test_a_budget_that_is_not_a_whole_number_from_0_to_100_is_refused(editor_client, db, wire, budget):
    response = editor_client.post("/sources/budget", data={"source": "Wire", "budget": budget})
    assert response.status_code == 422
    assert "give a whole number of claims per article, from 0 to 100" in response.get_data(as_text=True)
    assert [s["budget"] for s in queue.source_budgets(db) if s["source"] == "Wire"] == [None]


def test_checkers_cannot_change_budgets(checker_client, wire):
    assert checker_client.get("/sources/").status_code == 403
    assert checker_client.post("/sources/budget", data={"source": "Wire", "budget": "1"}).status_code == 403


def test_the_new_tab_links_editors_to_the_budgets(editor_client, checker_client, wire):
    assert "Claims per article, by source" in editor_client.get("/").get_data(as_text=True)
    assert "Claims per article, by source" not in checker_client.get("/").get_data(as_text=True)
