"""Finding personal identity numbers anywhere in text and replacing them by keyed pseudonyms.

A valid number (10 or 12 digits, with or without '-' or '+', a real birth date or coordination
date, a correct Luhn digit) becomes `[pnr:XXXXXXXXXXXXXXXX]`: an HMAC-SHA256 of its canonical
12-digit form under the pseudonym key, so the same child gets the same pseudonym in every
import and every format, and nobody without the key can go back. Something that looks like a
number but fails the check digit is still personal data (a typo of a real number): it is
masked as `[pnr:ogiltigt]`, never kept. A ten-digit phone number whose first six digits
happen to form a date (0701234567) is masked too: losing a phone number from a comment is
harmless, keeping a mistyped identity number is not.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from nuso.core.intake.personal_numbers import luhn_digit

PSEUDONYM_LENGTH = 16  # hex characters: 64 bits, no collisions among millions of children
INVALID_MARK = "[pnr:ogiltigt]"
# 12 digits (century first) or 10, optionally with '-', '+' or a space before the last four
# (people write "20100304 2387" too); not part of a longer run of digits.
CANDIDATE = re.compile(r"(?<![\d])((?:19|20)?)(\d{6})([-+ ]?)(\d{4})(?![\d])")


class Found(NamedTuple):
    """A number found in text: where, and its canonical form (None when not valid)."""

    start: int
    end: int
    canonical: str | None


@lru_cache(maxsize=65_536)  # a national import holds 90 000 numbers but few thousand dates
def birth_date(yymmdd: str, century: str, separator: str, today: dt.date) -> dt.date | None:
    """The date a number's first six digits stand for, or None. Coordination numbers add 60
    to the day. Without a century: the latest century that is not in the future, and a
    hundred years earlier for '+' (a person of 100 or more)."""
    year, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
    if day > 60:
        day -= 60
    candidates = [int(century) * 100 + year] if century else [2000 + year, 1900 + year]
    for full_year in candidates:
        try:
            date = dt.date(full_year, month, day)
        except ValueError:
            return None
        if century:
            return date
        if date <= today:
            return date if separator != "+" else hundred_years_before(date)
    return None


def hundred_years_before(date: dt.date) -> dt.date | None:
    """The date a century earlier; None for 29 February of a year that had none then."""
    try:
        return date.replace(year=date.year - 100)
    except ValueError:
        return None


def find_numbers(text: str, today: dt.date | None = None) -> list[Found]:
    """Every identity-number-like token in text, valid or not."""
    today = today or dt.date.today()
    return [found for match in CANDIDATE.finditer(text) if (found := number_in(match, today))]


def number_in(match: re.Match[str], today: dt.date) -> Found | None:
    """The number a candidate match stands for, valid or not; None when its first six digits
    are no date (some other number: a case id, a phone number)."""
    century, yymmdd, separator, last4 = match.groups()
    date = birth_date(yymmdd, century, separator, today)
    if date is None:
        return None
    ten = yymmdd + last4
    valid = luhn_digit(ten[:9]) == int(ten[9])
    canonical = f"{date.year // 100:02d}{ten}" if valid else None
    return Found(match.start(), match.end(), canonical)


def pseudonym(canonical: str, key: str) -> str:
    return pseudonyms([canonical], key)[0]


def pseudonyms(canonicals: list[str], key: str) -> list[str]:
    """The pseudonym of each canonical number: an import hashes one number per row, each
    with one call into OpenSSL's HMAC."""
    secret, digest, length = key_bytes(key), hmac.digest, PSEUDONYM_LENGTH // 2
    return [digest(secret, c.encode("ascii"), "sha256")[:length].hex() for c in canonicals]


@lru_cache(maxsize=4)
def key_bytes(key: str) -> bytes:
    return key.encode("utf-8")


MAYBE_NUMBER = re.compile(r"\d{6}[-+ ]?\d{4}")  # case ids and dates pass quickly


class Masked(NamedTuple):
    """A text with its identity numbers replaced, the numbers found in it (valid or not) and
    the pseudonyms of the valid ones."""

    safe: str
    found: list[Found]
    tokens: list[str]


def may_hold_numbers(texts: Iterable[str | None]) -> bool:
    """Whether any of the texts may hold an identity number: one search over a column's
    distinct texts spares most columns (dates, codes, reasons) a look at each cell."""
    return MAYBE_NUMBER.search("\n".join(filter(None, set(texts)))) is not None


def masked(text: str, key: str, today: dt.date | None = None) -> Masked:
    if not MAYBE_NUMBER.search(text):  # the common case, checked cheaply
        return Masked(text, [], [])
    found = find_numbers(text, today)
    safe, tokens = mask(text, found, key)
    return Masked(safe, found, tokens)


def pseudonymise(text: str, key: str, today: dt.date | None = None) -> tuple[str, list[str]]:
    """The text with every identity number replaced, and the pseudonyms of the valid ones."""
    result = masked(text, key, today)
    return result.safe, result.tokens


def mask(text: str, numbers: list[Found], key: str) -> tuple[str, list[str]]:
    """The text with the numbers found in it replaced, and the pseudonyms of the valid ones."""
    pieces: list[str] = []
    pseudonyms: list[str] = []
    position = 0
    for found in numbers:
        pieces.append(text[position : found.start])
        if found.canonical is None:
            pieces.append(INVALID_MARK)
        else:
            token = pseudonym(found.canonical, key)
            pseudonyms.append(token)
            pieces.append(f"[pnr:{token}]")
        position = found.end
    pieces.append(text[position:])
    return "".join(pieces), pseudonyms
