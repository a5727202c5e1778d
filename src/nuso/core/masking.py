"""Identity numbers masked in many cells at once: an import's columns.

Each distinct text is masked once. A text that is a number and nothing else (the cells of an
identity-number column: 90 000 in a national import, nearly all different) takes a short way:
one match of the whole text, then the date, century and check digit exactly as
`nuso.core.pseudonyms` checks a number it finds. Any other text goes through
`pseudonyms.masked`, which finds numbers anywhere in it. A test compares the two ways.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import NamedTuple

from nuso.core.personal_numbers import luhn_digit
from nuso.core.pseudonyms import INVALID_MARK, birth_date, masked, pseudonym

# A text that is one number, matched as pseudonyms.CANDIDATE matches it: the groups of a
# match of the whole text are unique (12 digits take a century, 10 cannot).
WHOLE_NUMBER = re.compile(r"((?:19|20)?)([0-9]{6})([-+ ]?)([0-9]{4})")


class MaskedText(NamedTuple):
    """A text with its identity numbers replaced, the canonical form of the first number in
    it (None: no number, or not a valid one) and the pseudonym of the first valid one."""

    safe: str
    canonical: str | None
    pseudonym: str | None


def masked_texts(texts: Iterable[str], key: str, today: dt.date) -> dict[str, MaskedText]:
    """Each text masked (pseudonyms under `key`; `today` decides the century of a number
    written without one)."""
    found = {}
    for text in texts:
        whole = WHOLE_NUMBER.fullmatch(text)
        found[text] = (
            number_masked(text, whole, key, today) if whole else anywhere(text, key, today)
        )
    return found


def number_masked(text: str, whole: re.Match[str], key: str, today: dt.date) -> MaskedText:
    """A text that is one number: its pseudonym when valid, INVALID_MARK when the check digit
    is wrong, the text itself when its first six digits are no date (then it is no number)."""
    century, yymmdd, separator, last4 = whole.groups()
    date = birth_date(yymmdd, century, separator, today)
    if date is None:
        return MaskedText(text, None, None)
    ten = yymmdd + last4
    if luhn_digit(ten[:9]) != int(ten[9]):
        return MaskedText(INVALID_MARK, None, None)
    canonical = f"{date.year // 100:02d}{ten}"
    token = pseudonym(canonical, key)
    return MaskedText(f"[pnr:{token}]", canonical, token)


def anywhere(text: str, key: str, today: dt.date) -> MaskedText:
    result = masked(text, key, today)
    canonical = result.found[0].canonical if result.found else None
    return MaskedText(result.safe, canonical, result.tokens[0] if result.tokens else None)
