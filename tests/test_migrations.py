import sqlite3

import pytest

import migrations
from review.storage import open_store
from review.storage import IntegrityError


def test_upgrade_empty_database_creates_the_data_model(tmp_path):
    db = open_store(tmp_path / "fresh.db")
    applied = migrations.apply(db)
    assert applied[:7] == ["0001_initial", "0002_claims_fts", "0003_queue_speed", "0004_prior_marks",
                           "0005_source_filter_index", "0006_revision_authors", "0007_drop_verdict_slug"]
    assert applied == sorted(applied)  # later migrations come from each feature; all apply, in order
    for table in ["users", "events", "documents", "claims", "evidence", "verdicts", "rating_scale",
                  "rating_mappings", "prior_reviews", "notes", "index_outbox", "api_tokens", "claim_tags",
                  "claim_appearances"]:
        assert db.sqlite_database()[table].exists(), table
    scale = {r["label"]: r["rating_value"] for r in db.query("SELECT label, rating_value FROM rating_scale")}
    assert scale["True"] == 5 and scale["False"] == 1 and scale["Misleading"] is None
    index_names = {i.name for i in db.sqlite_database()["claims"].indexes}
    assert "claims_queue" in index_names and "claims_assignee" in index_names


def test_second_upgrade_is_a_no_op(tmp_path):
    db = open_store(tmp_path / "fresh.db")
    migrations.apply(db)
    schema = db.scalar("SELECT group_concat(sql) FROM sqlite_master")
    assert migrations.apply(db) == []
    assert db.scalar("SELECT group_concat(sql) FROM sqlite_master") == schema
    assert migrations.pending(db) == []


def test_connection_uses_wal_foreign_keys_and_busy_timeout(tmp_path):
    db = open_store(tmp_path / "x.db")
    assert db.scalar("PRAGMA journal_mode") == "wal"
    assert db.scalar("PRAGMA foreign_keys") == 1
    assert db.scalar("PRAGMA busy_timeout") >= 1000


def test_transaction_takes_the_write_lock_up_front(tmp_path):
    path = tmp_path / "x.db"
    db = open_store(path)
    migrations.apply(db)
    other = sqlite3.connect(path, timeout=0)
    with db.transaction():
        # Another writer cannot start while our IMMEDIATE transaction holds the lock, even before we write.
        try:
            other.execute("BEGIN IMMEDIATE")
            locked = False
        except sqlite3.OperationalError:
            locked = True
    assert locked


def test_failed_transaction_leaves_nothing_behind(db):
    try:
        with db.transaction():
            db.execute("INSERT INTO notes (claim_id, body, created_at) VALUES (999, 'x', 'now')")
    except IntegrityError:
        pass
    assert db.scalar("SELECT count(*) FROM notes") == 0


def test_state_counts_follow_every_change(db):
    from review import claims, queue

    first = claims.create_manual_claim(db, text="A claim about 2,000 evacuated people.")
    claims.create_manual_claim(db, text="Another claim about 3,000 evacuated people.")
    db.execute("UPDATE claims SET status = 'queued' WHERE id = ?", [first["id"]])
    counts = queue.tab_counts(db, None)
    assert counts["new"] == 1 and counts["queued"] == 1
    db.execute("DELETE FROM claims WHERE id = ?", [first["id"]])
    assert queue.tab_counts(db, None)["queued"] == 0


# -- the store's contract, on whichever database the suite runs (CLAIMDESK_TEST_DATABASE) ------------
def test_a_refused_write_inside_a_transaction_leaves_it_usable(db):
    with db.transaction():
        db.execute("INSERT INTO state (key, value) VALUES ('a', '1')")
        with pytest.raises(IntegrityError):
            db.execute("INSERT INTO state (key, value) VALUES ('a', '2')")
        db.execute("INSERT INTO state (key, value) VALUES ('b', '3')")
    assert db.query("SELECT key, value FROM state ORDER BY key") == [{"key": "a", "value": "1"},
                                                                    {"key": "b", "value": "3"}]


def test_a_nested_block_that_fails_rolls_back_alone(db):
    with db.transaction():
        db.execute("INSERT INTO state (key, value) VALUES ('outer', '1')")
        with pytest.raises(ValueError), db.transaction():
            db.execute("INSERT INTO state (key, value) VALUES ('inner', '2')")
            raise ValueError("undo the inner block")
    assert [r["key"] for r in db.query("SELECT key FROM state")] == ["outer"]
    assert not db.in_transaction


def test_placeholders_percent_signs_and_like(db):
    db.executemany("INSERT INTO state (key, value) VALUES (?, ?)", [("rate", "50% off"), ("Q?", "it's")])
    assert db.scalar("SELECT value FROM state WHERE key = ? AND value LIKE '%off'", ["rate"]) == "50% off"
    assert db.scalar("SELECT key FROM state WHERE value = :v", {"v": "it's"}) == "Q?"
    assert db.scalar("SELECT count(*) FROM state WHERE key LIKE 'RA%'") == 1  # LIKE ignores case, as SQLite's

def test_usernames_are_unique_regardless_of_case(db):
    row = "INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES (?, 'checker', 'x', 't', 't')"
    first = db.insert(row, ["Maria"])
    assert db.insert(f"{row} ON CONFLICT DO NOTHING", ["MARIA"]) is None
    assert db.scalar("SELECT id FROM users WHERE username = ?", ["maria"]) == first


def test_sums_and_averages_come_back_as_plain_numbers(db):
    assert db.scalar("SELECT sum(n) FROM claim_counts") == 0
    assert db.scalar("SELECT avg(x) FROM (SELECT 1 AS x UNION ALL SELECT 2) AS t") == 1.5


def test_text_match_finds_words_prefixes_and_claimants(db):
    from review import claims

    first = claims.create_manual_claim(db, text="Unemployment fell to 4 percent in March.", claimant="Jane Doe")
    claims.create_manual_claim(db, text="Jane said exports rose by 7 percent.", claimant="Someone Else")

    def matching(words):
        condition, params = db.text_match("claims", "c.id", words)
        return [r["id"] for r in db.query(f"SELECT c.id FROM claims c WHERE {condition} ORDER BY c.id", params)]

    assert matching({None: "unemp"}) == [first["id"]]
    assert matching({None: "percent march"}) == [first["id"]]
    assert matching({"claimant": "jane"}) == [first["id"]]
    assert len(matching({None: "jane"})) == 2
    assert db.text_match("claims", "c.id", {None: "  ", "claimant": ""}) is None
