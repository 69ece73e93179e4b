"""The scorer interface with the semantic extra installed and on (skipped cleanly when it is not installed)."""

import shutil

import numpy as np
import pytest

from review import matching, scorers, semantic
from review.claimreview.store import import_bytes
from review.extraction.pipeline import extract_claims
from review.indexing import drain
from review.semantic import checkworthiness as sem_cw
from review.semantic.embeddings import archive
from review.semantic.encoder import Encoder, MODEL_DIR, ModelFileError, verify_files
from review.semantic.matching import HybridMatch
from tests.review.semantic.conftest import REVIEWS, claimreview_file

pytestmark = pytest.mark.usefixtures("semantic_on")


def test_the_encoder_puts_a_paraphrase_closer_than_another_claim():
    vectors = semantic.get_encoder().embed(["Cell phone masts are spreading the virus.",
                                        "5G towers spread the coronavirus", "Wind turbines cause cancer", ""])
    assert vectors.shape == (4, 384)
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1, atol=1e-3) and not vectors[3].any()
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_a_model_file_that_is_not_the_pinned_one_is_refused(tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(MODEL_DIR, folder)
    with (folder / "tokenizer.json").open("a", encoding="utf-8") as handle:
        handle.write(" ")
    with pytest.raises(ModelFileError, match="tokenizer.json has sha256"):
        Encoder(folder)
    (folder / "encoder.int8.onnx").unlink()
    with pytest.raises(ModelFileError, match="encoder.int8.onnx is missing"):
        verify_files(folder)


def test_claims_are_scored_by_the_semantic_head_and_the_checker_sees_the_statistic():
    active = scorers.active()
    assert active.semantic and active.checkworthiness.startswith("semantic"), active.reason
    statistic, opinion = scorers.score_sentences(
        ["Unemployment fell to 3.5 percent in 2019, the lowest rate in fifty years.",
         "I think we should be kind to one another."])
    assert statistic >= scorers.checkworthy_threshold() > opinion
    claims = extract_claims("Officials said 2,500 people were evacuated from the valley on Tuesday. "
                            "What a lovely day it was.")
    assert [c.text for c in claims] == ["2,500 people were evacuated from the valley on Tuesday."]
    assert claims[0].sentence.startswith("Officials said") and claims[0].score >= scorers.checkworthy_threshold()


def test_an_import_embeds_each_review_once_and_again_when_it_changes(db):
    import_bytes(db, "reviews.json", claimreview_file(REVIEWS))
    rows = db.query("SELECT kind, ref_id, text_hash FROM match_embeddings ORDER BY ref_id")
    assert len(rows) == len(REVIEWS) and {r["kind"] for r in rows} == {"prior_review"}
    changed = [("Wind turbines cause cancer in people living nearby", *REVIEWS[4][1:])]
    import_bytes(db, "again.json", claimreview_file(REVIEWS[:4]))  # unchanged: nothing embedded again
    assert db.query("SELECT kind, ref_id, text_hash FROM match_embeddings ORDER BY ref_id") == rows
    import_bytes(db, "changed.json", claimreview_file(changed))
    assert db.scalar("SELECT count(*) FROM match_embeddings") == len(REVIEWS) + 1


def test_a_paraphrase_finds_its_fact_check_by_meaning(app, db, index):
    import_bytes(db, "reviews.json", claimreview_file(REVIEWS))
    drain(db, app.config["INDEX"])
    matches = scorers.rank_matches(db, index, "Mobile phone masts are spreading covid, say posts")
    assert matches and all(isinstance(m, HybridMatch) for m in matches)
    assert matches[0].url == "https://checks.example.org/5g" and matches[0].rating_label == "False"
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    exact = scorers.rank_matches(db, index, "Bill Gates wants to microchip people through vaccines")
    assert exact[0].url == "https://checks.example.org/gates" and exact[0].strong


def test_a_fact_check_sharing_no_word_with_the_claim_is_found_by_its_embedding(app, db, index):
    import_bytes(db, "reviews.json", claimreview_file(REVIEWS))
    drain(db, app.config["INDEX"])
    claim = "Cellular antennas transmit viruses"
    assert matching.rank_matches(index, claim) == []  # no word in common: the default path finds nothing
    found = scorers.rank_matches(db, index, claim)
    assert found[0].url == "https://checks.example.org/5g"
    assert (found[0].rating_label, found[0].publisher, found[0].origin) == ("False", "Example Checks", "imported")
    assert found[0].claim_reviewed == "5G towers spread the coronavirus" and found[0].date == "2020-04-01"


def test_lookups_see_reviews_imported_and_embeddings_dropped_since_the_last_one(app, db, index):
    import_bytes(db, "reviews.json", claimreview_file(REVIEWS[:4]))
    drain(db, app.config["INDEX"])
    assert len(archive(db).keys) == 4
    claim = "Living close to windmills gives people tumours"
    assert all(m.url != REVIEWS[4][2] for m in scorers.rank_matches(db, index, claim))
    import_bytes(db, "wind.json", claimreview_file(REVIEWS[4:]))
    drain(db, app.config["INDEX"])
    assert all(m.url != REVIEWS[4][2] for m in matching.rank_matches(index, claim))  # BM25 does not find it
    assert scorers.rank_matches(db, index, claim)[0].url == REVIEWS[4][2]
    db.execute("DELETE FROM match_embeddings WHERE ref_id = (SELECT min(ref_id) FROM match_embeddings)")
    assert len(archive(db, recheck=0).keys) == 4  # another process's change is seen by the row count


def test_db_check_and_reindex_name_the_semantic_models_and_keep_embeddings_current(app, db, runner):
    import_bytes(db, "reviews.json", claimreview_file(REVIEWS))
    db.execute("DELETE FROM match_embeddings WHERE ref_id = (SELECT min(id) FROM prior_reviews)")
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    assert "Semantic matching: embedded 1 prior verdicts, kept 4, dropped 0." in result.output
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output
    assert "check-worthiness model: semantic" in result.output
    assert ("matching model: semantic: BM25 top 50 + nearest 50 embeddings, lexical and MiniLM cosine re-ranking "
            "(hybrid)") in result.output
    assert "semantic extra: active (semantic extra: all-MiniLM-L6-v2 (int8 ONNX), checksums verified)" in result.output


def test_db_check_says_when_the_lexical_reranker_changed_since_the_hybrid_head_was_fitted(app, runner, monkeypatch):
    fresh = runner.invoke(args=["db", "check"])
    assert "hybrid matching head: fitted on an earlier lexical re-ranker" not in fresh.output
    monkeypatch.setitem(matching.WEIGHTS, "bm25_share", matching.WEIGHTS["bm25_share"] + 1)  # as a refit would
    stale = runner.invoke(args=["db", "check"])
    assert "hybrid matching head: fitted on an earlier lexical re-ranker" in stale.output
    assert "(bench/semantic.py --choose)" in stale.output


def test_the_nearest_neighbour_product_gives_the_cosines_and_leaves_the_blas_threads_as_they_were():
    from threadpoolctl import threadpool_info

    from review.semantic.embeddings import similarities

    rng = np.random.default_rng(7)
    matrix, vector = rng.standard_normal((3000, 384)).astype(np.float32), rng.standard_normal(384).astype(np.float32)
    before = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert np.allclose(similarities(matrix, vector), matrix @ vector, atol=1e-4)
    assert [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"] == before


def test_a_review_embedded_again_by_another_process_is_seen_though_the_row_count_stays(db):
    from review.semantic import embeddings

    import_bytes(db, "reviews.json", claimreview_file(REVIEWS))
    held = archive(db)
    key = ("prior_review", db.scalar("SELECT max(id) FROM prior_reviews"))
    before = held.matrix[held.rows[key]].copy()
    claim, _, url, rating = REVIEWS[4]
    import_bytes(db, "changed.json", claimreview_file([(claim, "Turbines and cancer: what the studies say", url, rating)]))
    embeddings._ARCHIVES[db.path] = held  # what a process that read them before the change still holds
    assert archive(db).matrix is held.matrix  # asked again only after RECHECK_SECONDS
    fresh = archive(db, recheck=0)
    assert len(fresh.keys) == len(REVIEWS) and not np.allclose(fresh.matrix[fresh.rows[key]], before)


def test_a_smaller_lexical_pool_keeps_the_rerankers_best_and_brings_the_others_as_neighbours(app, db, index):
    from review.semantic.matching import FEATURES, gather

    import_bytes(db, "reviews.json", claimreview_file(REVIEWS))
    drain(db, app.config["INDEX"])
    found = gather(db, index, semantic.get_encoder(), "Do 5G towers and phone masts spread the coronavirus?",
                   lexical=50)
    wide, narrow = found.pool(50), found.pool(1)
    assert len(wide.found) >= 2 and [m.url for m in narrow.found] == [wide.found[0].url]
    assert narrow.keys[0] == wide.keys[0] and sorted(narrow.keys) == sorted(wide.keys)  # all five are neighbours
    assert narrow.features.shape == (len(REVIEWS), len(FEATURES))
    assert narrow.features[:, FEATURES.index("from_bm25")].tolist() == [1.0] + [0.0] * (len(REVIEWS) - 1)


def test_each_review_is_embedded_with_its_claim_alone_too_and_older_rows_are_brought_up_to_date(app, db, runner):
    from review.semantic.embeddings import counts, decode_vector

    reviews = [*REVIEWS[:4], ("Wind turbines cause cancer", "", REVIEWS[4][2], "False")]  # the last: no headline
    import_bytes(db, "reviews.json", claimreview_file(reviews))
    rows = db.query("SELECT ref_id, claim_hash, claim_vector FROM match_embeddings ORDER BY ref_id")
    assert all(row["claim_hash"] for row in rows)
    assert [row["claim_vector"] is None for row in rows] == [False] * 4 + [True]  # no headline: the one vector
    alone, both = semantic.get_encoder().embed([REVIEWS[0][0], f"{REVIEWS[0][0]} {REVIEWS[0][1]}"])
    assert decode_vector(rows[0]["claim_vector"]) @ alone > 0.99 > decode_vector(rows[0]["claim_vector"]) @ both
    held = archive(db)
    assert held.claims[held.rows["prior_review", rows[0]["ref_id"]]].astype(np.float32) @ alone > 0.99
    db.execute("UPDATE match_embeddings SET claim_hash = NULL, claim_vector = NULL")  # as before migration 0043
    assert counts(db)["embedded"] == 0
    assert "5 of 5 prior verdicts have no embedding" in runner.invoke(args=["db", "check"]).output
    result = runner.invoke(args=["reindex"])
    assert "Semantic matching: embedded 5 prior verdicts, kept 0, dropped 0." in result.output, result.output
    assert counts(db)["embedded"] == 5


def test_the_candidates_claim_alone_is_compared_with_the_claim(app, db, index):
    from review.semantic.matching import FEATURES, gather

    import_bytes(db, "reviews.json", claimreview_file(REVIEWS))
    drain(db, app.config["INDEX"])
    claim = "Are 5G towers spreading the coronavirus? https://t.co/abc"
    found = gather(db, index, semantic.get_encoder(), claim, lexical=50)
    pool = found.pool(50)
    key = pool.keys[[m.url for m in pool.found].index("https://checks.example.org/5g")]
    vectors = semantic.get_encoder().embed([claim, "Are 5G towers spreading the coronavirus?", REVIEWS[0][0]])
    expected = max(vectors[0] @ vectors[2], vectors[1] @ vectors[2])
    row = pool.features[pool.keys.index(key)]
    assert abs(row[FEATURES.index("claim_cosine")] - expected) < 0.02  # int8: batches quantize a little apart
    assert row[FEATURES.index("claim_cosine_rank")] == 0  # the nearest claim of the five


def test_claims_are_scored_with_the_fine_tuned_model_and_a_changed_model_file_is_refused(tmp_path, runner):
    assert scorers.active().checkworthiness.startswith("semantic: fine-tuned MiniLM"), scorers.active().reason
    assert "check-worthiness model: semantic: fine-tuned MiniLM" in runner.invoke(args=["db", "check"]).output
    folder = tmp_path / "model"
    shutil.copytree(MODEL_DIR, folder)
    model = sem_cw.LogitModel(folder)
    worthy, chatter = model.logits(["We lost 2.5 million manufacturing jobs in the last eight years.",
                                    "Thank you very much, it is good to be here tonight."])
    assert worthy > chatter
    with (folder / sem_cw.LOGIT_FILE).open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ValueError, match="checkworthiness.int8.onnx has sha256"):
        sem_cw.LogitModel(folder)
