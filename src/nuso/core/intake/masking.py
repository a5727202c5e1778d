"""Identity numbers masked in many cells at once: an import's columns.

Each distinct text is masked once. Texts that are a number and nothing else (the cells of an
identity-number column: 90 000 in a national import, nearly all different) are checked
together with NumPy, a form (10 to 13 characters) at a time: the digits' places, the date,
century and check digit exactly as `nuso.core.intake.pseudonyms` checks a number it finds, leaving
only the keyed hash to do one by one. Any other text goes through `pseudonyms.masked`, which
finds numbers anywhere in it. A valid Norwegian number alone in a text (eleven digits, perhaps
a space or a dash after the date's six: a form no Swedish number has) is checked here too, by
`nuso.core.intake.norwegian_numbers`, one at a time but without a search through the text;
ten digits that are no valid Swedish number go to `anywhere`, which looks at them again as a
Norwegian number that lost its leading zero. A property test compares the two ways.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from nuso.core.intake.norwegian_numbers import norwegian_number
from nuso.core.intake.pseudonyms import INVALID_MARK, masked, pseudonyms

Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]


class MaskedText(NamedTuple):
    """A text with its identity numbers replaced, the canonical form of the first number in
    it (None: no number, or not a valid one) and the pseudonym of the first valid one; for a
    Swedish number with a wrong check digit, the form it claims (`pseudonyms.Found`)."""

    safe: str
    canonical: str | None
    pseudonym: str | None
    claimed: str | None = None


class Form(NamedTuple):
    """Where the parts of a number written in one form stand: the century (YYYYMMDD forms),
    the six digits of the date, the separator (-, +, a space or a dot) and the last four.
    Other forms (other dashes, spaces in the date) are rare and left to `anywhere`."""

    century: int | None
    date: int
    separator: int | None
    last: int


FORMS = {  # by length, as pseudonyms.CANDIDATE matches a whole text of it
    10: Form(None, 0, None, 6),
    11: Form(None, 0, 6, 7),
    12: Form(0, 2, None, 8),
    13: Form(0, 2, 8, 9),
}
SEPARATORS = np.frombuffer(b"-+ .", dtype=np.uint8)
NORWEGIAN_ALONE = re.compile(r"([0-9]{6})[ -]?([0-9]{5})")  # the forms of a Norwegian number
NORWEGIAN_LENGTHS = (11, 12)
DAYS = np.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])  # February: see below


def masked_texts(texts: Iterable[str], key: str, today: dt.date) -> dict[str, MaskedText]:
    """Each text masked (pseudonyms under `key`; `today` decides the century of a number
    written without one)."""
    found: dict[str, MaskedText] = {}
    by_length: dict[int, list[str]] = {}
    norwegian: dict[str, str] = {}  # canonical forms of Norwegian numbers alone in a text
    for text in texts:
        if len(text) in NORWEGIAN_LENGTHS and (canonical := norwegian_alone(text, today)):
            norwegian[text] = canonical
        elif len(text) in FORMS and text.isascii() and text[-1].isdigit():
            by_length.setdefault(len(text), []).append(text)
        else:
            found[text] = anywhere(text, key, today)
    for length, group in by_length.items():
        found.update(numbers_masked(group, FORMS[length], key, today))
    found.update(hashed(norwegian, key))
    return found


def norwegian_alone(text: str, today: dt.date) -> str | None:
    """The canonical form of a valid Norwegian number that is the whole text (eleven digits,
    perhaps a space or a dash after the date's six): no Swedish number is written so."""
    alone = NORWEGIAN_ALONE.fullmatch(text)
    number = norwegian_number(alone[1] + alone[2], today) if alone else None
    return number.canonical if number else None


def hashed(canonicals: dict[str, str], key: str) -> dict[str, MaskedText]:
    """Texts that are one valid number each, by their canonical forms: masked, the keyed
    hashes made in one loop."""
    tokens = pseudonyms(list(canonicals.values()), key)
    return {
        text: MaskedText(f"[pnr:{token}]", canonical, token)
        for (text, canonical), token in zip(canonicals.items(), tokens, strict=True)
    }


def anywhere(text: str, key: str, today: dt.date) -> MaskedText:
    result = masked(text, key, today)
    if not result.found:
        return MaskedText(result.safe, None, None)
    first, token = result.found[0], result.tokens[0] if result.tokens else None
    # A valid number beside a wrong one: the row is that child's, its age and sex too.
    return MaskedText(result.safe, first.canonical, token, None if token else first.claimed)


def numbers_masked(texts: list[str], form: Form, key: str, today: dt.date) -> dict[str, MaskedText]:
    """Texts of one length: those written in its form are masked here (a valid number
    becomes its pseudonym, a wrong check digit INVALID_MARK, digits that are no date stay as
    they are, as does a wrong check digit after a dot: a decimal), the others by `anywhere`."""
    characters = np.frombuffer("".join(texts).encode("ascii"), dtype=np.uint8)
    codes: Ints = characters.reshape(len(texts), -1).astype(np.int64)
    digits = codes - ord("0")
    written = in_form(codes, digits, form)
    years = birth_years(codes, digits, form, today)
    ten = np.concatenate(
        [digits[:, form.date : form.date + 6], digits[:, form.last : form.last + 4]], axis=1
    )
    checked = luhn_valid(ten)
    decimals = dotted(codes, form).tolist()
    found: dict[str, MaskedText] = {}
    numbers: dict[str, str] = {}  # canonical forms of the valid numbers
    rows = zip(texts, written.tolist(), years.tolist(), checked.tolist(), decimals, strict=True)
    plain_ten = form.century is None and form.separator is None
    for text, is_written, year, valid, decimal in rows:
        if not is_written or (plain_ten and not (year and valid)):
            # Ten digits and no valid Swedish number: perhaps a Norwegian number stored as a
            # number, its leading zero lost; `anywhere` decides both ways.
            found[text] = anywhere(text, key, today)
        elif not year or (decimal and not valid):  # no date, or a decimal: no number
            found[text] = MaskedText(text, None, None)
        else:
            twelve = f"{year // 100:02d}{text[form.date : form.date + 6]}{text[form.last :]}"
            if valid:
                numbers[text] = twelve
            else:  # masked; its claimed form only lends a date and a sex digit
                found[text] = MaskedText(INVALID_MARK, None, None, twelve)
    return found | hashed(numbers, key)


def in_form(codes: Ints, digits: Ints, form: Form) -> Flags:
    """Whether each text is written in the form: digits where digits belong, a separator
    where one belongs, and a century of 19 or 20."""
    places = np.ones(codes.shape[1], dtype=bool)
    if form.separator is not None:
        places[form.separator] = False
    written = np.all((digits[:, places] >= 0) & (digits[:, places] <= 9), axis=1)
    if form.separator is not None:
        written &= np.isin(codes[:, form.separator], SEPARATORS)
    if form.century is not None:
        century = digits[:, 0] * 10 + digits[:, 1]
        written &= (century == 19) | (century == 20)
    return written  # type: ignore[no-any-return]


def dotted(codes: Ints, form: Form) -> Flags:
    """Whether each text has a dot for its separator."""
    if form.separator is None:
        return np.zeros(len(codes), dtype=bool)
    return codes[:, form.separator] == ord(".")  # type: ignore[no-any-return]


def birth_years(codes: Ints, digits: Ints, form: Form, today: dt.date) -> Ints:
    """The year of birth each number's date stands for, 0 when it is no date:
    `pseudonyms.birth_date` for many at once (coordination numbers add 60 to the day;
    without a century the latest one not in the future, a hundred years earlier for '+')."""
    at = form.date
    two = digits[:, at] * 10 + digits[:, at + 1]
    month = digits[:, at + 2] * 10 + digits[:, at + 3]
    day = digits[:, at + 4] * 10 + digits[:, at + 5]
    day = np.where(day > 60, day - 60, day)
    if form.century is not None:
        year = (digits[:, 0] * 10 + digits[:, 1]) * 100 + two
        return np.where(is_date(year, month, day), year, 0)
    now = today.year * 10_000 + today.month * 100 + today.day
    this, last = 2000 + two, 1900 + two
    this_valid, last_valid = is_date(this, month, day), is_date(last, month, day)
    year = np.where(
        ~this_valid,
        0,  # as for one number: an impossible date in this century is no date
        np.where(
            this * 10_000 + month * 100 + day <= now,
            this,
            np.where(last_valid & (last * 10_000 + month * 100 + day <= now), last, 0),
        ),
    )
    if form.separator is not None:
        plus = (codes[:, form.separator] == ord("+")) & (year > 0)
        earlier = year - 100
        year = np.where(plus, np.where(is_date(earlier, month, day), earlier, 0), year)
    return year


def is_date(year: Ints, month: Ints, day: Ints) -> Flags:
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    months = np.clip(month, 0, 12)
    longest = np.where((months == 2) & ~leap, 28, DAYS[months])
    return (month >= 1) & (month <= 12) & (day >= 1) & (day <= longest)


def luhn_valid(ten: Ints) -> Flags:
    """Whether the tenth digit is the Luhn check digit of the first nine (weights 2, 1, …)."""
    doubled = ten[:, 0:9:2] * 2
    total: Ints = np.where(doubled > 9, doubled - 9, doubled).sum(axis=1) + ten[:, 1:9:2].sum(1)
    valid: Flags = (10 - total % 10) % 10 == ten[:, 9]
    return valid
