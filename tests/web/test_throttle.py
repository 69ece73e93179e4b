"""Login throttling: per account and per address, counted in the database, answered with 429 and Retry-After."""

import json

import pytest

from review import users
from tests.conftest import PASSWORD, login, make_app


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path, LOGIN_ACCOUNT_FAILURES=3, LOGIN_ADDRESS_FAILURES=5)


def from_address(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_the_account_locks_after_its_limit_even_for_the_right_password(app, db, make_user):
    maria = make_user("maria")
    client = app.test_client()
    for _ in range(3):
        assert login(client, "maria", "wrong password").status_code == 401
    response = login(client, "maria")
    assert response.status_code == 429
    assert 800 < int(response.headers["Retry-After"]) <= 900
    assert "Too many failed sign-ins. Try again in 15 minutes." in response.get_data(as_text=True)
    event = db.one("SELECT * FROM events WHERE action = 'auth.lockout'")
    assert event["entity_type"] == "user" and event["entity_id"] == maria["id"]
    assert json.loads(event["details"])["scope"] == "account"


def test_another_address_is_refused_for_a_locked_account(app, make_user):
    make_user("maria")
    for _ in range(3):
        login(from_address(app, "10.0.0.1"), "maria", "wrong password")
    assert login(from_address(app, "10.0.0.2"), "maria").status_code == 429


def test_the_address_locks_after_its_limit_across_accounts(app, db, make_user):
    make_user("maria")
    attacker = from_address(app, "10.0.0.9")
    for name in ("ann", "bob", "cy", "dee", "eve"):
        assert login(attacker, name, "guess").status_code == 401
    assert login(attacker, "maria").status_code == 429
    assert login(from_address(app, "10.0.0.10"), "maria").status_code == 303
    event = db.one("SELECT * FROM events WHERE action = 'auth.lockout' AND entity_type = 'login'"
                   " AND details LIKE '%address%'")
    assert json.loads(event["details"])["subject"] == "10.0.0.9"


def test_counts_are_shared_by_every_worker(app, tmp_path, make_user):
    """Two apps on one database stand for two server processes: failures in one lock the other."""
    make_user("maria")
    other_worker = make_app(tmp_path, LOGIN_ACCOUNT_FAILURES=3, LOGIN_ADDRESS_FAILURES=5)
    login(app.test_client(), "maria", "wrong")
    login(other_worker.test_client(), "maria", "wrong")
    login(app.test_client(), "maria", "wrong")
    assert login(other_worker.test_client(), "maria").status_code == 429


def test_a_lockout_ends_and_a_good_sign_in_clears_the_account_count(app, db, make_user):
    make_user("maria")
    for _ in range(3):
        login(app.test_client(), "maria", "wrong")
    db.execute("UPDATE login_failures SET locked_until = '2020-01-01T00:00:00+00:00',"
               " window_start = '2020-01-01T00:00:00+00:00'")
    assert login(app.test_client(), "maria").status_code == 303
    login(app.test_client(), "maria", "wrong")
    login(app.test_client(), "maria", "wrong")
    assert login(app.test_client(), "maria").status_code == 303
    assert db.scalar("SELECT count(*) FROM login_failures WHERE scope = 'account'") == 0


def test_unknown_names_are_counted_and_locked_like_real_ones(app):
    for _ in range(3):
        assert login(app.test_client(), "nobody", "guess").status_code == 401
    assert login(app.test_client(), "nobody", "guess").status_code == 429


class HashSpy:
    """Record which stored hashes werkzeug's real check is run against."""

    def __init__(self, monkeypatch):
        self.hashes = []
        real = users.check_password_hash

        def spy(stored, password):
            self.hashes.append(stored)
            return real(stored, password)

        monkeypatch.setattr(users, "check_password_hash", spy)


def test_unknown_and_deactivated_users_cost_one_hash_check(app, db, make_user, monkeypatch):
    make_user("maria")
    gone = make_user("gone")
    users.set_active(db, gone["id"], False, actor_id=None)
    spy = HashSpy(monkeypatch)
    assert login(app.test_client(), "nobody", "guess").status_code == 401
    assert login(app.test_client(), "gone", PASSWORD).status_code == 401
    assert login(app.test_client(), "maria", "wrong").status_code == 401
    assert len(spy.hashes) == 3
    method = app.config["PASSWORD_HASH_METHOD"]
    assert all(h.startswith(method + "$") for h in spy.hashes)  # the dummy is made like real hashes
    assert spy.hashes[0] == spy.hashes[1]  # unknown and deactivated names meet the same dummy


def test_a_locked_sign_in_computes_no_hash(app, make_user, monkeypatch):
    make_user("maria")
    for _ in range(3):
        login(app.test_client(), "maria", "wrong")
    spy = HashSpy(monkeypatch)
    for _ in range(20):
        assert login(app.test_client(), "maria", "wrong").status_code == 429
    assert spy.hashes == []
