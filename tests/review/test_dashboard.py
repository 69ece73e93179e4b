"""The desk overview's figures: a known desk gives hand-computed numbers; the summary rows follow every change."""

from datetime import date, datetime, timedelta, timezone

import pytest

from review import claims, dashboard, desk, recheck, verdicts, workflow
from review.errors import Forbidden, ValidationError
from review.ingest.store import add_document
from tests.conftest import add_user

TODAY = date(2026, 3, 10)


def at(today: date, days_before: int, hour: int, minute: int = 0) -> str:
    """Return a UTC timestamp ``days_before`` days before ``today`` at hour:minute."""
    moment = datetime.combine(today - timedelta(days=days_before), datetime.min.time(), timezone.utc)
    return (moment + timedelta(hours=hour, minutes=minute)).isoformat()


def build_desk(db, today: date = TODAY) -> dict:
    """Store a small desk whose figures are worked out by hand in the tests below.

    Claims (days before today, UTC): c1 Herald/Jane Roe published False (extraction 30 h, review 6 h),
    c2 Herald/Jane Roe published False (72 h, 24 h), c3 Gazette/"jane roe " published True (8 h, 2 h),
    c4 Gazette/John Doe published Mostly false (3 h, 2 h), c5 Herald/John Doe in progress (ana),
    c6 manual/John Doe queued (ana), c7 Herald/no claimant in review (ben), c8 Herald/Jane Roe
    dismissed, c9 new.
    """
    people = {name: add_user(db, name, role) for name, role in
              [("ana", "checker"), ("ben", "checker"), ("eve", "editor")]}
    stamp = at(today, 20, 0)
    docs = {}
    for source in ("Herald", "Gazette"):
        docs[source] = db.insert("INSERT INTO documents (title, source, body, content_hash, ingested_at)"
                                 " VALUES (?, ?, 'body', ?, ?)", [source, source, source, stamp])
    plan = [  # source, claimant, created (days before, hour), state, assignee
        ("Herald", "Jane Roe", (9, 10), "published", None), ("Herald", "Jane Roe", (9, 12), "published", None),
        ("Gazette", "jane roe ", (8, 0), "published", None), ("Gazette", "John Doe", (5, 9), "published", None),
        ("Herald", "John Doe", (4, 9), "in_progress", "ana"), (None, "John Doe", (3, 9), "queued", "ana"),
        ("Herald", None, (2, 9), "in_review", "ben"), ("Herald", "Jane Roe", (2, 11), "dismissed", None),
        (None, None, (1, 9), "new", None),
    ]
    ids = []
    for i, (source, claimant, (days, hour), _, assignee) in enumerate(plan, 1):
        created = at(today, days, hour)
        ids.append(db.insert(
            "INSERT INTO claims (document_id, text, normalized_text, claimant, status, assignee_id, source_date,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, 'new', ?, ?, ?, ?)",
            [docs.get(source), f"Claim number {i} says 10 things.", f"claim {i}", claimant,
             people[assignee]["id"] if assignee else None, created[:10], created, created]))
    timings = {1: ("published", "false", (8, 10), (8, 16)), 2: ("published", "false", (7, 12), (6, 12)),
               3: ("published", "true", (8, 6), (8, 8)), 4: ("published", "mostly-false", (5, 10), (5, 12))}
    for number, (_, rating, submitted, approved) in timings.items():
        submitted_at, approved_at = at(today, *submitted), at(today, *approved)
        verdict = db.insert("INSERT INTO verdicts (claim_id, revision, rating_key, claim_reviewed, status, author_id,"
                            " submitted_at, created_at, updated_at) VALUES (?, 1, ?, 'x', 'in_review', ?, ?, ?, ?)",
                            [ids[number - 1], rating, people["ana"]["id"], submitted_at, submitted_at, submitted_at])
        db.execute("UPDATE verdicts SET status = 'published', approved_at = ?, published_at = ? WHERE id = ?",
                   [approved_at, approved_at, verdict])
        db.execute("UPDATE claims SET status = 'published', updated_at = ? WHERE id = ?", [approved_at, ids[number - 1]])
    for number, (_, _, _, state, _) in enumerate(plan, 1):
        if state not in ("published", "new"):
            moment = at(today, 1, 10) if state == "dismissed" else at(today, 2, 12)
            db.execute("UPDATE claims SET status = ?, updated_at = ? WHERE id = ?", [state, moment, ids[number - 1]])
    return {"ids": ids, "people": people}


