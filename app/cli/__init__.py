"""The `claimdesk` command: one group that gathers the commands defined in app/cli/<area>.py.

Commands are imported when they run, and the app is created only for the commands that need it:
``claimdesk match`` reads the settings and the index without Flask, so its first answer comes fast.
"""

import importlib

import click

from review.errors import ReviewError

# Every command as "module:attribute" under app.cli.
COMMANDS = ("serve:serve", "database:db", "users:user", "database:backup", "demo:demo", "ingest:ingest",
            "extract:extract_text", "extract:extract", "claimreview:import_claimreview", "export:export_command",
            "match:match", "match:reindex", "database:restore", "status:status", "removal:purge",
            "removal:erase_name", "worker:worker", "migrate:migrate_to_postgres")
# Commands that run without the app (they read CLAIMDESK_* through app.paths): name -> "module:attribute".
WITHOUT_APP = {"match": "match:match"}


def _load(spec: str) -> click.Command:
    module, _, attribute = spec.partition(":")
    return getattr(importlib.import_module(f"app.cli.{module}"), attribute)


def _create_app():
    from app import create_app

    return create_app()


class ClaimdeskGroup(click.Group):
    """Flask's CLI context (a ScriptInfo that creates the app) for the commands that need it, and only them.

    A domain error from any command becomes one clean line and exit status 1.
    """

    @property
    def commands(self) -> dict[str, click.Command]:
        """Every command by name (this imports every command module: for help and for listing them)."""
        found = {}
        for spec in COMMANDS:
            command = _load(spec)
            found[command.name] = command
        return found

    @commands.setter
    def commands(self, value) -> None:
        if value:  # click.Group sets an empty dict; the commands themselves are listed in COMMANDS
            raise ValueError("list a claimdesk command in app.cli.COMMANDS")

    def get_command(self, ctx, name):
        if name in WITHOUT_APP:
            return _load(WITHOUT_APP[name])
        return self.commands.get(name)

    def resolve_command(self, ctx, args):
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None and name not in WITHOUT_APP and ctx.obj is None:
            from flask.cli import ScriptInfo

            ctx.obj = ScriptInfo(create_app=_create_app, set_debug_flag=False, load_dotenv_defaults=False)
        return name, command, rest

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ReviewError as error:
            raise click.ClickException(error.message) from None


main = ClaimdeskGroup(help="Claimdesk, the fact-checking review workbench. "
                           "Settings come from CLAIMDESK_* environment variables (CLAIMDESK_INSTANCE, CLAIMDESK_DB, ...).")
