"""The Flask web layer: the application factory.

Importing the package costs nothing: the factory imports Flask, the views and what they need when it runs, so a
command that needs no app (``claimdesk match``) answers without loading them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """Create the workbench: defaults, then CLAIMDESK_* environment variables, then test_config."""
    from flask import Flask
    from werkzeug.middleware.proxy_fix import ProxyFix

    from app import config, db, errors, html, security
    from app.views import (
        admin,
        admin_imports,
        admin_removal,
        api,
        auth,
        budgets,
        dashboard,
        documents,
        evidence,
        preferences,
        health,
        public,
        queue,
        search,
        second_rating,
        triage,
        verdicts,
        workspace,
    )

    app = Flask(__name__, instance_relative_config=False)
    config.load(app.config, test_config)
    if app.config["TRUSTED_PROXIES"]:  # the client's address and scheme come from the proxies' headers
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    db.init_app(app)
    health.init_app(app)  # first: it times and logs every request, the refused ones included
    security.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    html.init_app(app)
    for module in (auth, queue, budgets, dashboard, preferences, workspace, triage, evidence, documents, search, verdicts, public, admin, admin_imports,
                   admin_removal, api, health, second_rating):
        app.register_blueprint(module.bp)
    app.register_blueprint(dashboard.reports)
    return app
