"""`claimdesk backup` and `claimdesk restore`: private files, the secret key kept, the index rebuilt."""

import os
import stat

from review.dates import now
from review.indexing import enqueue
from review.storage import open_store
from search_index import open_index
from tests.conftest import ClaimdeskRunner, add_user, make_app

BODY = "The harbor master said cargo traffic rose 12 percent in 2024."


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def make_instance(folder, *, secret: str, data: bool):
    folder.mkdir()
    app = make_app(folder, SECRET_KEY=secret)
    if data:
        db = open_store(app.config["DB"])
        add_user(db, "maria")
        document_id = db.insert("INSERT INTO documents (title, source, body, content_hash, ingested_at)"
                                " VALUES ('Port figures', 'Demo Wire', ?, 'hash-1', ?)", [BODY, now()])
        enqueue(db, "document", document_id)
        db.close()
    return app, ClaimdeskRunner(app)


def test_backup_is_private_and_carries_the_secret_key(tmp_path):
    app, runner = make_instance(tmp_path / "desk", secret="secret-one", data=True)
    target = tmp_path / "backup.db"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert mode(target) == 0o600
    assert "The search index is not in the backup: `claimdesk restore` rebuilds it" in result.output
    copy = open_store(target)
    assert copy.scalar("SELECT value FROM claimdesk_backup WHERE name = 'secret_key'") == "secret-one"
    copy.close()
    assert not os.path.exists(str(target) + "-wal")  # one self-contained file


def test_restore_into_a_fresh_instance_rebuilds_the_index(tmp_path):
    _, source = make_instance(tmp_path / "old", secret="secret-one", data=True)
    assert source.invoke(args=["backup", str(tmp_path / "backup.db")]).exit_code == 0
    fresh, runner = make_instance(tmp_path / "new", secret="", data=False)
    result = runner.invoke(args=["restore", str(tmp_path / "backup.db")])
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output and "1 users, 0 claims, 1 documents" in result.output
    assert "Rebuilt the search index" in result.output
    db = open_store(fresh.config["DB"])
    assert db.scalar("SELECT username FROM users") == "maria"
    assert db.scalar("SELECT count(*) FROM documents") == 1
    db.close()
    assert (tmp_path / "new" / "secret_key").read_text() == "secret-one"
    assert mode(tmp_path / "new" / "secret_key") == 0o600 and mode(fresh.config["DB"]) == 0o600
    index = open_index(fresh.config["INDEX"])
    assert index.search("harbor", kind="document").total == 1
    index.close()


def test_restore_refuses_to_replace_a_live_instance_without_force(tmp_path):
    _, source = make_instance(tmp_path / "old", secret="secret-one", data=True)
    source.invoke(args=["backup", str(tmp_path / "backup.db")])
    live, runner = make_instance(tmp_path / "live", secret="secret-two", data=False)
    db = open_store(live.config["DB"])
    add_user(db, "someone")
    db.close()
    refused = runner.invoke(args=["restore", str(tmp_path / "backup.db")])
    assert refused.exit_code == 1
    assert "holds a live instance (1 users, 0 claims, 0 documents)" in refused.output and "--force" in refused.output
    assert open_store(live.config["DB"]).scalar("SELECT username FROM users") == "someone"
    forced = runner.invoke(args=["restore", "--force", str(tmp_path / "backup.db")])
    assert forced.exit_code == 0, forced.output
    assert open_store(live.config["DB"]).scalar("SELECT username FROM users") == "maria"
    kept = [name for name in os.listdir(tmp_path / "live") if ".replaced-" in name]
    assert len(kept) == 1 and f"kept as {tmp_path / 'live' / kept[0]}" in forced.output


def test_restore_checks_the_file_first(tmp_path):
    live, runner = make_instance(tmp_path / "live", secret="secret-two", data=True)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\x00" + os.urandom(4096))
    result = runner.invoke(args=["restore", "--force", str(junk)])
    assert result.exit_code == 1 and "is not a Claimdesk backup" in result.output
    assert "Traceback" not in result.output
    assert open_store(live.config["DB"]).scalar("SELECT username FROM users") == "maria"
    assert not any(name.endswith(".restoring") for name in os.listdir(tmp_path / "live"))


def test_a_new_database_is_created_private(tmp_path):
    open_store(tmp_path / "new.db").close()
    assert mode(tmp_path / "new.db") == 0o600
