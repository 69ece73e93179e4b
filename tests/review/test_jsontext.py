"""Untrusted JSON: the nesting limit counts levels, not brackets; strict and lenient reading stay apart."""

import pytest

from review.jsontext import MAX_DEPTH, BadJson, load_json, read_json_values


def nested(levels: int) -> str:
    """Return a value nested ``levels`` deep, arrays and objects in turn."""
    text = '"leaf"'
    for level in range(levels):
        text = f'{{"k": {text}}}' if level % 2 else f"[{text}]"
    return text


def test_a_value_at_the_limit_is_read_and_one_level_more_refused():
    assert load_json(nested(MAX_DEPTH)) is not None
    text = nested(MAX_DEPTH + 1)
    with pytest.raises(BadJson) as caught:
        load_json(text)
    column = [n for n, char in enumerate(text) if char in "[{"][MAX_DEPTH] + 1  # the bracket one level too deep
    assert str(caught.value) == f"JSON nested more than {MAX_DEPTH} levels deep (line 1, column {column})"


def test_brackets_inside_strings_are_not_levels():
    value = {"body": "[" * 300 + "{" * 300, "list": [[["x"]]]}
    text = '{"body": "' + "[" * 300 + "{" * 300 + '", "list": [[["x"]]]}'
    assert load_json(text) == value
    assert load_json(text, max_depth=4) == value  # the object, then three arrays
    with pytest.raises(BadJson):
        load_json(text, max_depth=3)


def test_array_elements_are_limited_one_by_one():
    values = list(read_json_values(f"[{nested(MAX_DEPTH)}, {nested(MAX_DEPTH + 1)}, 7]"))  # each element's own depth
    assert [n for n, _ in values] == [1, 2, 3]
    assert not isinstance(values[0][1], BadJson) and values[2][1] == 7
    assert isinstance(values[1][1], BadJson) and "nested more than" in str(values[1][1])


def test_control_characters_in_strings_only_when_lenient():
    assert load_json('{"body": "tab\there"}', strict=False) == {"body": "tab\there"}
    with pytest.raises(BadJson) as caught:
        load_json('{"body": "tab\there"}')
    assert caught.value.syntax
    assert load_json('{"body": "a"}', strict=False) == {"body": "a"}
