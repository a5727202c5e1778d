"""Synthetic identity numbers in every place and written form a delivery may hold them (issue 16,
item 2), and a search for them in whatever the platform wrote. No real person's number: each
is made by the project's own generator, with a valid check digit, for a child born 2001-2019;
the Norwegian ones (issue 20) with python-stdnum's check digits.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Mapping
from pathlib import Path

import xlsxwriter

from nuso.core.intake.personal_numbers import PersonalNumber

from .norwegian import KINDS, made_up

NBSP = "\u00a0"
HEADER = ["Personnummer", "Datum", "Kön", "Aktualiseringstyp", "Orsak", "Åtgärd"]
VALUES = [
    ["2023-05-01", "F", "Anmälan", "Skolproblem", "Utredning inleds"],
    ["2023-06-12", "P", "B/U Ansökan", "Missbruk, förälder", "Utredning inleds ej"],
    ["2023-09-30", "F", "Egen iakttagelse", "Våld mot barn", "Påförs pågående utredning"],
]


class Numbers:
    """Distinct synthetic numbers, handed out one at a time, each remembered with the forms
    it was written in (what a search must look for)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.given: list[PersonalNumber] = []
        self.stored_as_numbers: list[str] = []  # 908092794: searched for as written too
        self.norwegian_given: list[str] = []  # eleven digits (a Norwegian number lost: ten)

    def next(self, born_from: int = 2006, born_to: int = 2019) -> PersonalNumber:
        while True:
            start, end = dt.date(born_from, 1, 1), dt.date(born_to, 12, 31)
            born = start + dt.timedelta(days=self.rng.randrange((end - start).days))
            number = PersonalNumber(born, self.rng.randrange(1000))
            if number.ten_digits not in {n.ten_digits for n in self.given}:
                self.given.append(number)
                return number

    def en_dash(self) -> str:
        return self.next().formatted("long").replace("-", "–")  # 20081020–0055

    def dotted(self) -> str:
        ten = self.next().ten_digits
        return f"{ten[:6]}.{ten[6:]}"  # 171126.2640

    def spaced(self) -> str:
        twelve = self.next().formatted("long_plain")
        return f"{twelve[:4]} {twelve[4:6]} {twelve[6:8]}-{twelve[8:]}"  # 2008 03 11-7654

    def plain(self) -> str:
        return self.next().formatted("short")

    def as_number(self) -> int:
        """A number a spreadsheet keeps as a number: born 2001-2009, its leading zero lost."""
        written = self.next(2001, 2009).ten_digits.lstrip("0")
        self.stored_as_numbers.append(written)
        return int(written)

    def norwegian(self, separator: str = " ", first_days: bool = False) -> str:
        """A Norwegian number (any kind, now and then one of Tenor's) with the separator after
        the date; `first_days`: an ordinary one born on the 1st-9th, which a spreadsheet
        keeps as ten digits."""
        while True:
            born = dt.date(self.rng.randrange(2006, 2020), self.rng.randrange(1, 13),
                           self.rng.randrange(1, 10 if first_days else 29))  # fmt: skip
            kind = "fødselsnummer" if first_days else self.rng.choice(KINDS)
            tenor = kind != "H-nummer" and self.rng.random() < 0.3
            number = made_up(born, self.rng.randrange(500, 1000), kind, tenor)
            if number and number not in self.norwegian_given:
                self.norwegian_given.append(number)
                return f"{number[:6]}{separator}{number[6:]}"

    def norwegian_as_number(self) -> int:
        """A Norwegian number a spreadsheet keeps as a number: its leading zero lost."""
        return int(self.norwegian("", first_days=True))

    def forms(self) -> list[str]:
        """Each number's digits as a search looks for them: twelve, ten, and as a number; a
        Norwegian one's eleven (and ten without its leading zero)."""
        found = [f"{n.birth_date.year // 100:02d}{n.ten_digits}" for n in self.given]
        norwegian = self.norwegian_given + [n.lstrip("0") for n in self.norwegian_given]
        return found + [n.ten_digits for n in self.given] + self.stored_as_numbers + norwegian


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """A workbook; integers are written as numbers, as a case system's export has them."""
    workbook = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if cell is not None:
                    sheet.write(r, c, cell)
    workbook.close()
    return path


