"""What a command that starts fast needs: the settings without creating the app, and the app only when it runs.

``claimdesk match`` answers from the index alone, so it reads the ``CLAIMDESK_*`` settings through
``app.paths`` instead of creating the Flask app (Flask and the views take seconds to import on a busy machine).
"""

import functools
import os
from collections.abc import Mapping

import click

from app import paths
from review.storage import is_url


def settings(ctx: click.Context) -> Mapping:
    """Return the configuration: the app's when the caller supplied one (a test's app), else the settings.

    A desk whose database file does not exist yet gets the app after all: creating it makes the database and
    applies the migrations, as every command does on a fresh instance.

    :raises ReviewError: a search engine that cannot run on this database (``paths.resolve_search``).
    """
    info = ctx.find_root().obj
    if info is not None and hasattr(info, "load_app"):
        return info.load_app().config
    config = paths.from_environment()
    if is_url(config["DB"]) or os.path.exists(config["DB"]):
        return config
    from app import create_app

    return create_app().config


def with_app(command):
    """Run ``command`` inside the app's context (as ``flask.cli.with_appcontext``), importing Flask when it runs."""

    @click.pass_context
    def run(ctx, *args, **kwargs):
        from flask import current_app
        from flask.cli import ScriptInfo

        if not current_app:
            ctx.with_resource(ctx.ensure_object(ScriptInfo).load_app().app_context())
        return ctx.invoke(command, *args, **kwargs)

    return functools.update_wrapper(run, command)
