"""Reading files: JSON, JSONL with bad lines, unreadable files, positions in messages; never raising."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from review.claimreview.read import parse_bytes
from review.claimreview.store import import_paths
from tests.review.claimreview.samples import JSON_VALUES, PAGE, claimreview, stored, write


def test_jsonl_with_a_bad_line_keeps_the_good_ones(db, tmp_path):
    lines = [json.dumps(claimreview(f"Claim {n}", url=f"{PAGE}/{n}")) for n in (1, 2)]
    lines += ['{"claimReviewed": "broken", ', ""]
    lines += [json.dumps(claimreview(f"Claim {n}", url=f"{PAGE}/{n}")) for n in (4, 5)]
    path = write(tmp_path, "file.jsonl", "\n".join(lines))
    summary = import_paths(db, [path])
    assert (summary.added, summary.updated, summary.refused) == (4, 0, 1)
    assert len(summary.problems) == 1 and summary.problems[0].startswith(f"{path}:3: not valid JSON")
    assert [r["claim_reviewed"] for r in stored(db)] == ["Claim 1", "Claim 2", "Claim 4", "Claim 5"]


def test_refused_records_in_json_name_their_record(db, tmp_path):
    path = write(tmp_path, "feed.json", [claimreview(), claimreview(claimReviewed=None), {"@type": "Thing"}])
    summary = import_paths(db, [path])
    assert summary.problems == [f"{path}:record 2: missing claimReviewed",
                                f"{path}:record 3: no ClaimReview in this record (@type Thing)"]
    assert summary.added == 1


@pytest.mark.parametrize("name, content, reason", [
    ("notes.json", "this is not json", "not valid JSON"),
    ("empty.json", "   ", "empty file"),
    ("latin1.json", "{\"claimReviewed\": \"caf\xe9\"}".encode("latin-1"), "not UTF-8"),
    ("article.json", {"@type": "NewsArticle", "headline": "Moon"}, "no ClaimReview found"),
    ("notes.txt", "hello", "unknown format"),
])
def test_unreadable_files_are_reported(db, tmp_path, name, content, reason):
    path = write(tmp_path, name, content)
    summary = import_paths(db, [path])
    assert summary.refused == 1 and summary.added == 0
    assert summary.problems[0].startswith(f"{path}: ") and reason in summary.problems[0]


def test_missing_files_and_binary_files_are_refused_by_name(db, tmp_path):
    pdf = write(tmp_path, "scan.json.pdf", b"%PDF-1.7 binary")
    summary = import_paths(db, [tmp_path / "missing.json", pdf])
    assert summary.problems == [
        f"{tmp_path / 'missing.json'}: cannot read file (no such file or folder)",
        f"{pdf}: unknown format: expected a .json, .jsonl or .html ClaimReview file (this looks like a PDF file)"]


def test_a_folder_is_walked_for_claimreview_files_only(db, tmp_path):
    write(tmp_path, "a.json", claimreview())
    write(tmp_path, ".hidden.json", claimreview("Hidden.", url=PAGE + "-h"))
    write(tmp_path, "notes.txt", "not a review")
    (tmp_path / "loop").symlink_to(tmp_path)  # followed once: no endless walk, no record read twice
    summary = import_paths(db, [tmp_path])
    assert (summary.added, summary.updated, summary.refused) == (1, 0, 0), summary.messages


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["x.json", "x.jsonl", "x.html", "x"]), st.binary(max_size=200) | JSON_VALUES.map(
    lambda v: json.dumps(v).encode()))
def test_file_reader_never_raises_on_arbitrary_bytes(name, data):
    for finding in parse_bytes(name, data):
        assert (finding.review is None) != (finding.error is None)

