"""The search engines the search tests run against: Whoosh always, and PostgreSQL search on the
PostgreSQL run (CLAIMDESK_TEST_DATABASE=postgres), each a real engine on the test's own database."""

import pytest

from search_index import open_index
from tests.conftest import BACKEND

ENGINES = ["whoosh", "postgres"] if BACKEND == "postgres" else ["whoosh"]


@pytest.fixture(params=ENGINES)
def engine(request) -> str:
    """The name of a search engine to run a test on."""
    return request.param


@pytest.fixture
def any_index(app, db, engine):
    """An empty index of the test's engine: a Whoosh folder in tmp_path, or the test database's search table."""
    ix = open_index(app.config["INDEX"], engine=engine, store=db)
    yield ix
    ix.close()
