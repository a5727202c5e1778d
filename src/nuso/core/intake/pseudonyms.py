"""Finding personal identity numbers anywhere in text and replacing them by keyed pseudonyms.

A valid number (10 or 12 digits, a real birth date or coordination date, a correct Luhn digit)
becomes `[pnr:XXXXXXXXXXXXXXXX]`: an HMAC-SHA256 of its canonical 12-digit form under the
pseudonym key, so the same child gets the same pseudonym in every import and every format, and
nobody without the key can go back. Something that looks like a number but fails the check
digit is still personal data (a typo of a real number): it is masked as `[pnr:ogiltigt]`, never
kept. A ten-digit phone number whose first six digits happen to form a date (0701234567) is
masked too: losing a phone number from a comment is harmless, keeping a mistyped identity
number is not.

The forms people and programs write: the date and the last four digits together, or with a
separator between them (any dash, '+' for a person of 100 or more, a space, a dash between
spaces, a dot), and the date's parts with a space between each ("2008 03 11-7654"). A dot or
spaces inside the date are also how decimals and lists of numbers are written: a number in
those forms counts only with a correct check digit. A cell that is nothing but eight or nine
digits is a number a spreadsheet stored as a number, losing the leading zeros of a year
2000-2009 (908092794 for 0908092794): it counts when the zeros put back give a valid number.

Norwegian numbers (fødselsnummer, D-, H- and FH-nummer, Tenor's synthetic numbers:
`nuso.core.intake.norwegian_numbers`) are eleven digits, written together or with a space or a
dash after the date's six. They count only with both check digits right: eleven digits are
also account numbers, and a wrong pair tells no typo of an identity number from those. A cell
that is ten digits and nothing else, and no valid Swedish number, is a Norwegian number a
spreadsheet stored as a number when the leading zero put back makes a valid one (born on the
1st to the 9th of a month). Their canonical form is "no" and the eleven digits: a Swedish and
a Norwegian number never share a pseudonym.

A reserve number (reservnummer), which a region or an agency gives a person without a
personnummer, is written as one: the birth date, then four characters, letters and digits
("20150312-TF17", "150312-R123"). Formats differ between issuers and none has a check digit,
so any date followed by four letters and digits, a letter and two digits at least, counts. It is
pseudonymised like a number (canonical form "r", the eight-digit date and the four): the
child is followed under it within the issuer's reach; it carries a birth date and no sex.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from nuso.core.intake.norwegian_numbers import PREFIX as NORWEGIAN_PREFIX
from nuso.core.intake.norwegian_numbers import (
    from_canonical,
    norwegian_number,
    sex_of_canonical,
    typed_wrong,
)
from nuso.core.intake.personal_numbers import Sex, luhn_digit

PSEUDONYM_LENGTH = 16  # hex characters: 64 bits, no collisions among millions of children
INVALID_MARK = "[pnr:ogiltigt]"
TOKEN = re.compile(r"\[pnr:(?:[0-9a-f]{16}|ogiltigt)\]")  # what masking leaves: never a number
# Every dash Unicode has (category Pd), and the minus signs and the soft hyphen that look like
# one: a word processor turns '-' into '–', and a pasted number brings whatever it had.
DASHES = (
    "-\u058a\u05be\u1400\u1806\u2010\u2011\u2012\u2013\u2014\u2015\u2e17\u2e1a\u2e3a\u2e3b"
    "\u2e40\u2e5d\u301c\u3030\u30a0\ufe31\ufe32\ufe58\ufe63\uff0d\U00010ead"
    "\u2212\u02d7\u2796\u00ad"
)
DASH = "".join(map(re.escape, DASHES))
# 12 digits (century first) or 10, not part of a longer run of digits. The date's parts may
# stand a space apart (the same between each), and a separator may stand before the last four:
# a dash or '+', perhaps between spaces, a dot, or a space.
CANDIDATE = re.compile(
    r"(?<!\d)((?:19|20)?)(\d\d)(\s?)(\d\d)\3(\d\d)"
    rf"((?:\s?[{DASH}+]\s?|\.|\s)?)"
    r"(\d{4})(?!\d)"
)
LOST_ZEROS = (8, 9)  # digits left of a number stored as a number: born 2000-2009 (or 1900-1909)
# Eleven digits, not part of a longer run: the date's six, perhaps a separator (a dash, perhaps
# between spaces, or a space), and the individual number's three and the two check digits.
NORWEGIAN = re.compile(rf"(?<!\d)(\d{{6}})(?:\s?[{DASH}]\s?|\s)?(\d{{5}})(?!\d)")
NORWEGIAN_LOST_ZERO = 10  # digits left of a Norwegian number born on the 1st-9th, as a number
# A reserve number: a date (with or without its century), perhaps a dash or an underscore, and
# four letters and digits, a letter and two digits at least ("XXXX" masks a number's last four:
# no reserve number), not part of a longer number or code.
RESERVE = re.compile(
    rf"(?<!\d)((?:19|20)?)(\d{{6}})\s?[{DASH}_]?\s?"
    r"((?=\d{0,3}[A-Za-z])(?=(?:[A-Za-z]*\d){2})[A-Za-z0-9]{4})(?![A-Za-z0-9])"
)
RESERVE_PREFIX = "r"


class Found(NamedTuple):
    """A number found in text: where, and its canonical form (None when not valid). A Swedish
    number with a real date and a wrong check digit has the form it claims instead: never
    hashed or kept, it only lends its date and sex digit to a row's age and sex."""

    start: int
    end: int
    canonical: str | None
    claimed: str | None = None


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
    """Every identity-number-like token in text, valid or not; a text that is eight or nine
    digits and nothing else, only when it is a valid number with its leading zeros lost.
    Pseudonyms already in the text are passed over: masking twice changes nothing."""
    today = today or dt.date.today()
    if len(text) in LOST_ZEROS and text.isascii() and text.isdigit():
        found = zeros_put_back(text, today)
        return [found] if found else []
    numbers = [found for match in CANDIDATE.finditer(text) if (found := number_in(match, today))]
    numbers = with_norwegian(text, numbers, today)
    numbers = with_reserve(text, numbers, today)
    if numbers and "[pnr:" in text:
        tokens = [token.span() for token in TOKEN.finditer(text)]
        numbers = [n for n in numbers if not any(a < n.end and n.start < b for a, b in tokens)]
    return numbers


