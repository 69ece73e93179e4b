import pytest

from review import users
from review.storage import open_store
from tests.conftest import CHEAP_HASH, PASSWORD, ClaimdeskRunner, login, make_app


def test_anonymous_browser_is_redirected_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_login_page_is_a_plain_form(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'name="username"' in page and 'name="password"' in page and 'method="post"' in page


def test_login_then_queue_then_logout(client, make_user):
    make_user("maria", "checker")
    response = login(client, "maria")
    assert response.status_code == 303
    assert "Review queue" in client.get("/").get_data(as_text=True)
    assert client.get("/logout").status_code == 405  # logout is a POST
    assert client.post("/logout").status_code == 303
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused(client, make_user):
    make_user("maria")
    response = login(client, "maria", "not the password")
    assert response.status_code == 401
    assert "Wrong username or password" in response.get_data(as_text=True)


def test_login_does_not_redirect_off_site(client, make_user):
    make_user("maria")
    response = client.post("/login?next=//evil.example/x", data={"username": "maria", "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_session_cookie_is_httponly_and_lax(client, make_user):
    make_user("maria")
    response = login(client, "maria")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_deactivating_a_user_ends_their_session(app, db, logged_in):
    client = logged_in("checker", "sam")
    assert client.get("/").status_code == 200
    sam = users.find_user(db, "sam")
    users.set_active(db, sam["id"], False, actor_id=None)
    assert client.get("/").status_code == 302
    assert login(app.test_client(), "sam").status_code == 401


def test_changing_a_password_ends_sessions_and_tokens(app, db, logged_in):
    client = logged_in("checker", "sam")
    sam = users.find_user(db, "sam")
    token = users.issue_token(db, sam["id"])
    api = app.test_client()
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    users.set_password(db, sam["id"], "a brand new password", actor_id=None, hash_method=CHEAP_HASH)
    assert client.get("/").status_code == 302
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_sign_in_with_the_real_password_hash(tmp_path):
    """The one test that keeps the production hash method; every other test hashes cheaply."""
    app = make_app(tmp_path, PASSWORD_HASH_METHOD=users.HASH_METHOD)
    result = ClaimdeskRunner(app).invoke(args=["user", "add", "maria", "--role", "checker", "--password-stdin"],
                                         input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    stored = open_store(app.config["DB"]).scalar("SELECT password_hash FROM users WHERE username = 'maria'")
    assert stored.startswith("scrypt:") and PASSWORD not in stored
    client = app.test_client()
    assert login(client, "maria", "not the password").status_code == 401
    assert login(client, "maria").status_code == 303
    assert "Review queue" in client.get("/").get_data(as_text=True)


def test_admin_created_users_get_the_configured_hash(admin_client, db):
    admin_client.post("/admin/users", data={"username": "newbie", "role": "checker", "password": "long enough pw"})
    stored = db.scalar("SELECT password_hash FROM users WHERE username = 'newbie'")
    assert stored.startswith(CHEAP_HASH + "$")


def test_csrf_is_enforced_when_enabled(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    users.create_user(open_store(app.config["DB"]), "maria", "checker", PASSWORD, hash_method=CHEAP_HASH)
    client = app.test_client()
    response = client.post("/login", data={"username": "maria", "password": PASSWORD})
    assert response.status_code == 400
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post("/login", data={"username": "maria", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303
    # htmx requests carry the token in a header.
    queue = client.get("/").get_data(as_text=True)
    assert '"X-CSRFToken":' in queue
    assert client.post("/logout").status_code == 400
    header_token = queue.split('"X-CSRFToken": "')[1].split('"')[0]
    assert client.post("/logout", headers={"X-CSRFToken": header_token}).status_code == 303


def test_api_without_token_gets_json_401_not_a_redirect(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json["error"]["message"]
    assert "fields" in response.json["error"]


def test_api_with_token_and_revocation(client, db, make_user):
    user = make_user("bot", "checker")
    token = users.issue_token(db, user["id"])
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).json["username"] == "bot"
    stored = db.scalar("SELECT token_hash FROM api_tokens")
    assert token not in stored
    users.revoke_tokens(db, user["id"], actor_id=None)
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_api_session_cookie_alone_is_not_enough(checker_client):
    assert checker_client.get("/api/v1/me").status_code == 401


PROTECTED = [
    # (method, path, lowest role allowed)
    ("GET", "/", "checker"),
    ("GET", "/search/", "checker"),
    ("GET", "/documents/", "checker"),
    ("GET", "/documents/new", "checker"),
    ("GET", "/claims/new", "checker"),
    ("GET", "/verdicts", "editor"),
    ("GET", "/export", "editor"),
    ("GET", "/export/download?format=csv", "editor"),
    ("GET", "/admin/users", "admin"),
    ("GET", "/admin/ratings", "admin"),
    ("GET", "/admin/imports", "admin"),
    ("POST", "/admin/users/1/tokens/revoke", "admin"),
    ("POST", "/admin/users/1/role", "admin"),
]
RANK = {"checker": 0, "editor": 1, "admin": 2}


@pytest.mark.parametrize("role", ["checker", "editor", "admin"])
@pytest.mark.parametrize("method,path,needed", PROTECTED)
def test_authorization_matrix(logged_in, role, method, path, needed):
    client = logged_in(role)
    response = client.open(path, method=method, data={"role": "checker"})
    if RANK[role] >= RANK[needed]:
        assert response.status_code in (200, 303), (role, path, response.status_code)
    else:
        assert response.status_code == 403, (role, path, response.status_code)


@pytest.mark.parametrize("method,path,needed", PROTECTED)
def test_anonymous_is_redirected_everywhere(client, method, path, needed):
    response = client.open(path, method=method)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_every_state_change_is_audited(db, admin_client):
    admin_client.post("/admin/users", data={"username": "newbie", "role": "checker", "password": "long enough pw"})
    newbie = users.find_user(db, "newbie")
    admin_client.post(f"/admin/users/{newbie['id']}/role", data={"role": "editor"})
    admin_client.post(f"/admin/users/{newbie['id']}/active", data={"active": "0"})
    actions = [r["action"] for r in db.query("SELECT action FROM events WHERE entity_id = ? AND entity_type = 'user'"
                                            " ORDER BY id", [newbie["id"]])]
    assert actions == ["user.create", "user.role", "user.deactivate"]
    actor = db.scalar("SELECT actor_id FROM events WHERE action = 'user.role'")
    assert actor == users.find_user(db, "admin1")["id"]


def test_admin_page_reports_bad_input(admin_client):
    response = admin_client.post("/admin/users", data={"username": "x", "role": "boss", "password": "short"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "unknown role" in page and "at least 8 characters" in page


def test_admin_resets_a_password_and_shows_it_once(admin_client, db, make_user):
    user = make_user("forgetful")
    response = admin_client.post(f"/admin/users/{user['id']}/password")
    page = response.get_data(as_text=True)
    new_password = page.split("New password for forgetful: ")[1].split(" ")[0]
    assert users.authenticate(db, "forgetful", new_password)
    assert not users.authenticate(db, "forgetful", PASSWORD)
