"""The queue's source filter compares case-insensitively with lower(), which both databases index."""

SCHEMA = """
CREATE INDEX documents_source_lower ON documents(lower(source));
"""


def up(db):
    from migrations import run_script

    run_script(db, SCHEMA)
