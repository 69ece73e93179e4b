"""PostgreSQL search's re-ranking features (``CLAIMDESK_SEARCH=postgres``): nothing changes in SQLite.

The PostgreSQL twin adds the ``features`` column of ``search_records``; an embedded desk searches
with Whoosh, whose claim tables keep the same features beside the index, so its schema stays as it
was. The step is recorded all the same, keeping both ledgers in step.
"""


def up(db):
    """Record the step; SQLite's schema is unchanged."""