@pytest.fixture
def known(db):
    return build_desk(db)


def test_states_ratings_and_top_lists_match_the_hand_count(db, known):
    assert {s["query"]["tab"]: s["n"] for s in dashboard.state_counts(db)} == {
        "new": 1, "queued": 1, "in_progress": 1, "in_review": 1, "published": 4, "dismissed": 1, "merged": 0,
        "retracted": 0}
    assert {r["key"]: r["n"] for r in dashboard.ratings(db) if r["n"]} == {"false": 2, "true": 1, "mostly-false": 1}
    assert [(r["label"], r["n"]) for r in dashboard.top(db, "claimant")] == [("Jane Roe", 4), ("John Doe", 3)]
    assert [(r["label"], r["n"]) for r in dashboard.top(db, "source")] == [("Herald", 5), ("Gazette", 2)]
    # Jane Roe: 3 published, 2 False. John Doe has 1 published verdict, under the minimum.
    false = dashboard.top_false(db, "claimant")
    assert [(r["label"], r["n"], r["rated"], round(r["share"], 3)) for r in false] == [("Jane Roe", 2, 3, 0.667)]
    assert false[0]["query"] == {"tab": "all", "claimant_is": "jane roe", "rating": "false"}
    # Herald: 2 published, both False; Gazette: 2 published, none False (not listed).
    assert [(r["label"], r["n"], r["rated"]) for r in dashboard.top_false(db, "source")] == [("Herald", 2, 2)]


def test_timings_are_median_and_nearest_rank_p90(db, known):
    found = dashboard.timings(db, TODAY, 30)
    # Extraction to verdict: 30, 72, 8 and 3 hours; submission to approval: 6, 24, 2 and 2 hours.
    assert found["n"] == 4
    assert found["extraction"] == {"median": 19.0, "p90": 72.0}
    assert found["review"] == {"median": 4.0, "p90": 24.0}
    assert dashboard.timings(db, TODAY, 30)["query"] == {"tab": "all", "published_from": "2026-02-09",
                                                          "published_to": "2026-03-10"}
    assert dashboard.percentile([], 90) is None and dashboard.percentile([5.0], 90) == 5.0


def test_flow_counts_entering_and_leaving_per_day(db, known):
    days = {d["day"]: (d["entered"], d["left"]) for d in dashboard.flow(db, TODAY, 30)}
    assert len(days) == 30 and min(days) == "2026-02-09" and max(days) == "2026-03-10"
    busy = {day: v for day, v in days.items() if v != (0, 0)}
    assert busy == {"2026-03-01": (2, 0), "2026-03-02": (1, 2), "2026-03-04": (0, 1), "2026-03-05": (1, 1),
                    "2026-03-06": (1, 0), "2026-03-07": (1, 0), "2026-03-08": (2, 0), "2026-03-09": (1, 1)}


def test_workload_ages_oldest_and_checker_scope(db, known):
    people = known["people"]
    workload = {p["username"]: (p["n"], {k: v["n"] for k, v in p["states"].items()}) for p in dashboard.workload(db)}
    assert workload == {"ana": (2, {"in_progress": 1, "queued": 1}), "ben": (1, {"in_review": 1})}
    assert [a["n"] for a in dashboard.ages(db, TODAY)] == [0, 2, 2, 0, 0, 0]
    assert [a["n"] for a in dashboard.ages(db, TODAY, only=people["ana"])] == [0, 0, 2, 0, 0, 0]
    oldest = dashboard.oldest_open(db, TODAY)
    assert [(c["id"], c["age"]) for c in oldest] == [(known["ids"][4], 4), (known["ids"][5], 3),
                                                      (known["ids"][6], 2), (known["ids"][8], 1)]
    mine = dashboard.overview(db, people["ana"])
    assert mine["scope"] == "mine" and "states" not in mine and [p["username"] for p in mine["workload"]] == ["ana"]
    assert "states" in dashboard.overview(db, people["eve"])