def number_in(match: re.Match[str], today: dt.date) -> Found | None:
    """The number a candidate match stands for, valid or not; None when its first six digits
    are no date (some other number: a case id, a phone number), or when it is written as a
    decimal or a list of numbers is (a dot, spaces in the date) and its check digit is wrong."""
    century, year, inner, month, day, separator, last4 = match.groups()
    yymmdd = year + month + day
    date = birth_date(yymmdd, century, "+" if "+" in separator else "", today)
    if date is None:
        return None
    ten = yymmdd + last4
    valid = luhn_digit(ten[:9]) == int(ten[9])
    if not valid and (inner or separator == "."):
        return None
    form = f"{date.year // 100:02d}{ten}"
    if valid:
        return Found(match.start(), match.end(), form)
    return Found(match.start(), match.end(), None, claimed=form)


def with_norwegian(text: str, swedish: list[Found], today: dt.date) -> list[Found]:
    """The Swedish numbers found in a text and the Norwegian ones where none of those stands;
    a text of ten digits that is no valid Swedish number may be a Norwegian one that lost its
    leading zero."""
    if len(text) == NORWEGIAN_LOST_ZERO and text.isascii() and text.isdigit():
        if any(found.canonical for found in swedish):
            return swedish
        number = norwegian_number("0" + text, today)
        return [Found(0, len(text), number.canonical)] if number else swedish
    norwegian = [
        found
        for match in NORWEGIAN.finditer(text)
        if (found := norwegian_in(match, today))
        and not any(s.start < match.end() and match.start() < s.end for s in swedish)
    ]
    return sorted(swedish + norwegian) if norwegian else swedish


