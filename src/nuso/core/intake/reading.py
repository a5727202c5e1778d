"""Reading a delivered file into sheets of text cells, whatever its format and encoding.

Spreadsheets (.xlsx, .xlsm, .xls, .ods) are read by calamine (python-calamine); delimited text
(.csv, .txt) is decoded after detecting its encoding and delimiter. Every cell comes back as
text or None, with its 1-based row number as a spreadsheet program shows it (for text files:
the line number). A file that cannot be read raises ReadError with a Swedish message saying
what to do.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from nuso.core.errors import InputError, Problem

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
SUPPORTED_SUFFIXES = SPREADSHEET_SUFFIXES | TEXT_SUFFIXES
DELIMITERS = (";", ",", "\t", "|")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, and encrypted .xlsx
ZIP_MAGIC = b"PK\x03\x04"
SNIFF_LINES = 50

Cell = str | None


class ReadError(InputError):
    """The file cannot be read as a table; the problem says why and what to do."""

    def __init__(self, file: str, code: str, message: str) -> None:
        self.file = file
        super().__init__([Problem(code, message, file=file)])


@dataclass
class RawSheet:
    name: str  # empty for text files
    rows: list[list[Cell]]  # rows[i] is spreadsheet row i + 1


@dataclass
class RawFile:
    name: str
    sheets: list[RawSheet]
    encoding: str = ""  # text files only
    delimiter: str = ""


def read_file(path: Path, data: bytes | None = None) -> RawFile:
    """The file's sheets; `data` is its content when the caller has already read it."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise ReadError(
            path.name,
            "unsupported-type",
            f"Filtypen {suffix or '(ingen)'} stöds inte; använd {supported}.",
        )
    data = path.read_bytes() if data is None else data
    if not data.strip():
        raise ReadError(
            path.name, "empty-file", "Filen är tom. Exportera på nytt från verksamhetssystemet."
        )
    if suffix in TEXT_SUFFIXES:
        return read_text(path.name, data)
    return read_spreadsheet(path, data)


def read_spreadsheet(path: Path, data: bytes) -> RawFile:
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"} and data.startswith(OLE_MAGIC):
        raise ReadError(
            path.name,
            "encrypted",
            "Filen är krypterad eller lösenordsskyddad. Spara den utan lösenord och läs in igen.",
        )
    if suffix in {".xlsx", ".xlsm", ".ods"} and not data.startswith(ZIP_MAGIC):
        raise ReadError(
            path.name,
            "not-a-spreadsheet",
            "Filen är skadad eller inte ett kalkylark (fel filformat).",
        )
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [
            RawSheet(name, [texts_of(row) for row in rows_of(workbook, name)])
            for name in workbook.sheet_names
        ]
    except CalamineError as error:
        first_line = str(error).splitlines()[0]
        raise ReadError(
            path.name, "unreadable", f"Filen går inte att läsa som kalkylark ({first_line})."
        ) from error
    return RawFile(path.name, sheets)


def rows_of(workbook: CalamineWorkbook, name: str) -> Sequence[Sequence[object]]:
    # From A1, not from the first used cell: row numbers must be what a spreadsheet shows.
    return workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)


def texts_of(row: Iterable[object]) -> list[Cell]:
    """A row's cells as text: most cells are text already and are taken as they are here,
    without a call each (a national import reads millions)."""
    return [
        cell if type(cell) is str and cell and not cell.isspace() else text_of(cell) for cell in row
    ]


def text_of(cell: object) -> Cell:
    """A cell as the text a person reads: 15.0 as '15', dates as ISO 8601."""
    convert = TEXT_BY_TYPE.get(type(cell))  # one look-up rather than a test per kind
    return convert(cell) if convert is not None else text_by_kind(cell)


def text_by_kind(cell: object) -> Cell:
    """`text_of` for a cell whose type TEXT_BY_TYPE does not name (a subclass, say): the first
    kind it is, in the table's order (bool before int, datetime before date)."""
    for kind, convert in TEXT_BY_TYPE.items():
        if isinstance(cell, kind):
            return convert(cell)
    return clean(cell)


def float_text(cell: float) -> Cell:
    return str(int(cell)) if cell.is_integer() else clean(cell)


def datetime_text(cell: dt.datetime) -> Cell:
    return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat(sep=" ")


def string_text(cell: str) -> Cell:
    return cell if cell.strip() else None


def bool_text(cell: bool) -> Cell:
    return "1" if cell else "0"


def clean(cell: object) -> Cell:
    if cell is None:
        return None
    text = str(cell)
    return text if text.strip() else None


TEXT_BY_TYPE: dict[type, Callable[[Any], Cell]] = {
    str: string_text,
    type(None): clean,
    bool: bool_text,
    float: float_text,
    int: clean,
    dt.datetime: datetime_text,
    dt.date: dt.date.isoformat,
    dt.time: dt.time.isoformat,
}


# --- delimited text ---


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding found: UTF-8 (BOM or valid UTF-8), else Windows-1252, which
    reads Latin-1 alike for every letter Swedish uses."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "windows-1252"


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the most lines into the same number (>1) of fields."""
    best, best_score = ",", -1
    for delimiter in DELIMITERS:
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter) if row]
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        score = widths.count(common) if common > 1 else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_delimited(data: bytes) -> list[list[str]]:
    """Every row of a small delimited table as text cells, the header first (reference
    tables; exports go through read_file)."""
    text, _ = decode(data)
    lines = text.splitlines()
    delimiter = sniff_delimiter([line for line in lines[:SNIFF_LINES] if line.strip()])
    return list(csv.reader(lines, delimiter=delimiter))


def read_text(name: str, data: bytes) -> RawFile:
    text, encoding = decode(data)
    lines = text.splitlines()
    delimiter = sniff_delimiter([line for line in lines[:SNIFF_LINES] if line.strip()])
    rows = [
        [cell if cell.strip() else None for cell in row]  # csv gives text: blank is no value
        for row in csv.reader(lines, delimiter=delimiter)
    ]
    if not any(any(cell for cell in row) for row in rows):
        raise ReadError(name, "no-values", "Filen innehåller inga värden.")
    return RawFile(name, [RawSheet("", rows)], encoding=encoding, delimiter=delimiter)
