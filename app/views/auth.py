"""Sign in and out; every page but login, static files and public fact-checks needs a user."""

import functools
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from app.db import get_db
from app.htmx import toast
from review import users
from review.errors import NotFound

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
OPEN_ENDPOINTS = {"auth.login", "static"}
OPEN_BLUEPRINTS = {"public", "api"}  # the API authenticates with Bearer tokens itself


class SessionUser(UserMixin):
    """A signed-in user; the session id carries session_version so a password change ends it."""

    def __init__(self, record: dict):
        self.record = record
        self.id = record["id"]
        self.username = record["username"]
        self.role = record["role"]

    def get_id(self) -> str:
        return f"{self.record['id']}:{self.record['session_version']}"

    def has_role(self, role: str) -> bool:
        return users.has_role(self.record, role)


@login_manager.user_loader
def load_user(session_id: str):
    try:
        user_id, version = (int(part) for part in session_id.split(":"))
        record = users.get_user(get_db(), user_id)
    except (ValueError, NotFound):
        return None
    if not record["active"] or record["session_version"] != version:
        return None
    return SessionUser(record)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = "basic"
    app.before_request(require_login)
    app.context_processor(lambda: {"has_role": _current_has_role})


def _current_has_role(role: str) -> bool:
    return current_user.is_authenticated and current_user.has_role(role)


def require_login():
    if request.endpoint in OPEN_ENDPOINTS or request.blueprint in OPEN_BLUEPRINTS:
        return None
    if request.endpoint is None:  # 404s: let the error handler answer
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    g.user = current_user.record
    return None


def require_role(role: str):
    """Refuse (403) users below ``role``; enforced on the server for every view it wraps."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated or not current_user.has_role(role):
                abort(403, description=f"This needs the {role} role.")
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("queue.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    error = None
    username = request.form.get("username", "")
    if request.method == "POST":
        user = users.authenticate(get_db(), username, request.form.get("password", ""))
        if user:
            login_user(SessionUser(user))
            return redirect(_safe_next(request.args.get("next")), code=303)
        error = "Wrong username or password, or the account is deactivated."
    status = 401 if error else 200
    return render_template("auth/login.html", error=error, username=username), status


@bp.post("/logout")
def logout():
    logout_user()
    return toast(redirect(url_for("auth.login"), code=303), "Signed out.")
