"""The desk overview's figures, kept by the database as the claims and verdicts change.

- ``desk_settings``: desk-wide settings a person changes in the browser (the desk's time zone).
- ``claims.closed_at``: when the claim last left the desk (published, dismissed or merged); a
  trigger sets it when the state changes and clears it when the claim is reopened or corrected.
- ``claim_flow``: claims entering (created) and leaving (closed_at) per quarter hour in UTC, and
  the open claims per quarter hour they entered in, so a day in any time zone is a range of
  buckets (every zone's offset is a multiple of 15 minutes).
- ``verdict_timings``: for each claim's first approved verdict, the hours from extraction (the
  claim's creation) and from submission to approval.
- ``claim_tallies``: claims per claimant and per source; ``rating_tallies``: published verdicts
  per rating for the whole desk, per claimant and per source.
- ``workload_counts``: claims per assignee and state.
Each is written by triggers in the same transaction as the change, and filled here from the data.
"""

CLOSED = "('published', 'dismissed', 'merged')"
OPEN = "('new', 'queued', 'in_progress', 'in_review')"


def quarter(column: str) -> str:
    """Return SQL for the UTC quarter-hour bucket ('YYYY-MM-DDTHH:MM') of a stored ISO timestamp."""
    minute = f"substr({column}, 15, 2)"
    return (f"(substr({column}, 1, 14) || CASE WHEN {minute} < '15' THEN '00' WHEN {minute} < '30' THEN '15'"
            f" WHEN {minute} < '45' THEN '30' ELSE '45' END)")


def flow(direction: str, column: str, delta: int, condition: str = "1 = 1") -> str:
    return (f"INSERT INTO claim_flow (bucket, direction, n) SELECT {quarter(column)}, '{direction}', {delta}"
            f" WHERE {column} IS NOT NULL AND {condition}"
            " ON CONFLICT (direction, bucket) DO UPDATE SET n = claim_flow.n + excluded.n;")


def claimant_tally(row: str, delta: int) -> str:
    key = f"lower(trim({row}.claimant))"
    return (f"INSERT INTO claim_tallies (dimension, key, label, claims) SELECT 'claimant', {key}, trim({row}.claimant),"
            f" {delta} WHERE trim(coalesce({row}.claimant, '')) != ''"
            " ON CONFLICT (dimension, key) DO UPDATE SET claims = claim_tallies.claims + excluded.claims;")


def source_tally(row: str, delta: int) -> str:
    return ("INSERT INTO claim_tallies (dimension, key, label, claims) SELECT 'source', lower(d.source), d.source,"
            f" {delta} FROM documents d WHERE d.id = {row}.document_id AND d.source != ''"
            " ON CONFLICT (dimension, key) DO UPDATE SET claims = claim_tallies.claims + excluded.claims;")


UPSERT_RATING = " ON CONFLICT (dimension, key, rating_key) DO UPDATE SET n = rating_tallies.n + excluded.n;"


def rating_tally(row: str, delta: int) -> str:
    """Count (or uncount) a published verdict for the desk, its claim's claimant and its source, under its
    rating and under '*' (all ratings)."""
    return rating_tally_as(row, delta, f"{row}.rating_key") + "\n" + rating_tally_as(row, delta, "'*'")


def rating_tally_as(row: str, delta: int, rating: str) -> str:
    published = f"{row}.status = 'published' AND {row}.rating_key IS NOT NULL"
    return "\n".join([
        f"INSERT INTO rating_tallies (dimension, key, rating_key, n) SELECT 'desk', '', {rating}, {delta}"
        f" WHERE {published}{UPSERT_RATING}",
        f"INSERT INTO rating_tallies (dimension, key, rating_key, n) SELECT 'claimant', lower(trim(c.claimant)),"
        f" {rating}, {delta} FROM claims c WHERE c.id = {row}.claim_id AND {published}"
        f" AND trim(coalesce(c.claimant, '')) != ''{UPSERT_RATING}",
        f"INSERT INTO rating_tallies (dimension, key, rating_key, n) SELECT 'source', lower(d.source),"
        f" {rating}, {delta} FROM claims c JOIN documents d ON d.id = c.document_id"
        f" WHERE c.id = {row}.claim_id AND {published} AND d.source != ''{UPSERT_RATING}",
    ])


