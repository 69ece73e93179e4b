"""The desk overview's figures, kept by the database as the claims and verdicts change.

The tables, the first fill and every trigger of the SQLite migration, each SQLite trigger body in
a PL/pgSQL function of the trigger's name. The statements (quarter-hour buckets, the upserts) are
the SQLite migration's own, which both databases read; only the hours between two timestamps
differ (julianday there, an epoch difference here).
"""

import importlib

twin = importlib.import_module("migrations.0018_desk_overview")
CLOSED, OPEN = twin.CLOSED, twin.OPEN
quarter, flow, claimant_tally, source_tally = twin.quarter, twin.flow, twin.claimant_tally, twin.source_tally
rating_tally, claimant_ratings, workload = twin.rating_tally, twin.claimant_ratings, twin.workload


def hours(later: str, earlier: str) -> str:
    """Return SQL for the hours between two stored ISO timestamps (NULL when either is)."""
    return f"(extract(epoch FROM ({later})::timestamptz - ({earlier})::timestamptz) / 3600)"


def timing() -> str:
    return ("INSERT INTO verdict_timings (claim_id, approved_at, extraction_hours, review_hours)"
            f" SELECT new.claim_id, new.approved_at, {hours('new.approved_at', 'c.created_at')},"
            f" {hours('new.approved_at', 'new.submitted_at')} FROM claims c WHERE c.id = new.claim_id"
            " ON CONFLICT (claim_id) DO UPDATE SET approved_at = excluded.approved_at,"
            " extraction_hours = excluded.extraction_hours, review_hours = excluded.review_hours;")


TABLES = f"""
CREATE TABLE desk_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
ALTER TABLE claims ADD COLUMN closed_at TEXT;
UPDATE claims SET closed_at = updated_at WHERE status IN {CLOSED};
CREATE INDEX claims_created ON claims(created_at);
CREATE INDEX claims_closed ON claims(closed_at);
CREATE INDEX claims_open_age ON claims(created_at) WHERE status IN ('new', 'queued', 'in_progress', 'in_review');
CREATE INDEX claims_assignee_age ON claims(assignee_id, created_at);
CREATE INDEX claims_claimant_key ON claims(lower(trim(claimant)));
CREATE INDEX verdicts_published_rating ON verdicts(status, rating_key, claim_id);

CREATE TABLE claim_flow (
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out', 'open')),
    bucket TEXT NOT NULL,
    n BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (direction, bucket)
);
CREATE INDEX claim_flow_sums ON claim_flow(direction, bucket, n);
INSERT INTO claim_flow (bucket, direction, n)
    SELECT {quarter('created_at')}, 'in', count(*) FROM claims GROUP BY 1;
INSERT INTO claim_flow (bucket, direction, n)
    SELECT {quarter('closed_at')}, 'out', count(*) FROM claims WHERE closed_at IS NOT NULL GROUP BY 1;
INSERT INTO claim_flow (bucket, direction, n)
    SELECT {quarter('created_at')}, 'open', count(*) FROM claims WHERE status IN {OPEN} GROUP BY 1;

CREATE TABLE verdict_timings (
    claim_id BIGINT PRIMARY KEY REFERENCES claims(id),
    approved_at TEXT NOT NULL,
    extraction_hours DOUBLE PRECISION NOT NULL,
    review_hours DOUBLE PRECISION
);
CREATE INDEX verdict_timings_approved ON verdict_timings(approved_at, extraction_hours, review_hours);
INSERT INTO verdict_timings (claim_id, approved_at, extraction_hours, review_hours)
    SELECT v.claim_id, v.approved_at, {hours('v.approved_at', 'c.created_at')}, {hours('v.approved_at', 'v.submitted_at')}
    FROM verdicts v JOIN claims c ON c.id = v.claim_id WHERE v.revision = 1 AND v.approved_at IS NOT NULL;

CREATE TABLE claim_tallies (
    dimension TEXT NOT NULL CHECK (dimension IN ('claimant', 'source')),
    key TEXT NOT NULL,
    label TEXT NOT NULL,
    claims BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (dimension, key)
);
CREATE INDEX claim_tallies_top ON claim_tallies(dimension, claims);
INSERT INTO claim_tallies (dimension, key, label, claims)
    SELECT 'claimant', lower(trim(claimant)), min(trim(claimant)), count(*) FROM claims
    WHERE trim(coalesce(claimant, '')) != '' GROUP BY lower(trim(claimant));
INSERT INTO claim_tallies (dimension, key, label, claims)
    SELECT 'source', lower(d.source), min(d.source), count(*) FROM claims c JOIN documents d ON d.id = c.document_id
    WHERE d.source != '' GROUP BY lower(d.source);

CREATE TABLE rating_tallies (
    dimension TEXT NOT NULL CHECK (dimension IN ('desk', 'claimant', 'source')),
    key TEXT NOT NULL,
    rating_key TEXT NOT NULL,
    n BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (dimension, key, rating_key)
);
CREATE INDEX rating_tallies_by_rating ON rating_tallies(dimension, rating_key, n);
INSERT INTO rating_tallies (dimension, key, rating_key, n)
    SELECT 'desk', '', rating_key, count(*) FROM verdicts WHERE status = 'published' AND rating_key IS NOT NULL
    GROUP BY rating_key;
INSERT INTO rating_tallies (dimension, key, rating_key, n)
    SELECT 'claimant', lower(trim(c.claimant)), v.rating_key, count(*) FROM verdicts v JOIN claims c ON c.id = v.claim_id
    WHERE v.status = 'published' AND v.rating_key IS NOT NULL AND trim(coalesce(c.claimant, '')) != ''
    GROUP BY lower(trim(c.claimant)), v.rating_key;
INSERT INTO rating_tallies (dimension, key, rating_key, n)
    SELECT 'source', lower(d.source), v.rating_key, count(*) FROM verdicts v JOIN claims c ON c.id = v.claim_id
    JOIN documents d ON d.id = c.document_id
    WHERE v.status = 'published' AND v.rating_key IS NOT NULL AND d.source != ''
    GROUP BY lower(d.source), v.rating_key;
INSERT INTO rating_tallies (dimension, key, rating_key, n)
    SELECT dimension, key, '*', sum(n) FROM rating_tallies GROUP BY dimension, key;

CREATE TABLE workload_counts (
    assignee_id BIGINT NOT NULL REFERENCES users(id),
    status TEXT NOT NULL,
    n BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (assignee_id, status)
);
INSERT INTO workload_counts (assignee_id, status, n)
    SELECT assignee_id, status, count(*) FROM claims WHERE assignee_id IS NOT NULL GROUP BY assignee_id, status;
"""

