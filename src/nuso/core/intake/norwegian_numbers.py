"""Norwegian identity numbers: fødselsnummer, D-nummer, H-nummer, FH-nummer and the synthetic
numbers of Skatteetaten's Tenor test population, read with python-stdnum (decision 0022).

A number is eleven digits DDMMYYIIIKK: a birth date, an individual number whose range gives
the century and whose last digit the sex (odd for boys), and two mod-11 check digits. A
D-nummer adds 4 to the first digit (day + 40), an H-nummer 4 to the third (month + 40).
Tenor's synthetic numbers add 80 to the month (of a fødselsnummer or a D-nummer); their check
digits are those of the number as written. An FH-nummer (felles hjelpenummer, given in the
health services to a person without one of the others) begins with 8 or 9 and carries no date
and no sex: only its check digits.

`stdnum.no.fodselsnummer` does the arithmetic: the check digits, the birth date with its
century, the sex. It knows no Tenor number (month 81-92 is no month to it), and it judges a
birth in the future against the machine's clock; both are handled here: Tenor's 80 is taken
off the month before the date is read, and the caller says which day is today (the import's).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from stdnum.exceptions import ValidationError
from stdnum.no import fodselsnummer

from nuso.core.intake.personal_numbers import Sex

PREFIX = "no"  # of a canonical form: "no" and the eleven digits, never a Swedish number's
TENOR_MONTHS = 80  # added to the month of Tenor's synthetic numbers
FH_DAYS = 80  # an FH-nummer's first two digits are 80 or more

Kind = Literal["fødselsnummer", "D-nummer", "H-nummer", "FH-nummer"]


@dataclass(frozen=True)
class NorwegianNumber:
    digits: str  # the eleven digits as written
    kind: Kind
    test: bool  # one of Tenor's synthetic numbers: test data, no real person's
    birth_date: dt.date | None  # None for an FH-nummer

    @property
    def canonical(self) -> str:
        return PREFIX + self.digits

    @property
    def sex(self) -> Sex | None:
        """The sex (None for an FH-nummer): read when asked, as detection needs none."""
        return sex_of_digits(self.digits)


def norwegian_number(digits: str, today: dt.date | None = None) -> NorwegianNumber | None:
    """The number eleven ASCII digits stand for, or None: stdnum's check digits must match,
    and a date (Tenor's 80 taken off its month) must be one stdnum reads and, when `today`
    is given, not after it."""
    return dated_number(digits, today) if checked(digits) else None


def dated_number(digits: str, today: dt.date | None) -> NorwegianNumber | None:
    """The number of eleven digits whose check digits are right: its kind and birth date."""
    if int(digits[:2]) >= FH_DAYS:
        return NorwegianNumber(digits, "FH-nummer", False, None)
    test = int(digits[2:4]) > TENOR_MONTHS
    dated = f"{digits[:2]}{int(digits[2:4]) - TENOR_MONTHS:02d}{digits[4:]}" if test else digits
    try:
        born = fodselsnummer.get_birth_date(dated)
    except ValidationError:
        return None
    if today is not None and born > today:
        return None
    return NorwegianNumber(digits, kind_of(dated), test, born)


def typed_wrong(digits: str, today: dt.date | None = None) -> bool:
    """Whether eleven digits are a number with a check digit typed wrong: the pair wrong, but
    a real birth date (a D-, H- or Tenor number's read as such) not after `today`. Still
    personal data (a typo of a real number): masked, never pseudonymised. An FH-nummer has
    no date to tell it by: without its check digits it is no number."""
    return (
        len(digits) == 11
        and digits.isascii()
        and digits.isdigit()
        and not checked(digits)
        and int(digits[:2]) < FH_DAYS
        and dated_number(digits, today) is not None
    )


def checked(digits: str) -> bool:
    """Whether both check digits are stdnum's for the digits before them (a check digit
    of 10 is none: no number has it)."""
    return (
        len(digits) == 11
        and digits.isascii()
        and digits.isdigit()
        and fodselsnummer.calc_check_digit1(digits) == digits[9]
        and fodselsnummer.calc_check_digit2(digits) == digits[10]
    )


def kind_of(dated: str) -> Kind:
    if int(dated[:2]) > 40:
        return "D-nummer"
    return "H-nummer" if int(dated[2:4]) > 40 else "fødselsnummer"


def sex_of_digits(digits: str) -> Sex | None:
    if int(digits[:2]) >= FH_DAYS:
        return None
    return "pojke" if fodselsnummer.get_gender(digits) == "M" else "flicka"


def from_canonical(canonical: str) -> NorwegianNumber | None:
    """The number of a canonical form ("no" and the eleven digits, checked when it was
    found: not again); None for any other."""
    return dated_number(canonical[len(PREFIX) :], None) if canonical.startswith(PREFIX) else None


def sex_of_canonical(canonical: str) -> Sex | None:
    """The sex of a canonical form's number (no date read: a row's sex asks only this)."""
    return sex_of_digits(canonical[len(PREFIX) :])
