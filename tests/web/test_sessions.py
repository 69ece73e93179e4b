"""Sessions live in the database: signing out ends the cookie everywhere; HTTPS deployments get Secure cookies."""

import re
import time

import pytest
import requests

from review import users
from tests.conftest import CHEAP_HASH, PASSWORD, add_user, login, make_app
from tests.reliability.servers import serving


def test_a_cookie_copied_before_logout_stops_working(app, make_user):
    make_user("maria")
    browser = app.test_client()
    assert login(browser, "maria").status_code == 303
    copy = app.test_client()
    copy.set_cookie("session", browser.get_cookie("session").value)
    assert copy.get("/").status_code == 200
    assert browser.post("/logout").status_code == 303
    assert copy.get("/").status_code == 302  # the copied cookie names an ended session


def test_signing_out_ends_only_that_session(app, make_user):
    make_user("maria")
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, "maria")
    login(phone, "maria")
    laptop.post("/logout")
    assert laptop.get("/").status_code == 302
    assert phone.get("/").status_code == 200


def test_the_cookie_holds_no_user_id_and_the_database_only_a_hash(app, db, make_user):
    make_user("maria")
    browser = app.test_client()
    login(browser, "maria")
    row = db.one("SELECT * FROM sessions")
    token = app.session_interface.get_signing_serializer(app).loads(browser.get_cookie("session").value)["_user_id"]
    assert row["token_hash"] != token and len(token) >= 40 and row["ended_at"] is None


def test_an_idle_session_ends(app, db, make_user):
    make_user("maria")
    browser = app.test_client()
    login(browser, "maria")
    db.execute("UPDATE sessions SET last_seen_at = '2020-01-01T00:00:00+00:00'")
    assert browser.get("/").status_code == 302
    assert db.scalar("SELECT ended_at FROM sessions") is not None


def test_a_password_change_ends_every_session(app, db, make_user):
    user = make_user("maria")
    browser = app.test_client()
    login(browser, "maria")
    users.set_password(db, user["id"], "a brand new password", actor_id=None, hash_method=CHEAP_HASH)
    assert db.scalar("SELECT count(*) FROM sessions WHERE ended_at IS NULL") == 0
    assert browser.get("/").status_code == 302


def test_https_public_url_sets_secure_cookies_and_hsts(tmp_path):
    app = make_app(tmp_path, PUBLIC_URL="https://desk.example.org")
    add_user_db(app, "maria")
    client = app.test_client()
    response = login(client, "maria")
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_plain_http_sends_neither(app, make_user):
    make_user("maria")
    response = login(app.test_client(), "maria")
    assert "Secure" not in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in response.headers


def add_user_db(app, username):
    from review.storage import open_store

    db = open_store(app.config["DB"])
    try:
        return add_user(db, username)
    finally:
        db.close()


# -- two real server processes sharing one instance ---------------------------------------------------------------

@pytest.fixture
def two_servers(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    app = make_app(instance)  # a migrated database both servers share
    add_user_db(app, "maria")
    with serving(instance, instance, 2, tmp_path) as nodes:
        yield [(node, node.log) for node in nodes]


def test_a_logged_out_cookie_replayed_against_a_second_server_process(two_servers):
    (first, first_log), (second, second_log) = two_servers
    assert_keeps_idle_connections(second)
    browser = requests.Session()
    page = browser.get(f"{first}/login").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    signed_in = browser.post(f"{first}/login", data={"username": "maria", "password": PASSWORD, "csrf_token": csrf},
                             allow_redirects=False)
    assert signed_in.status_code == 303
    copied = {"session": browser.cookies["session"]}
    assert requests.get(f"{second}/", cookies=copied, allow_redirects=False).status_code == 200

    queue = browser.get(f"{first}/").text
    header = re.search(r'"X-CSRFToken": "([^"]+)"', queue).group(1)
    assert browser.post(f"{first}/logout", headers={"X-CSRFToken": header}, allow_redirects=False).status_code == 303

    replay = requests.get(f"{second}/", cookies=copied, allow_redirects=False)
    assert replay.status_code == 302 and "/login" in replay.headers["Location"]

    # Each server wrote one line per request, naming the user and never the password.
    time.sleep(0.2)  # let the log lines reach the files
    lines = [line for line in first_log.read_text().splitlines() if "request_id=" in line]
    assert any("user=maria" in line and "route=/logout" in line and "status=303" in line for line in lines)
    assert any("route=/login" in line and "method=POST" in line for line in lines)
    assert not any(PASSWORD in line or csrf in line for line in lines)
    assert any("status=302" in line for line in second_log.read_text().splitlines())


def assert_keeps_idle_connections(url: str) -> None:
    """`claimdesk serve` keeps a browser's connection open across a person's pause (gunicorn's default: 2 s)."""
    import http.client

    connection = http.client.HTTPConnection(url.removeprefix("http://"), timeout=10)
    try:
        sockets = []
        for pause in (3, 0):
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            assert response.status == 200 and response.read() == b"ok\n"
            sockets.append(connection.sock)  # None when the server said it would close
            time.sleep(pause)  # a person reading the page before the next click
        assert sockets[0] is not None and sockets[1] is sockets[0]  # the same connection served both requests
    finally:
        connection.close()
