"""Hostile input and failing machines: every importer door reports a bad record and keeps the rest.

Deeply nested JSON and integers longer than Python reads (4,300 digits) are reported
with their file and position by ``claimdesk ingest``, ``claimdesk import-claimreview``,
the document upload and the admin's ClaimReview import, and the other records are stored.
"""

import io
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time

import pytest

from tests.conftest import ROOT
from tests.review.claimreview.samples import PAGE, claimreview, stored
from tests.review.ingest.samples import ARTICLE

DEEP = "[" * 50_000 + "]" * 50_000
LONG_NUMBER = "9" * 5_000


def _article(title: str, number: int) -> str:
    return json.dumps({"title": title, "body": f"The council spent {number} million on roads in 2023, the mayor said."})


def _documents(db) -> list[str]:
    return [row["title"] for row in db.query("SELECT title FROM documents ORDER BY id")]


def _page_saying(client, response, *texts: str) -> str:
    """Return the page a form post ends on (following a redirect to a job page until it shows ``texts``)."""
    assert response.status_code in (200, 303), response.status_code
    html = response.get_data(as_text=True)
    deadline, location = time.monotonic() + 30, None
    while response.status_code == 303 or not all(text in html for text in texts):
        location = response.headers.get("Location") or location
        assert location and time.monotonic() < deadline, html
        time.sleep(0.05 if response.status_code == 200 else 0)
        response = client.get(location)
        assert response.status_code in (200, 303), response.status_code
        html = response.get_data(as_text=True)
    return html


