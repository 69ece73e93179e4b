"""One home for each rule (docs/ARCHITECTURE.md, "Where each rule lives"), checked on the source itself.

A second copy of a rule creeps back as a few characters in a view or a template; these checks find
the shapes such copies take: a date parsed outside ``review/dates.py``, claim states listed outside
the domain, the fragment-or-page header read outside ``app/htmx.py``.
"""

import re
from pathlib import Path

import pytest

from review.states import STATE_LABELS, STATES

ROOT = Path(__file__).resolve().parents[1]


def sources(package: str, *suffixes: str):
    for path in sorted((ROOT / package).rglob("*")):
        if path.suffix in suffixes and "vendor" not in path.parts:
            yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def offending_lines(found, pattern) -> list[str]:
    return [f"{relative}:{number}" for relative, text in found
            for number, line in enumerate(text.splitlines(), 1) if pattern(line)]


DATE_PARSING = re.compile(r"\b(fromisoformat|strptime|parsedate\w*)\(")


def test_dates_are_read_only_in_review_dates():
    # search_index/ keeps the query language's own date syntax (date:2024-03) and never imports review.
    found = [(relative, text) for package in ("app", "review") for relative, text in sources(package, ".py")
             if relative != "review/dates.py"]
    assert offending_lines(found, DATE_PARSING.search) == []


STATE = "|".join(STATES)
QUOTED_STATE = re.compile(rf"""(["'])({STATE})\1""")


def lists_states(line: str) -> bool:
    """Tell whether a line names two or more claim states: a state list copied out of review/states.py."""
    return len({m.group(2) for m in QUOTED_STATE.finditer(line)}) >= 2


@pytest.mark.parametrize("line, expected", [
    ("{% elif claim.status in ('new', 'queued') %}", True),
    ('states = [("queued", "Queued"), ("in_progress", "In progress")]', True),
    ("if tab in (\"open\", \"all\", \"merged\", \"retracted\"):", True),
    ("{% if claim.status == 'retracted' %}", False),
    ('tab = request.args.get("tab", "new")', False),
])
def test_the_state_list_check_finds_copies(line, expected):
    assert lists_states(line) is expected


def test_the_web_layer_lists_no_claim_states():
    """Views, templates and charts ask review.states (or the domain function that knows) which states count."""
    assert offending_lines(sources("app", ".py", ".html", ".js"), lists_states) == []


def test_only_app_htmx_reads_the_htmx_request_header():
    found = [(relative, text) for relative, text in sources("app", ".py", ".html", ".js")
             if relative not in ("app/htmx.py", "app/security.py")]  # security.py only names it in Vary
    assert offending_lines(found, lambda line: "HX-Request" in line) == []


def test_state_labels_are_written_only_in_review_states():
    labels = [label for label in STATE_LABELS.values() if " " in label]  # "In progress": never an ordinary word
    found = [(relative, text) for package in ("app", "review") for relative, text in sources(package, ".py", ".html")
             if relative != "review/states.py"]
    written = re.compile("|".join(rf"""["'>]{re.escape(label)}["'<]""" for label in labels))  # a string or a cell
    assert labels and offending_lines(found, written.search) == []
