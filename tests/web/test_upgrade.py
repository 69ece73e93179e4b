"""An instance built before the redesign upgrades in place and keeps everything it held."""

import gzip
import os
import subprocess
import sys
from pathlib import Path

import migrations
from review.storage import open_store
from tests.conftest import add_user, login, make_app

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "instance-0004-demo.db.gz"
TABLES = ("documents", "claims", "claim_appearances", "verdicts", "evidence", "events", "prior_reviews", "users",
          "rating_scale", "rating_mappings")


def snapshot(db) -> dict:
    """Every row id of the tables a desk cares about, and each claim's state."""
    held = {table: [r["id"] for r in db.query(f"SELECT rowid AS id FROM {table} ORDER BY rowid")] for table in TABLES}
    held["claim_states"] = [(r["id"], r["status"]) for r in db.query("SELECT id, status FROM claims ORDER BY id")]
    return held


def test_db_upgrade_keeps_every_document_claim_verdict_and_event(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "claimdesk.db").write_bytes(gzip.decompress(FIXTURE.read_bytes()))
    old = open_store(instance / "claimdesk.db")
    before = snapshot(old)
    assert migrations.pending(old), "the fixture predates the current migrations"
    old.close()
    assert len(before["claims"]) == 14 and len(before["verdicts"]) == 3 and len(before["events"]) == 26

    command = Path(sys.executable).with_name("claimdesk")
    env = {**os.environ, "CLAIMDESK_INSTANCE": str(instance), "CLAIMDESK_SECRET_KEY": "upgrade-test"}
    result = subprocess.run([str(command), "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr

    db = open_store(instance / "claimdesk.db")
    assert migrations.pending(db) == []
    assert snapshot(db) == before

    # The upgraded desk works: every claim's workspace opens and the published fact-check is public.
    app = make_app(instance, DB=str(instance / "claimdesk.db"), INDEX=str(instance / "index"))
    add_user(db, "reviewer", "editor")
    client = app.test_client()
    assert login(client, "reviewer").status_code == 303
    for claim_id, _ in before["claim_states"]:
        assert client.get(f"/claims/{claim_id}").status_code == 200, claim_id
    published = next(claim_id for claim_id, status in before["claim_states"] if status == "published")
    assert client.get(f"/claims/{published}/claimreview.json").status_code == 200
    db.close()
