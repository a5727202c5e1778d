"""Writes one small export per header form a case system writes a variable's name in (issue 15:
case, diacritics, punctuation, parentheses, plural markers, possessives, units, "datum för",
"typ av", "efter", and a header two variables fit), and `forms.csv`, which says for each
file's header the variable it must be read as ("" for none).

Run from the repository root: .venv/bin/python tests/corpus/headers/make_headers.py
The files are committed; this script says how each was made. No personal data.
"""

from __future__ import annotations

import csv
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).parent
VALUES = {  # three rows of each variable's values, as exports write them
    "kon": ["F", "P", "f"],
    "alder": [15, 3, 12],
    "aktualiseringstyp": ["Anmälan", "Ansökan", "Övrig information"],
    "orsaker": ["Skolproblem", "Missbruk förälder", "Våld mot barn"],
    "atgard": ["Utredning inleds", "Utredning inleds ej", "Påförs pågående utredning"],
    "aktualiseringsdatum": ["2023-03-01", "2023-06-12", "2023-11-30"],
    "": ["F 15 år", "P 3 år", "F 12 år"],  # a column two variables fit
}
FORMS: dict[str, list[tuple[str, str]]] = {  # file: (header, variable) in column order
    "case-and-no-diacritics.csv": [
        ("KON", "kon"), ("ALDER", "alder"), ("aktualiseringstyp", "aktualiseringstyp"),
        ("ORSAK", "orsaker"), ("Atgard", "atgard"),
    ],
    "punctuation.csv": [
        ("Kön:", "kon"), ("Ålder.", "alder"), ("Aktualiserings-typ", "aktualiseringstyp"),
        ("Orsak/skäl", "orsaker"), ("Åtgärd_", "atgard"),
    ],
    "parentheses.xlsx": [
        ("Kön (F/P)", "kon"), ("Ålder (antal)", "alder"), ("Typ (kod)", "aktualiseringstyp"),
        ("Orsak (fritext)", "orsaker"), ("Åtgärd (beslut)", "atgard"),
    ],
    "plural-markers.csv": [
        ("Kön", "kon"), ("Ålder", "alder"), ("Aktualiseringstyp(er)", "aktualiseringstyp"),
        ("Aktualiseringsorsak(er)", "orsaker"), ("Åtgärd(er)", "atgard"),
    ],
    "possessives.xlsx": [
        ("Barnets kön", "kon"), ("Den unges ålder", "alder"),
        ("Barnets aktualiseringstyp", "aktualiseringstyp"), ("Barnets problematik", "orsaker"),
        ("Åtgärd", "atgard"),
    ],
    "units.csv": [
        ("Kön", "kon"), ("Barnets ålder (år)", "alder"), ("Typ", "aktualiseringstyp"),
        ("Orsak", "orsaker"), ("Åtgärd", "atgard"),
    ],
    "unit-without-parentheses.csv": [
        ("Kön", "kon"), ("Ålder år", "alder"), ("Typ", "aktualiseringstyp"),
        ("Orsak", "orsaker"), ("Åtgärd", "atgard"),
    ],
    "datum-for-typ-av-efter.xlsx": [
        ("Datum för aktualisering", "aktualiseringsdatum"), ("Kön", "kon"), ("Ålder", "alder"),
        ("Typ av aktualisering", "aktualiseringstyp"), ("Skäl till aktualisering", "orsaker"),
        ("Åtgärd efter förhandsbedömning", "atgard"),
    ],
    "two-variables-in-one-header.csv": [
        ("Kön och ålder", ""), ("Typ", "aktualiseringstyp"), ("Orsak", "orsaker"),
        ("Åtgärd", "atgard"),
    ],
}  # fmt: skip


def rows_of(form: list[tuple[str, str]]) -> list[list[object]]:
    header = [name for name, _ in form]
    return [header] + [[VALUES[variable][i] for _, variable in form] for i in range(3)]


def write(name: str, rows: list[list[object]]) -> None:
    path = HERE / name
    if path.suffix == ".csv":
        lines = [";".join(str(cell) for cell in row) for row in rows]
        path.write_text("\r\n".join(lines) + "\r\n", "utf-8")
        return
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Export")
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            sheet.write(r, c, cell)
    workbook.close()


def main() -> None:
    with (HERE / "forms.csv").open("w", newline="", encoding="utf-8") as handle:
        manifest = csv.writer(handle, delimiter=";", lineterminator="\n")
        manifest.writerow(["fil", "rubrik", "variabel"])
        for name, form in FORMS.items():
            write(name, rows_of(form))
            manifest.writerows([name, header, variable] for header, variable in form)


if __name__ == "__main__":
    main()
