"""Norwegian identity numbers (fødselsnummer, D-, H- and FH-nummer, Tenor's synthetic numbers)
are found in any text, checked as python-stdnum checks them, and pseudonymised as Swedish
numbers are: with the birth date and sex they carry, never inside a longer run of digits."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum.exceptions import InvalidComponent, ValidationError
from stdnum.no import fodselsnummer

from nuso.core.intake.masking import masked_texts
from nuso.core.intake.norwegian_numbers import norwegian_number
from nuso.core.intake.personal_numbers import PersonalNumber
from nuso.core.intake.pseudonyms import (
    INVALID_MARK,
    born_of,
    find_numbers,
    masked,
    may_hold_numbers,
    pseudonym,
    pseudonymise,
    sex_of,
)
from tests.norwegian import a_number, an_fh_number, numbers, with_check_digits

KEY = "test-key-" + "k" * 32
TODAY = dt.date(2026, 11, 22)
SEPARATORS = ("", " ", "-", "–", " - ", "\u00a0")
filler = st.text(alphabet=st.characters(blacklist_categories=("Nd", "Cs")), max_size=20)
separators = st.sampled_from(SEPARATORS)


def written(number: str, separator: str = "") -> str:
    return f"{number[:6]}{separator}{number[6:]}"


def norwegian_found(text: str, today: dt.date = TODAY) -> list[str]:
    return [f.canonical for f in find_numbers(text, today) if f.canonical and f.canonical[0] == "n"]


# Each kind


@pytest.mark.parametrize(
    ("kind", "tenor", "born", "individual", "sex"),
    [
        ("fødselsnummer", False, dt.date(2012, 3, 14), 523, "pojke"),
        ("fødselsnummer", False, dt.date(1987, 11, 30), 246, "flicka"),
        ("fødselsnummer", False, dt.date(1963, 6, 2), 916, "flicka"),  # 900-999: 1940-1999
        ("D-nummer", False, dt.date(2010, 7, 5), 613, "pojke"),
        ("H-nummer", False, dt.date(2019, 12, 24), 800, "flicka"),
        ("fødselsnummer", True, dt.date(2015, 2, 28), 782, "flicka"),
        ("D-nummer", True, dt.date(2009, 9, 9), 555, "pojke"),
    ],
)
def test_each_kind_is_found_with_its_birth_date_and_sex(kind, tenor, born, individual, sex) -> None:
    number = a_number(born, individual, kind, tenor)
    (found,) = find_numbers(f"Barnet {number} är aktuellt", TODAY)
    assert found.canonical == f"no{number}"
    assert (born_of(found.canonical), sex_of(found.canonical)) == (born, sex)
    read = norwegian_number(number, TODAY)
    assert read is not None
    assert (read.kind, read.test) == (kind, tenor)


def test_stdnum_knows_d_and_h_numbers_but_not_tenors() -> None:
    """What decision 0022 says stdnum lacks: a Tenor number is no number to it."""
    for kind in ("D-nummer", "H-nummer"):
        assert fodselsnummer.is_valid(a_number(dt.date(2010, 7, 5), 613, kind))
    tenor = a_number(dt.date(2015, 2, 28), 782, tenor=True)
    assert tenor[2:4] == "82"
    assert not fodselsnummer.is_valid(tenor)
    assert find_numbers(tenor, TODAY)


def test_an_fh_number_is_masked_but_tells_no_birth_date_or_sex() -> None:
    """An FH-nummer (8 or 9 first) is a person's number without a date: masked, pseudonymised,
    and neither age nor sex derived from it. stdnum reads no birth date from one."""
    number = an_fh_number()
    with pytest.raises(InvalidComponent):
        fodselsnummer.get_birth_date(number)
    text, tokens = pseudonymise(f"Hjelpenummer {number}.", KEY, TODAY)
    assert text == f"Hjelpenummer [pnr:{tokens[0]}]."
    (found,) = find_numbers(number, TODAY)
    assert found.canonical is not None
    assert (born_of(found.canonical), sex_of(found.canonical)) == (None, None)
    read = norwegian_number(number)
    assert read is not None
    assert read.kind == "FH-nummer"


@pytest.mark.parametrize("separator", SEPARATORS)
def test_a_separator_after_the_date_is_read(separator) -> None:
    number = a_number(dt.date(2011, 1, 17), 601)
    text, tokens = pseudonymise(f"Syskon {written(number, separator)} bor hos mor", KEY, TODAY)
    assert text == f"Syskon [pnr:{tokens[0]}] bor hos mor"
    assert tokens == [pseudonym(f"no{number}", KEY)]


def test_a_number_with_a_check_digit_typed_wrong_is_masked_without_a_pseudonym() -> None:
    """A typo of a real number is still personal data: masked as invalid, never kept in clear
    and never followed (its pseudonym would be another child's or no one's)."""
    number = a_number(dt.date(2011, 1, 17), 601)
    for wrong in {number[:9] + f"{(int(number[9]) + 1) % 10}" + number[10],
                  number[:10] + f"{(int(number[10]) + 1) % 10}"}:  # fmt: skip
        for separator in SEPARATORS:
            text = f"Barnets nr {written(wrong, separator)} enligt anmälan"
            assert pseudonymise(text, KEY, TODAY) == (
                f"Barnets nr {INVALID_MARK} enligt anmälan",
                [],
            ), separator


@pytest.mark.parametrize(
    "kept",
    ["Konto 1234.56.78903", "Konto 12345678903", "Konto 86011117946", "Kundnr 31119912345"],
)
def test_eleven_digits_without_a_birth_date_or_valid_fh_pair_are_kept(kept) -> None:
    """An account number written with dots, eleven digits whose first six are no date (month
    34, a 31 November), or an FH-like number without its check digits: no number of a person."""
    assert pseudonymise(kept, KEY, TODAY) == (kept, [])


def test_a_birth_after_today_is_no_number() -> None:
    """As stdnum judges, but against the day the caller gives (the import's), not the clock's."""
    number = a_number(dt.date(2027, 3, 1), 503)
    assert find_numbers(number, TODAY) == []
    assert norwegian_found(number, dt.date(2027, 3, 1)) == [f"no{number}"]


# Boundaries: never inside a longer run of digits


def test_eleven_digits_inside_a_longer_run_are_no_number() -> None:
    number = a_number(dt.date(2011, 1, 17), 601)
    for text in (f"1{number}", f"{number}7", f"Tel 0047{number}", f"Ärende {number}2023",
                 f"{number[:6]}-{number[6:]}9", f"4{number[:6]} {number[6:]}"):  # fmt: skip
        assert norwegian_found(text) == [], text


def test_a_swedish_twelve_digit_number_holds_no_norwegian_one() -> None:
    """197001011234: its last eleven digits are never read as a Norwegian number."""
    swedish = PersonalNumber(dt.date(1970, 1, 1), 123).formatted("long_plain")
    assert swedish.startswith("197001011")
    assert norwegian_found(f"Mor {swedish}") == []
    assert [f.canonical for f in find_numbers(swedish, TODAY)] == [swedish]


@given(numbers(), st.sampled_from("0123456789"), st.booleans())
def test_a_digit_next_to_a_number_makes_it_no_norwegian_number(made_up, digit, before) -> None:
    number = made_up[0]
    text = f"{digit}{number}" if before else f"{number}{digit}"
    assert norwegian_found(text) == []


swedish_numbers = st.builds(
    PersonalNumber, st.dates(dt.date(1930, 1, 1), dt.date(2026, 11, 1)), st.integers(0, 999)
)


@given(swedish_numbers, st.sampled_from(("long", "long_plain", "short", "short_plain")))
def test_swedish_numbers_are_never_read_as_norwegian(number, style) -> None:
    assert norwegian_found(f"Barn {number.formatted(style, on=TODAY)} ok") == []


# Property tests against python-stdnum


@given(numbers(), separators, filler, filler)
def test_a_made_up_number_in_any_text_is_masked_with_its_birth_date_and_sex(
    made_up, separator, before, after
) -> None:
    number, born, sex, tenor = made_up
    text = f"{before}{written(number, separator)}{after}"
    safe, tokens = pseudonymise(text, KEY, TODAY)
    assert safe == f"{before}[pnr:{tokens[0]}]{after}"
    (found,) = find_numbers(text, TODAY)
    assert found.canonical == f"no{number}"
    assert (born_of(found.canonical), sex_of(found.canonical)) == (born, sex)
    read = norwegian_number(number, TODAY)
    assert read is not None
    assert read.test == tenor
    if not tenor:  # stdnum reads the same date and sex
        assert fodselsnummer.get_birth_date(number) == born
        assert fodselsnummer.get_gender(number) == ("M" if sex == "pojke" else "F")
        assert fodselsnummer.is_valid(number) == (born <= dt.date.today())


def expected(digits: str, today: dt.date) -> bool:
    """Whether eleven digits are a number: stdnum's verdict, and what it lacks (Tenor's month
    + 80, undone before its date is read, and FH-numbers, which have no date)."""
    if fodselsnummer.is_valid(digits):
        return True
    checked = fodselsnummer.calc_check_digit1(digits) == digits[9] and (
        fodselsnummer.calc_check_digit2(digits) == digits[10]
    )
    if not checked:
        return False
    if int(digits[:2]) >= 80:
        return True  # FH-nummer
    if int(digits[2:4]) <= 80:
        return False
    undone = f"{digits[:2]}{int(digits[2:4]) - 80:02d}{digits[4:]}"
    try:
        return fodselsnummer.get_birth_date(undone) <= today
    except ValidationError:
        return False


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_eleven_random_digits_are_a_number_iff_stdnum_says_so(digits) -> None:
    today = dt.date.today()  # stdnum's own today
    assert bool(norwegian_found(digits, today)) == expected(digits, today)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_nine_random_digits_with_stdnums_check_digits_are_a_number_iff_stdnum_says_so(
    nine,
) -> None:
    digits = with_check_digits(nine)
    assume(digits is not None)
    today = dt.date.today()
    assert bool(norwegian_found(f"Nr {digits[:6]} {digits[6:]}", today)) == expected(digits, today)


# A number a spreadsheet stored as a number


@given(numbers(kinds=("fødselsnummer", "H-nummer")).filter(lambda made: made[0][0] == "0"))
def test_a_number_that_lost_its_leading_zero_is_found_whole(made_up) -> None:
    """Born on the 1st to the 9th: a spreadsheet keeps ten digits. A valid Swedish number
    comes first (ten digits are one's form); otherwise the zero is put back."""
    number = made_up[0]
    stored = number[1:]
    (found,) = find_numbers(stored, TODAY)
    swedish = [f.canonical for f in find_numbers(f"x{stored}x", TODAY)]  # read as Swedish
    assert found.canonical == (swedish[0] if swedish and swedish[0] else f"no{number}")
    assert pseudonymise(stored, KEY, TODAY)[0].startswith("[pnr:")
    assert norwegian_found(f"Nr {stored}") == []  # only a whole cell


# Pseudonyms


@given(numbers())
def test_every_written_form_of_a_number_has_one_pseudonym(made_up) -> None:
    number = made_up[0]
    tokens = {pseudonymise(written(number, s), KEY, TODAY)[1][0] for s in SEPARATORS}
    assert tokens == {pseudonym(f"no{number}", KEY)}
    assert pseudonymise(number, KEY + "x", TODAY)[1] != [pseudonym(f"no{number}", KEY)]


def test_a_norwegian_number_never_shares_a_swedish_ones_canonical_form() -> None:
    """Canonical forms: twelve digits for Sweden, "no" and eleven for Norway."""
    swedish = PersonalNumber(dt.date(2011, 1, 17), 601)
    norwegian = a_number(dt.date(2011, 1, 17), 601)
    canonicals = [f.canonical for f in find_numbers(f"{swedish.formatted('long')} {norwegian}")]
    assert canonicals[0] is not None
    assert canonicals[1] is not None
    assert re.fullmatch(r"\d{12}", canonicals[0])
    assert re.fullmatch(r"no\d{11}", canonicals[1])


@given(st.lists(st.one_of(filler, st.builds(written, numbers().map(lambda m: m[0]), separators)),
                max_size=4).map("".join))  # fmt: skip
def test_masking_twice_changes_nothing(text) -> None:
    once = pseudonymise(text, KEY, TODAY)[0]
    assert pseudonymise(once, KEY, TODAY) == (once, [])


@given(numbers(), separators)
def test_the_quick_look_passes_no_written_form(made_up, separator) -> None:
    number = made_up[0]
    assert may_hold_numbers(["Anmälan", written(number, separator)])
    assert may_hold_numbers([number[1:]])


# Many cells at once


cells = st.one_of(
    st.builds(written, numbers().map(lambda m: m[0]), separators),
    numbers().map(lambda m: m[0][1:]),  # stored as numbers: ten digits
    st.text(alphabet="0123456789", min_size=10, max_size=11),
    st.builds(
        lambda nine: with_check_digits(nine) or nine, st.text("0123456789", min_size=9, max_size=9)
    ),
    st.builds(lambda a, m, b: f"{a}{m[0]}{b}", filler, numbers(), filler),
)


@given(st.lists(cells, max_size=30))
def test_masking_many_cells_at_once_is_masking_each(texts) -> None:
    found = masked_texts(texts, KEY, TODAY)
    for text in texts:
        one = masked(text, KEY, TODAY)
        first = one.found[0] if one.found else None
        expected = (one.safe, first and first.canonical, one.tokens[0] if one.tokens else None,
                    first and first.claimed)  # fmt: skip
        assert tuple(found[text]) == expected, text