def test_every_figure_counts_what_its_queue_filter_lists(db, known):
    """The numbers and the queue agree: each figure's query lists exactly that many claims."""
    def listed(query):
        query = dict(query)
        return dashboard.count_matching(db, tab=query.pop("tab"), user_id=None, filters=query)

    figures = [(s["n"], s["query"]) for s in dashboard.state_counts(db)]
    figures += [(r["n"], r["query"]) for r in dashboard.ratings(db)]
    figures += [(r["n"], r["query"]) for dim in ("claimant", "source") for r in dashboard.top(db, dim)]
    figures += [(x, r[q]) for dim in ("claimant", "source") for r in dashboard.top_false(db, dim)
                for x, q in ((r["n"], "query"), (r["rated"], "rated_query"))]
    figures += [(d[k], d[f"{k}_query"]) for d in dashboard.flow(db, TODAY, 30) for k in ("entered", "left")]
    figures += [(a["n"], a["query"]) for a in dashboard.ages(db, TODAY)]
    figures += [(p["n"], p["query"]) for p in dashboard.workload(db)]
    timings = dashboard.timings(db, TODAY, 30)
    figures.append((timings["n"], timings["query"]))
    assert sum(n for n, _ in figures) > 40
    for n, query in figures:
        assert listed(query) == n, query


def test_days_follow_the_desk_time_zone_across_daylight_saving(db):
    """New York's clocks go forward on 2026-03-08 (a 23-hour day) and back on 2026-11-01 (25 hours)."""
    desk.set_time_zone(db, "America/New_York", actor_id=None)
    stamps = ["2026-03-08T04:30:00+00:00",  # 7 March, 23:30 EST
              "2026-03-08T05:00:00+00:00", "2026-03-09T03:59:00+00:00",  # 8 March, 00:00 EST and 23:59 EDT
              "2026-03-09T04:00:00+00:00", "2026-03-09T04:30:00+00:00",  # 9 March, 00:00 and 00:30 EDT
              "2026-11-01T04:00:00+00:00", "2026-11-02T04:30:00+00:00",  # 1 November, 00:00 EDT and 23:30 EST
              "2026-11-02T05:00:00+00:00"]  # 2 November, 00:00 EST
    for i, stamp in enumerate(stamps):
        db.insert("INSERT INTO claims (text, normalized_text, created_at, updated_at) VALUES (?, ?, ?, ?)",
                  [f"claim {i}", f"claim {i}", stamp, stamp])
    spring = {d["day"]: d["entered"] for d in dashboard.flow(db, date(2026, 3, 9), 3)}
    assert spring == {"2026-03-07": 1, "2026-03-08": 2, "2026-03-09": 2}
    autumn = {d["day"]: d["entered"] for d in dashboard.flow(db, date(2026, 11, 2), 2)}
    assert autumn == {"2026-11-01": 2, "2026-11-02": 1}
    for day, n in list(spring.items()) + list(autumn.items()):
        assert dashboard.count_matching(db, tab="all", user_id=None,
                                        filters={"entered_from": day, "entered_to": day}) == n


@pytest.mark.parametrize("name", ["", "Mars/Olympus", "EST5EDT; DROP TABLE claims"])
def test_unknown_time_zone_is_refused(db, name):
    with pytest.raises(ValidationError) as refused:
        desk.set_time_zone(db, name, actor_id=None)
    assert "time zone" in refused.value.fields["time_zone"]


def test_bad_day_filter_is_a_field_error(db):
    with pytest.raises(ValidationError) as refused:
        dashboard.count_matching(db, tab="all", user_id=None, filters={"left_from": "yesterday"})
    assert refused.value.fields == {"left_from": "use a date like 2024-12-08"}


