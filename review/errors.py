"""Errors the domain raises; the web layer maps each to one HTTP status."""


class ReviewError(Exception):
    """Base class: a user-readable message plus optional per-field messages."""

    status = 400

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class Unauthorized(ReviewError):
    status = 401


class Forbidden(ReviewError):
    status = 403


class NotFound(ReviewError):
    status = 404


class Conflict(ReviewError):
    status = 409


class ValidationError(ReviewError):
    """Input that cannot be accepted; ``fields`` names each bad field and why."""

    status = 422

    def __init__(self, fields: dict[str, str], message: str | None = None):
        super().__init__(message or "; ".join(f"{k}: {v}" for k, v in fields.items()), fields)
