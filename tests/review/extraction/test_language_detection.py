"""Language detection walks py3langid's byte automaton for all positions (of a batch's texts) at once and keeps
its answers: the same language and confidence for every text."""

import json
from collections import Counter
from itertools import islice

import numpy as np
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from review.extraction import languages
from tests.conftest import shared_path
from tests.review.extraction.multilingual import ARTICLES


def test_detection_gives_py3langids_own_language_and_confidence():
    reference = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    texts = [" ".join(sentence for sentence, _ in article) for article in ARTICLES.values()]
    texts += [sentence for article in ARTICLES.values() for sentence, _ in article]
    with shared_path("data", "news", "reuters21578.jsonl").open(encoding="utf-8") as lines:
        texts += [json.loads(line).get("body") or "" for line in islice(lines, 300)]
    texts += ["", "a", "ab", "NASA SAID", "Ça va.", "北京时间今天上午", "Zürich, 12. März 2024: 3,5 %"]
    for text in texts:
        sample = text[:languages.SAMPLE_CHARS]
        assert languages._identifier().classify(sample) == reference.classify(sample), sample[:60]
    assert languages.detect_language(texts[0]) == "es"


def batch_texts() -> list[str]:
    """Texts whose joined walk could go wrong: neighbours whose bytes would make patterns across the seam."""
    with shared_path("data", "news", "bbc_news.jsonl").open(encoding="utf-8") as lines:
        news = [json.loads(line)["body"] for line in islice(lines, 80)]
    return [
        "", "1234 5678 ---- !!!!", "th", "e quick brown fox jumps over the lazy dog near the river bank",
        "Der Zug nach Zürich fuhr um 12 Uhr ab, sagte die Bahn.", "ion", "ation of the national economy rose",
        "NASA SAID THE ROCKET WOULD LAUNCH ON MONDAY MORNING", "Cafe\u0301 au lait, s'il vous plai\u0302t",
        "\x00\x00\x00 a text holding the filler byte \x00 itself, in English words", "\ud800 lone surrogate text",
        "北京时间今天上午，国家统计局发布数据", "Путин заявил, что экономика растет", "x" * 40, *news,
    ]


def test_a_batch_gets_each_texts_own_language_and_confidence():
    reference = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    texts = batch_texts()
    samples = [text[:languages.SAMPLE_CHARS] for text in texts]
    expected = [reference.classify(sample) for sample in samples]
    identifier = languages._identifier()
    assert identifier.classify_many(samples) == expected
    assert identifier.classify_many(samples[::-1]) == expected[::-1]  # whichever text comes before
    assert identifier.classify_many(["1234", "----", ""]) == [reference.classify(t) for t in ["1234", "----", ""]]
    news = samples[-80:]
    assert sum(len(text.encode()) for text in news) > languages.WALK_BYTES  # more bytes than one walk takes
    assert identifier.classify_many(news) == expected[-80:]


def test_a_model_without_a_resetting_byte_walks_each_text_alone(monkeypatch):
    reference = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    samples = [text[:languages.SAMPLE_CHARS] for text in batch_texts()[:20]]
    monkeypatch.setattr(languages._identifier(), "_seam", None)
    assert languages._identifier().classify_many(samples) == [reference.classify(text) for text in samples]


def test_detect_languages_answers_as_detect_language_for_each_text():
    letters = ["e" * 19, "e" * 20, "1 2 3 _ _ é" * 4, "é_1" * 19 + "a", None]  # 19 letters is too few to tell
    texts = batch_texts() + letters
    assert languages.detect_languages(texts) == [languages.detect_language(text) for text in texts]
    assert [bool(languages.ENOUGH_LETTERS.match(text or "")) for text in letters] == [False, True, False, True, False]
    assert languages.detect_languages([]) == []


def test_features_are_counted_in_the_order_first_met():
    rng = np.random.default_rng(14)
    for size in (1, 2, 7, 500):
        found = rng.integers(0, 40, size).astype(np.int32)
        features, counts = languages._first_met(found)
        assert list(zip(features.tolist(), counts.tolist())) == list(Counter(found.tolist()).items())
