"""Retraction: a published fact-check can be withdrawn, by two people.

- ``claims.status`` and ``verdicts.status`` accept ``retracted``; the desk's figures count a
  retracted claim as closed (it left the desk) and a retracted verdict no longer as a rating.
- ``claims.retraction_*``: the pending request (who asked, when, why) and, once another editor
  approved it, who retracted the fact-check and when. The reason stays: the public notice shows it.

SQLite cannot change a CHECK constraint in place, so ``claims`` and ``verdicts`` are rebuilt (the
documented create-copy-drop-rename) with their indexes and triggers re-created; the claims
triggers that name the closed states name ``retracted`` too.
"""

import re

OLD_CLOSED = "('published', 'dismissed', 'merged')"
NEW_CLOSED = "('published', 'dismissed', 'merged', 'retracted')"
COLUMNS = """
ALTER TABLE claims ADD COLUMN retraction_reason TEXT;
ALTER TABLE claims ADD COLUMN retraction_requested_by INTEGER REFERENCES users(id);
ALTER TABLE claims ADD COLUMN retraction_requested_at TEXT;
ALTER TABLE claims ADD COLUMN retracted_by INTEGER REFERENCES users(id);
ALTER TABLE claims ADD COLUMN retracted_at TEXT;
INSERT INTO claim_counts (status, n) VALUES ('retracted', 0) ON CONFLICT (status) DO NOTHING;
"""


def rebuild(db, table: str, old: str, new: str, trigger_replacements: dict[str, str]) -> None:
    """Re-create ``table`` with ``old`` replaced by ``new`` in its definition, keeping rows, indexes and triggers."""
    table_sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone()[0]
    if old not in table_sql:
        raise RuntimeError(f"{table}: expected {old!r} in its definition")
    extras = db.execute("SELECT type, sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger')"
                        " AND sql IS NOT NULL ORDER BY type, name", [table]).fetchall()
    temporary = f"{table}_rebuilt"
    created = re.sub(r'^CREATE TABLE\s+"?\w+"?', f'CREATE TABLE "{temporary}"', table_sql.replace(old, new), count=1)
    db.execute(created)
    db.execute(f'INSERT INTO "{temporary}" SELECT * FROM "{table}"')
    db.execute(f'DROP TABLE "{table}"')
    # The rename must not rewrite (or check) other tables' triggers, which name the table as it was.
    db.execute("PRAGMA legacy_alter_table = ON")
    db.execute(f'ALTER TABLE "{temporary}" RENAME TO "{table}"')
    db.execute("PRAGMA legacy_alter_table = OFF")
    for kind, sql in extras:
        if kind == "trigger":
            for before, after in trigger_replacements.items():
                sql = sql.replace(before, after)
        db.execute(sql)


def up(db):
    from migrations import run_script

    rebuild(db, "claims", "'dismissed', 'merged')", "'dismissed', 'merged', 'retracted')", {OLD_CLOSED: NEW_CLOSED})
    rebuild(db, "verdicts", "'published', 'superseded')", "'published', 'superseded', 'retracted')", {})
    run_script(db, COLUMNS)
