"""Index claims by assignee and by closing time only where they have one (the SQLite migration's notes)."""

import importlib

SCHEMA = importlib.import_module("migrations.0046_partial_claim_indexes").SCHEMA  # the same statements


def up(db):
    db.run_script(SCHEMA)
