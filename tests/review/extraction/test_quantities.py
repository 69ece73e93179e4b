"""Quantities and dates found in claims."""

import pytest

from review.extraction.quantities import dates, quantities


@pytest.mark.parametrize("text, value, unit, kind", [
    ("forces neutralized a total of 2,500 terrorists", 2500, "terrorists", "count"),
    ("profits jumped 76% in the quarter", 76, "percent", "percent"),
    ("sales rose 12 pct", 12, "percent", "percent"),
    ("a profit of $1.13bn last year", 1_130_000_000, "USD", "money"),
    ("the plan costs 1.2 billion euros", 1_200_000_000, "EUR", "money"),
    ("about 50 mln dlrs in aid", 50_000_000, "USD", "money"),
    ("at 20.625 dlrs per share", 20.625, "USD per share", "money"),
    ("the city has 1.2 billion residents", 1_200_000_000, "residents", "count"),
    ("it recruited 300 armed militants", 300, "armed militants", "count"),
])
def test_quantities_are_parsed_with_what_they_count(text, value, unit, kind):
    [quantity] = quantities(text)
    assert (quantity["value"], quantity["unit"], quantity["kind"]) == (value, unit, kind)


def test_years_and_calendar_days_are_dates_not_quantities():
    text = "In 2015, on Feb 26, the group signed a deal worth $5m, and met again on 9 January 2016."
    assert [q["value"] for q in quantities(text)] == [5_000_000]
    assert dates(text) == ["2015", "Feb 26", "9 January 2016"]


def test_a_range_shares_its_unit():
    assert [(q["value"], q["unit"]) for q in quantities("prices rose to 340 to 350 cruzados")] == [
        (340, "BRC"), (350, "BRC")]
