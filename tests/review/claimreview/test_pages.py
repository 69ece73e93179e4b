"""ClaimReview in HTML pages: JSON-LD (wrapped in comments, nested), microdata, page URLs, broken blocks."""

from review.claimreview.store import import_bytes, import_paths
from tests.review.claimreview.samples import JSON_LD_PAGE, MICRODATA_PAGE, stored, write


def test_html_with_json_ld_takes_the_page_url(db, tmp_path):
    summary = import_paths(db, [write(tmp_path, "moon.html", JSON_LD_PAGE)])
    assert (summary.added, summary.refused) == (1, 0), summary.messages
    [row] = stored(db)
    assert (row["url"], row["publisher_url"], row["rating_key"]) == \
        ("https://checks.example.org/fact-checks/moon", "https://checks.example.org/", "false")


def test_html_with_microdata_resolves_relative_links(db):
    summary = import_bytes(db, "water.html", MICRODATA_PAGE.encode(), base_url="https://checks.example.org/x")
    assert summary.added == 1, summary.messages
    [row] = stored(db)
    assert (row["claim_reviewed"], row["url"], row["rating_label"], row["rating_key"], row["date_published"]) == \
        ("Water is dry.", "https://checks.example.org/fact-checks/water", "Falso", "false", "2019-05-04")


def test_html_without_a_page_url_refuses_relative_links(db):
    summary = import_bytes(db, "water.html", MICRODATA_PAGE.encode())
    assert summary.problems == ["water.html:record 1: url '/fact-checks/water' is relative and there is no page "
                                "URL to resolve it against"]


def test_html_with_a_broken_json_ld_block_reports_it_and_keeps_the_rest(db):
    page = MICRODATA_PAGE.replace("<body>", '<body><script type="application/ld+json">{"@type": </script>')
    summary = import_bytes(db, "water.html", page.encode(), base_url="https://checks.example.org/")
    assert summary.added == 1
    assert summary.problems[0].startswith("water.html: JSON-LD block 1 is not valid JSON")

