"""Near-duplicate claims: the numbers and words a claim is compared by, read the fast way, equal the plain rule."""

import re
import string

import pytest

from review.extraction.pipeline import normalize_claim
from review.extraction.repeats import NearDuplicates, numbers, words_in

NUMBER_WORD = re.compile(r"(?<!\w)[^\W\d]*+\d\w*")  # the rule: a whole run of word characters holding a digit

ODD = [
    "", "1", "x1", "1x", "q1 output", "the a320 and b-737", "1,000.5 pct", "x_1 _4 c_3", "mid-1987", "٣ أيام",
    "５x and x５", "²3 but ² alone", "é1 ü", "rose 5% to 12.5 mln dlrs in 1986/87", "(12)", "no figures here",
    "ends in 9", "9 starts", "a1b2c3 a1b2c3", "tab\t7\nline",
]


@pytest.mark.parametrize("text", ODD)
def test_numbers_are_the_whole_words_that_hold_a_digit(text):
    assert numbers(text) == tuple(sorted(set(NUMBER_WORD.findall(text))))


@pytest.mark.parametrize("text", ODD + [string.printable, string.punctuation + "ab_c9", "naïve café, 5 €"])
def test_words_are_the_word_pattern_s(text):
    assert words_in(text) == re.findall(r"\w+", text)


def test_a_figure_named_by_letters_and_digits_keeps_claims_apart():
    repeats = NearDuplicates()
    first = "Airbus said orders for the A320 rose 5 pct in the first quarter of the year to a record"
    assert repeats.find_or_keep(first) is None
    assert repeats.find_or_keep(first.replace("A320", "B320")) is None  # another aircraft: another claim
    assert repeats.find_or_keep(first.replace("a record", "the record")) == 0


@pytest.mark.parametrize("text", ODD + ["The Kelvin sign \u212a and \u0130stanbul", "  Rose 5 PCT,  in 1986!  "])
def test_a_claims_comparison_key_is_its_lower_case_words(text):
    assert normalize_claim(text) == " ".join(re.findall(r"\w+", text.lower()))
