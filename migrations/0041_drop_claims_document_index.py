"""Drop ``claims_document``: ``claims_document_rank`` (document_id, article_rank) starts with the same column.

Every lookup of a document's claims (its claims after an ingest, re-extraction, removal, the queue's
count of an article's new claims, a document's deletion checking its claims) searches the longer
index just as well, and each stored claim no longer writes the same key into two indexes.
"""


def up(db):
    db.execute("DROP INDEX claims_document")
