"""Language detection walks py3langid's byte automaton for all positions at once and keeps its answers."""

import json
from itertools import islice

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
