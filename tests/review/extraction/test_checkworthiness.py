"""Check-worthiness scorer with the shipped weights: what a user of the scores notices."""

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from review.extraction.checkworthiness.model import CHECKWORTHY_THRESHOLD, WEIGHTS_FILE, score_sentences

ROOT = Path(__file__).resolve().parents[3]

STATISTIC = "Government forces neutralized 2,500 terrorists in Idlib last week, Syrian media reported."


def test_statistic_with_named_actors_is_checkworthy():
    [score] = score_sentences([STATISTIC])
    assert score > CHECKWORTHY_THRESHOLD


@pytest.mark.parametrize("sentence", [
    "This is unacceptable.",
    "I think we should be kind to one another.",
])
def test_pure_opinion_is_not_checkworthy(sentence):
    [score] = score_sentences([sentence])
    assert score < CHECKWORTHY_THRESHOLD


@pytest.mark.parametrize("sentence", [
    "What are we going to do about it?",
    "Why did he do that?",
    "Is this really the best we can do?",
])
def test_questions_are_not_checkworthy(sentence):
    [score] = score_sentences([sentence])
    assert score < CHECKWORTHY_THRESHOLD


def test_claims_rank_above_opinions_in_news_text():
    claim, attributed_opinion, opinion = score_sentences([
        "Unemployment fell to 3.5 percent in March, the lowest level in 50 years.",
        "The minister said the decision was a mistake.",
        "We must stand together.",
    ])
    assert claim > attributed_opinion > opinion


def test_one_score_in_unit_interval_per_sentence():
    sentences = [STATISTIC, "", "   ", "Türkiye’s lira fell 3% — «a record».", "?", "word " * 2000]
    scores = score_sentences(sentences)
    assert len(scores) == len(sentences)
    assert all(isinstance(s, float) and 0.0 <= s <= 1.0 for s in scores)


def test_empty_input_gives_empty_output():
    assert score_sentences([]) == []


def test_score_does_not_depend_on_the_rest_of_the_batch():
    alone = score_sentences([STATISTIC])[0]
    filler = [f"Sentence number {i} says little." for i in range(5000)]
    in_batch = score_sentences(filler[:2500] + [STATISTIC] + filler[2500:])[2500]
    assert in_batch == pytest.approx(alone, abs=1e-12)
    assert score_sentences([STATISTIC]) == score_sentences([STATISTIC])


def test_odd_spacing_and_marks_score_the_same_in_a_batch_as_alone():
    odd = ["  The ministry said\u00a0exports rose 5%\tin 1986 . ", "", " \n ", "\u201cWe sold 4,000 cars,\u201d he said\u2026",
           "\u2028Output fell\u201412 pct\u2028", STATISTIC]
    for batch in (odd, odd + ["A\x00B said 3 mln tonnes were lost."]):  # the separator a batch is joined with
        assert score_sentences(batch) == [score_sentences([sentence])[0] for sentence in batch]


def test_threshold_literal_matches_shipped_weights():
    resource = resources.files("review.extraction.checkworthiness") / WEIGHTS_FILE
    payload = json.loads(resource.read_text(encoding="utf-8"))
    assert payload["threshold"] == CHECKWORTHY_THRESHOLD


def test_runtime_does_not_load_scikit_learn_or_flask():
    code = ("import sys, review.extraction as c; c.score_sentences(['x']);"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'scipy', 'flask'}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_shipped_weights_come_from_the_committed_settings():
    """The threshold and the calibration were chosen by grouped CV (bench/checkworthiness.py --choose), not on dev-test."""
    from scripts.protocol import settings_digest

    settings = json.loads((ROOT / "bench" / "settings" / "checkworthiness.json").read_text(encoding="utf-8"))
    payload = json.loads((resources.files("review.extraction.checkworthiness") / WEIGHTS_FILE).read_text("utf-8"))
    assert payload["threshold"] == settings["model"]["threshold"] == CHECKWORTHY_THRESHOLD
    assert payload["training"]["settings_sha256"] == settings_digest("checkworthiness")
    assert settings["model"]["cross_validated"]["f1"] > settings["baseline"]["cross_validated"]["f1"]


def test_grouped_folds_never_split_a_debate_and_run_in_order():
    import numpy as np

    from scripts.protocol import contiguous_folds

    groups = np.repeat(np.arange(12), 5)
    folds = contiguous_folds(groups, 4)
    seen = []
    for train, test in folds:
        assert not set(groups[train]) & set(groups[test])
        seen.append(sorted(set(groups[test])))
    assert seen == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]]


def test_a_final_run_refuses_settings_that_are_not_committed(tmp_path):
    from scripts import protocol

    loose = protocol.SETTINGS_DIR / "not-committed-test.json"
    loose.write_text("{}")
    try:
        with pytest.raises(SystemExit, match="not committed"):
            protocol.require_committed(loose)
    finally:
        loose.unlink()
