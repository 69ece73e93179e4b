"""Say why a document yielded no claims, in words a checker can act on."""

from review import scorers
from review.extraction.languages import is_english
from review.extraction.pipeline import candidates
from review.extraction.sentences import segment, segment_any

LANGUAGE_NAMES = {
    "en": "English", "ar": "Arabic", "he": "Hebrew", "fa": "Persian", "ur": "Urdu", "es": "Spanish",
    "pt": "Portuguese", "fr": "French", "de": "German", "it": "Italian", "nl": "Dutch", "ru": "Russian",
    "uk": "Ukrainian", "pl": "Polish", "tr": "Turkish", "hi": "Hindi", "id": "Indonesian", "zh": "Chinese",
    "ja": "Japanese", "ko": "Korean",
}
MIN_WORDS = 5


def language_name(code: str | None) -> str:
    """Return a language's English name ("Arabic") for its code, or the code itself."""
    return LANGUAGE_NAMES.get((code or "").split("-")[0].lower(), code or "an unknown language")


def why_no_claims(document: dict) -> str:
    """Return why extraction found no claim in a document (its body and language)."""
    text, language = document.get("body") or "", document.get("language")
    words = len(text.split())
    if words < MIN_WORDS:
        return f"The text has {words} word{'s' if words != 1 else ''}, too few to hold a claim."
    if not is_english(language):
        count = len(segment_any(text))
        return (f"Read as {language_name(language)}: none of its {count} sentence{'s' if count != 1 else ''} "
                "carries a figure, a quotation or an attribution (the cues used for languages other than English).")
    sentences = segment(text)
    found = candidates(sentences)
    if not found:
        return (f"None of its {len(sentences)} sentence{'s' if len(sentences) != 1 else ''} reads as a statement of "
                "fact: each is a question, a fragment, a heading or a table row.")
    best, threshold = max(scorers.score_sentences([c.text for c in found])), scorers.checkworthy_threshold()
    if best < threshold:
        return (f"{len(found)} statement{'s' if len(found) != 1 else ''} found, but none scored as check-worthy "
                f"(best {best:.2f}; the threshold is {threshold:.2f}).")
    return (f"{len(found)} statement{'s' if len(found) != 1 else ''} found, but each was an opinion, a call to act "
            "or a hedged guess with nothing concrete to check.")
