"""Drop verdicts.slug: nothing ever wrote it (public paths come from the claim id and its wording)."""


def up(db):
    db["verdicts"].transform(drop={"slug"})
