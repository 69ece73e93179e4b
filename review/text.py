"""Text as it is stored: one normalization for every field a person, a file or a request supplies.

A stored text is a ``str`` (a list, a number or an object is refused, never turned into
``"['a']"``), in Unicode NFC, with ``\\n`` line breaks, and without control characters: NUL
and the other C0/C1 controls, the byte-order mark and the bidirectional overrides that can make
text read differently from what it holds. Tabs survive in multi-line text; single-line fields
fold every run of whitespace into one space. Joiners (ZWJ, ZWNJ) and the left/right marks stay:
scripts and emoji need them. NFC, not NFKC: compatibility folding would turn "10²" into "102".
"""

import re
import unicodedata

from review.errors import ValidationError

LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x85\x0b\x0c]")
CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufeff\ufff9-\ufffb\u202a-\u202e\u2066-\u2069]")
WHITESPACE = re.compile(r"\s+")
BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(value: str, *, multiline: bool = False) -> str:
    """Return ``value`` normalized for storage (see the module's docstring), trimmed.

    The line-break and blank-line patterns run only on a text holding what they replace: asking
    ``in`` for each of LINE_BREAKS' characters (or "\\n\\n\\n") scans a text several times faster.
    """
    if ("\r" in value or "\x0b" in value or "\x0c" in value or "\x85" in value or "\u2028" in value
            or "\u2029" in value):
        value = LINE_BREAKS.sub("\n", value)
    text = CONTROLS.sub("", unicodedata.normalize("NFC", value))
    if multiline:
        text = "\n".join(line.rstrip() for line in text.split("\n"))
        return (BLANK_LINES.sub("\n\n", text) if "\n\n\n" in text else text).strip()
    return WHITESPACE.sub(" ", text).strip()


def text_field(values: dict, name: str, errors: dict, *, multiline: bool = False, required: bool = False,
               max_length: int | None = None) -> str | None:
    """Return one field of ``values`` as stored text, or None when absent or empty; add a problem to ``errors``.

    :param required: an absent or empty value is a problem.
    :param max_length: the most characters the cleaned text may have.
    """
    value = values.get(name)
    if value is None:
        if required:
            errors[name] = "is required"
        return None
    if not isinstance(value, str):
        errors[name] = "must be text"
        return None
    text = clean_text(value, multiline=multiline)
    if required and not text:
        errors[name] = "is required"
    elif max_length is not None and len(text) > max_length:
        errors[name] = f"is {len(text):,} characters long; the most is {max_length:,}"
    return text or None


def require_text(value, name: str, *, multiline: bool = False, required: bool = False,
                 max_length: int | None = None) -> str:
    """Return one value as stored text ("" when absent and not required).

    :raises ValidationError: the value is not a string, is required and empty, or is too long.
    """
    errors: dict[str, str] = {}
    text = text_field({name: value}, name, errors, multiline=multiline, required=required, max_length=max_length)
    if errors:
        raise ValidationError(errors)
    return text or ""
