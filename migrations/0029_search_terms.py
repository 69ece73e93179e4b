"""PostgreSQL search's word counts (``CLAIMDESK_SEARCH=postgres``): nothing changes in SQLite.

The PostgreSQL twin adds ``search_terms``; an embedded desk searches with Whoosh, so its schema
stays as it was. The step is recorded all the same, keeping both ledgers in step.
"""


def up(db):
    """Record the step; SQLite's schema is unchanged."""
