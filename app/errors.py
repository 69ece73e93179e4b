"""Turn domain errors and HTTP errors into pages, alerts for htmx, or the API's JSON envelope."""

from flask import Flask, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.htmx import is_htmx, toast
from review.errors import ReviewError


# The refusals htmx swaps in (base.html's responseHandling); others show only as a toast.
SWAPPED = (409, 422)


def render_error(message: str, status: int, fields: dict | None = None):
    """Answer a refusal in the shape the caller reads."""
    fields = fields or {}
    if request.path.startswith("/api/"):
        response = jsonify({"error": {"message": message, "fields": fields}})
        response.status_code = status
        return response
    if is_htmx():
        # Field reasons belong to a refused form (422); a conflict's message says it all.
        shown = fields if status == 422 else {}
        response = make_response(render_template("partials/_error.html", message=message, fields=shown), status)
        # Show the message above the page instead of in the region the request meant to replace.
        response.headers["HX-Retarget"] = "#alerts"
        response.headers["HX-Reswap"] = "innerHTML"
        if status in SWAPPED:  # the alert is the one message; a toast would repeat it
            return response
        return toast(response, message, "error")
    return render_template("errors/error.html", message=message, status=status, fields=fields), status


def init_app(app: Flask) -> None:
    @app.errorhandler(ReviewError)
    def handle_review_error(error: ReviewError):
        return render_error(error.message, error.status, error.fields)

    @app.errorhandler(CSRFError)
    def handle_csrf(error: CSRFError):
        return render_error(f"The form expired or was not sent from this site ({error.description}). "
                            "Reload the page and try again.", 400)

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):
        return render_error(error.description or error.name, error.code or 500)
