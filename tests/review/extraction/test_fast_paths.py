"""Cheap paths around extraction's patterns read sentences exactly as the patterns they stand in for.

Each case is one a fast path could get wrong: a separator the lazy claim must not skip, a capital the
lookbehinds must still refuse, a gate word in another case or spelled with a letter ``re`` folds.
"""

import pytest

from review.extraction import filters
from review.extraction.quantities import dates
from review.extraction.attribution import TRAILING_LEFT, _split_trailing, frames, plausible_who


def _read(sentence):
    return [(f.claim, f.who, f.verb, f.quoted) for f in frames(sentence)]


@pytest.mark.parametrize("left, expected", [
    ('He said, "no," Smith', ('He said, "no', "Smith")),  # the lazy claim stops at the first separator that works
    ("Output, in tonnes, fell, the ministry", ("Output, in tonnes, fell", "the ministry")),
    ("Prices rose,” Smith", ("Prices rose", "Smith")),
    ("Prices rose ’ John O’Neil", ("Prices rose", "John O’Neil")),  # ’ separates and may sit in a name
    ("Prices rose’s way’ he", ("Prices rose’s way", "he")),
    ("Up 5 pct, «the» bank", ("Up 5 pct, «the", "bank")),
    ("Rates “will rise”, the Fed\n", ("Rates “will rise", "the Fed")),
    ("Rates, up; down, Jones  ", ("Rates, up; down", "Jones")),
    ("abc,  ", ("abc", " ")),  # a speaker of one space: no one, but the split the pattern makes
    ("a, b; c", None),  # ";" never in a speaker
    (", Smith", None),  # no claim before the comma
    ("Prices rose", None),
])
def test_trailing_speaker_split_is_the_lazy_patterns_split(left, expected):
    match = TRAILING_LEFT.match(left)
    assert (match and (match.group("claim"), match.group("who"))) == expected
    assert _split_trailing(left) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("Prices will rise,\n said John Smith, the analyst.", [("Prices will rise,\n ", "John Smith", "said", False)]),
    ("Prices will rise ”  said John Smith.", [("Prices will rise ”  ", "John Smith", "said", True)]),
    ("Prices will rise said John Smith.", [("Prices will rise said John Smith.", None, None, False)]),
])
def test_a_separator_before_spaces_and_line_breaks_inverts_the_attribution(sentence, expected):
    assert _read(sentence) == expected


@pytest.mark.parametrize("noun", ["REPORTS", "Allegations", "reportſ"])
def test_amid_reports_is_read_in_any_case_and_with_a_folded_letter(noun):
    assert _read(f"The ministry lost 3 million euros amid {noun} that the minister resigned.") == [
        ("The ministry lost 3 million euros ", None, None, False),
        ("the minister resigned.", noun, "report", False),
    ]


def test_amid_without_a_reporting_noun_is_no_frame():
    sentence = "The ministry lost 3 million euros amid fears that the minister resigned."
    assert _read(sentence) == [(sentence, None, None, False)]


@pytest.mark.parametrize("verb, claim", [
    ("added", "output rose 5 pct"),  # a nested "a spokesman added" is cut from the claim
    ("noted", "output rose 5 pct, a spokesman noted."),  # not one of the nested verbs: kept
])
def test_nested_speaker_is_cut_only_after_its_verbs(verb, claim):
    assert _read(f"Acme told Reuters that output rose 5 pct, a spokesman {verb}.") == [(claim, "Acme", "told", False)]


@pytest.mark.parametrize("text, names", [
    ("Smith said so.", []),  # opens the text
    ("The rise. Smith said so.", []),  # opens a sentence
    ("It rose.\nSmith said", []),
    ("the OPEC deal", ["OPEC"]),
    ("a USA", ["USA"]),
    ("(Smith)", ["Smith"]),
    ("U.S. output", []),
    ("rose 5Smith x", []),  # inside a word
    ("McDonald", []),
    ("said A", []),
])
def test_named_actor_is_a_capitalized_word_inside_a_sentence_or_an_acronym(text, names):
    assert [m.group(0) for m in filters.NAMED_ACTOR.finditer(text)] == names


@pytest.mark.parametrize("claim, opinion", [
    ("We should've known they have a plan.", True),  # "should" inside "should've"
    ("Ministers SHOULD resign over the deficit.", True),
    ("We Have To cut the deficit now.", True),
    ("Let's cut rates by 2 pct.", True),
    ("The deficit is Important to investors.", True),
    ("The plan is ſad, they have said.", True),  # "ſ" folds to "s" in re, not in str.lower
    ("The plan is sad-looking, they have said.", False),
    ("The bank raised rates by 2 pct.", False),
])
def test_opinions_are_found_in_any_case(claim, opinion):
    assert filters.is_opinion(claim) is opinion


@pytest.mark.parametrize("text, found", [
    ("٣ March 1987", ["٣ March 1987"]),  # any decimal digit opens "26 February"
    ("$1987 and 1,1987 .1987 1987pct 1987 % in 1987", ["1987"]),  # a year only where no sum or percentage
    ("profit rose 20 pct in 1986 from 2015 levels", ["1986", "2015"]),
    ("Jan. 5, 1987", ["Jan. 5, 1987"]),
    ("Sept 1987 and Sep 19", ["Sept 1987", "Sep 19"]),  # the month whose dot or space follows
    ("19 Sept. 1987", ["19 Sept. 1987"]),
    ("since mid-March 3", ["March 3"]),
    ("end of\nJanuary", ["January"]),
    ("earlier  this week and earlier this week", ["this week", "earlier this week"]),
    ("Today, tonight and yesterday", ["tonight", "yesterday"]),
    ("last Monday", ["last Monday"]),
])
def test_dates_are_read_by_their_first_character_as_by_every_form(text, found):
    assert dates(text) == found


@pytest.mark.parametrize("who, plausible", [
    ("the ministry", True), ("Smith", True), ("a survey", True), ("officials", True), ("it", True),
    ("we", False), ("20,000 times", False), ("about 30 percent", False), ("30 pct of voters", False),
    ("the bank and the", False), ("prices rose", False), ('"Smith,"', False),
])
def test_a_speaker_is_no_figure_clause_or_dangling_determiner(who, plausible):
    assert plausible_who(who) is plausible
