"""Drop verdicts.slug: nothing ever wrote it (public paths come from the claim id and its wording)."""


def up(db):
    db.run_script("ALTER TABLE verdicts DROP COLUMN slug;")
