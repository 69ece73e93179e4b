"""Sentence segmentation: abbreviations, quotations, offsets, hard-wrapped wire copy."""

from review.extraction.sentences import segment


def sentences(text: str) -> list[str]:
    """Return just the sentence texts of segment(text)."""
    return [sentence for _, _, sentence in segment(text)]


def test_segment_keeps_abbreviations_numbers_and_initials_inside_sentences():
    text = ("The U.S. Treasury sold 2,500 bonds at 3.5 pct on Jan. 5, Mr. Smith said. "
            "John F. Kennedy Airport handled 1.2 million passengers.")
    assert sentences(text) == [
        "The U.S. Treasury sold 2,500 bonds at 3.5 pct on Jan. 5, Mr. Smith said.",
        "John F. Kennedy Airport handled 1.2 million passengers.",
    ]


def test_segment_ends_a_sentence_at_us_when_a_new_one_starts():
    assert sentences("He was born in the U.S. The family moved to Ohio.") == [
        "He was born in the U.S.", "The family moved to Ohio."]


def test_segment_keeps_a_quotation_that_spans_sentences_together():
    text = "“We will rebuild. We will not leave,” the mayor said. Then she left."
    assert sentences(text) == ["“We will rebuild. We will not leave,” the mayor said.", "Then she left."]


def test_segment_offsets_point_into_the_text():
    text = "First line here.\n\n  Second one, with “a quote.” Third one?"
    for start, end, sentence in segment(text):
        assert text[start:end] == sentence
    assert sentences(text) == ["First line here.", "Second one, with “a quote.”", "Third one?"]


def test_segment_reads_hard_wrapped_wire_copy():
    text = ("The company said it would cut\n2,500 jobs at its U.S.\nplants next year.\n"
            "    It said sales fell 12 pct\nin the quarter.\n Reuter\n")
    assert sentences(text) == [
        "The company said it would cut\n2,500 jobs at its U.S.\nplants next year.",
        "It said sales fell 12 pct\nin the quarter.",
        "Reuter",
    ]


def test_segment_treats_single_line_breaks_as_paragraphs_in_unwrapped_text():
    text = "A headline without a stop\nThe first paragraph is a long sentence about something that happened today."
    assert sentences(text)[0] == "A headline without a stop"


def test_segment_trims_any_kind_of_space_and_keeps_exact_offsets():
    text = ("\u3000 Output rose 5 pct.\u2028\x1c Prices fell.\u00a0\n\n\t \n"
            "  \x0b\u2003Exports doubled in 1986.\u2029 \n\n   \u3000  \n")
    found = segment(text)
    assert [sentence for _, _, sentence in found] == ["Output rose 5 pct.", "Prices fell.", "Exports doubled in 1986."]
    assert all(text[start:end] == sentence for start, end, sentence in found)
