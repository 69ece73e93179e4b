"""/healthz, /readyz, one log line per request, and `claimdesk status`."""

import logging
import shutil

import pytest

from review.indexing import enqueue
from search_index import open_index
from tests.conftest import PASSWORD, login, make_app


@pytest.fixture
def indexed(app):
    index = open_index(app.config["INDEX"])
    index.rebuild([])
    index.close()
    return app


def test_healthz_answers_without_a_user(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok\n"


def test_readyz_is_ready_when_everything_is_in_place(indexed):
    response = indexed.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.json["ready"] is True
    assert set(response.json["checks"]) == {"database", "migrations", "index", "outbox", "jobs"}


def test_readyz_says_the_index_is_missing(app):
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["index"] == {"ok": False,
                                                "detail": f"missing at {app.config['INDEX']} (run `claimdesk reindex`)"}


def test_readyz_fails_when_the_index_backlog_is_over_the_limit(tmp_path, db):
    app = make_app(tmp_path, READY_MAX_OUTBOX=2)
    open_index(app.config["INDEX"]).rebuild([])
    for document_id in range(1, 4):
        enqueue(db, "document", document_id)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["outbox"]["detail"] == "3 change(s) waiting for the index (limit 2)"


def test_readyz_fails_when_a_migration_is_pending(indexed, db):
    ledger = "claimdesk_migrations" if db.dialect == "postgres" else "_sqlite_migrations"
    db.execute(f"DELETE FROM {ledger} WHERE name = (SELECT max(name) FROM {ledger})")
    response = indexed.test_client().get("/readyz")
    assert response.status_code == 503 and "pending" in response.json["checks"]["migrations"]["detail"]


class Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@pytest.fixture
def request_log():
    handler = Lines()
    logger = logging.getLogger("claimdesk.requests")
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


def test_one_log_line_per_request_without_secrets(app, make_user, request_log, db):
    from review import users

    make_user("maria")
    client = app.test_client()
    login(client, "maria")
    client.get("/claims/999999?q=secret-in-query")
    token = users.issue_token(db, users.find_user(db, "maria")["id"])
    app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}", "X-Request-ID": "abc-123"})
    assert len(request_log) == 3
    signin, missing, api = request_log
    assert "method=POST route=/login" in signin and "status=303" in signin
    assert "user=maria" in missing and "route=/claims/<int:claim_id>" in missing and "status=404" in missing
    assert api.startswith("request_id=abc-123 ") and "status=200" in api
    for line in request_log:
        assert PASSWORD not in line and token not in line and "secret-in-query" not in line
        assert " ms=" in line


def test_a_forged_request_id_cannot_inject_a_log_line(client, request_log):
    response = client.get("/healthz", headers={"X-Request-ID": "x user=admin"})
    assert "user=admin" not in request_log[0]
    assert len(response.headers["X-Request-ID"]) == 16


def test_status_reports_the_same_checks(indexed, runner):
    result = runner.invoke(args=["status"])
    assert result.exit_code == 0, result.output
    for name in ("database", "migrations", "index", "outbox", "jobs"):
        assert f"ok    {name}" in result.output
    assert "Ready." in result.output


def test_status_fails_and_says_why(app, runner):
    shutil.rmtree(app.config["INDEX"], ignore_errors=True)
    result = runner.invoke(args=["status"])
    assert result.exit_code == 1
    assert "FAIL  index: missing at" in result.output and "Traceback" not in result.output


def test_readyz_fails_when_the_job_backlog_is_over_the_limit(tmp_path, db):
    from review import jobs

    app = make_app(tmp_path, READY_MAX_JOBS=1)
    open_index(app.config["INDEX"]).rebuild([])
    for _ in range(2):
        jobs.enqueue(db, "ingest", {"source": "Desk"})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["jobs"] == {"ok": False, "detail": "2 job(s) waiting for a worker (limit 1)"}
