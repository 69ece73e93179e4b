"""The `claimdesk extract-text` and `claimdesk extract` commands: claims from text, re-extraction of stored documents."""

import json

import pytest

from review.ingest import store

PRESS_RELEASE = (
    "Harbor Steel Corp said on Monday that it had hired 240 workers at its Riverton plant.\n"
    "The company said output rose 18% in the first quarter.\n"
    "Chief executive Dana Whitfield said the plant would double its capacity by 2027.\n"
    "The plant is a wonderful place to work.\n"
)


def test_extract_text_prints_claims_as_json(runner, tmp_path):
    path = tmp_path / "release.txt"
    path.write_text(PRESS_RELEASE, encoding="utf-8")
    result = runner.invoke(args=["extract-text", str(path), "--source", "Harbor Herald"])
    assert result.exit_code == 0, result.output
    claims = json.loads(result.output)["claims"]
    hired = next(c for c in claims if "240 workers" in c["text"])
    assert hired["claimant"] == {"name": "Harbor Steel Corp", "kind": "organization"}
    assert hired["claim_type"] == "statistic"
    assert hired["quantities"][0]["value"] == 240
    assert PRESS_RELEASE[hired["start"]:hired["end"]] == hired["sentence"]
    assert set(hired) == {"text", "sentence", "start", "end", "claimant", "claim_type", "quantities", "dates", "repeats",
                          "score"}
    assert not any("wonderful" in c["text"] for c in claims)


def test_extract_text_reads_stdin_and_reports_bad_files(runner, tmp_path):
    result = runner.invoke(args=["extract-text", "-"], input=PRESS_RELEASE)
    assert result.exit_code == 0 and json.loads(result.output)["claims"]
    result = runner.invoke(args=["extract-text", str(tmp_path / "missing.txt")])
    assert result.exit_code != 0 and "missing.txt" in result.output and "Traceback" not in result.output
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 prices rose 5%.".encode("latin-1"))
    result = runner.invoke(args=["extract-text", str(tmp_path / "latin1.txt")])
    assert result.exit_code != 0 and "not UTF-8" in result.output


def claim_rows(db, document_id: int) -> list[dict]:
    """Return a document's stored claims, oldest first."""
    return list(db.query("SELECT * FROM claims WHERE document_id = ? ORDER BY id", [document_id]))


def test_extract_document_adds_only_missing_claims_and_leaves_triaged_ones_alone(runner, db):
    document_id = store.add_document(db, body=PRESS_RELEASE, source="Harbor Herald").document_id
    before = claim_rows(db, document_id)
    assert len(before) >= 3
    triaged, merged, lost = before[0], before[1], before[2]
    db.execute("UPDATE claims SET status = 'queued', text = 'Edited by a checker.' WHERE id = ?", [triaged["id"]])
    db.execute("UPDATE claims SET status = 'merged' WHERE id = ?", [merged["id"]])
    db.execute("DELETE FROM claim_appearances WHERE claim_id = ?", [lost["id"]])
    db.execute("DELETE FROM claims WHERE id = ?", [lost["id"]])

    result = runner.invoke(args=["extract", "--document", str(document_id)])
    assert result.exit_code == 0, result.output
    assert "1 new claim(s)" in result.output
    after = claim_rows(db, document_id)
    assert len(after) == len(before)
    assert {r["normalized_text"] for r in after} == {r["normalized_text"] for r in before}
    kept = {r["id"]: r for r in after}
    assert kept[triaged["id"]]["status"] == "queued" and kept[triaged["id"]]["text"] == "Edited by a checker."
    assert kept[merged["id"]]["status"] == "merged"

    again = runner.invoke(args=["extract", "--all"])
    assert again.exit_code == 0 and "0 new claim(s)" in again.output
    assert len(claim_rows(db, document_id)) == len(before)


@pytest.mark.parametrize("args, message", [
    (["extract", "--document", "999"], "no document with id 999"),
    (["extract"], "give either --document ID or --all"),
    (["extract", "--document", "1", "--all"], "give either --document ID or --all"),
])
def test_extract_usage_errors_are_one_clean_line(runner, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output


def old_wording(db, claim_id: int, text: str) -> None:
    """Make a stored claim read as older rules worded it (a database edit, not a person's)."""
    db.execute("UPDATE claims SET text = ?, normalized_text = ? WHERE id = ?", [text, text.lower(), claim_id])


def test_extract_replaces_untouched_claims_the_rules_no_longer_find_and_keeps_touched_ones(runner, db):
    document_id = store.add_document(db, body=PRESS_RELEASE, source="Harbor Herald").document_id
    before = claim_rows(db, document_id)
    untouched, noted, tagged = before[0], before[1], before[2]
    old_wording(db, untouched["id"], "Old rules: it had hired 240 workers.")
    old_wording(db, noted["id"], "Old rules: output rose.")
    db.execute("INSERT INTO notes (claim_id, body, created_at) VALUES (?, 'Call the plant', '2026-01-01')",
               [noted["id"]])
    old_wording(db, tagged["id"], "Old rules: capacity doubles.")
    db.execute("INSERT INTO claim_tags (claim_id, tag) VALUES (?, 'steel')", [tagged["id"]])

    result = runner.invoke(args=["extract", "--document", str(document_id)])
    assert result.exit_code == 0, result.output
    assert "3 new claim(s)" in result.output and "1 untouched claim(s) the rules no longer find removed" in result.output
    after = {r["text"]: r for r in claim_rows(db, document_id)}
    assert "Old rules: it had hired 240 workers." not in after  # nobody had looked at it: replaced
    assert untouched["text"] in after and after[untouched["text"]]["status"] == "new"
    assert after["Old rules: output rose."]["id"] == noted["id"]  # a checker's note keeps it
    assert after["Old rules: capacity doubles."]["id"] == tagged["id"]
    assert len(after) == len(before) + 2
    history = list(db.query("SELECT details FROM events WHERE entity_type = 'document' AND entity_id = ?"
                            " AND action = 'reextracted'", [document_id]))
    assert json.loads(history[0]["details"]) == {"removed": 1, "new": 3, "linked": 0}

    again = runner.invoke(args=["extract", "--all"])
    assert "0 new claim(s)" in again.output and " 0 untouched claim(s)" in again.output
