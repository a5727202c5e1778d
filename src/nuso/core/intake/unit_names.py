"""Which unit a file comes from: a code or a name given by the user, found in a column, or in
the file name ("1780_Karlstad…", "Aktualiseringar Hammarö 2023.xlsx", "arvika-1784-2023.csv",
"Stockholm Spånga-Tensta 2023.xlsx"). An unknown or ambiguous unit is an error that lists
the candidates; nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nuso.core.countries import split_key
from nuso.core.errors import InputError, Problem
from nuso.core.harmonise.normalise import fold


@dataclass(frozen=True)
class UnitRef:
    code: str
    name: str
    parent_code: str = ""  # a district's municipality


class UnitNotFoundError(InputError):
    """No unit, or more than one, fits; the message lists what was found."""

    def __init__(self, message: str, candidates: tuple[UnitRef, ...] = ()) -> None:
        self.candidates = candidates
        code = "ambiguous-unit" if candidates else "unknown-unit"
        super().__init__([Problem(code, message)])


def words(text: str) -> str:
    return " " + " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split()) + " "


class UnitIndex:
    """The units of one country, found by key ("NO-1860"), by national code ("1860") or by
    name. One country only: codes collide between countries."""

    def __init__(self, units: list[UnitRef]) -> None:
        self.units = units
        self.by_code = {split_key(unit.code)[1]: unit for unit in units}
        self.by_code |= {unit.code: unit for unit in units}
        self.names = [(words(unit.name), unit) for unit in units]

    def resolve(self, text: str, source: str) -> UnitRef:
        """The one unit that `text` names; UnitNotFoundError otherwise. `source` says where the
        text came from, for the message ("filnamnet", "kolumnen Kommun", "--kommun")."""
        code = text.strip().upper()
        if code in self.by_code:  # a code column: the value is exactly a code or a key
            return self.by_code[code]
        found = self.matches(text)
        if len(found) == 1:
            return found[0]
        if not found:
            raise UnitNotFoundError(
                f"Ingen kommun eller stadsdel känns igen i {source} ({text!r})."
            )
        listed = ", ".join(f"{u.code} {u.name}" for u in found)
        raise UnitNotFoundError(
            f"Flera enheter passar {source} ({text!r}): {listed}.", tuple(found)
        )

    def matches(self, text: str) -> list[UnitRef]:
        folded = words(text)
        # "Södermalms sdf", "Skärholmens stadsdelsförvaltning": a name in the genitive too.
        bare = " " + " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w
                              for w in folded.split()) + " "  # fmt: skip
        hits = {unit.code: unit for name, unit in self.names if name in folded or name in bare}
        if not hits:
            # Codes only when no name is given: 2023 is Malung-Sälen's code and also a year.
            for code in re.findall(r"(?<!\d)(\d{4}(?:-\d{2})?)(?!\d)", text):
                unit = self.by_code.get(code)
                if unit is not None and not looks_like_year(code):
                    hits[unit.code] = unit
        # A district and its own municipality both match "Stockholm Bromma": the district
        # is meant. Likewise a name inside a longer matching name ("Väsby" in "Upplands Väsby").
        found = [
            u for u in hits.values() if not any(o.parent_code == u.code for o in hits.values())
        ]
        found = [u for u in found if not any(contained(u.name, o.name) for o in found)]
        # Names that fold alike (Habo, Håbo): the one written with its own letters wins.
        exact = [u for u in found if exact_words(u.name) in exact_words(text)]
        return exact if len(found) > 1 and len(exact) == 1 else found


def contained(name: str, other: str) -> bool:
    """`name` is a strictly shorter part of `other` ("Väsby" of "Upplands Väsby")."""
    return words(name) != words(other) and words(name) in words(other)


def exact_words(text: str) -> str:
    return " " + " ".join(re.sub(r"[^\w]+", " ", text.lower()).split()) + " "


def looks_like_year(code: str) -> bool:
    return code.isdigit() and 1990 <= int(code) <= 2035