# name, event, condition (the SQLite trigger's WHEN), body: as in the SQLite migration.
TRIGGERS = [
    ("desk_claim_insert", "AFTER INSERT ON claims", None,
     [flow("in", "new.created_at", 1), flow("out", "new.closed_at", 1),
      flow("open", "new.created_at", 1, f"new.status IN {OPEN}"), claimant_tally("new", 1), source_tally("new", 1),
      workload("new", 1)]),
    ("desk_claim_inserted_closed", "AFTER INSERT ON claims", f"new.status IN {CLOSED} AND new.closed_at IS NULL",
     ["UPDATE claims SET closed_at = new.updated_at WHERE id = new.id;"]),
    ("desk_claim_delete", "AFTER DELETE ON claims", None,
     [flow("in", "old.created_at", -1), flow("out", "old.closed_at", -1),
      flow("open", "old.created_at", -1, f"old.status IN {OPEN}"), claimant_tally("old", -1),
      source_tally("old", -1), workload("old", -1)]),
    ("desk_claim_closed", "AFTER UPDATE OF status ON claims", f"(old.status IN {CLOSED}) != (new.status IN {CLOSED})",
     [f"UPDATE claims SET closed_at = CASE WHEN new.status IN {CLOSED} THEN new.updated_at END WHERE id = new.id;"]),
    ("desk_claim_open", "AFTER UPDATE OF status ON claims", f"(old.status IN {OPEN}) != (new.status IN {OPEN})",
     [flow("open", "new.created_at", -1, f"old.status IN {OPEN}"),
      flow("open", "new.created_at", 1, f"new.status IN {OPEN}")]),
    ("desk_claim_entered", "AFTER UPDATE OF created_at ON claims", "new.created_at != old.created_at",
     [flow("in", "old.created_at", -1), flow("in", "new.created_at", 1),
      flow("open", "old.created_at", -1, f"new.status IN {OPEN}"),
      flow("open", "new.created_at", 1, f"new.status IN {OPEN}"),
      f"UPDATE verdict_timings SET extraction_hours = {hours('approved_at', 'new.created_at')} WHERE claim_id = new.id;"]),
    ("desk_claim_left", "AFTER UPDATE OF closed_at ON claims",
     "coalesce(new.closed_at, '') != coalesce(old.closed_at, '')",
     [flow("out", "old.closed_at", -1), flow("out", "new.closed_at", 1)]),
    ("desk_claim_claimant", "AFTER UPDATE OF claimant ON claims",
     "lower(trim(coalesce(new.claimant, ''))) != lower(trim(coalesce(old.claimant, '')))",
     [claimant_tally("old", -1), claimant_tally("new", 1), claimant_ratings("old", -1), claimant_ratings("new", 1)]),
    ("desk_claim_workload", "AFTER UPDATE OF status, assignee_id ON claims",
     "new.status != old.status OR coalesce(new.assignee_id, 0) != coalesce(old.assignee_id, 0)",
     [workload("old", -1), workload("new", 1)]),
    ("desk_verdict_insert", "AFTER INSERT ON verdicts", "new.status = 'published'", [rating_tally("new", 1)]),
    ("desk_verdict_delete", "AFTER DELETE ON verdicts", "old.status = 'published'", [rating_tally("old", -1)]),
    ("desk_verdict_timing_insert", "AFTER INSERT ON verdicts", "new.revision = 1 AND new.approved_at IS NOT NULL",
     [timing()]),
    ("desk_verdict_timing", "AFTER UPDATE OF approved_at, submitted_at ON verdicts",
     "new.revision = 1 AND new.approved_at IS NOT NULL", [timing()]),
    ("desk_verdict_timing_delete", "AFTER DELETE ON verdicts", "old.revision = 1",
     ["DELETE FROM verdict_timings WHERE claim_id = old.claim_id;"]),
    ("desk_verdict_update", "AFTER UPDATE OF status, rating_key ON verdicts",
     "old.status = 'published' OR new.status = 'published'", [rating_tally("old", -1), rating_tally("new", 1)]),
]


def trigger(name: str, event: str, condition: str | None, body: list[str]) -> str:
    statements = "\n    ".join(body)
    when = f" WHEN ({condition})" if condition else ""
    return (f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$\nBEGIN\n    {statements}\n"
            f"    RETURN NULL;\nEND\n$body$;\n"
            f"CREATE TRIGGER {name} {event} FOR EACH ROW{when} EXECUTE FUNCTION {name}();\n")


def up(db):
    db.run_script(TABLES + "\n".join(trigger(*t) for t in TRIGGERS))
