"""Drop ``claims_claimant`` (lower(claimant)): nothing compares claimants that way (the SQLite migration's notes).

An exact claimant is compared as lower(trim(claimant)), which ``claims_claimant_key`` serves, and the
claimant filter matches through the full-text index ``claims_search``.
"""


def up(db):
    db.run_script("DROP INDEX claims_claimant;")
