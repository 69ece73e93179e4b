"""Pasted and undated articles: the command's text limit, undated claims last, why a document has no claims."""

import json

import pytest

from review import queue
from review.extraction.explain import why_no_claims
from review.ingest import store

ARTICLE = ("The ministry said 4,000 homes were rebuilt in 2023 across the region, up from 2,500 a year earlier. "
           "Opposition lawmakers said only 1,200 families had moved back.")


def test_the_command_can_raise_the_limit(app, runner, db, tmp_path):
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"title": "Long", "body": ARTICLE * 10}) + "\n")
    app.config["MAX_DOCUMENT_CHARS"] = 1000
    refused = runner.invoke(args=["ingest", str(path)])
    assert refused.exit_code == 1 and "over the limit of 1,000 characters" in refused.output
    assert "--max-chars" in refused.output
    raised = runner.invoke(args=["ingest", "--max-chars", "5000", str(path)])
    assert raised.exit_code == 0 and db.scalar("SELECT count(*) FROM documents") == 1


def test_the_queue_sorted_by_date_pages_through_undated_claims_last(db):
    store.add_pasted(db, text=ARTICLE, source="RT")
    store.add_pasted(db, text=ARTICLE.replace("4,000", "5,000").replace("2,500", "2,600").replace("1,200", "1,300"),
                     source="RT", published_at="2024-06-01")
    seen, cursor = [], None
    while True:
        page = queue.list_queue(db, sort="date", limit=1, cursor=cursor)
        seen += [(row["id"], row["source_date"]) for row in page.rows]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert len(seen) == db.scalar("SELECT count(*) FROM claims") == len(set(seen))
    dates = [date for _, date in seen]
    assert dates[: dates.count("2024-06-01")] == ["2024-06-01"] * dates.count("2024-06-01")
    assert set(dates[dates.count("2024-06-01"):]) == {None}


@pytest.mark.parametrize("document, reason", [
    ({"body": "Hello there.", "language": "en"}, "The text has 2 words, too few to hold a claim."),
    ({"body": "What happened? Who knows. Nobody.", "language": "en"}, "reads as a statement of fact"),
    ({"body": "يعيش السكان في خوف دائم منذ أسابيع. الوضع صعب للغاية.", "language": "ar"},
     "Read as Arabic: none of its 2 sentences carries a figure, a quotation or an attribution"),
])
def test_a_document_without_claims_says_why(document, reason):
    assert reason in why_no_claims(document)