def test_ingest_reports_deep_and_long_values_and_keeps_the_rest(runner, db, tmp_path):
    lines = tmp_path / "wire.jsonl"
    two, three = '{"title": "Two", "body": ', '{"title": "Three", "body": "x", "n": '
    lines.write_text("\n".join([_article("One", 3), two + DEEP + "}", three + LONG_NUMBER + "}", _article("Four", 4)]))
    array = tmp_path / "batch.json"
    array.write_text("[" + _article("Five", 5) + ",\n" + DEEP + ",\n" + _article("Six", 6) + "]")
    whole = tmp_path / "whole.json"
    whole.write_text('{"title": "Seven", "body": "Gas prices rose 9 percent.", "x": ' + LONG_NUMBER + "}")
    result = runner.invoke(args=["ingest", str(lines), str(array), str(whole)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        f"{lines}:2: JSON nested more than 100 levels deep (column {len(two) + 100})",
        f"{lines}:3: a number longer than 4300 digits (column {len(three) + 1})",
        f"{array}:record 2: JSON nested more than 100 levels deep (line 2, column 101)",
        f"{whole}:1: a number longer than 4300 digits (column {whole.read_text().index(LONG_NUMBER) + 1})",
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
    _page_saying(checker_client, response, "upload.jsonl:2", "a number longer than 4300 digits",
                 "upload.jsonl:3", "JSON nested more than 100 levels deep")
    assert len(_documents(db)) == 2


def test_admin_import_page_lists_unreadable_records(admin_client, db):
    page = ('<html><head><script type="application/ld+json">' + json.dumps(claimreview()) + "</script>"
            '<script type="application/ld+json">{"n": ' + LONG_NUMBER + "}</script></head></html>")
    response = admin_client.post("/admin/imports", data={"files": [
        (io.BytesIO(("[" + DEEP + "]").encode()), "deep.json"), (io.BytesIO(page.encode()), "page.html")]},
        content_type="multipart/form-data")
    _page_saying(admin_client, response, "deep.json:record 1", "nested more than 100 levels deep",
                 "page.html", "JSON-LD block 2: a number longer than 4300 digits")
    assert len(stored(db)) == 1


# -- a full disk stops an ingest at once, keeping what was committed --------------------------------------
FULL_DISK = textwrap.dedent("""
    import resource, sys
    sys.path.insert(0, {root!r})
    from review.extraction.pipeline import extract_claims_many
    from review.ingest.records import prepare_record

    # Load the models (language, check-worthiness) before the limit, as a warm server has them.
    prepared = prepare_record(body="The mayor said 40 roads were repaved in 2023, the council said.")
    extract_claims_many([prepared.body])
    resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))  # no file may grow past this: a full disk
    from app.cli import main

    sys.argv = ["claimdesk", "ingest", {path!r}]
    main()
""")


def test_a_full_disk_stops_ingest_with_one_line_and_keeps_what_was_committed(app, db, tmp_path):
    path = tmp_path / "wire.jsonl"
    path.write_text("".join(json.dumps({"title": f"Story {n}", "body": f"The council spent {n} million on "
                                        f"{n % 9} bridges in 2023, the mayor said. " * 3}) + "\n"
                            for n in range(600)))
    env = {**os.environ, "CLAIMDESK_INSTANCE": str(tmp_path), "CLAIMDESK_DB": app.config["DB"],
           "CLAIMDESK_INDEX": app.config["INDEX"], "CLAIMDESK_SECRET_KEY": "test"}
    limit = os.path.getsize(app.config["DB"]) + 300_000
    script = FULL_DISK.format(root=str(ROOT), limit=limit, path=str(path))
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr[-3000:]
    assert lines[0].startswith(f"Error: stopped at {path}:")
    assert "cannot write the database, the disk is full or a size limit was reached" in lines[0]
    stored = db.scalar("SELECT count(*) FROM documents")
    assert 0 < stored < 600
    assert f"({stored} document(s) added before it)" in lines[0]
    stopped_at = int(lines[0].split(f"{path}:", 1)[1].split(":", 1)[0])
    assert stored < stopped_at  # the records of the chunk that failed were rolled back together
    assert db.scalar("SELECT count(*) FROM claims WHERE document_id NOT IN (SELECT id FROM documents)") == 0


# -- a read-only instance: serve and db check say what is not writable ------------------------------------
# CI runs as root, which permission bits do not stop: the tests make folders refuse writes in ways that
# apply to root too (the immutable attribute, a path through a regular file) and check by writing.
@pytest.fixture
def immutable(tmp_path):
    """Make folders immutable (no file can be created in them, even by root); undo it afterwards."""
    made = []

    def make(folder):
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)],
                                                            capture_output=True).returncode:
            pytest.skip("this file system does not take the immutable attribute")
        made.append(folder)

    yield make
    for folder in made:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def _claimdesk(tmp_path, *args, timeout=60):
    env = {**os.environ, "CLAIMDESK_INSTANCE": str(tmp_path), "CLAIMDESK_SECRET_KEY": "test"}
    return subprocess.run([sys.executable, "-c", "from app.cli import main; main()", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("command", [["serve", "--port", "0"], ["db", "check"]])
def test_a_read_only_instance_is_named_by_serve_and_db_check(app, tmp_path, immutable, command):
    immutable(tmp_path)
    result = _claimdesk(tmp_path, *command)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "All checks passed" not in result.stdout
    assert result.stderr.splitlines() == [
        f"Error: cannot write the instance: the instance folder {tmp_path} is not writable (Operation not "
        "permitted). Make them writable by the user running claimdesk, or point CLAIMDESK_INSTANCE, CLAIMDESK_DB "
        "or CLAIMDESK_INDEX elsewhere."]


def test_every_folder_and_file_that_refuses_writes_is_named(app, tmp_path, immutable):
    from app import create_app
    from app.writable import NotWritable

    (tmp_path / "index").mkdir(exist_ok=True)
    immutable(tmp_path / "index")
    subprocess.run(["chattr", "+i", app.config["DB"]], check=True)
    try:
        with pytest.raises(NotWritable) as refused:
            create_app({"INSTANCE": str(tmp_path), "DB": app.config["DB"], "SECRET_KEY": "x"})
    finally:
        subprocess.run(["chattr", "-i", app.config["DB"]], check=True)
    assert refused.value.problems == [
        f"the search index folder {tmp_path / 'index'} is not writable (Operation not permitted)",
        f"the database file {tmp_path / 'test.db'} is not writable (Operation not permitted)"]


def test_a_database_path_through_a_file_is_refused_before_anything_is_written(tmp_path):
    from app import create_app
    from app.writable import NotWritable

    (tmp_path / "notes.txt").write_text("a file, not a folder")
    with pytest.raises(NotWritable) as refused:
        create_app({"INSTANCE": str(tmp_path), "DB": str(tmp_path / "notes.txt" / "claimdesk.db")})
    assert refused.value.problems == [f"the database folder {tmp_path / 'notes.txt'} is not writable (it is a file, not a folder)"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]  # not even a secret key or an index folder
