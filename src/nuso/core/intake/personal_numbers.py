"""Swedish personal identity numbers (personnummer): check digit, birth date, sex, formats.

A personal number is YYMMDD-NNNC (or YYYYMMDDNNNC): birth date, a three-digit serial whose
last digit is odd for men and even for women, and a Luhn check digit over the ten-digit form.
'-' becomes '+' in the year a person turns 100. Coordination numbers add 60 to the day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Sex = Literal["flicka", "pojke"]


DOUBLED = str.maketrans("0123456789", "0246813579")  # each digit's 2 × d, its digits summed


def luhn_digit(nine_digits: str) -> int:
    """The check digit for YYMMDDNNN: Luhn with weights 2, 1, 2, … from the left."""
    total = sum(map(int, nine_digits[0::2].translate(DOUBLED) + nine_digits[1::2]))
    return (10 - total % 10) % 10


@dataclass(frozen=True)
class PersonalNumber:
    birth_date: dt.date
    serial: int  # 0-999; the last digit carries the sex
    coordination: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.serial <= 999:
            raise ValueError(f"serial must be 0-999, not {self.serial}")

    @property
    def sex(self) -> Sex:
        return "pojke" if self.serial % 2 else "flicka"

    @property
    def ten_digits(self) -> str:
        day = self.birth_date.day + (60 if self.coordination else 0)
        body = f"{self.birth_date:%y%m}{day:02d}{self.serial:03d}"
        return body + str(luhn_digit(body))

    def formatted(self, style: str, on: dt.date | None = None) -> str:
        """The number written as `short` YYMMDD-NNNC, `short_plain` YYMMDDNNNC, `long`
        YYYYMMDD-NNNC or `long_plain` YYYYMMDDNNNC. `on` decides '-' or '+' (age 100+)."""
        ten = self.ten_digits
        century = f"{self.birth_date.year // 100:02d}"
        separator = "+" if on is not None and age_on(self.birth_date, on) >= 100 else "-"
        forms = {
            "short": f"{ten[:6]}{separator}{ten[6:]}",
            "short_plain": ten,
            "long": f"{century}{ten[:6]}-{ten[6:]}",
            "long_plain": f"{century}{ten}",
        }
        return forms[style]


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Whole years from birth_date to `on`; a 29 February birthday counts from 1 March."""
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - int(before_birthday)
