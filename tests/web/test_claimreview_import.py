"""The ClaimReview import through its doors: the import-claimreview command and the admin upload page."""

import io
import json

import pytest

from review.indexing import pending_count
from search_index import open_index
from tests.review.claimreview.samples import MICRODATA_PAGE, PAGE, claimreview, stored, write
from tests.web.test_jobs import run_to_end


def test_cli_imports_a_folder_and_drains_the_index(runner, app, db, tmp_path):
    folder = tmp_path / "reviews"
    (folder / "nested").mkdir(parents=True)
    write(folder, "a.json", claimreview())
    write(folder / "nested", "b.jsonl", json.dumps(claimreview("Water is dry.", url=PAGE + "-2")))
    write(folder, "README.md", "not a review file")
    result = runner.invoke(args=["import-claimreview", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "added 2, updated 0, refused 0"
    assert result.stderr == ""
    assert pending_count(db) == 0
    index = open_index(app.config["INDEX"])
    try:
        assert index.stats()["verdicts"] == 2
        moon = db.scalar("SELECT id FROM prior_reviews WHERE claim_reviewed LIKE '%moon%'")
        assert [hit.id for hit in index.similar("moon cheese")][:1] == [-moon]  # imported reviews use negative ids
    finally:
        index.close()


def test_cli_reports_refusals_on_stderr_and_exits_1(runner, db, tmp_path):
    good = json.dumps(claimreview())
    path = write(tmp_path, "file.jsonl", "\n".join([good, good.replace("moon", "sun"), "{not json", good]))
    result = runner.invoke(args=["import-claimreview", path])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{path}:3: not valid JSON: Expecting property name enclosed in double "
                                          "quotes (column 2)"]
    assert "added 2, updated 1, refused 1" in result.stdout
    assert len(stored(db)) == 2


def test_cli_prints_warnings_but_exits_0(runner, tmp_path):
    path = write(tmp_path, "one.json", claimreview(datePublished="01/03/2016"))
    result = runner.invoke(args=["import-claimreview", path])
    assert result.exit_code == 0
    assert result.stderr.startswith(f"{path}:record 1: warning: datePublished '01/03/2016' is ambiguous")


def test_cli_help_and_missing_path(runner, tmp_path):
    assert "ClaimReview" in runner.invoke(args=["import-claimreview", "--help"]).output
    result = runner.invoke(args=["import-claimreview", str(tmp_path / "missing.json")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_upload_page_is_for_admins_only(checker_client):
    assert checker_client.get("/admin/imports").status_code == 403
    response = checker_client.post("/admin/imports", data={"files": (io.BytesIO(b"{}"), "x.json")},
                                   content_type="multipart/form-data")
    assert response.status_code == 403


def test_admin_uploads_files_and_sees_results(admin_client, db):
    page = admin_client.get("/admin/imports")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and 'name="csrf_token"' in html and "style=" not in html
    lines = [json.dumps(claimreview("<script>alert(1)</script> moon", reviewRating={"alternateName": "Falso"})),
             "oops", json.dumps(claimreview("Water is dry.", url=PAGE + "-2"))]
    response = admin_client.post("/admin/imports", data={
        "files": [(io.BytesIO("\n".join(lines).encode()), "batch.jsonl"),
                  (io.BytesIO(MICRODATA_PAGE.encode()), "water.html")],
        "base_url": "https://checks.example.org/",
    }, content_type="multipart/form-data")
    html = run_to_end(admin_client.application, admin_client, response)  # an import runs as a job
    assert "Done: added 3, updated 0, refused 1" in html
    assert "batch.jsonl:2" in html and "not valid JSON" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; moon" in html
    assert "Falso" in html and "Pants" not in html and 'href="https://checks.example.org/fact-checks/water"' in html
    assert len(stored(db)) == 3


@pytest.mark.parametrize("data, field", [
    ({}, "Choose one or more ClaimReview files"),
    ({"files": (io.BytesIO(b"{}"), "x.json"), "base_url": "/relative"}, "full address"),
])
def test_upload_without_files_or_with_a_bad_page_url_is_refused(admin_client, data, field):
    response = admin_client.post("/admin/imports", data=data, content_type="multipart/form-data")
    assert response.status_code == 422 and field in response.get_data(as_text=True)



def test_the_poll_that_finds_an_import_done_brings_the_imported_reviews(admin_client):
    response = admin_client.post("/admin/imports", data={
        "files": [(io.BytesIO(json.dumps(claimreview("The river never floods.")).encode()), "one.json")]},
        content_type="multipart/form-data")
    run_to_end(admin_client.application, admin_client, response)
    poll = admin_client.get(response.headers["Location"], headers={"HX-Request": "true", "HX-Target": "job"})
    html = poll.get_data(as_text=True)
    assert poll.status_code == 200 and "<html" not in html and "Done: added 1" in html
    assert 'id="recent-reviews" hx-swap-oob="true"' in html and "The river never floods." in html
    assert "Imported: added 1" in poll.headers["HX-Trigger"]
