"""Made-up Norwegian identity numbers for the tests, their check digits computed by python-stdnum:
no real person's number is written into the repository; and small Norwegian report exports
made with them."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path
from typing import Literal

from hypothesis import assume
from hypothesis import strategies as st
from stdnum.no import fodselsnummer

Kind = Literal["fødselsnummer", "D-nummer", "H-nummer"]
KINDS: tuple[Kind, ...] = ("fødselsnummer", "D-nummer", "H-nummer")


def with_check_digits(nine: str) -> str | None:
    """Nine digits and stdnum's two check digits; None when one would be 10 (no number)."""
    first = fodselsnummer.calc_check_digit1(nine)
    second = fodselsnummer.calc_check_digit2(nine + first)
    return None if len(first + second) != 2 else nine + first + second


def made_up(
    born: dt.date, individual: int, kind: Kind = "fødselsnummer", tenor: bool = False
) -> str | None:
    """A valid number of the kind for the birth date and individual number (whose range must
    be the century's); Tenor's synthetic numbers add 80 to the month. None when no check
    digits exist for it."""
    day = born.day + (40 if kind == "D-nummer" else 0)
    month = born.month + (40 if kind == "H-nummer" else 0) + (80 if tenor else 0)
    return with_check_digits(f"{day:02d}{month:02d}{born:%y}{individual:03d}")


def a_number(
    born: dt.date, individual: int, kind: Kind = "fødselsnummer", tenor: bool = False
) -> str:
    """`made_up` with the first individual number from `individual` on, of its parity (the
    sex), that has check digits."""
    for candidate in range(individual, individual + 40, 2):
        if number := made_up(born, candidate, kind, tenor):
            return number
    raise AssertionError(f"no number for {born} from {individual}")


def an_fh_number(start: str = "8") -> str:
    """An FH-nummer: 8 or 9 first, then made-up digits and stdnum's check digits."""
    for tail in range(10_000_000, 20_000_000, 7_919):
        if number := with_check_digits(f"{start}{tail:08d}"):
            return number
    raise AssertionError("no FH-nummer")


def individuals(year: int) -> st.SearchStrategy[int]:
    """Individual numbers that give the year's century (stdnum's ranges)."""
    if year >= 2000:
        return st.integers(500, 999)
    if year >= 1940:
        return st.one_of(st.integers(0, 499), st.integers(900, 999))
    return st.integers(0, 499)


@st.composite
def numbers(
    draw: st.DrawFn,
    kinds: tuple[Kind, ...] = KINDS,
    tenor: st.SearchStrategy[bool] | None = None,
    born_until: dt.date = dt.date(2026, 11, 1),
) -> tuple[str, dt.date, str, bool]:
    """(number, birth date, sex, Tenor's) for a made-up valid number."""
    born = draw(st.dates(dt.date(1900, 1, 1), born_until))
    individual = draw(individuals(born.year))
    kind = draw(st.sampled_from(kinds))
    synthetic = draw(tenor if tenor is not None else st.booleans())
    if kind == "H-nummer":
        synthetic = False  # month + 40 + 80 is past 99: no Tenor H-nummer
    number = made_up(born, individual, kind, synthetic)
    assume(number is not None)
    assert number is not None
    return number, born, "pojke" if individual % 2 else "flicka", synthetic


# Four Nordland units (1860 Vestvågøy collides with Sweden's 1860 Laxå), and two elsewhere.
NORWEGIAN_UNITS = {"1860": "Vestvågøy", "1804": "Bodø", "1806": "Narvik", "1833": "Rana",
                   "0301": "Oslo", "4601": "Bergen"}  # fmt: skip
MELDERS = ["Politi", "Skole", "Barnehage", "Helsestasjon/skolehelsetjenesten",
           "Mor/ far/ foresatte"]  # fmt: skip
CONTENTS = ["Foreldres rusmisbruk", "Vold i hjemmet/ barnet vitne til vold i nære relasjoner",
            "Barnets atferd", "Høy grad av konflikt hjemme"]  # fmt: skip
HEADER = ["Kommunenummer", "Fødselsnummer", "Kjønn", "Alder", "Meldingsdato", "Melder",
          "Saksinnhold", "Konklusjon", "Konklusjonsdato"]  # fmt: skip


def write_reports(folder: Path, code: str, rows: int, seed: int) -> Path:
    """A Familia-like CSV of one unit's 2024 reports: made-up fødselsnumre, SSB's labels."""
    chosen = random.Random(seed)
    path = folder / f"meldinger_{code}_{NORWEGIAN_UNITS[code]}_2024.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(HEADER)
        for _ in range(rows):
            age = chosen.randint(0, 17)
            born = dt.date(2024 - age - 1, chosen.randint(1, 12), chosen.randint(1, 28))
            received = dt.date(2024, 1, 1) + dt.timedelta(days=chosen.randint(0, 350))
            opened = chosen.random() < 0.45
            writer.writerow([
                code, a_number(born, chosen.randrange(500, 700)), chosen.choice(["Gutt", "Jente"]),
                age, f"{received:%d.%m.%Y}", chosen.choice(MELDERS), chosen.choice(CONTENTS),
                "Ikke henlagt" if opened else "Henlagt",
                f"{received + dt.timedelta(days=chosen.randint(1, 10)):%d.%m.%Y}",
            ])  # fmt: skip
    return path
