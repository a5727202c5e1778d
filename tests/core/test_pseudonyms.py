"""Identity numbers are found in any form and any text, and replaced by stable pseudonyms."""

from __future__ import annotations

import datetime as dt
import re
import sys
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from nuso.core.intake.masking import masked_texts
from nuso.core.intake.personal_numbers import PersonalNumber
from nuso.core.intake.pseudonyms import (
    DASHES,
    INVALID_MARK,
    born_of,
    find_numbers,
    masked,
    may_hold_numbers,
    pseudonymise,
    sex_of,
)

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
NO_DIGIT = re.compile(r"\d")


def written_otherwise(number: PersonalNumber, separator: str, inner: str, long: bool) -> str:
    """The number as people also write it: any separator before the last four digits, and
    `inner` between the parts of the date (20081020–0055, 171126.2640, 2008 03 11-7654)."""
    ten = number.ten_digits
    century = f"{number.birth_date.year // 100:02d}" if long else ""
    return f"{century}{ten[:2]}{inner}{ten[2:4]}{inner}{ten[4:6]}{separator}{ten[6:]}"


other_forms = st.builds(
    written_otherwise,
    numbers,
    st.sampled_from(["", ".", " ", "\u00a0", "\t", " – ", " -", *DASHES]),
    st.sampled_from(["", " "]),
    st.booleans(),
)


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
def test_text_with_fewer_than_eight_digits_is_unchanged(text) -> None:
    if len(NO_DIGIT.findall(text)) >= 8:
        return
    assert pseudonymise(text, KEY, TODAY) == (text, [])


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_a_text_the_quick_look_passes_holds_no_number(text) -> None:
    """The quick look that spares most columns the search never passes over a number."""
    if not may_hold_numbers([text, "Anmälan"]):
        assert pseudonymise(text, KEY, TODAY) == (text, [])


@given(other_forms, filler, filler)
def test_other_written_forms_are_replaced_too(written, before, after) -> None:
    text, found = pseudonymise(f"{before}{written}{after}", KEY, TODAY)
    assert text == f"{before}[pnr:{found[0]}]{after}"


def test_every_unicode_dash_is_a_separator() -> None:
    dashes = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Pd"}
    assert dashes <= set(DASHES)


def test_the_forms_issue_16_found_in_clear_are_masked() -> None:
    for written in ("20081020–0055", "171126.2640", "2008 03 11-7654", "081020 – 0055"):
        text, found = pseudonymise(f"Barn {written}.", KEY, TODAY)
        assert text == f"Barn [pnr:{found[0]}].", written


def test_a_wrong_check_digit_after_a_dot_or_in_a_spaced_date_is_no_number() -> None:
    """Decimals and lists of numbers are written so too: only a valid number counts."""
    for text in ("Belopp 230515.5001 kr", "Antal 12 04 05 1234", "2008 03 11-7655"):
        assert pseudonymise(text, KEY, TODAY) == (text, [])
    # A dash is an identity number's: a wrong check digit after it is a typo, masked.
    assert pseudonymise("20081020–0056", KEY, TODAY) == (INVALID_MARK, [])


@given(numbers.filter(lambda n: n.ten_digits.startswith("0")))
def test_a_number_stored_as_a_number_is_found_without_its_leading_zeros(number) -> None:
    stored = number.ten_digits.lstrip("0")
    if len(stored) < 8:
        return  # born January-September 2000: read only in an identity-number column
    text, found = pseudonymise(stored, KEY, TODAY)
    assert text == f"[pnr:{found[0]}]"
    assert found == pseudonymise(number.formatted("long"), KEY, TODAY)[1]


def test_eight_or_nine_digits_are_a_number_only_whole_and_valid() -> None:
    assert pseudonymise("908092794", KEY, TODAY)[0].startswith("[pnr:")
    for text in ("908092795", "Ärende 908092794", "123456789", "20230515", "12345678"):
        assert pseudonymise(text, KEY, TODAY) == (text, []), text


@given(st.lists(st.one_of(filler, other_forms, numbers.map(lambda n: n.formatted("short"))),
                max_size=4).map("".join))  # fmt: skip
def test_masking_twice_changes_nothing(text) -> None:
    once = pseudonymise(text, KEY, TODAY)[0]
    assert pseudonymise(once, KEY, TODAY) == (once, [])


def test_a_pseudonym_whose_hex_holds_a_date_stays_whole() -> None:
    text = "Syskon [pnr:1008031234abcdef] och [pnr:ogiltigt]"
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


# Cells as an identity-number column holds them: digits, a separator, now and then a typo,
# and numbers stored as numbers (their leading zeros lost).
whole_cells = st.builds(
    lambda digits, separator, cut: digits[:cut] + separator + digits[cut:],
    st.text(alphabet="0123456789", min_size=10, max_size=12),
    st.sampled_from(["", "-", "+", " ", ".", "–", "\t"]),
    st.sampled_from([6, 8]),
)
stored_as_numbers = st.one_of(
    st.text(alphabet="0123456789", min_size=8, max_size=9),
    numbers.map(lambda n: n.ten_digits.lstrip("0")),
)


