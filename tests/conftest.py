"""Shared fixtures: a real SQLite file, a real Whoosh index and the real app, all on tmp_path."""

import functools
import os
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner
from werkzeug.security import generate_password_hash

from app import create_app
from app.cli import main
from review import users
from review.dates import now
from review.storage import open_store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PASSWORD = "correct horse battery"
# Signing in verifies the stored hash; scrypt takes about half a second by design. Tests hash with one
# round of PBKDF2 instead; tests/web/test_auth.py keeps one sign-in with the real method.
CHEAP_HASH = "pbkdf2:sha256:1"
# CLAIMDESK_TEST_DATABASE=postgres (`make test-postgres`) runs the suite on PostgreSQL: a throwaway
# cluster (tests/pg_cluster.py) and a fresh database per test, copied from a migrated template.
BACKEND = os.environ.get("CLAIMDESK_TEST_DATABASE", "sqlite")
# The suite runs the default models whether or not the semantic extra is installed (`make test` installs it);
# the extra's own tests (tests/review/semantic/) switch it on where they need it.
os.environ["CLAIMDESK_SEMANTIC"] = "off"
# The tests that cannot run on PostgreSQL, by name, with the reason; the PostgreSQL run skips them.
SQLITE_ONLY = {
    "tests/search_index/test_words.py::test_the_migration_rebuilds_an_fts_table_made_with_another_tokenizer":
        "the FTS5 table is SQLite's; PostgreSQL's twin rebuilds its GIN index (the test before it)",
    "tests/web/test_cli.py::test_backup_writes_a_readable_copy":
        "`claimdesk backup` copies a SQLite file; on PostgreSQL it points to pg_dump (tested in test_postgres_schema)",
    "tests/web/test_restore.py::test_backup_is_private_and_carries_the_secret_key": "a SQLite backup file",
    "tests/web/test_restore.py::test_restore_into_a_fresh_instance_rebuilds_the_index":
        "`claimdesk restore` reads SQLite backups; PostgreSQL restores with pg_restore",
    "tests/web/test_restore.py::test_restore_refuses_to_replace_a_live_instance_without_force":
        "`claimdesk restore` reads SQLite backups",
    "tests/web/test_restore.py::test_restore_checks_the_file_first": "`claimdesk restore` reads SQLite backups",
    "tests/web/test_faults.py::test_a_full_disk_stops_ingest_with_one_line_and_keeps_what_was_committed":
        "fills the disk by capping the SQLite file's size; a PostgreSQL server's disk is the server's",
    "tests/web/test_faults.py::test_every_folder_and_file_that_refuses_writes_is_named":
        "makes the SQLite file immutable (chattr +i); PostgreSQL has no database file of the app's",
}


def pytest_addoption(parser):
    parser.addoption("--no-browser", action="store_true", help="Skip the Playwright browser tests.")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--no-browser"):
        skip = pytest.mark.skip(reason="--no-browser given")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)
    if BACKEND == "postgres":
        for item in items:
            reason = SQLITE_ONLY.get(item.nodeid.split("[")[0])
            if reason:
                item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


def pytest_unconfigure(config):
    if _postgres.cache_info().currsize:
        databases, cluster = _postgres()
        databases.close()
        if cluster is not None:
            cluster.stop()


@functools.lru_cache(maxsize=None)
def _postgres():
    """Start the throwaway cluster (or use CLAIMDESK_TEST_DATABASE_URL) and migrate the template once."""
    from tests.pg_cluster import Cluster, Databases

    server = os.environ.get("CLAIMDESK_TEST_DATABASE_URL")
    cluster = None if server else Cluster()
    try:
        return Databases(server or cluster.url), cluster
    except BaseException:
        if cluster is not None:
            cluster.stop()
        raise


TEST_SECRET = "test-secret"
_test_databases: list[str] = []
_folder_databases: dict[Path, str] = {}


def fresh_database_url(migrated: bool = True) -> str:
    """Return a new PostgreSQL database for this test (dropped when the test ends)."""
    url = _postgres()[0].create(migrated)
    _test_databases.append(url)
    return url


