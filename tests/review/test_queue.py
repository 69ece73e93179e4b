"""The queue in the domain: keyset pages, the priority formula, bulk actions and their checks."""

import pytest

from review import claims, priority, queue
from review.errors import ValidationError
from tests.conftest import add_user


def manual(db, text, **extra):
    claim = claims.create_manual_claim(db, text=text, **extra)
    return claim


@pytest.fixture
def three(db):
    return [manual(db, f"Claim number {i} says {i * 1000} people were evacuated.", claimant=f"Person {i}")
            for i in range(1, 4)]


def test_cursor_pagination_walks_every_claim_once(db):
    user = add_user(db, "pager")
    for i in range(23):
        manual(db, f"Generated claim {i} about 1,{i:03d} evacuated people.")
    seen, cursor = [], None
    while True:
        page = queue.list_queue(db, tab="new", user_id=user["id"], cursor=cursor, limit=10)
        seen += [r["id"] for r in page.rows]
        cursor = page.next_cursor
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 23


def test_bulk_tag_and_its_checks_live_in_the_domain(db, three):
    user = add_user(db, "tagger")
    ids = [c["id"] for c in three]
    versions = {i: claims.get_claim(db, i)["version"] for i in ids}
    assert queue.bulk_action(db, ids, "tag", user, versions=versions, tag="  Housing ") == (3, [])
    assert all(claims.get_claim(db, i)["tags"] == ["housing"] for i in ids)
    assert queue.bulk_message("tag", 3, []) == "Tagged: 3 claims."
    for bad, field in [({"ids": [], "action": "accept"}, "ids"), ({"ids": ids, "action": "tag"}, "tag"),
                       ({"ids": ids, "action": "approve"}, "bulk_action"), ({"ids": ids[:1], "action": "merge"}, "ids")]:
        with pytest.raises(ValidationError) as error:
            queue.bulk_action(db, bad["ids"], bad["action"], user, versions=versions)
        assert field in error.value.fields


PRIORITY_FIXTURE = [
    # checkworthiness, appearances, source date, created at
    (0.95, 1, "2024-05-01", "2024-05-02T08:00:00+00:00"),
    (0.95, 1, "2023-01-01", "2024-05-02T08:00:00+00:00"),
    (0.96, 1, None, "2024-05-02T08:00:00+00:00"),
    (0.67, 12, "2024-05-02", "2024-05-02T08:00:00+00:00"),
    (0.68, 1, "2024-04-01", "2024-05-02T08:00:00+00:00"),
    (0.30, 3, "2024-05-02", "2024-05-02T08:00:00+00:00"),
]


def test_queue_order_is_the_documented_priority_formula(db):
    made = []
    for number, (score, seen, day, created) in enumerate(PRIORITY_FIXTURE):
        claim = manual(db, f"Fixture claim {number} says {number * 7} schools closed.")
        db.execute("UPDATE claims SET checkworthiness = ?, appearance_count = ?, source_date = ?, created_at = ?"
                   " WHERE id = ?", [score, seen, day, created, claim["id"]])
        claims._refresh_priority(db, claim["id"])
        made.append(claim["id"])
    rows = queue.list_queue(db, tab="new").rows
    expected = sorted(made, key=lambda i: (-sum(priority.priority_parts(*PRIORITY_FIXTURE[made.index(i)][:2],
                      PRIORITY_FIXTURE[made.index(i)][2], 0.0, PRIORITY_FIXTURE[made.index(i)][3]).values()), -i))
    assert [r["id"] for r in rows] == expected
    for row in rows:
        parts = row["priority_parts"]
        assert row["priority"] == pytest.approx(sum(parts.values()), abs=0.011)
        assert all(0 <= parts[name] <= weight for name, weight in priority.PRIORITY_WEIGHTS.items())


def test_priority_terms_are_bounded_and_score_leads():
    parts = priority.priority_parts(1.0, 1000, "2024-05-02", 5.0, "2024-05-02T00:00:00+00:00")
    assert parts == {"score": 70.0, "repeats": 10.0, "freshness": 10.0, "boost": 10.0}
    # A year of date is worth at most the freshness weight, not a point per year forever.
    old = priority.compute_priority(0.9, 1, "2023-05-02", 0.0, "2024-05-02T00:00:00+00:00")
    undated = priority.compute_priority(0.9, 1, None, 0.0, "2024-05-02T00:00:00+00:00")
    assert old == pytest.approx(undated, abs=0.01)
    assert priority.compute_priority(0.95, 1, None, 0.0) > priority.compute_priority(0.80, 1, "2024-05-02", 0.0,
                                                                                 "2024-05-02T00:00:00+00:00")
