"""Claims stored in bulk are added to the full-text index once per batch (the SQLite migration's notes).

Nothing changes here: PostgreSQL's full-text index on claims is a GIN index on an expression
(``claims_search``, migration 0014), which the server keeps itself as rows arrive; there is no
trigger to stand aside, and the store's ``index_texts`` has nothing to add.
"""


def up(db):
    """Record the step: the schema is already what the SQLite migration makes of its own."""
