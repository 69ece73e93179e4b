"""Read untrusted JSON text: the one place the limits on what we parse live.

Every reader of JSON from outside (article files and JSON Lines, ClaimReview files and
JSON-LD blocks, API request bodies) parses through :func:`load_json` or
:func:`read_json_values`. Besides syntax errors they refuse, with a :class:`BadJson` that
names the line and column, values nested more than :data:`MAX_DEPTH` levels deep (the
code that walks a record stays far from Python's recursion limit) and integers longer
than Python reads (4,300 digits). :func:`read_json_values` reads a top-level array
element by element, so one bad element is reported at its position and the others kept.
"""

import json
import re
import sys
from collections.abc import Iterator

MAX_DEPTH = 100
# Strings (skipped whole), container brackets and commas: enough to walk JSON's structure.
TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},]', re.DOTALL)
WHITESPACE = re.compile(r"[ \t\n\r]*")
DECODERS = {strict: json.JSONDecoder(strict=strict) for strict in (True, False)}  # each holds no state between calls


class BadJson(ValueError):
    """JSON text we do not read: why, and where (1-based ``line`` and ``column``, when known).

    ``syntax`` is True for malformed JSON (``reason`` is then the parser's own message,
    "Expecting value"), False for well-formed JSON over a limit; ``extra_data`` marks a
    valid value followed by more text (perhaps JSON Lines).
    """

    def __init__(self, reason: str, line: int | None = None, column: int | None = None, *,
                 syntax: bool = False, extra_data: bool = False):
        self.reason = reason
        self.line = line
        self.column = column
        self.syntax = syntax
        self.extra_data = extra_data
        super().__init__(str(self))

    def __str__(self) -> str:
        reason = f"not valid JSON: {self.reason}" if self.syntax else self.reason
        return reason if self.line is None else f"{reason} (line {self.line}, column {self.column})"


def load_json(text: str, *, max_depth: int = MAX_DEPTH, strict: bool = True):
    """Parse one JSON document.

    :raises BadJson: a syntax error, too deep a value or too long a number.
    """
    decoder = DECODERS[bool(strict)]
    start = WHITESPACE.match(text).end()
    try:
        value, end = _decode(decoder, text, start, max_depth)
    except _Unusable as error:
        raise error.bad from None
    end = WHITESPACE.match(text, end).end()
    if end != len(text):
        raise _at("Extra data", text, end, syntax=True, extra_data=True)
    return value


def read_json_values(text: str, *, max_depth: int = MAX_DEPTH,
                     strict: bool = True) -> Iterator[tuple[int | None, object]]:
    """Yield the values of a JSON document: (N, element) for each element of a top-level array, else (None, value).

    An element too deep or holding too long a number yields (N, BadJson) and the others are
    still read. A syntax error anywhere yields only (None, BadJson): the file is not JSON.
    """
    start = WHITESPACE.match(text).end()
    if not text.startswith("[", start):
        try:
            yield None, load_json(text, max_depth=max_depth, strict=strict)
        except BadJson as error:
            yield None, error
        return
    try:
        values = _array_elements(text, start, max_depth, DECODERS[bool(strict)])
    except BadJson as error:
        yield None, error
        return
    yield from enumerate(values, start=1)


def _array_elements(text: str, start: int, max_depth: int, decoder: json.JSONDecoder) -> list:
    """Return the elements of the array at ``start``, a BadJson in place of each unusable one."""
    values: list = []
    position = WHITESPACE.match(text, start + 1).end()
    if text.startswith("]", position):
        return _after_value(text, position + 1, values)
    while True:
        try:
            value, position = _decode(decoder, text, position, max_depth)
        except _Unusable as error:
            value, position = error.bad, _skip_value(text, position)
        values.append(value)
        position = WHITESPACE.match(text, position).end()
        if text.startswith("]", position):
            return _after_value(text, position + 1, values)
        if not text.startswith(",", position):
            raise _at("Expecting ',' delimiter", text, position, syntax=True)
        position = WHITESPACE.match(text, position + 1).end()


def _after_value(text: str, position: int, values: list) -> list:
    position = WHITESPACE.match(text, position).end()
    if position != len(text):
        raise _at("Extra data", text, position, syntax=True, extra_data=True)
    return values


class _Unusable(Exception):
    """Well-formed JSON we refuse (too deep, too long a number); ``bad`` is the error to report."""

    def __init__(self, bad: BadJson):
        super().__init__(str(bad))
        self.bad = bad


def _decode(decoder: json.JSONDecoder, text: str, start: int, max_depth: int) -> tuple[object, int]:
    """Decode the value at ``start``; return it and where it ends."""
    try:
        value, end = decoder.raw_decode(text, start)
    except json.JSONDecodeError as error:
        raise _at(error.msg, text, error.pos, syntax=True) from None
    except RecursionError:
        raise _Unusable(_too_deep(text, start, max_depth)) from None
    except ValueError:  # int() refuses more digits than sys.get_int_max_str_digits()
        raise _Unusable(_long_number(text, start)) from None
    # Each level of nesting opens with a bracket of its own, so a value whose text holds no more brackets
    # than the limit (in strings too: an upper bound) cannot be too deep, and is not walked.
    if text.count("[", start, end) + text.count("{", start, end) > max_depth and _depth_exceeds(value, max_depth):
        raise _Unusable(_too_deep(text, start, max_depth))
    return value, end


def _depth_exceeds(value, limit: int) -> bool:
    """Return True when arrays and objects nest more than ``limit`` levels (iteratively: no recursion)."""
    stack = [(value, 1)] if isinstance(value, (dict, list)) else []
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def _too_deep(text: str, start: int, limit: int) -> BadJson:
    depth = 0
    for match in TOKENS.finditer(text, start):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return _at(f"JSON nested more than {limit} levels deep", text, match.start())
        elif token in "]}":
            depth -= 1
            if depth <= 0:
                break
    return BadJson("JSON nested too deeply")


def _long_number(text: str, start: int) -> BadJson:
    limit = sys.get_int_max_str_digits()
    pattern = re.compile(r'"(?:[^"\\]|\\.)*"|-?\d{%d,}' % (limit + 1), re.DOTALL)
    for match in pattern.finditer(text, start):
        if not match.group().startswith('"'):
            return _at(f"a number longer than {limit} digits", text, match.start())
    return BadJson(f"a number longer than {limit} digits")


def _skip_value(text: str, start: int) -> int:
    """Return where the value at ``start`` ends (at the ``,`` or ``]`` after it), to read on past it."""
    depth = 0
    for match in TOKENS.finditer(text, start):
        token = match.group()
        if token in "[{":
            depth += 1
        elif token in "]}":
            if depth == 0:
                return match.start()
            depth -= 1
        elif token == "," and depth == 0:
            return match.start()
    raise _at("Expecting ',' delimiter", text, len(text), syntax=True)


def _at(reason: str, text: str, position: int, **flags) -> BadJson:
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return BadJson(reason, line, column, **flags)
