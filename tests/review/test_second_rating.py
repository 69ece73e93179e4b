"""Blind second ratings: who may ask and rate, what each sees, the decision, and Cohen's kappa."""

from datetime import timedelta

import pytest

from review import agreement, claims, dashboard, desk, second_rating, verdicts, workflow
from review.errors import Forbidden, ValidationError
from tests.conftest import add_user

FIRST_CONCLUSION = "Zebra-crossing conclusion of the first checker"
FIRST_EXPLANATION = "Quokka-marked explanation written by the first checker."


def start_claim(db, first, text="The mayor said the new bridge cost $48 million."):
    claim = claims.create_manual_claim(db, text=text, claimant="Mayor Elena Marsh", url="https://herald.example/bridge",
                                       appeared_at="2024-05-01")
    for action in ("accept", "start"):
        workflow.apply_action(db, claim["id"], action, first)
    return claim["id"]


def draft_first(db, claim_id, first, rating="missing-context"):
    verdicts.save_draft(db, claims.get_claim(db, claim_id), first, {
        "rating_key": rating, "conclusion": FIRST_CONCLUSION, "explanation": FIRST_EXPLANATION})


def submitted_claim(db, people, rating="missing-context", text="The mayor said the new bridge cost $48 million."):
    """A claim the first checker (ana) rated and submitted for review; return its id."""
    claim_id = start_claim(db, people["ana"], text)
    draft_first(db, claim_id, people["ana"], rating)
    workflow.apply_action(db, claim_id, "submit", people["ana"])
    return claim_id


@pytest.fixture
def people(db):
    found = {name: add_user(db, name, role) for name, role in
             [("ana", "checker"), ("ben", "checker"), ("cat", "checker"), ("eve", "editor"), ("max", "editor")]}
    second_rating.set_enabled(db, True, actor_id=None)
    return found


def test_kappa_matches_the_textbook_two_by_two_example():
    # Two raters, 50 cases: yes/yes 20, yes/no 5, no/yes 10, no/no 15. p_o = 35/50 = 0.7;
    # first says yes 25/50, second 30/50: p_e = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = (0.7-0.5)/(1-0.5) = 0.4.
    pairs = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10 + [("no", "no")] * 15
    assert agreement.raw_agreement(pairs) == pytest.approx(0.7)
    assert agreement.cohen_kappa(pairs) == pytest.approx(0.4)


def test_kappa_of_a_three_rating_table_worked_by_hand():
    # first \ second   false  half  true   (rows 10, 8, 7; columns 9, 8, 8; n = 25)
    # false              8     2     0
    # half               1     5     2
    # true               0     1     6
    # p_o = 19/25 = 0.76; p_e = (10*9 + 8*8 + 7*8)/625 = 210/625 = 0.336; kappa = 0.424/0.664 = 0.63855...
    table = {("false", "false"): 8, ("false", "half"): 2, ("half", "false"): 1, ("half", "half"): 5,
             ("half", "true"): 2, ("true", "half"): 1, ("true", "true"): 6}
    pairs = [pair for pair, n in table.items() for _ in range(n)]
    assert agreement.raw_agreement(pairs) == pytest.approx(0.76)
    assert agreement.cohen_kappa(pairs) == pytest.approx(0.424 / 0.664)
    assert round(agreement.cohen_kappa(pairs), 4) == 0.6386


def test_kappa_below_chance_and_where_it_is_undefined():
    assert agreement.cohen_kappa([("a", "b"), ("b", "a")]) == pytest.approx(-1.0)
    assert agreement.cohen_kappa([("false", "false")] * 3) is None  # chance alone agrees fully
    assert agreement.cohen_kappa([]) is None and agreement.raw_agreement([]) is None


def test_off_by_default_and_only_editors_ask(db, people):
    second_rating.set_enabled(db, False, actor_id=None)
    claim_id = submitted_claim(db, people)
    assert not second_rating.enabled(db)
    with pytest.raises(Forbidden, match="off; an admin can turn them on"):
        second_rating.request(db, claim_id, people["eve"], people["ben"]["id"])
    second_rating.set_enabled(db, True, actor_id=None)
    with pytest.raises(Forbidden, match="needs the editor role"):
        second_rating.request(db, claim_id, people["cat"], people["ben"]["id"])


@pytest.mark.parametrize("who", ["ana", "eve", "max", "nobody"])
def test_the_second_checker_is_another_checker(db, people, who):
    claim_id = submitted_claim(db, people)
    rater = people.get(who, {"id": 999})
    with pytest.raises(ValidationError) as refused:
        second_rating.request(db, claim_id, people["eve"], rater["id"])
    assert refused.value.fields == {"rater_id": "choose a checker who has not worked on this claim"}
    names = [u["username"] for u in second_rating.candidates(db, claims.get_claim(db, claim_id), people["eve"])]
    assert names == ["ben", "cat"]


