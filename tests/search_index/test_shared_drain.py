"""PostgreSQL search is one index for every node: one node at a time applies the outbox, each row once."""

import pytest

from review.indexing import drain, pending_count
from review.storage import open_store
from search_index import open_index
from search_index.outbox import StoreLock
from tests.conftest import BACKEND
from tests.search_index.test_outbox import insert_document

pytestmark = pytest.mark.skipif(BACKEND != "postgres", reason="PostgreSQL search needs the PostgreSQL run")


def test_a_second_node_does_not_drain_while_the_first_holds_the_database_lock(app, db, tmp_path):
    other = open_store(app.config["DB"])  # another node: its own connection, its own index folder
    try:
        document_id = insert_document(db, "Harbor turbines", "The mayor said 40,000 homes would be powered.")
        assert other.try_lock(StoreLock.NAME)
        # Node one's folder lock is free, but the database lock is not: it waits, gives up, applies nothing.
        assert drain(db, str(tmp_path / "node-one"), engine="postgres", wait=0.3) == 0
        assert pending_count(db) == 1
        other.unlock(StoreLock.NAME)
        assert drain(db, str(tmp_path / "node-one"), engine="postgres") == 1
        assert drain(other, str(tmp_path / "node-two"), engine="postgres") == 0  # nothing left to apply twice
        index = open_index("", engine="postgres", store=other)
        try:
            assert [hit.id for hit in index.search("turbines", kind="document").hits] == [document_id]
        finally:
            index.close()
    finally:
        other.close()


def test_a_node_that_dies_holding_the_lock_frees_it(app, db, tmp_path):
    dying = open_store(app.config["DB"])
    assert dying.try_lock(StoreLock.NAME)
    dying.close()  # its connection goes back to the pool: the session still holds the lock
    from review.storage.postgres import close_pools

    close_pools(app.config["DB"])  # the connection ends, as when a node's process dies
    survivor = open_store(app.config["DB"])
    try:
        insert_document(survivor, "Harbor ferries", "The council said 12 ferries would run.")
        assert drain(survivor, str(tmp_path / "node-two"), engine="postgres", wait=5) == 1
    finally:
        survivor.close()
