from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from nuso.core.intake.personal_numbers import PersonalNumber, age_on, luhn_digit


def luhn_valid(ten_digits: str) -> bool:
    """An independent Luhn check over all ten digits (weights 2,1,2,... from the left)."""
    total = 0
    for index, char in enumerate(ten_digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def test_the_tax_agency_example() -> None:
    assert luhn_digit("811218987") == 6  # 811218-9876, the textbook example


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)),
    st.integers(min_value=0, max_value=999),
)
def test_every_number_is_luhn_valid_and_keeps_date_and_sex(birth: dt.date, serial: int) -> None:
    number = PersonalNumber(birth, serial)
    assert luhn_valid(number.ten_digits)
    long = number.formatted("long")
    assert long[:8] == f"{birth:%Y%m%d}"
    assert (int(long[-2]) % 2 == 1) == (number.sex == "pojke")
    assert number.formatted("short") == f"{long[2:8]}-{long[9:]}"


def test_plus_separator_from_the_hundredth_birthday() -> None:
    number = PersonalNumber(dt.date(1920, 5, 1), 123)
    assert "+" in number.formatted("short", on=dt.date(2020, 5, 1))
    assert "-" in number.formatted("short", on=dt.date(2020, 4, 30))


def test_age_turns_on_the_birthday() -> None:
    assert age_on(dt.date(2010, 3, 15), dt.date(2023, 3, 14)) == 12
    assert age_on(dt.date(2010, 3, 15), dt.date(2023, 3, 15)) == 13
