"""The child's identity number as a social worker types it, once per registration: read,
checked and turned into the keyed pseudonym the import uses (nuso.core.intake.pseudonyms),
with the birth date and sex it carries. The number itself goes no further than this: the
caller keeps the pseudonym, never the text. A Swedish personnummer or samordningsnummer, or a
Norwegian fødselsnummer, D- or H-nummer (Tenor's synthetic numbers too, marked as test data).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from nuso.core.collection.messages import said
from nuso.core.intake.norwegian_numbers import checked, from_canonical
from nuso.core.intake.personal_numbers import Sex
from nuso.core.intake.pseudonyms import (
    DASH,
    RESERVE_PREFIX,
    ascii_digits,
    born_of,
    find_numbers,
    pseudonym,
    sex_of,
)

# What a Norwegian number typed alone looks like: its check digits decide whether it is one.
NORWEGIAN_TYPED = re.compile(rf"(\d{{6}})(?:\s?[{DASH}]\s?|\s)?(\d{{5}})")
NORWEGIAN_FORMS = "DDMMÅÅ NNNNN"


@dataclass(frozen=True)
class Identity:
    pseudonym: str
    birth_date: dt.date
    sex: Sex
    test: bool = False  # a synthetic number (Norway's Tenor): test data, no real child's


class IdentityError(ValueError):
    """Why a typed number cannot be used, in Swedish (naming it only masked)."""


def read_identity(text: str, key: str, today: dt.date | None = None) -> Identity:
    """The identity behind a typed personnummer or samordningsnummer (10 or 12 digits, with
    or without a separator), or a Norwegian fødselsnummer, D- or H-nummer (11 digits)."""
    today = today or dt.date.today()
    typed = text.strip()
    found = find_numbers(typed, today)
    if len(found) != 1 or (found[0].start, found[0].end) != (0, len(typed)):
        raise IdentityError(not_norwegian(typed) or NO_NUMBER)
    canonical = found[0].canonical
    if canonical is None:
        invalid = said("Numret är inte giltigt (kontrollsiffran stämmer inte).")
        raise IdentityError(not_norwegian(typed) or invalid)
    if canonical.startswith(RESERVE_PREFIX):  # no sex, and no number another agency knows
        raise IdentityError(reserve_number(typed))
    born, sex = born_of(canonical), sex_of(canonical)
    if sex is None:  # a Norwegian FH-nummer: found and masked, but it tells neither
        raise IdentityError(fh_number(typed))
    if born is None or born > today:
        raise IdentityError(said("Numret är inte giltigt (födelsedatumet finns inte)."))
    norwegian = from_canonical(canonical)
    return Identity(pseudonym(canonical, key), born, sex, bool(norwegian and norwegian.test))


NO_NUMBER = said(
    "Ange ett personnummer eller samordningsnummer (ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN), eller "
    "ett norskt fødselsnummer, D- eller H-nummer ({forms}).",
    forms=NORWEGIAN_FORMS,
)


def not_norwegian(typed: str) -> str:
    """Why what was typed as a Norwegian number is none (eleven digits, perhaps a separator
    after the date's six), or "" when it was not typed as one. The value is named masked:
    its digits hidden, its form kept."""
    typed_as = NORWEGIAN_TYPED.fullmatch(typed)
    if typed_as is None:
        return ""
    if checked(ascii_digits(typed_as[1] + typed_as[2])):
        return said(
            "Numret {number} är inget giltigt norskt fødselsnummer, D- eller H-nummer: "
            "födelsedatumet finns inte eller har inte inträffat än.",
            number=masked_form(typed),
        )
    return said(
        "Numret {number} är inget giltigt norskt fødselsnummer, D- eller H-nummer: "
        "kontrollsiffrorna stämmer inte.",
        number=masked_form(typed),
    )


def fh_number(typed: str) -> str:
    return said(
        "Numret {number} är ett norskt FH-nummer (hjelpenummer), som inte säger barnets "
        "födelsedatum eller kön: ange barnets fødselsnummer, D- eller H-nummer ({forms}).",
        number=masked_form(typed), forms=NORWEGIAN_FORMS,
    )  # fmt: skip


def reserve_number(typed: str) -> str:
    return said(
        "Numret {number} är ett reservnummer, som inte säger barnets kön och inte följer barnet "
        "mellan myndigheter: ange barnets personnummer eller samordningsnummer.",
        number=masked_form(typed),
    )  # fmt: skip


def masked_form(typed: str) -> str:
    """A typed number named without its digits (or a reserve number's letters, in either
    case): '••••••-•••••'."""
    return re.sub(r"[\dA-Za-z]", "•", typed)
