"""`claimdesk migrate-to-postgres`: the demo desk moves from SQLite into PostgreSQL whole."""

import pytest

from review.storage import open_store
from tests.conftest import BACKEND, ClaimdeskRunner, PASSWORD, add_user, fresh_database_url, login, make_app

pytestmark = pytest.mark.skipif(BACKEND != "postgres", reason="needs the PostgreSQL test server (make test-postgres)")

QUEUE_COUNT = "SELECT status, count(*) AS n FROM claims GROUP BY status ORDER BY status"


@pytest.fixture
def sqlite_desk(tmp_path):
    """The demo desk on SQLite, with a checker whose password the test knows."""
    folder = tmp_path / "embedded"
    folder.mkdir()
    app = make_app(folder, DB=str(folder / "claimdesk.db"))
    result = ClaimdeskRunner(app).invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    db = open_store(app.config["DB"])
    add_user(db, "moved", "editor")
    db.close()
    return app


def test_the_demo_desk_round_trips_into_postgresql(sqlite_desk, tmp_path):
    url = fresh_database_url(migrated=False)
    moved = ClaimdeskRunner(sqlite_desk).invoke(args=["migrate-to-postgres", url])
    assert moved.exit_code == 0, moved.output
    assert "every count and checksum agrees" in moved.output
    assert "claims: " in moved.output and "DIFFERENT" not in moved.output
    assert "CLAIMDESK_DATABASE_URL=" in moved.output and "claimdesk reindex" in moved.output

    source, target = open_store(sqlite_desk.config["DB"]), open_store(url)
    try:
        assert target.query(QUEUE_COUNT) == source.query(QUEUE_COUNT)
        published = source.one("SELECT c.id, v.rating_key FROM claims c JOIN verdicts v ON v.claim_id = c.id"
                               " WHERE c.status = 'published' AND v.published_at IS NOT NULL ORDER BY c.id LIMIT 1")
        published_count = source.scalar("SELECT count(*) FROM claims WHERE status = 'published'")
        newest_user = source.scalar("SELECT max(id) FROM users")
    finally:
        source.close()
        target.close()

    folder = tmp_path / "node"
    folder.mkdir()
    app = make_app(folder, DATABASE_URL=url)  # the same desk, served from PostgreSQL
    client = app.test_client()
    assert login(client, "moved", PASSWORD).status_code == 303  # users and their passwords came along
    assert "moved" in client.get("/", follow_redirects=True).get_data(as_text=True)
    page = client.get(f"/claims/{published['id']}")
    assert page.status_code == 200
    exported = ClaimdeskRunner(app).invoke(args=["export", "--format", "jsonl"])
    assert exported.exit_code == 0 and exported.output.count("ClaimReview") == published_count
    db = open_store(url)
    try:  # new rows continue after the copied ids
        assert add_user(db, "newcomer", "checker")["id"] > newest_user
    finally:
        db.close()


def test_a_database_already_holding_a_desk_is_refused_untouched(sqlite_desk):
    url = fresh_database_url()
    target = open_store(url)
    add_user(target, "someone", "admin")
    moved = ClaimdeskRunner(sqlite_desk).invoke(args=["migrate-to-postgres", url])
    assert moved.exit_code == 1
    assert "nothing was copied: the PostgreSQL database already holds a desk (users has rows)" in moved.output
    assert [r["username"] for r in target.query("SELECT username FROM users")] == ["someone"]
    target.close()
