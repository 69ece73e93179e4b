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


def test_a_claim_like_two_kept_claims_repeats_the_one_sharing_more_words():
    words = [f"w{n}" for n in "abcdefghij"]
    repeats = NearDuplicates()
    assert repeats.find_or_keep(" ".join(words[:9] + ["zeta"])) is None
    assert repeats.find_or_keep(" ".join(words + ["xi", "psi"])) is None  # only 9 of 13 words shared: kept
    assert repeats.find_or_keep(" ".join(words)) == 1  # like both (9/11 and 10/12): the one sharing 10 words


def test_in_a_long_document_a_repeat_is_found_past_common_words():
    repeats = NearDuplicates()
    names = [chr(97 + n // 26) + chr(97 + n % 26) for n in range(60)]  # letters only: all in one numbers group
    for name in names:
        assert repeats.find_or_keep(f"the ministry said on monday that item q{name} and r{name} and s{name} rose") is None
    assert repeats.find_or_keep("the ministry said on monday that item qbc and rbc and sbc rose sharply") == 28
