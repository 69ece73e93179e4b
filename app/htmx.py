"""Small helpers for htmx requests and responses: one place decides fragment or page."""

import json

from flask import Response, flash, request


def is_htmx() -> bool:
    """Tell whether htmx sent this request, boosted or not: the current page stays and htmx swaps the answer.

    Use it to decide how to report a refusal (an alert above the page), never to pick fragment or page;
    :func:`wants_fragment` does that.
    """
    return request.headers.get("HX-Request") == "true"


def wants_fragment(target: str | None = None) -> bool:
    """Tell whether this is an htmx request for a fragment (not boosted, not a history restore).

    When one URL serves several regions, give the id of the region (``HX-Target``) this answer fills.
    """
    headers = request.headers
    if not is_htmx():
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
    """Show a toast when the response arrives; a redirect carries it to the next full page as a flash.

    htmx follows a redirect without showing its headers, and a browser without htmx ignores them,
    so a message on a redirect travels in the session and base.html shows it in the toast area.
    """
    if response.status_code in (301, 302, 303, 307, 308):
        flash(message, level)
        return response
    return trigger(response, "toast", {"level": level, "message": message})
