"""Dates and ages as exports write them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nuso.core.intake.dates import parse_age, parse_date, parse_date_cell, parse_year


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2023-03-07", dt.date(2023, 3, 7)),
        ("2023-03-07 14:30:00", dt.date(2023, 3, 7)),  # Excel date-times as the reader gives
        ("7/3/2023", dt.date(2023, 3, 7)),  # Swedish: day first
        ("07.03.2023", dt.date(2023, 3, 7)),
        ("20230307", dt.date(2023, 3, 7)),  # compact, as many case systems write
        ("20231307", None),  # no 13th month: a number, not a date
        ("2023-02-30", None),
        ("A-4711", None),
        ("", None),
    ],
)
def test_dates_in_the_forms_exports_use(text: str, date: dt.date | None) -> None:
    assert parse_date(text) == date


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("45124", dt.date(2023, 7, 17)),  # Excel's serial number, as a date cell unformatted
        ("45124.5", dt.date(2023, 7, 17)),  # noon that day
        ("32874", dt.date(1990, 1, 1)),  # the first serial read as a date
        ("32873", None),  # 1989: no date of a child or a case here
        ("73051", None),  # 2100
        ("2023-07-17", dt.date(2023, 7, 17)),  # dates written out as everywhere
        ("4512", None),
    ],
)
def test_a_date_columns_cell_may_be_an_excel_serial_number(text: str, date: dt.date | None) -> None:
    assert parse_date_cell(text) == date


def test_a_serial_number_is_no_date_outside_a_date_column() -> None:
    assert parse_date("45124") is None


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_every_form_of_a_date_reads_back_the_same(date: dt.date) -> None:
    for text in (date.isoformat(), f"{date.day}/{date.month}/{date.year}", date.strftime("%Y%m%d")):
        assert parse_date(text) == date


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("15", 15),
        ("15 år", 15),
        ("15,5", 15),  # completed years
        ("15.0", 15),
        ("7 mån", 0),  # an infant's age in months
        ("18 månader", 1),
        ("11 mnd", 0),
        ("femton", None),
        ("15-17", None),  # an age group is no age
    ],
)
def test_ages_in_years_or_months(text: str, age: int | None) -> None:
    assert parse_age(text) == age


def test_birth_years() -> None:
    assert parse_year("2011") == 2011
    assert parse_year("2011.0") == 2011
    assert parse_year("11") is None


def test_a_swedish_short_date_has_its_year_after_a_dash() -> None:
    assert parse_date("5/3-23") == dt.date(2023, 3, 5)
    assert parse_date(" 31/12-2022 ") == dt.date(2022, 12, 31)
    assert parse_date("2/1-99") == dt.date(1999, 1, 2)
    assert parse_date("30/2-23") is None


@pytest.mark.parametrize(
    ("text", "date"),
    [("20130613-XXXX", dt.date(2013, 6, 13)), ("130613-xxxx", dt.date(2013, 6, 13)),
     ("20181024 ****", dt.date(2018, 10, 24)), ("991231-XXXX", dt.date(1999, 12, 31)),
     ("130613+XXXX", dt.date(1913, 6, 13)), ("251231-XXXX", dt.date(2025, 12, 31)),
     ("20130613-XXX", None), ("20131313-XXXX", None), ("20130613-2382", None)],
)  # fmt: skip
def test_a_personnummer_with_its_last_four_digits_masked_is_its_birth_date(
    text: str, date: dt.date | None
) -> None:
    assert parse_date(text) == date
