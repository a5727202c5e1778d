"""The child's identity number as a social worker types it, once per registration: read,
checked and turned into the keyed pseudonym the import uses (nuso.core.intake.pseudonyms),
with the birth date and sex it carries. The number itself goes no further than this: the
caller keeps the pseudonym, never the text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nuso.core.intake.personal_numbers import Sex
from nuso.core.intake.pseudonyms import birth_date, find_numbers, pseudonym


@dataclass(frozen=True)
class Identity:
    pseudonym: str
    birth_date: dt.date
    sex: Sex


class IdentityError(ValueError):
    """Why a typed number cannot be used, in Swedish (never quoting it)."""


def read_identity(text: str, key: str, today: dt.date | None = None) -> Identity:
    """The identity behind a typed personnummer or samordningsnummer (10 or 12 digits, with
    or without a separator)."""
    today = today or dt.date.today()
    typed = text.strip()
    found = find_numbers(typed, today)
    if len(found) != 1 or (found[0].start, found[0].end) != (0, len(typed)):
        raise IdentityError(
            "Ange ett personnummer eller samordningsnummer: ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN."
        )
    canonical = found[0].canonical
    if canonical is None:
        raise IdentityError("Numret är inte giltigt (kontrollsiffran stämmer inte).")
    born = birth_date(canonical[2:8], canonical[:2], "", today)
    if born is None or born > today:
        raise IdentityError("Numret är inte giltigt (födelsedatumet finns inte).")
    sex: Sex = "pojke" if int(canonical[10]) % 2 else "flicka"
    return Identity(pseudonym(canonical, key), born, sex)