def recount(db) -> dict:
    """Count from the claims and verdicts themselves what the summary rows should say."""
    return {
        "tallies": sorted((r["dimension"], r["key"], r["n"]) for r in db.query(
            "SELECT 'claimant' AS dimension, lower(trim(claimant)) AS key, count(*) AS n FROM claims"
            " WHERE trim(coalesce(claimant, '')) != '' GROUP BY 2 UNION ALL SELECT 'source', lower(d.source), count(*)"
            " FROM claims c JOIN documents d ON d.id = c.document_id WHERE d.source != '' GROUP BY 2")),
        "ratings": sorted((r["rating_key"], r["n"]) for r in db.query(
            "SELECT rating_key, count(*) AS n FROM verdicts WHERE status = 'published' GROUP BY rating_key")),
        "workload": sorted((r["assignee_id"], r["status"], r["n"]) for r in db.query(
            "SELECT assignee_id, status, count(*) AS n FROM claims WHERE assignee_id IS NOT NULL GROUP BY 1, 2")),
        "entered": db.scalar("SELECT count(*) FROM claims"),
        "left": db.scalar("SELECT count(*) FROM claims WHERE status IN ('published', 'dismissed', 'merged')"),
        "open": db.scalar("SELECT count(*) FROM claims WHERE status IN ('new', 'queued', 'in_progress', 'in_review')"),
        "rated": sorted((r["key"], r["n"]) for r in db.query(
            "SELECT lower(trim(c.claimant)) AS key, count(*) AS n FROM verdicts v JOIN claims c ON c.id = v.claim_id"
            " WHERE v.status = 'published' AND trim(coalesce(c.claimant, '')) != '' GROUP BY 1")),
        "timed": db.scalar("SELECT count(*) FROM verdicts WHERE revision = 1 AND approved_at IS NOT NULL"),
    }


def kept(db) -> dict:
    """Read what the summary rows say."""
    return {
        "tallies": sorted((r["dimension"], r["key"], r["claims"]) for r in db.query(
            "SELECT dimension, key, claims FROM claim_tallies WHERE claims != 0")),
        "ratings": sorted((r["rating_key"], r["n"]) for r in db.query(
            "SELECT rating_key, n FROM rating_tallies WHERE dimension = 'desk' AND n != 0 AND rating_key != '*'")),
        "workload": sorted((r["assignee_id"], r["status"], r["n"]) for r in db.query(
            "SELECT assignee_id, status, n FROM workload_counts WHERE n != 0")),
        "entered": db.scalar("SELECT coalesce(sum(n), 0) FROM claim_flow WHERE direction = 'in'"),
        "left": db.scalar("SELECT coalesce(sum(n), 0) FROM claim_flow WHERE direction = 'out'"),
        "open": db.scalar("SELECT coalesce(sum(n), 0) FROM claim_flow WHERE direction = 'open'"),
        "rated": sorted((r["key"], r["n"]) for r in db.query(
            "SELECT key, n FROM rating_tallies WHERE dimension = 'claimant' AND rating_key = '*' AND n != 0")),
        "timed": db.scalar("SELECT count(*) FROM verdict_timings"),
    }


def test_summary_rows_follow_the_workflow(db):
    checker, editor = add_user(db, "checker"), add_user(db, "editor", "editor")
    add_document(db, body="The mayor said crime fell 30 percent last year. The council claimed 400 homes were built.",
                 source="Herald", url="https://news.example/a", published_at="2026-01-05")
    made = [claims.create_manual_claim(db, text=f"The minister said {n} schools were opened in 2025.",
                                       claimant=name, url=f"https://news.example/{n}")["id"]
            for n, name in [(10, "Jane Roe"), (20, "John Doe"), (30, "Jane Roe")]]
    first, second, third = made
    for claim_id in (first, second):
        workflow.apply_action(db, claim_id, "accept", checker)
        workflow.apply_action(db, claim_id, "start", checker)
        verdicts.save_draft(db, claims.get_claim(db, claim_id), checker,
                            {"rating_key": "false", "conclusion": "No such schools", "claim_reviewed": "Schools opened"})
        workflow.apply_action(db, claim_id, "submit", checker)
    workflow.apply_action(db, first, "approve", editor)
    workflow.apply_action(db, second, "send_back", editor, comment="cite the ministry")
    claims.update_claim(db, second, checker, version=None, claimant="Someone Else")
    workflow.apply_action(db, third, "dismiss", checker, reason="opinion")
    workflow.apply_action(db, third, "reopen", editor)
    workflow.apply_action(db, first, "correct", editor)
    verdicts.save_draft(db, claims.get_claim(db, first), editor, {"rating_key": "mostly-false", "correction_note": "n"})
    workflow.apply_action(db, first, "submit", editor)
    workflow.apply_action(db, first, "approve", add_user(db, "chief", "editor"))
    assert kept(db) == recount(db)
    assert kept(db)["ratings"] == [("mostly-false", 1)]
    assert db.scalar("SELECT closed_at FROM claims WHERE id = ?", [third]) is None
    db.execute("DELETE FROM claim_tags")
    assert kept(db) == recount(db)


