"""Retraction: a published fact-check can be withdrawn, by two people (see the SQLite migration).

PostgreSQL changes the two CHECK constraints in place and re-creates the two claims triggers that
name the closed states.
"""

import importlib

desk = importlib.import_module("migrations.postgres.0018_desk_overview")
sqlite_twin = importlib.import_module("migrations.0020_retraction")
CLOSED = sqlite_twin.NEW_CLOSED

SCHEMA = """
ALTER TABLE claims DROP CONSTRAINT claims_status_check;
ALTER TABLE claims ADD CONSTRAINT claims_status_check CHECK (status IN
    ('new', 'queued', 'in_progress', 'in_review', 'published', 'dismissed', 'merged', 'retracted'));
ALTER TABLE verdicts DROP CONSTRAINT verdicts_status_check;
ALTER TABLE verdicts ADD CONSTRAINT verdicts_status_check CHECK (status IN
    ('draft', 'in_review', 'published', 'superseded', 'retracted'));
ALTER TABLE claims ADD COLUMN retraction_reason TEXT;
ALTER TABLE claims ADD COLUMN retraction_requested_by BIGINT REFERENCES users(id);
ALTER TABLE claims ADD COLUMN retraction_requested_at TEXT;
ALTER TABLE claims ADD COLUMN retracted_by BIGINT REFERENCES users(id);
ALTER TABLE claims ADD COLUMN retracted_at TEXT;
INSERT INTO claim_counts (status, n) VALUES ('retracted', 0) ON CONFLICT (status) DO NOTHING;
DROP TRIGGER desk_claim_inserted_closed ON claims;
DROP FUNCTION desk_claim_inserted_closed();
DROP TRIGGER desk_claim_closed ON claims;
DROP FUNCTION desk_claim_closed();
"""

TRIGGERS = [
    ("desk_claim_inserted_closed", "AFTER INSERT ON claims", f"new.status IN {CLOSED} AND new.closed_at IS NULL",
     ["UPDATE claims SET closed_at = new.updated_at WHERE id = new.id;"]),
    ("desk_claim_closed", "AFTER UPDATE OF status ON claims", f"(old.status IN {CLOSED}) != (new.status IN {CLOSED})",
     [f"UPDATE claims SET closed_at = CASE WHEN new.status IN {CLOSED} THEN new.updated_at END WHERE id = new.id;"]),
]


def up(db):
    db.run_script(SCHEMA + "\n".join(desk.trigger(*t) for t in TRIGGERS))
