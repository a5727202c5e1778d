"""Made-up Norwegian identity numbers for the tests, their check digits computed by python-stdnum:
no real person's number is written into the repository."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from hypothesis import assume
from hypothesis import strategies as st
from stdnum.no import fodselsnummer

Kind = Literal["fødselsnummer", "D-nummer", "H-nummer"]
KINDS: tuple[Kind, ...] = ("fødselsnummer", "D-nummer", "H-nummer")


def with_check_digits(nine: str) -> str | None:
    """Nine digits and stdnum's two check digits; None when one would be 10 (no number)."""
    first = fodselsnummer.calc_check_digit1(nine)
    second = fodselsnummer.calc_check_digit2(nine + first)
    return None if len(first + second) != 2 else nine + first + second


def made_up(
    born: dt.date, individual: int, kind: Kind = "fødselsnummer", tenor: bool = False
) -> str | None:
    """A valid number of the kind for the birth date and individual number (whose range must
    be the century's); Tenor's synthetic numbers add 80 to the month. None when no check
    digits exist for it."""
    day = born.day + (40 if kind == "D-nummer" else 0)
    month = born.month + (40 if kind == "H-nummer" else 0) + (80 if tenor else 0)
    return with_check_digits(f"{day:02d}{month:02d}{born:%y}{individual:03d}")


def a_number(
    born: dt.date, individual: int, kind: Kind = "fødselsnummer", tenor: bool = False
) -> str:
    """`made_up` with the first individual number from `individual` on, of its parity (the
    sex), that has check digits."""
    for candidate in range(individual, individual + 40, 2):
        if number := made_up(born, candidate, kind, tenor):
            return number
    raise AssertionError(f"no number for {born} from {individual}")


def an_fh_number(start: str = "8") -> str:
    """An FH-nummer: 8 or 9 first, then made-up digits and stdnum's check digits."""
    for tail in range(10_000_000, 20_000_000, 7_919):
        if number := with_check_digits(f"{start}{tail:08d}"):
            return number
    raise AssertionError("no FH-nummer")


def individuals(year: int) -> st.SearchStrategy[int]:
    """Individual numbers that give the year's century (stdnum's ranges)."""
    if year >= 2000:
        return st.integers(500, 999)
    if year >= 1940:
        return st.one_of(st.integers(0, 499), st.integers(900, 999))
    return st.integers(0, 499)


@st.composite
def numbers(
    draw: st.DrawFn,
    kinds: tuple[Kind, ...] = KINDS,
    tenor: st.SearchStrategy[bool] | None = None,
    born_until: dt.date = dt.date(2026, 11, 1),
) -> tuple[str, dt.date, str, bool]:
    """(number, birth date, sex, Tenor's) for a made-up valid number."""
    born = draw(st.dates(dt.date(1900, 1, 1), born_until))
    individual = draw(individuals(born.year))
    kind = draw(st.sampled_from(kinds))
    synthetic = draw(tenor if tenor is not None else st.booleans())
    if kind == "H-nummer":
        synthetic = False  # month + 40 + 80 is past 99: no Tenor H-nummer
    number = made_up(born, individual, kind, synthetic)
    assume(number is not None)
    assert number is not None
    return number, born, "pojke" if individual % 2 else "flicka", synthetic