def published_claim(db, checker, editor, n: int = 1) -> int:
    claim_id = claims.create_manual_claim(db, text=f"Officials said {n * 100} people were evacuated on Monday.",
                                          claimant="Officials", url=f"https://news.example/e{n}")["id"]
    workflow.apply_action(db, claim_id, "accept", checker)
    workflow.apply_action(db, claim_id, "start", checker)
    verdicts.save_draft(db, claims.get_claim(db, claim_id), checker,
                        {"rating_key": "half-true", "conclusion": "The count is still moving", "claim_reviewed": "x"})
    workflow.apply_action(db, claim_id, "submit", checker)
    workflow.apply_action(db, claim_id, "approve", editor)
    return claim_id


def test_a_recheck_day_comes_due_and_a_correction_ends_it(db):
    checker, editor, other = add_user(db, "ana"), add_user(db, "eve", "editor"), add_user(db, "ben")
    claim_id = published_claim(db, checker, editor)
    today = desk.today(db)
    with pytest.raises(Forbidden):
        recheck.set_recheck(db, claim_id, other, today.isoformat())
    with pytest.raises(ValidationError) as refused:
        recheck.set_recheck(db, claim_id, checker, (today - timedelta(days=1)).isoformat())
    assert refused.value.fields == {"recheck_by": "choose today or a later day"}
    later = (today + timedelta(days=3)).isoformat()
    assert recheck.set_recheck(db, claim_id, checker, later)["recheck_by"] == later
    assert recheck.recheck_state(db, claim_id) == {"recheck_by": later, "due": False, "status": "published"}
    assert dashboard.due_rechecks(db, today)["n"] == 0
    recheck.set_recheck(db, claim_id, editor, today.isoformat())
    due = dashboard.due_rechecks(db, today)
    assert due["n"] == 1 and due["rows"][0]["id"] == claim_id
    assert dashboard.count_matching(db, tab="all", user_id=None, filters=due["query"] | {"tab": None}) == 1
    assert recheck.mark_due(db, [{"id": claim_id}, {"id": 999}]) == [{"id": claim_id, "recheck_due": today.isoformat()},
                                                                     {"id": 999, "recheck_due": None}]
    # Re-checking is a correction: the published verdict stays due until the correction is approved.
    workflow.apply_action(db, claim_id, "correct", editor)
    assert recheck.recheck_state(db, claim_id)["due"] is True
    verdicts.save_draft(db, claims.get_claim(db, claim_id), editor,
                        {"rating_key": "mostly-false", "correction_note": "Officials revised the count to 80."})
    workflow.apply_action(db, claim_id, "submit", editor)
    workflow.apply_action(db, claim_id, "approve", add_user(db, "chief", "editor"))
    assert recheck.recheck_state(db, claim_id)["due"] is False and dashboard.due_rechecks(db, today)["n"] == 0


def test_a_recheck_day_needs_a_verdict_and_a_date(db):
    checker = add_user(db, "ana")
    claim_id = claims.create_manual_claim(db, text="The minister said 3 bridges were built.", actor_id=checker["id"])["id"]
    with pytest.raises(ValidationError) as no_verdict:
        recheck.set_recheck(db, claim_id, add_user(db, "eve", "editor"), desk.today(db).isoformat())
    assert "draft a verdict first" in no_verdict.value.fields["recheck_by"]
    with pytest.raises(ValidationError) as bad:
        recheck.set_recheck(db, claim_id, checker, "next week")
    assert bad.value.fields == {"recheck_by": "use a date like 2024-12-08"}
