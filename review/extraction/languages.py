"""Which language a text is in: detected once per document and stored with it.

Detection uses py3langid (a trained character n-gram model shipped inside the package, loaded on
first use, about a second); texts too short or too mixed to tell give None.
"""

import functools
import re
import threading

MIN_LETTERS = 20  # fewer letters than this cannot be told apart reliably
MIN_CONFIDENCE = 0.5
SAMPLE_CHARS = 3000  # the opening of a long article tells its language as well as the whole
RIGHT_TO_LEFT = frozenset({"ar", "he", "fa", "ur", "ps", "yi", "dv", "ug", "sd", "ckb"})
LETTER = re.compile(r"[^\W\d_]")
_LOADING = threading.Lock()


@functools.lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str | None) -> str | None:
    """Return the ISO 639-1 code of the text's language ("en", "ar"), or None when it cannot be told."""
    sample = (text or "")[:SAMPLE_CHARS]
    if len(LETTER.findall(sample)) < MIN_LETTERS:
        return None
    with _LOADING:  # two threads loading the model at once would each pay the second
        identifier = _identifier()
    language, confidence = identifier.classify(sample)
    return language if confidence >= MIN_CONFIDENCE else None


def is_english(language: str | None) -> bool:
    """Tell whether the English rules apply: English, or a language nobody named or detected."""
    return not language or language.lower().split("-")[0] == "en"


def is_right_to_left(language: str | None) -> bool:
    """Tell whether a language is written right to left."""
    return bool(language) and language.lower().split("-")[0] in RIGHT_TO_LEFT
