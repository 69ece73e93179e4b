"""Security headers, CSP, CSRF and cache rules for every response."""

from flask import Flask, current_app, request
from flask_wtf.csrf import CSRFProtect

from app.htmx import is_htmx, toast

csrf = CSRFProtect()

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    app.after_request(add_headers)


def add_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config["HTTPS"]:
        headers.setdefault("Strict-Transport-Security", f"max-age={int(current_app.config['HSTS_SECONDS'])}")
    response.vary.add("HX-Request")
    public = request.endpoint in ("static",) or (request.blueprint == "public")
    if not public:
        headers["Cache-Control"] = "no-store"
    # htmx swaps nothing on most 4xx, so say something; a 409 or 422 swaps in its own message (one message per refusal).
    if is_htmx() and 400 <= response.status_code < 500 and response.status_code not in (409, 422) \
            and "HX-Trigger" not in headers:
        toast(response, f"Request refused ({response.status})", "error")
    return response
