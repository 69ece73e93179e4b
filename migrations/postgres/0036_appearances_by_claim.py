"""The claim page reads a claim's appearances by ``claim_id``: index it (as the SQLite step does)."""


def up(db):
    db.run_script("CREATE INDEX claim_appearances_claim ON claim_appearances(claim_id);")