def test_one_request_per_claim_and_never_for_a_published_verdict(db, people):
    claim_id = submitted_claim(db, people)
    second_rating.request(db, claim_id, people["eve"], people["ben"]["id"])
    with pytest.raises(Forbidden, match="already asked from ben"):
        second_rating.request(db, claim_id, people["max"], people["cat"]["id"])
    published = submitted_claim(db, people, text="Officials said 2,500 people were evacuated on Monday.")
    workflow.apply_action(db, published, "approve", people["eve"])
    with pytest.raises(Forbidden, match="while the claim is in progress or in review"):
        second_rating.request(db, published, people["eve"], people["ben"]["id"])
    workflow.apply_action(db, published, "correct", people["max"])  # a correction is checked against the public one
    with pytest.raises(Forbidden, match="verdict is published; a second rating is asked for a first verdict only"):
        second_rating.request(db, published, people["eve"], people["ben"]["id"])


def test_the_claim_waits_for_the_second_rating_then_disagreement_goes_to_the_editor(db, people):
    claim_id = submitted_claim(db, people)
    second_rating.request(db, claim_id, people["eve"], people["ben"]["id"])
    claim = claims.get_claim(db, claim_id)
    assert claim["second_rating"] == "pending"
    for action in ("approve", "send_back", "approve_second"):
        allowed, why = workflow.can(claim, people["eve"], action)
        assert not allowed and why == "A blind second rating is awaited; cancel the request to decide without it."
    with pytest.raises(Forbidden, match="awaited"):
        workflow.apply_action(db, claim_id, "approve", people["eve"])
    assert second_rating.is_blind(db, claim_id, people["ben"]) and not second_rating.is_blind(db, claim_id, people["cat"])
    row = second_rating.rate(db, claim_id, people["ben"], "mostly-false", "The contract shows $61 million, not $48 million.")
    assert row["compared_at"] and row["first_rating_key"] == "missing-context" and row["rating_key"] == "mostly-false"
    claim = claims.get_claim(db, claim_id)
    assert claim["second_rating"] == "disagree" and not second_rating.is_blind(db, claim_id, people["ben"])
    offered = [t.name for t in workflow.actions_for(claim, people["eve"])]
    assert offered[:3] == ["approve", "send_back", "approve_second"]
    events = [e["action"] for e in db.query("SELECT action FROM events WHERE entity_id = ? ORDER BY id", [claim_id])]
    assert events[-3:] == ["second_rating.request", "second_rating.rate", "second_rating.disagree"]


def test_the_editor_approves_the_second_rating(db, people):
    claim_id = submitted_claim(db, people)
    second_rating.request(db, claim_id, people["eve"], people["ben"]["id"])
    second_rating.rate(db, claim_id, people["ben"], "mostly-false", "The contract shows $61 million.")
    published = workflow.apply_action(db, claim_id, "approve_second", people["eve"])
    assert published["status"] == "published"
    verdict = verdicts.published_revision(db, claim_id)
    assert verdict["rating_key"] == "mostly-false" and verdict["approver_id"] == people["eve"]["id"]
    assert verdict["conclusion"] == FIRST_CONCLUSION
    authors = {r["user_id"] for r in db.query("SELECT user_id FROM revision_authors WHERE claim_id = ?", [claim_id])}
    assert authors == {people["ana"]["id"], people["ben"]["id"]}


def test_agreeing_raters_leave_only_the_usual_approval(db, people):
    claim_id = submitted_claim(db, people, rating="false")
    second_rating.request(db, claim_id, people["eve"], people["ben"]["id"])
    second_rating.rate(db, claim_id, people["ben"], "false", "No such payment exists.")
    claim = claims.get_claim(db, claim_id)
    assert claim["second_rating"] == "agree"
    assert "approve_second" not in [t.name for t in workflow.actions_for(claim, people["eve"])]
    assert workflow.can(claim, people["eve"], "approve_second")[1] == \
        "Approving the second rating is for when the two raters disagree."
    assert workflow.apply_action(db, claim_id, "approve", people["eve"])["status"] == "published"


def test_asked_while_in_progress_the_ratings_meet_when_the_first_is_submitted(db, people):
    claim_id = start_claim(db, people["ana"])
    draft_first(db, claim_id, people["ana"], "false")
    second_rating.request(db, claim_id, people["eve"], people["ben"]["id"])
    second_rating.rate(db, claim_id, people["ben"], "mostly-false", "One figure is right, the total is not.")
    claim = claims.get_claim(db, claim_id)
    assert claim["second_rating"] == "rated"
    first_view = second_rating.view_for(db, claim, people["ana"])  # the first checker does not see it yet
    assert not first_view["shown"] and first_view["row"]["rating_key"] is None and first_view["row"]["reasoning"] is None
    assert second_rating.view_for(db, claim, people["eve"])["shown"]  # the editor does
    assert second_rating.is_blind(db, claim_id, people["ben"])  # and the second checker still sees no first rating
    workflow.apply_action(db, claim_id, "submit", people["ana"])
    claim = claims.get_claim(db, claim_id)
    assert claim["second_rating"] == "disagree"
    assert second_rating.view_for(db, claim, people["ana"])["shown"]
    assert not second_rating.is_blind(db, claim_id, people["ben"])


