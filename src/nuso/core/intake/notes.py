"""What an analyst should know about a file that was imported all the same: sheets hidden in
the workbook that were read as data, sheets Excel cannot show that were left out, and
columns of the same header whose values disagree (only the first is read). Each note is a
Problem, shown with the import report and stored with it."""

from __future__ import annotations

from collections.abc import Sequence

from nuso.core.errors import Problem
from nuso.core.intake.layout import Column, Table, header_key
from nuso.core.intake.reading import RawFile, RawSheet


def file_notes(raw: RawFile, tables: Sequence[tuple[RawSheet, Table]]) -> tuple[Problem, ...]:
    notes = [hidden_sheet(sheet.name) for sheet, _ in tables if sheet.hidden]
    notes += [very_hidden_sheet(name) for name in raw.very_hidden]
    for sheet, table in tables:
        notes += conflicting_columns(sheet, table)
    return tuple(notes)


def hidden_sheet(name: str) -> Problem:
    message = (
        "Fliken är dold i arbetsboken men har en tabell, som lästes in. Kontrollera att den "
        "hör till leveransen (en dold flik kan vara ett gammalt utkast)."
    )
    return Problem("hidden-sheet", message, sheet=name)


def very_hidden_sheet(name: str) -> Problem:
    message = (
        "Fliken är mycket dold (den går inte att visa i Excel; ett makro eller program har "
        "dolt den) och lästes inte in. Hör den till leveransen: läs in filen igen med "
        "--mycket-dolda-flikar."
    )
    return Problem("very-hidden-sheet", message, sheet=name)


def conflicting_columns(sheet: RawSheet, table: Table) -> list[Problem]:
    """A column read as a variable, and a later column of the same header that is not (only
    one column is read per variable), when their values differ in some row."""
    read = {header_key(c.header): c for c in table.columns if c.target}
    notes = []
    for column in table.columns:
        kept = read.get(header_key(column.header))
        if kept is None or column.target:  # read as a variable itself, or nothing to compare
            continue
        differing = [row for row in table.data_rows if differs(sheet, row, kept, column)]
        if differing:
            notes.append(conflict(table.sheet, kept, column, differing))
    return notes


def differs(sheet: RawSheet, number: int, first: Column, second: Column) -> bool:
    cells = sheet.rows[number - 1]
    return cell_text(cells, first.index) != cell_text(cells, second.index)


def cell_text(cells: Sequence[str | None], index: int) -> str:
    cell = cells[index] if index < len(cells) else None
    return cell.strip() if cell else ""


def conflict(sheet: str, kept: Column, other: Column, rows: list[int]) -> Problem:
    message = (
        f"Kolumnen finns två gånger, i kolumn {letters(kept.index)} och "
        f"{letters(other.index)}, med olika värden i {len(rows)} rader (den första är rad "
        f"{rows[0]}). Värdena i kolumn {letters(kept.index)} lästes som {kept.target}; de i "
        f"kolumn {letters(other.index)} sparas bara som råvärden. Kontrollera vilken som är "
        "rätt."
    )
    return Problem(
        "conflicting-columns", message, sheet=sheet or None, column=kept.header, row=rows[0]
    )


def letters(index: int) -> str:
    """A 0-based column index as a spreadsheet names it: 0 is A, 26 is AA."""
    name, number = "", index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(ord("A") + rest) + name
    return name
