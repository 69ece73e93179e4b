"""Blind second ratings from the workspace: an editor asks (or cancels), the second checker rates."""

from flask import Blueprint, g, request

from app.db import get_db
from app.views import panels
from review import second_rating

bp = Blueprint("second_rating", __name__, url_prefix="/claims")
# A request or a rating changes what the review screen offers, the next steps and the history.
CHANGED = ("review_panel", "actions_panel", "history_panel")


@bp.post("/<int:claim_id>/second-rating/request")
def ask(claim_id: int):
    row = second_rating.request(get_db(), claim_id, g.user, request.form.get("rater_id", type=int))
    return panels.swap(claim_id, f"Asked {row['rater']} for a blind second rating.", "second_rating_panel", *CHANGED)


@bp.post("/<int:claim_id>/second-rating/cancel")
def cancel(claim_id: int):
    second_rating.cancel(get_db(), claim_id, g.user)
    return panels.swap(claim_id, "Second rating request cancelled.", "second_rating_panel", *CHANGED)


@bp.post("/<int:claim_id>/second-rating")
def rate(claim_id: int):
    form = request.form
    row = second_rating.rate(get_db(), claim_id, g.user, form.get("rating_key"), form.get("reasoning"))
    message = "Second rating saved." + (" Both ratings are in." if row["compared_at"] else "")
    return panels.swap(claim_id, message, "second_rating_panel", *CHANGED, "verdict_panel")
