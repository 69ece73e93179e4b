import sqlite3

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


def test_failed_transaction_leaves_nothing_behind(tmp_path):
    db = open_store(tmp_path / "x.db")
    migrations.apply(db)
    try:
        with db.transaction():
            db.execute("INSERT INTO notes (claim_id, body, created_at) VALUES (999, 'x', 'now')")
    except IntegrityError:
        pass
    assert db.scalar("SELECT count(*) FROM notes") == 0


def test_state_counts_follow_every_change(tmp_path):
    db = open_store(tmp_path / "x.db")
    migrations.apply(db)
    from review import claims, queue

    first = claims.create_manual_claim(db, text="A claim about 2,000 evacuated people.")
    claims.create_manual_claim(db, text="Another claim about 3,000 evacuated people.")
    db.execute("UPDATE claims SET status = 'queued' WHERE id = ?", [first["id"]])
    counts = queue.tab_counts(db, None)
    assert counts["new"] == 1 and counts["queued"] == 1
    db.execute("DELETE FROM claims WHERE id = ?", [first["id"]])
    assert queue.tab_counts(db, None)["queued"] == 0
