"""The `claimdesk` command: one group that gathers the commands defined in app/cli/<area>.py."""

import click
from flask.cli import FlaskGroup

from app import create_app
from app.cli import claimreview, database, demo, export, extract, ingest, match, migrate, removal, serve, status, users, worker
from review.errors import ReviewError


class ClaimdeskGroup(FlaskGroup):
    """Flask's CLI machinery, without Flask's own development commands.

    A domain error from any command becomes one clean line and exit status 1.
    """

    def __init__(self, **kwargs):
        super().__init__(create_app=create_app, add_default_commands=False, add_version_option=False,
                         load_dotenv=False, set_debug_flag=False, **kwargs)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ReviewError as error:
            raise click.ClickException(error.message) from None


main = ClaimdeskGroup(help="Claimdesk, the fact-checking review workbench. "
                           "Settings come from CLAIMDESK_* environment variables (CLAIMDESK_INSTANCE, CLAIMDESK_DB, ...).")

for command in (serve.serve, database.db, users.user, database.backup, demo.demo, ingest.ingest,
                extract.extract_text, extract.extract, claimreview.import_claimreview, export.export_command,
                match.match, match.reindex, database.restore, status.status, removal.purge, removal.erase_name, worker.worker,
                migrate.migrate_to_postgres):
    main.add_command(command)
