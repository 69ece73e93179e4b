"""Check-worthiness scorer with the shipped weights: what a user of the scores notices."""

import csv
import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from review.extraction.checkworthiness.model import CHECKWORTHY_THRESHOLD, WEIGHTS_FILE, score_sentences

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT.parent / "shared" / "data" / "checkworthiness"
DEV_TEST = DATA / "CT24_checkworthy_english_dev-test.tsv"

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


def test_threshold_literal_matches_shipped_weights():
    resource = resources.files("review.extraction.checkworthiness") / WEIGHTS_FILE
    payload = json.loads(resource.read_text(encoding="utf-8"))
    assert payload["threshold"] == CHECKWORTHY_THRESHOLD


def test_runtime_does_not_load_scikit_learn_or_flask():
    code = ("import sys, review.extraction as c; c.score_sentences(['x']);"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'scipy', 'flask'}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.skipif(not DATA.is_dir(), reason=f"CheckThat! 2024 data not found at {DATA}")
def test_dev_test_f1_beats_0_6():
    with DEV_TEST.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    scores = score_sentences([row["Text"] for row in rows])
    predicted = [s >= CHECKWORTHY_THRESHOLD for s in scores]
    actual = [row["class_label"] == "Yes" for row in rows]
    tp = sum(p and a for p, a in zip(predicted, actual))
    precision, recall = tp / sum(predicted), tp / sum(actual)
    assert 2 * precision * recall / (precision + recall) > 0.6
