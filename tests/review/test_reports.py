"""The shared per-record report: counts, problems, warnings, the summary line and the listing."""

from review.reports import Outcome, Report


def test_a_report_counts_statuses_and_numbers_and_lists_problems_first():
    report = Report(("added", "duplicate", "skipped", "failed"))
    report.add(Outcome("a.jsonl", "1", "added", numbers={"claims": 3}))
    report.add(Outcome("a.jsonl", "2", "duplicate", reason="already stored"))
    report.add(Outcome("a.jsonl", "3", "failed", reason="malformed JSON"))
    report.add(Outcome("b.json", None, "added", warnings=["date left empty"], numbers={"claims": 2}))
    assert report.line() == "added 2, duplicates 1, skipped 0 (empty), failed 1"
    assert (report.added, report.duplicates, report.failed, report.count("claims")) == (2, 1, 1, 5)
    assert report.problems == ["a.jsonl:3: malformed JSON"]
    assert report.warnings == ["b.json: warning: date left empty"]
    assert report.messages == ["a.jsonl:3: malformed JSON", "b.json: warning: date left empty"]
    assert [o.where for o in report.listing(limit=3)] == ["a.jsonl:1", "a.jsonl:3", "b.json"]


def test_reports_add_up():
    first, second = Report(("added", "updated", "refused")), Report(("added", "updated", "refused"))
    first.add(Outcome("x", "1", "updated"))
    second.add(Outcome("y", "1", "refused", reason="no claimReviewed"))
    first.extend(second)
    assert first.line() == "added 0, updated 1, refused 1" and len(first.outcomes) == 2
