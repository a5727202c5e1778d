"""Identity numbers are found in any form and any text, and replaced by stable pseudonyms."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given
from hypothesis import strategies as st

from nuso.core.intake.masking import masked_texts
from nuso.core.intake.personal_numbers import PersonalNumber
from nuso.core.intake.pseudonyms import INVALID_MARK, find_numbers, masked, pseudonymise

KEY = "test-key-" + "k" * 32
TODAY = dt.date(2026, 11, 22)
STYLES = ("short", "short_plain", "long", "long_plain")
numbers = st.builds(
    PersonalNumber,
    birth_date=st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2026, 11, 1)),
    serial=st.integers(min_value=0, max_value=999),
)
# Text around a number: anything but digits right next to it (a longer digit run is another
# kind of number).
filler = st.text(alphabet=st.characters(blacklist_categories=("Nd", "Cs")), max_size=20)


@given(numbers, st.sampled_from(STYLES), filler, filler)
def test_a_number_in_any_form_inside_any_text_is_replaced(number, style, before, after) -> None:
    written = number.formatted(style, on=TODAY)
    text, found = pseudonymise(f"{before}{written}{after}", KEY, TODAY)
    assert written not in text
    assert not re.search(r"\d", re.sub(r"\[pnr:[0-9a-f]+\]", "", text))  # no digit left over
    assert text == f"{before}[pnr:{found[0]}]{after}"


@given(numbers)
def test_every_form_of_one_number_gets_one_pseudonym(number) -> None:
    pseudonyms = {
        pseudonymise(number.formatted(style, on=TODAY), KEY, TODAY)[1][0] for style in STYLES
    }
    assert len(pseudonyms) == 1


@given(numbers)
def test_the_key_decides_the_pseudonym(number) -> None:
    written = number.formatted("long")
    assert pseudonymise(written, KEY, TODAY)[1] != pseudonymise(written, KEY + "x", TODAY)[1]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_text_without_ten_digit_runs_is_unchanged(text) -> None:
    if re.search(r"\d{6}[-+ ]?\d{4}", text):
        return
    assert pseudonymise(text, KEY, TODAY) == (text, [])


@given(numbers)
def test_a_space_before_the_last_four_digits_hides_nothing(number) -> None:
    for style in ("short", "long"):
        written = number.formatted(style, on=TODAY).replace("-", " ").replace("+", " ")
        text, found = pseudonymise(f"Barn {written} aktuellt", KEY, TODAY)
        assert not re.search(r"\d", re.sub(r"\[pnr:[0-9a-f]+\]", "", text))
        assert found == pseudonymise(number.formatted("long"), KEY, TODAY)[1]


def test_a_wrong_check_digit_is_masked_not_kept() -> None:
    text, found = pseudonymise("Syskon 121212-1213 aktuellt", KEY, TODAY)
    assert text == f"Syskon {INVALID_MARK} aktuellt"
    assert found == []


def test_other_numbers_are_left_alone() -> None:
    # Not dates: a case number and a phone number with an impossible month.
    for text in ("Ärende 2023456789", "Tel 0739876543", "12345678901234"):
        assert pseudonymise(text, KEY, TODAY)[0] == text


def test_plus_means_a_hundred_years_earlier() -> None:
    centenarian = PersonalNumber(dt.date(1920, 5, 1), 123)
    written = centenarian.formatted("short", on=TODAY)
    assert "+" in written
    (found,) = find_numbers(written, TODAY)
    assert found.canonical is not None
    assert found.canonical.startswith("1920")


def test_coordination_numbers_are_recognised() -> None:
    number = PersonalNumber(dt.date(2011, 4, 5), 456, coordination=True)
    (found,) = find_numbers(number.formatted("short"), TODAY)
    assert found.canonical is not None


def test_29_february_a_hundred_years_before_a_year_without_one_is_no_date() -> None:
    """'000229+…' would be born 29 February 1900, which did not exist: no number, no crash."""
    assert find_numbers("000229+1234", TODAY) == []


# Cells as an identity-number column holds them: digits, a separator, now and then a typo.
whole_cells = st.builds(
    lambda digits, separator, cut: digits[:cut] + separator + digits[cut:],
    st.text(alphabet="0123456789", min_size=10, max_size=12),
    st.sampled_from(["", "-", "+", " "]),
    st.sampled_from([6, 8]),
)


@given(st.lists(st.one_of(whole_cells, numbers.map(lambda n: n.formatted("long")), filler),
                max_size=30))  # fmt: skip
def test_masking_many_cells_at_once_is_masking_each(texts) -> None:
    """The short way for cells that are one number gives what finding numbers in each gives."""
    found = masked_texts(texts, KEY, TODAY)
    for text in texts:
        one = masked(text, KEY, TODAY)
        expected = (one.safe, one.found[0].canonical if one.found else None,
                    one.tokens[0] if one.tokens else None)  # fmt: skip
        assert tuple(found[text]) == expected


def test_masking_many_cells_at_once_agrees_on_the_awkward_ones() -> None:
    """Centenarians born 29 February, coordination numbers, twelve digits with no century of
    ours, other scripts' digits, numbers inside text, next to a digit, or next to nothing."""
    texts = ["000229+1234", "040229+1234", "20000229-1234", "000229-1234", "100364-2387",
             "201003642387", "211003042387", "١٠٠٣٠٤-٢٣٨٧", "x100304-2387", "100304-23871",
             "1003042387 ", "100304 2387", "19000229 1234", "991231-1234", "991231+1234",
             "261231-1234", "260101-1234", "0000000000", "9999999999", "100304-2388"]  # fmt: skip
    found = masked_texts(texts, KEY, TODAY)
    for text in texts:
        one = masked(text, KEY, TODAY)
        expected = (one.safe, one.found[0].canonical if one.found else None,
                    one.tokens[0] if one.tokens else None)  # fmt: skip
        assert tuple(found[text]) == expected, text
