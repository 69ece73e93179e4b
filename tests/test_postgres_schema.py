"""The PostgreSQL migrations keep step with SQLite's: same names, same tables, same columns.

Runs against the tests' throwaway PostgreSQL cluster (tests/pg_cluster.py) on either backend's
run; without PostgreSQL and psycopg installed these tests skip (``make test`` needs no server).
"""

import importlib.util

import pytest

import migrations
from review.storage import open_store
from tests.pg_cluster import binaries

pytestmark = pytest.mark.skipif(binaries() is None or importlib.util.find_spec("psycopg") is None,
                                reason="PostgreSQL or psycopg is not installed (make test-postgres installs psycopg)")

# SQLite's declared types and PostgreSQL's, as each migration pair writes them.
TYPES = {"INTEGER": "bigint", "TEXT": "text", "REAL": "double precision", "BLOB": "bytea"}
# Tables one side has for its own machinery: the migration ledgers, SQLite's FTS5 tables, and the table
# PostgreSQL search keeps (migrations 0028-0029; an embedded desk searches with Whoosh instead).
SQLITE_OWN = ("_sqlite_migrations", "sqlite_", "claims_fts")
POSTGRES_OWN = ("claimdesk_migrations", "search_records", "search_terms")
# Indexes that differ by design: PostgreSQL's full-text GIN index stands for SQLite's FTS5 table.
POSTGRES_OWN_INDEXES = {"claims_search", "search_records_terms", "search_records_day", "search_records_source",
                        "search_records_unfeatured"}


def sqlite_schema(db) -> dict:
    tables = [r["name"] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
              if not r["name"].startswith(SQLITE_OWN)]
    schema = {}
    for table in tables:
        columns = db.query(f"SELECT name, type, \"notnull\", pk FROM pragma_table_info('{table}') ORDER BY cid")
        collated = db.scalar("SELECT sql FROM sqlite_master WHERE name = ?", [table]).upper()
        schema[table] = [
            (c["name"], "citext" if _nocase(collated, c["name"]) else TYPES[c["type"].upper()],
             bool(c["notnull"]) or c["pk"] > 0, c["pk"] > 0)
            for c in columns
        ]
    return schema


def _nocase(table_sql: str, column: str) -> bool:
    for line in table_sql.splitlines():
        if line.strip().startswith(column.upper() + " ") and "COLLATE NOCASE" in line:
            return True
    return False


def postgres_schema(db) -> dict:
    rows = db.query(
        "SELECT c.table_name, c.column_name, c.ordinal_position, c.is_nullable, c.data_type, c.udt_name,"
        " EXISTS (SELECT 1 FROM information_schema.table_constraints t"
        "         JOIN information_schema.key_column_usage k ON k.constraint_name = t.constraint_name"
        "          AND k.table_name = t.table_name"
        "         WHERE t.table_name = c.table_name AND t.constraint_type = 'PRIMARY KEY'"
        "           AND k.column_name = c.column_name) AS pk"
        " FROM information_schema.columns c WHERE c.table_schema = 'public'"
        " ORDER BY c.table_name, c.ordinal_position")
    schema: dict = {}
    for r in rows:
        if r["table_name"] in POSTGRES_OWN:
            continue
        kind = r["udt_name"] if r["data_type"] == "USER-DEFINED" else r["data_type"]
        schema.setdefault(r["table_name"], []).append((r["column_name"], kind, r["is_nullable"] == "NO", r["pk"]))
    return schema