def test_rating_is_checked_and_given_once_by_the_one_asked(db, people):
    claim_id = submitted_claim(db, people)
    second_rating.request(db, claim_id, people["eve"], people["ben"]["id"])
    with pytest.raises(Forbidden, match="asked from ben; only they can give it"):
        second_rating.rate(db, claim_id, people["cat"], "false", "Because.")
    with pytest.raises(ValidationError) as refused:
        second_rating.rate(db, claim_id, people["ben"], "nonsense", "  ")
    assert set(refused.value.fields) == {"rating_key", "reasoning"}
    with pytest.raises(ValidationError, match="reasoning"):
        second_rating.rate(db, claim_id, people["ben"], "false", "x" * (second_rating.REASONING_MAX + 1))
    second_rating.rate(db, claim_id, people["ben"], "false", "No payment of that size exists.")
    with pytest.raises(Forbidden, match="already in"):
        second_rating.rate(db, claim_id, people["ben"], "true", "Changed my mind.")


def test_an_editor_cancels_a_waiting_request(db, people):
    claim_id = submitted_claim(db, people)
    second_rating.request(db, claim_id, people["eve"], people["ben"]["id"])
    with pytest.raises(Forbidden, match="editor role"):
        second_rating.cancel(db, claim_id, people["ana"])
    second_rating.cancel(db, claim_id, people["max"])
    claim = claims.get_claim(db, claim_id)
    assert claim["second_rating"] is None and second_rating.active(db, claim_id) is None
    assert not second_rating.is_blind(db, claim_id, people["ben"])
    assert workflow.can(claim, people["eve"], "approve")[0]
    second_rating.request(db, claim_id, people["eve"], people["cat"]["id"])  # may be asked again


def test_agreement_per_week_counts_the_pairs_the_queue_lists(db, people):
    ratings = [("false", "false"), ("false", "mostly-false"), ("true", "true"), ("half-true", "half-true")]
    for n, (first, second) in enumerate(ratings):
        claim_id = submitted_claim(db, people, rating=first, text=f"Claim number {n} about a bridge costing {n} million.")
        second_rating.request(db, claim_id, people["eve"], people["ben"]["id"])
        second_rating.rate(db, claim_id, people["ben"], second, "Checked against the budget.")
    today = desk.today(db)
    # Move the first two pairs a week back: they fall in the week before.
    week_ago = (today - timedelta(days=7)).isoformat() + "T12:00:00+00:00"
    db.execute("UPDATE second_ratings SET compared_at = ? WHERE id IN (SELECT id FROM second_ratings ORDER BY id LIMIT 2)",
               [week_ago])
    figures = agreement.over_time(db, today)
    assert len(figures["weeks"]) == 13 and figures["weeks"][-1]["last"] == today
    last, before = figures["weeks"][-1], figures["weeks"][-2]
    assert (last["n"], last["agreed"], last["agreement"]) == (2, 2, 1.0)
    assert (before["n"], before["agreed"], before["agreement"]) == (2, 1, 0.5)
    total = figures["total"]
    assert (total["n"], total["agreed"]) == (4, 3)
    assert total["kappa"] == pytest.approx(agreement.cohen_kappa(ratings))
    for figure in (last, before, total):
        for key, count in (("query", "n"), ("agreed_query", "agreed")):
            query = dict(figure[key])
            tab = query.pop("tab")
            assert dashboard.count_matching(db, tab=tab, user_id=None, filters=query) == figure[count]
    assert dashboard.overview(db, people["eve"], parts=("agreement",))["agreement"]["total"]["n"] == 4


def test_the_second_checker_cannot_be_given_the_claim_while_rating_it_blind(db, people):
    claim_id = start_claim(db, people["ana"])
    second_rating.request(db, claim_id, people["eve"], people["ben"]["id"])
    with pytest.raises(ValidationError, match="giving this claim's blind second rating"):
        workflow.apply_action(db, claim_id, "assign", people["eve"], assignee_id=people["ben"]["id"])
    assert claims.get_claim(db, claim_id)["assignee_id"] == people["ana"]["id"]
    with pytest.raises(Forbidden):  # nor write its verdict: it is not theirs
        verdicts.save_draft(db, claims.get_claim(db, claim_id), people["ben"], {"rating_key": "true"})
    workflow.apply_action(db, claim_id, "assign", people["eve"], assignee_id=people["cat"]["id"])  # anyone else


def test_a_claim_merged_away_is_no_longer_a_task(db, people):
    claim_id = start_claim(db, people["ana"])
    second_rating.request(db, claim_id, people["eve"], people["ben"]["id"])
    assert dashboard.count_matching(db, tab="second", user_id=people["ben"]["id"], filters={}) == 1
    target = start_claim(db, people["ana"], "The mayor said the bridge cost 48 million dollars.")
    workflow.apply_action(db, claim_id, "merge", people["ana"], target_id=target)
    assert dashboard.count_matching(db, tab="second", user_id=people["ben"]["id"], filters={}) == 0
    with pytest.raises(Forbidden, match="no longer being checked"):
        second_rating.rate(db, claim_id, people["ben"], "false", "Too late.")
