"""Failed sign-ins counted per account and per address, shared by every worker (login throttling)."""

SCHEMA = """
CREATE TABLE login_failures (
    scope TEXT NOT NULL CHECK (scope IN ('account', 'address')),
    subject TEXT NOT NULL,
    failures BIGINT NOT NULL DEFAULT 0,
    window_start TEXT NOT NULL,
    locked_until TEXT,
    PRIMARY KEY (scope, subject)
);
"""


def up(db):
    db.run_script(SCHEMA)
