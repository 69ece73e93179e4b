"""The queue's source filter compares case-insensitively with lower(), which both databases index."""


def up(db):
    db.run_script("CREATE INDEX documents_source_lower ON documents(lower(source));")
