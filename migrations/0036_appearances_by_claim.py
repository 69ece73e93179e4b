"""The claim page reads a claim's appearances by ``claim_id``: index it.

The only index starting with ``claim_id`` (``claim_appearances_doc``) is partial (rows with a document),
so "this claim's appearances, and those of claims merged into it" and "its prior links" scanned every
appearance of the desk on each claim page and each workspace answer.
"""

SCHEMA = """
CREATE INDEX claim_appearances_claim ON claim_appearances(claim_id);
"""


def up(db):
    from migrations import run_script

    run_script(db, SCHEMA)
