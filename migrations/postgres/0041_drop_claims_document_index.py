"""Drop ``claims_document``, which ``claims_document_rank`` makes redundant (the SQLite migration's notes)."""


def up(db):
    db.run_script("DROP INDEX claims_document;")
