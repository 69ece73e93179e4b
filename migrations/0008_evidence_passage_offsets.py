"""Evidence from a corpus document keeps where its excerpt lies in the document's text.

``excerpt_start``/``excerpt_end`` are character offsets into ``documents.body``: the excerpt is
exactly ``body[excerpt_start:excerpt_end]``, so the reader can highlight the passage. Both stay
NULL for evidence from a URL and for excerpts stored before offsets were kept.
"""

SCHEMA = """
ALTER TABLE evidence ADD COLUMN excerpt_start INTEGER;
ALTER TABLE evidence ADD COLUMN excerpt_end INTEGER;
"""


def up(db):
    from migrations import run_script

    run_script(db, SCHEMA)