def with_reserve(text: str, numbers: list[Found], today: dt.date) -> list[Found]:
    """The numbers found in a text and the reserve numbers where none of those stands."""
    reserve = [
        Found(match.start(), match.end(), reserve_canonical(date, match[2], match[3]))
        for match in RESERVE.finditer(text)
        if (date := birth_date(match[2], match[1][:2], "", today)) is not None
        and not any(n.start < match.end() and match.start() < n.end for n in numbers)
    ]
    return sorted(numbers + reserve) if reserve else numbers


def reserve_canonical(date: dt.date, yymmdd: str, serial: str) -> str:
    """A reserve number's canonical form, its digits as written (a date that is a day off is
    another number) and its letters in capitals: "r20150312TF17"."""
    return f"{RESERVE_PREFIX}{date.year // 100:02d}{ascii_digits(yymmdd)}{serial.upper()}"


def norwegian_in(match: re.Match[str], today: dt.date) -> Found | None:
    """The Norwegian number a match stands for: a valid one, or one with a check digit typed
    wrong (a real date: masked without a pseudonym); None for other eleven digits."""
    digits = ascii_digits(match[1] + match[2])
    if number := norwegian_number(digits, today):
        return Found(match.start(), match.end(), number.canonical)
    if typed_wrong(digits, today):
        return Found(match.start(), match.end(), None)
    return None


def ascii_digits(digits: str) -> str:
    """Digits of any script as ASCII ('١' is 1): a number's canonical form is ASCII."""
    return digits if digits.isascii() else f"{int(digits):0{len(digits)}d}"


def born_of(canonical: str) -> dt.date | None:
    """The birth date a canonical number carries: a Swedish one's (a coordination number's
    day less 60), a Norwegian one's (None for an FH-nummer)."""
    if canonical.startswith(NORWEGIAN_PREFIX):
        norwegian = from_canonical(canonical)
        return norwegian.birth_date if norwegian else None
    if canonical.startswith(RESERVE_PREFIX):
        canonical = canonical[1:9]  # its date, read as a personnummer's
    day = int(canonical[6:8])
    try:
        return dt.date(int(canonical[:4]), int(canonical[4:6]), day - 60 if day > 60 else day)
    except ValueError:
        return None


def sex_of(canonical: str) -> Sex | None:
    """The sex a canonical number carries: the ninth digit of either country's, odd for boys
    (None for a Norwegian FH-nummer, which carries none)."""
    if canonical.startswith(NORWEGIAN_PREFIX):
        return sex_of_canonical(canonical)
    if canonical.startswith(RESERVE_PREFIX):
        return None
    return "pojke" if int(canonical[-2]) % 2 else "flicka"


def zeros_put_back(digits: str, today: dt.date) -> Found | None:
    """A number a spreadsheet stored as a number (908092794 for 0908092794), when the zeros put
    back make a valid one; its canonical form is the whole number's."""
    ten = digits.zfill(10)
    date = birth_date(ten[:6], "", "", today)
    if date is None or luhn_digit(ten[:9]) != int(ten[9]):
        return None
    return Found(0, len(digits), f"{date.year // 100:02d}{ten}")


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


# Whatever CANDIDATE or a number without its leading zeros could match, and more, found fast
# (dates, case ids and words pass quickly): ten digits with up to three other characters
# (neither letters nor digits) before the last four and a space between the date's parts,
# eight or nine digits at a text's end, or six digits and four letters and digits (a reserve
# number). Texts searched together are joined by NUL, which none of it crosses.
MAYBE_NUMBER = re.compile(
    r"\d(?:\d\s?+\d\d\s?+\d\d[^\w\0]{0,3}+\d{4}|\d{7,8}(?![^\0])"
    r"|\d{5}(?:[^\w\0]{0,3}+|_)[A-Za-z0-9]{4})"
)


class Masked(NamedTuple):
    """A text with its identity numbers replaced, the numbers found in it (valid or not) and
    the pseudonyms of the valid ones."""

    safe: str
    found: list[Found]
    tokens: list[str]


def may_hold_numbers(texts: Iterable[str | None]) -> bool:
    """Whether any of the texts may hold an identity number: one search over a column's
    distinct texts spares most columns (dates, codes, reasons) a look at each cell."""
    return MAYBE_NUMBER.search("\0".join(filter(None, set(texts)))) is not None


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