SEPARATED = re.compile(r"(?<=\d)[^\w]{1,3}(?=\d)")  # a dash, dot, space or more between digits


def digits_together(text: str) -> str:
    """The text with whatever separates digits taken out: 2008 03 11–7654 is 200803117654."""
    return SEPARATED.sub("", text)


def clear_numbers(texts: Mapping[str, str], numbers: Numbers) -> list[tuple[str, str]]:
    """Each (place, number) where one of the numbers stands in clear, in any written form."""
    forms = numbers.forms()
    assert forms, "no numbers to look for"
    found = []
    for place, text in texts.items():
        together = digits_together(text)
        found += [(place, form) for form in forms if form in together]
    return found


def write_corpus(folder: Path, numbers: Numbers) -> Path:
    """Files with numbers in every place and form issue 16 found them in clear: a file's name,
    sheets' names, headers, cells written with an en dash, dots, spaces, a dash between spaces,
    numbers a spreadsheet kept as numbers, numbers inside text, in a unit column, and a file
    that cannot be read at all; Norwegian numbers in a sheet's name, cells and text, written
    plain, with a space or a dash, and kept as numbers."""
    folder.mkdir(parents=True)
    n = numbers
    header = [*HEADER, f"Anteckning {n.spaced()}", "Syskon", "Ärendenr"]
    identity = [n.en_dash(), n.dotted(), n.spaced(), n.as_number(), n.as_number(),
                n.plain().replace("-", " - "), n.plain().replace("-", NBSP), n.plain()]  # fmt: skip
    siblings = [f"Bror {n.en_dash()}", f"Syster {n.dotted()}", n.as_number(), n.spaced(),
                f"Halvbror i Norge {n.norwegian()}", f"Syskon {n.plain()} och {n.en_dash()}",
                n.norwegian_as_number(), n.as_number()]  # fmt: skip
    rows = [
        [number, *VALUES[i % 3], f"Obs {n.plain()}", sibling, 4711 + i]
        for i, (number, sibling) in enumerate(zip(identity, siblings, strict=True))
    ]
    rows[2][4] = f"Våld mot barnet {n.en_dash()}"  # a reason holding a number
    norway = [[n.norwegian_as_number(), *VALUES[i]] for i in range(3)]  # stored as numbers
    write_xlsx(
        folder / f"Karlstad {n.en_dash()}.xlsx",
        {
            f"Barn {n.dotted()}": [header, *rows],
            f"Flik {n.plain()}": [HEADER, *[[n.as_number(), *VALUES[i]] for i in range(3)]],
            f"Norge {n.norwegian()}": [HEADER, *norway],
        },
    )
    lines = [f"Personnummer;Kön;Orsak;Åtgärd;Anm {n.en_dash()}"]
    lines += [f"{n.next().formatted('long_plain')};F;Skolproblem;Ny utredning;{n.dotted()}",
              f"{n.as_number()};P;Skolk {n.spaced()};Ny utredning;",
              f"{n.norwegian('-')};P;Skolproblem;Ny utredning;{n.norwegian('')}"]  # fmt: skip
    (folder / f"Hammarö {n.plain()}.csv").write_text("\n".join(lines) + "\n", "utf-8")
    (folder / f"Arvika {n.dotted()} trasig.xlsx").write_bytes(b"not a workbook")
    survey = f"Kommun;Kön;Åtgärd\nKarlstad;F;Ny utredning\n{n.en_dash()};P;Ny utredning\n"
    (folder / f"Enkät {n.spaced()}.csv").write_text(survey, "utf-8")
    return folder


def places(found: list[tuple[str, str]]) -> str:
    """Where numbers stand in clear, a place a line with its numbers: a failure's message."""
    by_place: dict[str, list[str]] = {}
    for place, form in found:
        by_place.setdefault(place, []).append(form)
    return "\n".join(f"{place}: {', '.join(forms)}" for place, forms in by_place.items())