def claimant_ratings(row: str, delta: int) -> str:
    """Move a claim's published rating (and its '*' count) with its claimant when the claimant changes."""
    return claimant_ratings_as(row, delta, "v.rating_key") + "\n" + claimant_ratings_as(row, delta, "'*'")


def claimant_ratings_as(row: str, delta: int, rating: str) -> str:
    return ("INSERT INTO rating_tallies (dimension, key, rating_key, n) SELECT 'claimant',"
            f" lower(trim({row}.claimant)), {rating}, {delta} FROM verdicts v WHERE v.claim_id = new.id"
            f" AND v.status = 'published' AND v.rating_key IS NOT NULL AND trim(coalesce({row}.claimant, '')) != ''"
            f"{UPSERT_RATING}")


def workload(row: str, delta: int) -> str:
    return (f"INSERT INTO workload_counts (assignee_id, status, n) SELECT {row}.assignee_id, {row}.status, {delta}"
            f" WHERE {row}.assignee_id IS NOT NULL"
            " ON CONFLICT (assignee_id, status) DO UPDATE SET n = workload_counts.n + excluded.n;")


def hours(later: str, earlier: str) -> str:
    """Return SQL for the hours between two stored ISO timestamps (NULL when either is)."""
    return f"(julianday({later}) - julianday({earlier})) * 24"


def timing() -> str:
    return ("INSERT INTO verdict_timings (claim_id, approved_at, extraction_hours, review_hours)"
            f" SELECT new.claim_id, new.approved_at, {hours('new.approved_at', 'c.created_at')},"
            f" {hours('new.approved_at', 'new.submitted_at')} FROM claims c WHERE c.id = new.claim_id"
            " ON CONFLICT (claim_id) DO UPDATE SET approved_at = excluded.approved_at,"
            " extraction_hours = excluded.extraction_hours, review_hours = excluded.review_hours;")


