"""Synthetic identity numbers in every place and written form a delivery may hold them (issue 16,
item 2), and a search for them in whatever the platform wrote. No real person's number: each
is made by the project's own generator, with a valid check digit, for a child born 2001-2019.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Mapping
from pathlib import Path

import xlsxwriter

from nuso.core.intake.personal_numbers import PersonalNumber

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

    def forms(self) -> list[str]:
        """Each number's digits as a search looks for them: twelve, ten, and as a number."""
        found = [f"{n.birth_date.year // 100:02d}{n.ten_digits}" for n in self.given]
        return found + [n.ten_digits for n in self.given] + self.stored_as_numbers


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
