"""Countries whose municipalities report to NUSO, and a unit's key: its country plus its code.

Municipality codes collide between the countries (1860 is both Laxå and Vestvågøy), so a unit is
known by its key everywhere a code travels: URLs, file names, imports, exports and the tables.
Swedish units keep their bare codes as keys: Sweden was NUSO's only country for years, and its
links, files and exports go on working. Every other country's keys carry its ISO 3166 code:
"NO-1860". "SE-1860" is read as Sweden's 1860 too. See docs/decisions/0023.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SWEDEN, NORWAY = "SE", "NO"


@dataclass(frozen=True)
class Country:
    code: str
    name: str  # in the country's own language
    county_word: str  # what a county is called there (län, fylke)
    language: str  # the portal's default language for its users


COUNTRIES: dict[str, Country] = {
    SWEDEN: Country(SWEDEN, "Sverige", "län", "sv"),
    NORWAY: Country(NORWAY, "Norge", "fylke", "nb"),
}

KEY = re.compile(r"^(?P<country>[A-Z]{2})-(?P<code>\d{2}.*)$")


def unit_key(country: str, code: str) -> str:
    """The key of a unit or county with national `code` in `country`."""
    if country not in COUNTRIES:
        raise ValueError(f"unknown country {country!r}")
    return code if country == SWEDEN else f"{country}-{code}"


def split_key(key: str) -> tuple[str, str]:
    """(country, national code) of a key; a bare code is Swedish."""
    match = KEY.match(key.strip().upper())
    if match and match["country"] in COUNTRIES:
        return match["country"], match["code"]
    return SWEDEN, key.strip()


def canonical_key(text: str) -> str:
    """The stored key for a key as a person may write it ("se-1860", "NO-1860", "1860")."""
    country, code = split_key(text)
    return unit_key(country, code)