def sqlite_indexes(db) -> set:
    return {r["name"] for r in db.query("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
            if not r["tbl_name"].startswith(SQLITE_OWN)}


def postgres_indexes(db) -> set:
    constraints = {r["conname"] for r in db.query("SELECT conname FROM pg_constraint")}
    return {r["indexname"] for r in db.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")
            if r["indexname"] not in constraints and r["indexname"] != "claimdesk_migrations_pkey"}


def postgres_dump(db) -> dict:
    """Everything a migration can leave behind: columns, defaults, constraints, indexes, triggers, functions."""
    return {
        "columns": db.query("SELECT table_name, column_name, ordinal_position, column_default, is_nullable, data_type"
                            " FROM information_schema.columns WHERE table_schema = 'public'"
                            " AND table_name != 'claimdesk_migrations' ORDER BY 1, 3"),
        "constraints": db.query("SELECT conrelid::regclass::text AS tab, conname, pg_get_constraintdef(oid) AS def"
                                " FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2"),
        "indexes": db.query("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"),
        "triggers": db.query("SELECT tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE NOT tgisinternal"
                             " ORDER BY 1"),
        "functions": db.query("SELECT proname, prosrc FROM pg_proc WHERE pronamespace = 'public'::regnamespace"
                              " ORDER BY 1"),
    }


@pytest.fixture
def postgres_db():
    from tests.conftest import fresh_database_url

    store = open_store(fresh_database_url(migrated=False))
    yield store
    store.close()


def test_postgres_migrations_are_numbered_in_step_with_sqlite():
    assert migrations.names("postgres") == migrations.names("sqlite")


def test_both_schemas_agree_table_by_table_and_column_by_column(tmp_path, postgres_db):
    sqlite_db = open_store(tmp_path / "schema.db")
    migrations.apply(sqlite_db)
    migrations.apply(postgres_db)
    sqlite_side, postgres_side = sqlite_schema(sqlite_db), postgres_schema(postgres_db)
    assert sorted(postgres_side) == sorted(sqlite_side)
    for table, columns in sqlite_side.items():
        assert postgres_side[table] == columns, table
    assert postgres_indexes(postgres_db) - POSTGRES_OWN_INDEXES == sqlite_indexes(sqlite_db)


def test_a_database_upgraded_step_by_step_equals_a_fresh_one(postgres_db):
    from tests.conftest import fresh_database_url

    for name in migrations.names("postgres"):
        assert migrations.apply(postgres_db, upto=name) == [name]
    fresh = open_store(fresh_database_url(migrated=False))
    assert migrations.apply(fresh) == migrations.names("postgres")
    assert postgres_dump(postgres_db) == postgres_dump(fresh)
    assert migrations.pending(postgres_db) == [] and migrations.apply(postgres_db) == []
    fresh.close()


def test_sqlite_upgraded_step_by_step_equals_a_fresh_one(tmp_path):
    stepped, fresh = open_store(tmp_path / "stepped.db"), open_store(tmp_path / "fresh.db")
    for name in migrations.names("sqlite"):
        assert migrations.apply(stepped, upto=name) == [name]
    migrations.apply(fresh)
    dump = "SELECT type, name, sql FROM sqlite_master WHERE name != '_sqlite_migrations' ORDER BY name"
    assert stepped.query(dump) == fresh.query(dump)


# -- the commands and the server in PostgreSQL mode ---------------------------------------------------
@pytest.fixture
def postgres_app(tmp_path, monkeypatch):
    """An app configured only through CLAIMDESK_DATABASE_URL, with a password in it (trust ignores it)."""
    from tests.conftest import fresh_database_url, make_app

    url = fresh_database_url().replace("postgresql://claimdesk@", "postgresql://claimdesk:hunter2@")
    monkeypatch.setenv("CLAIMDESK_DATABASE_URL", url)
    return make_app(tmp_path, DB=str(tmp_path / "unused.db"))


def test_database_url_puts_the_app_on_postgresql_and_never_shows_the_password(postgres_app, tmp_path):
    from tests.conftest import ClaimdeskRunner

    assert postgres_app.config["DB"].startswith("postgresql://") and not (tmp_path / "unused.db").exists()
    ready = postgres_app.test_client().get("/readyz")
    assert ready.json["checks"]["database"]["ok"] and ready.json["checks"]["migrations"]["detail"] == "current"
    assert "hunter2" not in ready.get_data(as_text=True) and ":***@" in ready.get_data(as_text=True)
    runner = ClaimdeskRunner(postgres_app)
    created = runner.invoke(args=["user", "add", "maria", "--role", "admin", "--password-stdin"],
                            input="correct horse battery\n")
    assert created.exit_code == 0, created.output
    store = open_store(postgres_app.config["DB"])
    assert store.dialect == "postgres" and store.scalar("SELECT role FROM users WHERE username = 'MARIA'") == "admin"
    store.close()
    checked = runner.invoke(args=["db", "check"])
    assert "database: postgresql://claimdesk:***@" in checked.output and "hunter2" not in checked.output


def test_backup_on_postgresql_points_to_pg_dump(postgres_app, tmp_path):
    from tests.conftest import ClaimdeskRunner

    result = ClaimdeskRunner(postgres_app).invoke(args=["backup", str(tmp_path / "copy.db")])
    assert result.exit_code == 1 and "pg_dump" in result.output and not (tmp_path / "copy.db").exists()


def test_db_check_reports_an_invalid_index(postgres_app):
    from tests.conftest import ClaimdeskRunner

    store = open_store(postgres_app.config["DB"])
    # The throwaway cluster's user is its superuser: mark an index invalid, as a failed concurrent build leaves it.
    store.execute("UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'claims_queue'::regclass")
    assert store.integrity_problems() == ["index claims_queue is invalid (REINDEX it)"]
    store.close()
    checked = ClaimdeskRunner(postgres_app).invoke(args=["db", "check"])
    assert checked.exit_code == 1 and "index claims_queue is invalid" in checked.output
