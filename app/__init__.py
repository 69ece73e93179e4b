"""The Flask web layer: the application factory."""

from flask import Flask

from app import config, db, errors, security
from app.views import (
    admin,
    admin_imports,
    api,
    auth,
    documents,
    evidence,
    public,
    queue,
    search,
    triage,
    verdicts,
    workspace,
)


def create_app(test_config: dict | None = None) -> Flask:
    """Create the workbench: defaults, then CLAIMDESK_* environment variables, then test_config."""
    app = Flask(__name__, instance_relative_config=False)
    config.load(app.config, test_config)
    db.init_app(app)
    security.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    for module in (auth, queue, workspace, triage, evidence, documents, search, verdicts, public, admin, admin_imports,
                   api):
        app.register_blueprint(module.bp)
    return app
