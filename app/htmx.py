"""Small helpers for htmx requests and responses."""

import json

from flask import Response, request


def wants_fragment(target: str | None = None) -> bool:
    """Tell whether this is an htmx request for a fragment (not boosted, not a history restore)."""
    headers = request.headers
    if headers.get("HX-Request") != "true":
        return False
    if headers.get("HX-Boosted") == "true" or headers.get("HX-History-Restore-Request") == "true":
        return False
    return target is None or headers.get("HX-Target") == target


def trigger(response: Response, event: str, detail) -> Response:
    """Add an event to the response's HX-Trigger header, keeping any already there."""
    existing = response.headers.get("HX-Trigger")
    events = json.loads(existing) if existing and existing.startswith("{") else {}
    events[event] = detail
    response.headers["HX-Trigger"] = json.dumps(events)
    return response


def toast(response: Response, message: str, level: str = "info") -> Response:
    """Show a toast in the browser when the response arrives."""
    return trigger(response, "toast", {"level": level, "message": message})