SCHEMA = f"""
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
    n INTEGER NOT NULL DEFAULT 0,
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
    claim_id INTEGER PRIMARY KEY REFERENCES claims(id),
    approved_at TEXT NOT NULL,
    extraction_hours REAL NOT NULL,
    review_hours REAL
);
CREATE INDEX verdict_timings_approved ON verdict_timings(approved_at, extraction_hours, review_hours);
INSERT INTO verdict_timings (claim_id, approved_at, extraction_hours, review_hours)
    SELECT v.claim_id, v.approved_at, {hours('v.approved_at', 'c.created_at')}, {hours('v.approved_at', 'v.submitted_at')}
    FROM verdicts v JOIN claims c ON c.id = v.claim_id WHERE v.revision = 1 AND v.approved_at IS NOT NULL;

CREATE TABLE claim_tallies (
    dimension TEXT NOT NULL CHECK (dimension IN ('claimant', 'source')),
    key TEXT NOT NULL,
    label TEXT NOT NULL,
    claims INTEGER NOT NULL DEFAULT 0,
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
    n INTEGER NOT NULL DEFAULT 0,
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
    assignee_id INTEGER NOT NULL REFERENCES users(id),
    status TEXT NOT NULL,
    n INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (assignee_id, status)
);
INSERT INTO workload_counts (assignee_id, status, n)
    SELECT assignee_id, status, count(*) FROM claims WHERE assignee_id IS NOT NULL GROUP BY assignee_id, status;

CREATE TRIGGER desk_claim_insert AFTER INSERT ON claims BEGIN
    {flow('in', 'new.created_at', 1)}
    {flow('out', 'new.closed_at', 1)}
    {flow('open', 'new.created_at', 1, f"new.status IN {OPEN}")}
    {claimant_tally('new', 1)}
    {source_tally('new', 1)}
    {workload('new', 1)}
END;
CREATE TRIGGER desk_claim_inserted_closed AFTER INSERT ON claims
    WHEN new.status IN {CLOSED} AND new.closed_at IS NULL BEGIN
    UPDATE claims SET closed_at = new.updated_at WHERE id = new.id;
END;
CREATE TRIGGER desk_claim_delete AFTER DELETE ON claims BEGIN
    {flow('in', 'old.created_at', -1)}
    {flow('out', 'old.closed_at', -1)}
    {flow('open', 'old.created_at', -1, f"old.status IN {OPEN}")}
    {claimant_tally('old', -1)}
    {source_tally('old', -1)}
    {workload('old', -1)}
END;
CREATE TRIGGER desk_claim_closed AFTER UPDATE OF status ON claims
    WHEN (old.status IN {CLOSED}) != (new.status IN {CLOSED}) BEGIN
    UPDATE claims SET closed_at = CASE WHEN new.status IN {CLOSED} THEN new.updated_at END WHERE id = new.id;
END;
CREATE TRIGGER desk_claim_open AFTER UPDATE OF status ON claims
    WHEN (old.status IN {OPEN}) != (new.status IN {OPEN}) BEGIN
    {flow('open', 'new.created_at', -1, f"old.status IN {OPEN}")}
    {flow('open', 'new.created_at', 1, f"new.status IN {OPEN}")}
END;
CREATE TRIGGER desk_claim_entered AFTER UPDATE OF created_at ON claims WHEN new.created_at != old.created_at BEGIN
    {flow('in', 'old.created_at', -1)}
    {flow('in', 'new.created_at', 1)}
    {flow('open', 'old.created_at', -1, f"new.status IN {OPEN}")}
    {flow('open', 'new.created_at', 1, f"new.status IN {OPEN}")}
    UPDATE verdict_timings SET extraction_hours = {hours('approved_at', 'new.created_at')} WHERE claim_id = new.id;
END;
CREATE TRIGGER desk_claim_left AFTER UPDATE OF closed_at ON claims
    WHEN coalesce(new.closed_at, '') != coalesce(old.closed_at, '') BEGIN
    {flow('out', 'old.closed_at', -1)}
    {flow('out', 'new.closed_at', 1)}
END;
CREATE TRIGGER desk_claim_claimant AFTER UPDATE OF claimant ON claims
    WHEN lower(trim(coalesce(new.claimant, ''))) != lower(trim(coalesce(old.claimant, ''))) BEGIN
    {claimant_tally('old', -1)}
    {claimant_tally('new', 1)}
    {claimant_ratings('old', -1)}
    {claimant_ratings('new', 1)}
END;
CREATE TRIGGER desk_claim_workload AFTER UPDATE OF status, assignee_id ON claims
    WHEN new.status != old.status OR coalesce(new.assignee_id, 0) != coalesce(old.assignee_id, 0) BEGIN
    {workload('old', -1)}
    {workload('new', 1)}
END;
CREATE TRIGGER desk_verdict_insert AFTER INSERT ON verdicts WHEN new.status = 'published' BEGIN
    {rating_tally('new', 1)}
END;
CREATE TRIGGER desk_verdict_delete AFTER DELETE ON verdicts WHEN old.status = 'published' BEGIN
    {rating_tally('old', -1)}
END;
CREATE TRIGGER desk_verdict_timing_insert AFTER INSERT ON verdicts
    WHEN new.revision = 1 AND new.approved_at IS NOT NULL BEGIN
    {timing()}
END;
CREATE TRIGGER desk_verdict_timing AFTER UPDATE OF approved_at, submitted_at ON verdicts
    WHEN new.revision = 1 AND new.approved_at IS NOT NULL BEGIN
    {timing()}
END;
CREATE TRIGGER desk_verdict_timing_delete AFTER DELETE ON verdicts WHEN old.revision = 1 BEGIN
    DELETE FROM verdict_timings WHERE claim_id = old.claim_id;
END;
CREATE TRIGGER desk_verdict_update AFTER UPDATE OF status, rating_key ON verdicts
    WHEN old.status = 'published' OR new.status = 'published' BEGIN
    {rating_tally('old', -1)}
    {rating_tally('new', 1)}
END;
"""


def up(db):
    from migrations import run_script

    run_script(db, SCHEMA)
