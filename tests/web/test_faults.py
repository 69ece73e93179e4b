"""Hostile input and failing machines: every importer door reports a bad record and keeps the rest.

Deeply nested JSON and integers longer than Python reads (4,300 digits) are reported
with their file and position by ``claimdesk ingest``, ``claimdesk import-claimreview``,
the document upload and the admin's ClaimReview import, and the other records are stored.
"""

import io
import json

from tests.review.claimreview.samples import PAGE, claimreview, stored
from tests.review.ingest.samples import ARTICLE

DEEP = "[" * 50_000 + "]" * 50_000
LONG_NUMBER = "9" * 5_000


def _article(title: str, number: int) -> str:
    return json.dumps({"title": title, "body": f"The council spent {number} million on roads in 2023, the mayor said."})


def _documents(db) -> list[str]:
    return [row["title"] for row in db.query("SELECT title FROM documents ORDER BY id")]


def test_ingest_reports_deep_and_long_values_and_keeps_the_rest(runner, db, tmp_path):
    lines = tmp_path / "wire.jsonl"
    lines.write_text("\n".join([_article("One", 3), '{"title": "Two", "body": ' + DEEP + "}",
                                '{"title": "Three", "body": "x", "n": ' + LONG_NUMBER + "}", _article("Four", 4)]))
    array = tmp_path / "batch.json"
    array.write_text("[" + _article("Five", 5) + ",\n" + DEEP + ",\n" + _article("Six", 6) + "]")
    whole = tmp_path / "whole.json"
    whole.write_text('{"title": "Seven", "body": "Gas prices rose 9 percent.", "x": ' + LONG_NUMBER + "}")
    result = runner.invoke(args=["ingest", str(lines), str(array), str(whole)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        f"{lines}:2: JSON nested more than 100 levels deep (column 122)",
        f"{lines}:3: a number longer than 4300 digits (column 35)",
        f"{array}:record 2: JSON nested more than 100 levels deep (line 2, column 101)",
        f"{whole}:1: a number longer than 4300 digits (column 65)",
    ]
    assert sorted(_documents(db)) == ["Five", "Four", "One", "Six"]


def test_claimreview_import_reports_deep_and_long_values_and_keeps_the_rest(runner, db, tmp_path):
    good = [json.dumps(claimreview(f"Claim number {n} is false.", url=f"{PAGE}-{n}")) for n in range(3)]
    lines = tmp_path / "feed.jsonl"
    lines.write_text("\n".join([good[0], DEEP, '{"@type": "ClaimReview", "ratingValue": ' + LONG_NUMBER + "}"]))
    array = tmp_path / "feed.json"
    array.write_text("[" + good[1] + ", " + DEEP + ", " + good[2] + "]")
    result = runner.invoke(args=["import-claimreview", str(lines), str(array)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        f"{lines}:2: JSON nested more than 100 levels deep (column 101)",
        f"{lines}:3: a number longer than 4300 digits (column 41)",
        f"{array}:record 2: JSON nested more than 100 levels deep (line 1, column {len(good[1]) + 104})",
    ]
    assert [r["claim_reviewed"] for r in stored(db)] == [f"Claim number {n} is false." for n in range(3)]


def test_claimreview_rating_too_large_for_a_float_is_left_empty(db, tmp_path):
    from review.claimreview.store import import_paths

    path = tmp_path / "big.json"
    path.write_text(json.dumps(claimreview(reviewRating={"ratingValue": 10**400, "alternateName": "False"})))
    report = import_paths(db, [str(path)])
    assert report.counts["added"] == 1
    assert stored(db)[0]["rating_value"] is None and stored(db)[0]["rating_label"] == "False"


def test_document_upload_lists_unreadable_records(checker_client, db):
    body = "\n".join([_article("Good", 7), '{"body": "x", "n": ' + LONG_NUMBER + "}", '{"body": ' + DEEP + "}"])
    response = checker_client.post("/documents/new", data={
        "mode": "upload", "files": [(io.BytesIO(body.encode()), "upload.jsonl"),
                                    (io.BytesIO(json.dumps({"body": ARTICLE}).encode()), "one.json")]},
        content_type="multipart/form-data")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "upload.jsonl:2: a number longer than 4300 digits" in html
    assert "upload.jsonl:3: JSON nested more than 100 levels deep" in html
    assert len(_documents(db)) == 2


def test_admin_import_page_lists_unreadable_records(admin_client, db):
    page = ('<html><head><script type="application/ld+json">' + json.dumps(claimreview()) + "</script>"
            '<script type="application/ld+json">{"n": ' + LONG_NUMBER + "}</script></head></html>")
    response = admin_client.post("/admin/imports", data={"files": [
        (io.BytesIO(("[" + DEEP + "]").encode()), "deep.json"), (io.BytesIO(page.encode()), "page.html")]},
        content_type="multipart/form-data")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "deep.json:record 1" in html and "nested more than 100 levels deep" in html
    assert "JSON-LD block 2: a number longer than 4300 digits" in html
    assert len(stored(db)) == 1