def without_secret(environment) -> dict:
    """Return a copy of an environment without CLAIMDESK_SECRET_KEY (a server then keeps its own)."""
    return {key: value for key, value in environment.items() if key != "CLAIMDESK_SECRET_KEY"}


def database_env(folder: Path) -> dict:
    """Return the environment that points a `claimdesk` process at the database of make_app(folder)."""
    if folder in _folder_databases:  # the servers sign sessions with the test app's key, as nodes share one
        return {"CLAIMDESK_DATABASE_URL": _folder_databases[folder],
                "CLAIMDESK_SECRET_KEY": TEST_SECRET}
    return {"CLAIMDESK_DB": str(folder / "test.db")}


@pytest.fixture(autouse=True)
def _drop_test_databases():
    yield
    _folder_databases.clear()
    if _test_databases:
        databases = _postgres()[0]
        while _test_databases:
            databases.drop(_test_databases.pop())


@functools.lru_cache(maxsize=None)
def _template_db() -> bytes:
    """Return the bytes of a freshly migrated database (migrating once per test session)."""
    import tempfile

    import migrations

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.db"
        db = open_store(path)
        migrations.apply(db)
        db.checkpoint()
        db.close()
        return path.read_bytes()


def make_app(tmp_path: Path, **extra):
    db_path = tmp_path / "test.db"
    if BACKEND == "postgres" and "DB" not in extra:
        # One database per folder, as one SQLite file: a second app on the folder shares it.
        if tmp_path not in _folder_databases:
            _folder_databases[tmp_path] = fresh_database_url()
        extra.setdefault("DATABASE_URL", _folder_databases[tmp_path])
    elif not db_path.exists():
        db_path.write_bytes(_template_db())
    config = {
        "TESTING": True,
        "INSTANCE": str(tmp_path),
        "DB": str(tmp_path / "test.db"),
        "INDEX": str(tmp_path / "index"),
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": TEST_SECRET,
        "PASSWORD_HASH_METHOD": CHEAP_HASH,
    }
    config.update(extra)
    return create_app(config)


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path)


@pytest.fixture
def db(app):
    database = open_store(app.config["DB"])
    yield database
    database.close()


@pytest.fixture
def index(app):
    from search_index import open_index

    ix = open_index(app.config["INDEX"])
    yield ix
    ix.close()


@pytest.fixture
def client(app):
    return app.test_client()


class ClaimdeskRunner(FlaskCliRunner):
    """Invoke the `claimdesk` command (not app.cli) against the test app."""

    def invoke(self, cli=None, args=None, **kwargs):
        return super().invoke(cli or main, args, **kwargs)


@pytest.fixture
def runner(app):
    return ClaimdeskRunner(app)


@functools.lru_cache(maxsize=None)
def _password_hash(password: str) -> str:
    return generate_password_hash(password, CHEAP_HASH)


def add_user(db, username: str, role: str = "checker", password: str = PASSWORD) -> dict:
    """Insert a user directly, with a cheap password hash (one per password)."""
    stamp = now()
    user_id = db.insert(
        "INSERT INTO users (username, display_name, role, password_hash, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [username, username, role, _password_hash(password), stamp, stamp],
    )
    return users.get_user(db, user_id)


@pytest.fixture
def make_user(db):
    def make(username: str, role: str = "checker", password: str = PASSWORD) -> dict:
        return add_user(db, username, role, password)

    return make


def login(client, username: str, password: str = PASSWORD):
    return client.post("/login", data={"username": username, "password": password})


@pytest.fixture
def logged_in(app, make_user):
    """Return a factory of test clients signed in with a given role."""

    def make(role: str = "checker", username: str | None = None):
        name = username or f"{role}1"
        make_user(name, role)
        client = app.test_client()
        response = login(client, name)
        assert response.status_code == 303, response.data
        return client

    return make


@pytest.fixture
def checker_client(logged_in):
    return logged_in("checker")


@pytest.fixture
def editor_client(logged_in):
    return logged_in("editor")


@pytest.fixture
def admin_client(logged_in):
    return logged_in("admin")


def shared_path(*parts: str) -> Path:
    """Return a path in ../shared, skipping the test when that folder is absent (a user's clone)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not available: {path}")
    return path
