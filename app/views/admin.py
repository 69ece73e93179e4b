"""Administration: users (create, role, deactivate, reset password, revoke tokens)."""

import secrets

from flask import (
    Blueprint,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)

from app.views.auth import require_role
from app.db import get_db
from app.htmx import toast
from review import ratings, users
from review.errors import ReviewError

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@require_role("admin")
def only_admins():
    return None


@bp.get("/")
def index():
    return redirect(url_for("admin.users"))


@bp.get("/users", endpoint="users")
def users_page():
    return render_template("admin/users.html", users=users.list_users(get_db()), roles=users.ROLES,
                           form={}, errors={}, message=None)


@bp.post("/users")
def create():
    form = request.form
    try:
        user = users.create_user(get_db(), form.get("username", ""), form.get("role", ""), form.get("password", ""),
                                 display_name=form.get("display_name", ""), actor_id=g.user["id"],
                                 hash_method=current_app.config["PASSWORD_HASH_METHOD"])
    except ReviewError as error:
        # The form comes back with each error next to its field: one message, no toast on top.
        page = render_template("admin/users.html", users=users.list_users(get_db()), roles=users.ROLES,
                               form=form, errors=error.fields or {"username": error.message}, message=None)
        return make_response(page, error.status)
    return _done(f"User {user['username']} created.")


@bp.post("/users/<int:user_id>/role")
def change_role(user_id: int):
    user = users.set_role(get_db(), user_id, request.form.get("role", ""), actor_id=g.user["id"])
    return _done(f"{user['username']} is now {user['role']}.")


@bp.post("/users/<int:user_id>/active")
def change_active(user_id: int):
    active = request.form.get("active") == "1"
    user = users.set_active(get_db(), user_id, active, actor_id=g.user["id"])
    return _done(f"{user['username']} {'activated' if active else 'deactivated; their sessions and tokens ended'}.")


@bp.post("/users/<int:user_id>/password")
def reset_password(user_id: int):
    password = secrets.token_urlsafe(12)
    db = get_db()
    users.set_password(db, user_id, password, actor_id=g.user["id"],
                       hash_method=current_app.config["PASSWORD_HASH_METHOD"])
    user = users.get_user(db, user_id)
    message = f"New password for {user['username']}: {password} (shown once; their sessions and tokens ended)."
    return render_template("admin/users.html", users=users.list_users(db), roles=users.ROLES, form={}, errors={},
                           message=message)


@bp.post("/users/<int:user_id>/tokens/revoke")
def revoke(user_id: int):
    count = users.revoke_tokens(get_db(), user_id, actor_id=g.user["id"])
    return _done(f"{count} token{'s' if count != 1 else ''} revoked.")


def _done(message: str):
    response = redirect(url_for("admin.users"), code=303)
    return toast(response, message)


@bp.get("/ratings")
def ratings_page():
    return _ratings_page({}, {})


def _ratings_page(form, errors, status: int = 200):
    db = get_db()
    page = render_template("admin/ratings.html", scale=ratings.list_scale(db), mappings=ratings.list_mappings(db),
                           bounds=ratings.scale_bounds(db), form=form, errors=errors)
    return make_response(page, status)


@bp.post("/ratings")
def save_rating():
    form = request.form
    try:
        ratings.save_rating(get_db(), key=form.get("key", ""), label=form.get("label", ""),
                            rating_value=form.get("rating_value"), description=form.get("description", ""),
                            position=form.get("position", type=int), active=form.get("active", "1") == "1",
                            actor_id=g.user["id"])
    except ReviewError as error:
        return _ratings_page(form, error.fields or {"key": error.message}, error.status)
    return toast(redirect(url_for("admin.ratings_page"), code=303), f"Rating {form.get('label')} saved.")


@bp.post("/ratings/mappings")
def save_mapping():
    form = request.form
    if form.get("delete"):
        ratings.delete_mapping(get_db(), form.get("label", ""), actor_id=g.user["id"])
        return toast(redirect(url_for("admin.ratings_page"), code=303), "Mapping removed.")
    try:
        ratings.save_mapping(get_db(), form.get("label", ""), form.get("rating_key", ""), actor_id=g.user["id"])
    except ReviewError as error:
        return _ratings_page(form, error.fields or {"label": error.message}, error.status)
    return toast(redirect(url_for("admin.ratings_page"), code=303), "Mapping saved.")
