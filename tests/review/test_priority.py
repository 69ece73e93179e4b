"""A batch's priorities and stored fields are the formula's own, bit for bit, whatever the input's edge."""

import itertools
import json

from review.ingest.store import ingest_paths
from review.priority import compute_priority, priorities_at
from tests.review.ingest.samples import jsonl, write

AT = "2024-05-02T08:00:00+00:00"
SCORES = [0.0, 1.0, 0.5, 1.2, -0.1, None, 1 / 3, 0.005, 0.105, 0.6789]
APPEARANCES = [0, 1, 2, 9, 10, 11, 100, None]
DATES = [None, "", "2024-05-02", "2024-04-02", "2023-01-01", "2030-01-01", "not a date", "2024-02-30",
         "2024-05-01T23:00:00+00:00"]


def test_a_batchs_priority_is_compute_priority_for_every_edge():
    priority = priorities_at(AT)
    for _ in range(2):  # the second pass reads the terms it kept
        for score, appearances, day in itertools.product(SCORES, APPEARANCES, DATES):
            expected = compute_priority(score, appearances, day, 0.0, AT)
            assert repr(priority(score, appearances, day)) == repr(expected), (score, appearances, day)


def test_a_batch_without_its_arrival_dates_its_claims_today():
    assert priorities_at("")(0.9, 1, "2024-05-02") == compute_priority(0.9, 1, "2024-05-02", 0.0, "")


WIRE = [  # a claim repeated in a later article of the chunk, and in an article of the next chunk
    {"title": "Port", "date": "2024-04-30", "body": "The port handled 900 ships in 2023, its director said on Monday."
     "\n\nWheat output fell to 3.1 million tonnes, the farm ministry said."},
    {"title": "Undated", "body": "Ferry fares will rise by 9 percent in April, the operator said.\n\n"
     "The port handled 900 ships in 2023, its director said on Monday."},
    {"title": "Later", "date": "2024-05-02T10:00:00Z", "body": "Wheat output fell to 3.1 million tonnes, the farm"
     " ministry said.\n\nThe city hired 40 new officers in 2023, according to the budget office."},
]


def test_stored_claims_carry_the_formulas_priority_and_plain_json(db, tmp_path):
    ingest_paths(db, [write(tmp_path / "wire.jsonl", jsonl(*WIRE))], chunk_size=2)
    rows = db.query("SELECT checkworthiness, appearance_count, source_date, boost, created_at, priority, quantities,"
                    " dates FROM claims ORDER BY id")
    assert sorted(r["appearance_count"] for r in rows)[-2:] == [2, 2]  # the port's and the wheat's claims
    assert {r["source_date"] for r in rows} == {"2024-04-30", None, "2024-05-02"}
    for row in rows:
        assert row["priority"] == compute_priority(row["checkworthiness"], row["appearance_count"], row["source_date"],
                                                   row["boost"], row["created_at"])
        for column in ("quantities", "dates"):
            assert row[column] == json.dumps(json.loads(row[column]))
    assert any(r["quantities"] != "[]" for r in rows) and any(r["dates"] == "[]" for r in rows)
