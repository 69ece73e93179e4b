"""The one date module: the clock, typed dates, and the lenient reading of other people's dates."""

from datetime import date, datetime, timezone

import pytest

from review.dates import clean_day, clean_day_field, normalize_date, now, parse_timestamp, read_date, to_day
from review.errors import ValidationError


def test_now_is_utc_to_the_second():
    stamp = now()
    moment = datetime.fromisoformat(stamp)
    assert moment.tzinfo == timezone.utc and moment.microsecond == 0


def test_parse_timestamp_reads_what_now_writes_and_assumes_utc_without_a_zone():
    assert parse_timestamp("2024-12-08T10:00:00+00:00") == datetime(2024, 12, 8, 10, tzinfo=timezone.utc)
    assert parse_timestamp("2024-12-08T10:00:00").tzinfo == timezone.utc
    with pytest.raises(ValueError):
        parse_timestamp("yesterday")


@pytest.mark.parametrize("value, day", [
    ("2024-12-08", date(2024, 12, 8)), ("2024-12-08T23:59:00+05:00", date(2024, 12, 8)),
    ("", None), (None, None), ("2024-02-30", None), ("soon", None),
])
def test_to_day_takes_the_day_a_stored_value_starts_with(value, day):
    assert to_day(value) == day


@pytest.mark.parametrize("value, cleaned", [
    ("2024-12-08", "2024-12-08"), (" 2024-12-08 ", "2024-12-08"), ("2024-12-08T10:00", "2024-12-08"),
    ("", None), (None, None),
])
def test_clean_day_accepts_a_typed_date(value, cleaned):
    assert clean_day(value, "appeared_at") == cleaned


@pytest.mark.parametrize("value", ["08/12/2024", "2024-13-01", "December 8", "2024", 20241208])
def test_clean_day_refuses_anything_else_on_its_field(value):
    with pytest.raises(ValidationError) as error:
        clean_day(value, "since")
    assert error.value.fields == {"since": "use a date like 2024-12-08"}


def test_clean_day_field_gathers_the_message_for_a_form():
    values, errors = {"appeared_at": "2024-12-08T10:00", "since": "tomorrow"}, {}
    clean_day_field(values, "appeared_at", errors)
    clean_day_field(values, "since", errors)
    assert values["appeared_at"] == "2024-12-08" and errors == {"since": "use a date like 2024-12-08"}
    with pytest.raises(ValidationError):
        clean_day(None, "date", required=True)


@pytest.mark.parametrize("value, parsed", [
    ("2016-03-01", "2016-03-01"),
    ("20160301", "2016-03-01"),
    ("2016-03-01T10:00:00Z", "2016-03-01T10:00:00+00:00"),
    ("2016-03-01T10:00:00.123456+02:00", "2016-03-01T10:00:00+02:00"),
    ("2016-03-01 10:00", "2016-03-01T10:00:00"),
    ("2016/03/01", "2016-03-01"),
    ("March 1, 2016", "2016-03-01"),
    ("Mar. 1 2016", "2016-03-01"),
    ("1st March 2016", "2016-03-01"),
    ("Tuesday, 1 March 2016", "2016-03-01"),
    ("Sept 9, 2016", "2016-09-09"),
    ("Tue, 01 Mar 2016 10:00:00 GMT", "2016-03-01T10:00:00+00:00"),
    ("01 Mar 2016 10:00:00 +0200", "2016-03-01T10:00:00+02:00"),
    ("19-OCT-1987 01:12:07.00", "1987-10-19T01:12:07"),
    ("19-Oct-1987", "1987-10-19"),
    ("13/03/2016", "2016-03-13"),
    ("03/13/2016", "2016-03-13"),
    ("13.03.2016", "2016-03-13"),
    ("01/01/2016", "2016-01-01"),
])
def test_read_date_reads_the_formats_publishers_use(value, parsed):
    assert read_date(value) == (parsed, None)
    assert normalize_date(value) == parsed


@pytest.mark.parametrize("value, problem", [
    ("01/03/2016", "'01/03/2016' is ambiguous (day/month or month/day)"),
    ("2016/02/30", "'2016/02/30' is not a valid date"),
    ("31/31/2016", "'31/31/2016' is not a valid date"),
    ("2016", "'2016' is not a date format Claimdesk reads"),
    ("2024-02-30", "'2024-02-30' is not a date format Claimdesk reads"),
    ("le 1er mars", "'le 1er mars' is not a date format Claimdesk reads"),
])
def test_read_date_leaves_what_it_cannot_read_empty_and_says_why(value, problem):
    assert read_date(value) == (None, problem)
    assert normalize_date(value) is None


def test_read_date_without_a_value_has_no_problem():
    assert read_date(None) == (None, None) and read_date("  ") == (None, None)
