"""Who may do what: the permission rules as functions of the user, the claim and the revision."""

import pytest

from review import permissions
from review.errors import Forbidden
from review.states import STATES

CHECKER = {"id": 1, "role": "checker", "username": "cara"}
OTHER = {"id": 2, "role": "checker", "username": "cole"}
EDITOR = {"id": 3, "role": "editor", "username": "eddie"}
ADMIN = {"id": 4, "role": "admin", "username": "ada"}


def claim(status="in_progress", assignee=CHECKER):
    return {"id": 9, "status": status, "assignee_id": assignee["id"] if assignee else None,
            "assignee": assignee["username"] if assignee else None}


OPEN = ("new", "queued", "in_progress", "in_review")


@pytest.mark.parametrize("status", STATES)
@pytest.mark.parametrize("user,assignee,mine", [
    (CHECKER, CHECKER, True), (CHECKER, OTHER, False), (CHECKER, None, False),
    (EDITOR, OTHER, True), (EDITOR, None, True), (ADMIN, CHECKER, True),
])
def test_who_changes_a_claim_and_its_evidence(status, user, assignee, mine):
    subject = claim(status, assignee)
    expected = mine and status in OPEN
    assert permissions.may_edit_claim(user, subject) is expected
    assert permissions.may_attach_evidence(user, subject) is expected
    assert permissions.may_draft(user, subject) is (mine and status == "in_progress")
    assert permissions.may_tag(user, subject)  # private labels: anyone at the desk
    if not expected:
        with pytest.raises(Forbidden):
            permissions.require_edit_claim(user, subject)
        with pytest.raises(Forbidden):
            permissions.require_attach_evidence(user, subject)


@pytest.mark.parametrize("user,status,needle", [
    (CHECKER, "published", "open a correction"),
    (EDITOR, "published", "open a correction"),
    (EDITOR, "dismissed", "reopen"),
    (EDITOR, "merged", "reopen"),
])
def test_closed_claims_say_how_to_change_them(user, status, needle):
    assert needle in permissions.why_not_edit_claim(user, claim(status))


def test_reasons_name_the_assignee_or_ask_to_take_the_claim():
    assert "assigned to cara" in permissions.why_not_edit_claim(OTHER, claim())
    assert "take the claim first" in permissions.why_not_attach_evidence(OTHER, claim(assignee=None))
    assert permissions.why_not_edit_claim(CHECKER, claim()) == ""


def test_a_revision_in_review_is_frozen_until_sent_back():
    in_review = {"status": "in_review", "author_id": CHECKER["id"]}
    assert "send it back" in permissions.why_not_draft(CHECKER, claim(), in_review)
    assert permissions.may_draft(CHECKER, claim(), {"status": "draft"})


@pytest.mark.parametrize("user,authors,require_other,expected", [
    (EDITOR, [CHECKER["id"]], True, True),
    (EDITOR, [CHECKER["id"], EDITOR["id"]], True, False),  # changed it after sending it back
    (EDITOR, [EDITOR["id"]], True, False),  # opened the correction
    (EDITOR, [EDITOR["id"]], False, True),  # a one-editor desk allows self-approval
    (ADMIN, [EDITOR["id"]], True, True),
    (CHECKER, [OTHER["id"]], True, False),  # approving needs the editor role
])
def test_nobody_approves_a_revision_they_authored(user, authors, require_other, expected):
    revision = {"author_id": authors[0], "authors": authors, "status": "in_review"}
    subject = claim("in_review")
    assert permissions.may_approve(user, subject, revision, require_other_approver=require_other) is expected
    assert permissions.may("approve", user, subject, revision, require_other_approver=require_other) is expected
    if not expected:
        with pytest.raises(Forbidden):
            permissions.require_approve(user, subject, revision, require_other_approver=require_other)


def test_approving_the_second_rating_keeps_the_four_eyes_rule():
    revision = {"author_id": CHECKER["id"], "authors": [CHECKER["id"], EDITOR["id"]], "status": "in_review"}
    assert permissions.why_not("approve_second", EDITOR, claim("in_review"), revision) == \
        "You wrote or changed this revision; another editor must approve it."
    assert permissions.may("approve_second", ADMIN, claim("in_review"), revision)


def test_the_author_column_counts_when_authors_are_not_loaded():
    assert not permissions.may_approve(EDITOR, claim("in_review"), {"author_id": EDITOR["id"]})
    assert permissions.verdict_authors({"author_id": 1, "authors": [2]}) == {1, 2}


@pytest.mark.parametrize("user,assignee,expected", [
    (CHECKER, None, True), (CHECKER, CHECKER, True), (CHECKER, OTHER, False),
    (EDITOR, OTHER, True),
])
def test_a_checker_merges_only_unassigned_claims_or_their_own(user, assignee, expected):
    assert permissions.may_merge(user, claim("in_progress", assignee)) is expected


@pytest.mark.parametrize("action", ["assign", "send_back", "approve", "approve_second", "reopen", "correct"])
def test_editor_actions_need_the_editor_role(action):
    assert not permissions.may(action, CHECKER, claim())
    assert "editor" in permissions.why_not(action, CHECKER, claim())
    assert permissions.may(action, EDITOR, claim())
    with pytest.raises(Forbidden, match="editor"):
        permissions.check(action, CHECKER, claim())


def test_named_transition_rules_match_the_table():
    subject = claim("published", OTHER)
    assert permissions.may_correct(EDITOR, subject) and not permissions.may_correct(CHECKER, subject)
    assert permissions.may_send_back(EDITOR, subject) and not permissions.may_send_back(CHECKER, subject)
    assert permissions.may_assign(EDITOR, subject) and not permissions.may_assign(CHECKER, subject)
    assert permissions.why_not("take", CHECKER, claim()) == "This claim is already yours."
    assert "Unknown action" in permissions.why_not("publish", EDITOR, claim())


@pytest.mark.parametrize("status,assignee,expected", [
    ("new", None, True), ("queued", CHECKER, True), ("in_progress", OTHER, False), ("published", None, False),
])
def test_a_checker_links_a_prior_verdict_to_an_open_unassigned_or_own_claim(status, assignee, expected):
    assert permissions.may_link_prior(CHECKER, claim(status, assignee)) is expected
