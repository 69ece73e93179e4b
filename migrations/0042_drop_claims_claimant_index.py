"""Drop ``claims_claimant`` (claimant COLLATE NOCASE): no query compares claimants that way any more.

The queue's claimant filter matches through the full-text index (``claims_fts``), an exact claimant
(``claimant_is``, the desk overview's links) through ``claims_claimant_key`` (lower(trim(claimant))),
and a document's claimants for the search index are read through its appearances. Nothing compares
``claimant`` under NOCASE or with LIKE, the two uses this index had, so each stored claim stops
writing it.
"""


def up(db):
    db.execute("DROP INDEX claims_claimant")