@given(st.lists(st.one_of(whole_cells, numbers.map(lambda n: n.formatted("long")), filler,
                          other_forms, stored_as_numbers), max_size=30))  # fmt: skip
def test_masking_many_cells_at_once_is_masking_each(texts) -> None:
    """The short way for cells that are one number gives what finding numbers in each gives."""
    found = masked_texts(texts, KEY, TODAY)
    for text in texts:
        one = masked(text, KEY, TODAY)
        first = one.found[0] if one.found else None
        expected = (one.safe, first and first.canonical, one.tokens[0] if one.tokens else None,
                    first and first.claimed)  # fmt: skip
        assert tuple(found[text]) == expected


def test_masking_many_cells_at_once_agrees_on_the_awkward_ones() -> None:
    """Centenarians born 29 February, coordination numbers, twelve digits with no century of
    ours, other scripts' digits, numbers inside text, next to a digit, or next to nothing."""
    texts = ["000229+1234", "040229+1234", "20000229-1234", "000229-1234", "100364-2387",
             "201003642387", "211003042387", "١٠٠٣٠٤-٢٣٨٧", "x100304-2387", "100304-23871",
             "1003042387 ", "100304 2387", "19000229 1234", "991231-1234", "991231+1234",
             "261231-1234", "260101-1234", "0000000000", "9999999999", "100304-2388",
             "100304.2387", "100304.2388", "1003042387.", "908092794", "90809279",
             "0908092794", "[pnr:1008031234abcdef]"]  # fmt: skip
    found = masked_texts(texts, KEY, TODAY)
    for text in texts:
        one = masked(text, KEY, TODAY)
        first = one.found[0] if one.found else None
        expected = (one.safe, first and first.canonical, one.tokens[0] if one.tokens else None,
                    first and first.claimed)  # fmt: skip
        assert tuple(found[text]) == expected, text


def test_a_wrong_number_beside_a_right_one_lends_nothing() -> None:
    """The row is the valid number's child: its age and sex are that child's, never those
    of a mistyped number written before it in the same cell."""
    right = PersonalNumber(dt.date(2012, 3, 14), 237).ten_digits
    wrong = "160228-0077"  # a real date, a wrong check digit
    found = masked_texts([wrong, f"{wrong}, {right}"], KEY, TODAY)
    alone, beside = found[wrong], found[f"{wrong}, {right}"]
    assert alone.claimed == "20160228" + "0077"
    assert beside.pseudonym is not None
    assert beside.claimed is None


def test_a_reserve_number_is_pseudonymised_and_gives_a_birth_date_and_no_sex() -> None:
    for text in ("20150312-TF17", "150312-TF17", "Reservnummer 20150312TF17 tills vidare"):
        result = masked(text, KEY, TODAY)
        assert "TF17" not in result.safe, text
        assert [found.canonical for found in result.found] == ["r20150312TF17"], text
        assert result.tokens == masked("20150312-TF17", KEY, TODAY).tokens  # one child, one
    assert born_of("r20150312TF17") == dt.date(2015, 3, 12)
    assert sex_of("r20150312TF17") is None
    # what no reserve number is: a masked number's last four, case ids, a date that is none
    for text in ("20130613-XXXX", "130613-****", "R202300001", "BoU-23-1201", "20151312-TF17",
                 "2015-03-12 TF17", "150312-ABC1"):  # fmt: skip
        assert masked(text, KEY, TODAY).safe == text, text
    # written in lower case, glued to letters, with an underscore: found all the same
    for text in ("20150312-tf17", "nr20150312-TF17", "R20150312TF17", "150312_TF17"):
        assert [f.canonical for f in masked(text, KEY, TODAY).found] == ["r20150312TF17"], text
    # its digits as written: a date a day off is another child's number
    assert masked("20150372-TF17", KEY, TODAY).tokens != masked("20150312-TF17", KEY, TODAY).tokens
    # a personnummer is read as one, not as a reserve number
    valid = PersonalNumber(dt.date(2015, 3, 12), 238).formatted("long")
    assert [f.canonical for f in find_numbers(valid, TODAY)] == [valid.replace("-", "")]


def test_a_reserve_number_in_an_identity_column_is_masked_like_the_numbers_beside_it() -> None:
    texts = ["20150312-TF17", "20100422-5361", "Ofödd"]
    found = masked_texts(texts, KEY, TODAY)
    assert found["20150312-TF17"].canonical == "r20150312TF17"
    assert found["20150312-TF17"].safe.startswith("[pnr:")
    assert found["Ofödd"].safe == "Ofödd"
