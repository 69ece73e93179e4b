"""A chunk of documents stored in a few statements ends exactly as one document at a time does."""

import json

from review.ingest.store import ingest_paths
from review.storage import open_store
from tests.conftest import make_app
from tests.review.extraction.multilingual import ARTICLES as ARTICLES_ABROAD, article
from tests.review.ingest.samples import jsonl, write

PORT = "The port handled 900 ships in 2023, its director said on Monday."
WHEAT = "Wheat output fell to 3.1 million tonnes in 2023, the farm ministry said."
FARES = "Ferry fares will rise by 9 percent in April, the operator said."
TOLLS = "The harbor raised its tolls by 4 percent in 2022, the port authority said."
FIRST = [  # stored before the ingest, in both databases: one of its claims is merged into the other below
    {"title": "Earlier", "body": f"{TOLLS}\n\n{FARES}", "url": "https://wire.example/earlier"},
]
ARTICLES = [
    {"title": "Port", "body": f"{PORT}\n\n{WHEAT}", "url": "https://wire.example/port"},
    {"title": "Port again", "body": f"{WHEAT}\n\nExports of steel rose 12 percent to 4.5 million tonnes, customs said."},
    {"title": "Same text", "body": f"  {PORT.upper()}\n\n{WHEAT}\n"},  # a duplicate of the first, in the same chunk
    {"title": "Same URL", "body": "Rents went up 6 percent in 2023, the housing office said.",
     "url": "https://wire.example/port"},
    {"title": "Tolls", "body": f"{TOLLS}\n\n{PORT}\n\nThe port will hire 300 workers by 2025, the mayor said."},
    {"title": "Fares", "body": f"{FARES}\n\nThe ferry carried 1.2 million passengers in 2023, the operator said."},
    {"title": "Empty", "body": " "},
    {"title": "Last", "body": f"{PORT}\n\nCoal imports fell 8 percent in March, the ministry said."},
]


def stored(db) -> dict:
    """Everything an ingest writes, without its clock."""
    return {
        "documents": db.query("SELECT id, title, url, content_hash, language FROM documents ORDER BY id"),
        "claims": db.query(
            "SELECT id, document_id, text, normalized_text, claimant, claim_type, checkworthiness, priority,"
            " appearance_count, article_rank, status, duplicate_of, source_date, quantities FROM claims ORDER BY id"),
        "appearances": db.query("SELECT claim_id, document_id, sentence, sentence_start, sentence_end, repeats"
                                " FROM claim_appearances ORDER BY id"),
        "events": [(e["entity_id"], json.loads(e["details"])) for e in db.query(
            "SELECT entity_id, details FROM events WHERE action = 'document.add' ORDER BY id")],
        "outbox": db.query("SELECT kind, entity_id FROM index_outbox ORDER BY id"),
    }


def ingest_twice(tmp_path, name: str, chunk_size: int):
    (tmp_path / name).mkdir()
    db = open_store(make_app(tmp_path / name).config["DB"])
    ingest_paths(db, [write(tmp_path / name / "first.jsonl", jsonl(*FIRST))], chunk_size=chunk_size)
    fares = db.scalar("SELECT id FROM claims WHERE text LIKE 'Ferry fares%'")
    tolls = db.scalar("SELECT id FROM claims WHERE text LIKE 'The harbor raised%'")
    db.execute("UPDATE claims SET status = 'merged', duplicate_of = ? WHERE id = ?", [tolls, fares])
    report = ingest_paths(db, [write(tmp_path / name / "wire.jsonl", jsonl(*ARTICLES))], chunk_size=chunk_size)
    return db, report


def test_a_chunk_stores_what_one_document_at_a_time_stores(tmp_path):
    one, one_report = ingest_twice(tmp_path, "one", chunk_size=1)
    batch, batch_report = ingest_twice(tmp_path, "batch", chunk_size=100)
    try:
        assert [(o.status, o.stored_id, o.claims_new, o.claims_linked) for o in batch_report.outcomes] == \
            [(o.status, o.stored_id, o.claims_new, o.claims_linked) for o in one_report.outcomes]
        assert [o.status for o in batch_report.outcomes] == ["added", "added", "duplicate", "duplicate", "added",
                                                             "added", "skipped", "added"]
        assert stored(batch) == stored(one)
        # What a checker sees: a repeat counts for the claim (the merged one's for the claim it was merged into).
        port = batch.one("SELECT appearance_count, document_id FROM claims WHERE text LIKE 'The port handled%'")
        assert port["appearance_count"] == 3
        tolls = batch.one("SELECT appearance_count FROM claims WHERE text LIKE 'The harbor raised%'")
        assert tolls["appearance_count"] == 3  # its own article, "Tolls", and "Fares" through the merged claim
        ranks = batch.query("SELECT article_rank FROM claims WHERE document_id = ? ORDER BY checkworthiness DESC, id",
                            [port["document_id"]])
        assert [r["article_rank"] for r in ranks] == list(range(1, len(ranks) + 1))
    finally:
        one.close()
        batch.close()


def test_a_chunk_detects_each_records_language_as_one_record_alone(tmp_path):
    records = [{"title": language, "body": article(language)[0]} for language in ARTICLES_ABROAD]
    records += [
        {"title": "English", "body": f"{PORT}\n\n{WHEAT}"},
        {"title": "Named", "body": FARES, "language": "DE"},  # a named language is kept, not detected
        {"title": "Figures", "body": "2023: 4.5 / 12.0 / 3,100 (+9 %) -- 2024: 5.1 / 13.2"},  # nothing to tell
        {"title": "Short", "body": "Il a dit oui."},
    ]
    languages = {}
    for chunk_size in (1, 100):
        (tmp_path / str(chunk_size)).mkdir()
        db = open_store(make_app(tmp_path / str(chunk_size)).config["DB"])
        try:
            ingest_paths(db, [write(tmp_path / str(chunk_size) / "world.jsonl", jsonl(*records))],
                         chunk_size=chunk_size)
            languages[chunk_size] = [(row["title"], row["language"])
                                     for row in db.query("SELECT title, language FROM documents ORDER BY id")]
        finally:
            db.close()
    assert languages[100] == languages[1] == [("es", "es"), ("fr", "fr"), ("ar", "ar"), ("ru", "ru"),
                                              ("English", "en"), ("Named", "de"), ("Figures", None), ("Short", None)]
