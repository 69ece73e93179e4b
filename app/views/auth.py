"""Sign in and out; every page but login, static files and public fact-checks needs a user."""

import functools
from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from app.config import throttle_limits
from app.db import get_db
from app.htmx import toast
from review import sessions, users
from review.errors import NotFound
from review.throttle import Throttled

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
OPEN_ENDPOINTS = {"auth.login", "static"}
OPEN_BLUEPRINTS = {"public", "api", "health"}  # the API authenticates with Bearer tokens itself


class SessionUser(UserMixin):
    """A signed-in user; the cookie carries only the token of a session row kept in the database."""

    def __init__(self, record: dict, token: str):
        self.record = record
        self.token = token
        self.id = record["id"]
        self.username = record["username"]
        self.role = record["role"]

    def get_id(self) -> str:
        return self.token

    def has_role(self, role: str) -> bool:
        return users.has_role(self.record, role)


@login_manager.user_loader
def load_user(token: str):
    """Return the user of a live session row, checked on every request (logout ends the row)."""
    idle = timedelta(hours=float(current_app.config["SESSION_IDLE_HOURS"]))
    user_id = sessions.session_user_id(get_db(), token, idle=idle)
    try:
        record = users.get_user(get_db(), user_id) if user_id else None
    except NotFound:
        return None
    return SessionUser(record, token) if record and record["active"] else None


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
        db, address = get_db(), request.remote_addr or ""
        try:
            user = users.sign_in(db, username, request.form.get("password", ""), address=address,
                                 hash_method=current_app.config["PASSWORD_HASH_METHOD"],
                                 limits=throttle_limits(current_app.config))
        except Throttled as refused:
            response = make_response(render_template("auth/login.html", error=refused.message, username=username), 429)
            response.headers["Retry-After"] = str(refused.retry_after)
            return response
        if user:
            token = sessions.start_session(db, user["id"], address=address, user_agent=request.user_agent.string)
            login_user(SessionUser(user, token))
            return redirect(_safe_next(request.args.get("next")), code=303)
        error = "Wrong username or password, or the account is deactivated."
    status = 401 if error else 200
    return render_template("auth/login.html", error=error, username=username), status


@bp.post("/logout")
def logout():
    sessions.end_session(get_db(), current_user.token)
    logout_user()
    return toast(redirect(url_for("auth.login"), code=303), "Signed out.")
