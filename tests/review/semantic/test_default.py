"""The scorer interface without the semantic extra: switched off, or not installed. These always run."""

import json
import sys

import numpy as np
import pytest

from review import scorers, semantic
from review.claimreview.store import import_bytes
from review.extraction.checkworthiness import model as default_model
from review.semantic.checkworthiness import LOGIT_SHA256
from review.semantic.embeddings import decode_vector, encode_vector
from review.semantic.encoder import MODEL_DIR
from review.semantic.matching import FEATURES, fits, head_from_dict
from tests.review.semantic.conftest import REVIEWS, claimreview_file

SENTENCES = ["Unemployment fell to 3.5 percent in 2019, the lowest rate in fifty years.",
             "I think we should be kind to one another."]


@pytest.fixture
def not_installed(monkeypatch):
    """Make the extra's libraries impossible to import, as on a default install."""
    monkeypatch.setenv("CLAIMDESK_SEMANTIC", "on")
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    scorers._active.cache_clear()
    yield
    scorers._active.cache_clear()


def test_switched_off_the_default_models_score_and_say_so():
    active = scorers.active()
    assert not active.semantic and "CLAIMDESK_SEMANTIC=off" in active.reason
    assert scorers.score_sentences(SENTENCES) == default_model.score_sentences(SENTENCES)
    assert scorers.checkworthy_threshold() == default_model.CHECKWORTHY_THRESHOLD
    assert scorers.describe()[0].startswith("check-worthiness model: default")


def test_without_the_extra_installed_the_default_models_run_and_say_how_to_add_it(not_installed, app, db, runner):
    assert not semantic.installed()
    assert scorers.active().checkworthiness.startswith("default")
    assert "pip install 'claimdesk[semantic]'" in scorers.active().reason
    assert scorers.score_sentences(SENTENCES) == default_model.score_sentences(SENTENCES)
    import_bytes(db, "reviews.json", claimreview_file(REVIEWS))
    assert db.scalar("SELECT count(*) FROM match_embeddings") == 0  # nothing embedded without the extra
    result = runner.invoke(args=["db", "check"])
    assert "semantic extra: not active (default models (the semantic extra is not installed" in result.output
    assert "matching model: default" in result.output


def test_the_shipped_heads_fit_the_features_they_read():
    head = json.loads((MODEL_DIR / "matching_head.json").read_text(encoding="utf-8"))
    assert fits(head_from_dict(head)), "re-run bench/semantic.py --choose"
    assert set(head["features"]) <= set(FEATURES) and 0 < head["strong_match"] < 1
    assert not fits(head_from_dict({**head, "features": [*head["features"][:-1], "a feature nobody computes"]}))
    cw = json.loads((MODEL_DIR / "checkworthiness_head.json").read_text(encoding="utf-8"))
    assert 0 < cw["threshold"] < 1 and len(cw["embedding_weights"]) == 384
    tuned = json.loads((MODEL_DIR / "checkworthiness_finetuned.json").read_text(encoding="utf-8"))
    assert 0 < tuned["threshold"] < 1 and len(tuned["embedding_weights"]) == 384
    assert tuned["logit_model"] == {"file": "checkworthiness.int8.onnx", "sha256": LOGIT_SHA256}


def test_a_vector_survives_the_database_text_form():
    vector = np.linspace(-1, 1, 384).astype(np.float32)
    assert np.allclose(decode_vector(encode_vector(vector)), vector, atol=1e-3)
    with pytest.raises(ValueError, match="384"):
        decode_vector(encode_vector(vector[:10]))
