"""The PostgreSQL side of the numbered migrations: one module per SQLite migration, same name.

Each ``NNNN_name.py`` here defines ``up(db)`` (``db`` is a PostgresStore inside the migration's
transaction) and brings a PostgreSQL database to the schema its SQLite twin gives. Types map
INTEGER to BIGINT, REAL to DOUBLE PRECISION, TEXT COLLATE NOCASE to CITEXT; FTS5 tables become
GIN indexes on tsvector expressions. tests/test_postgres_schema.py checks that both agree.
"""
