"""Reading a delivered file into sheets of text cells, whatever its format and encoding.

Spreadsheets (.xlsx, .xlsm, .xls, .ods) are read by calamine (python-calamine); delimited text
(.csv, .txt) is decoded after detecting its encoding and delimiter. The format is told by the
file's content, not its name: an old .xls renamed .xlsx is still read. Every cell comes back as
text or None, with its 1-based row number as a spreadsheet program shows it (for text files:
the line number). A file that cannot be read, or holds more than the limits allow
(nuso.core.intake.limits, checked before its content is read), raises ReadError with a
Swedish message saying what to do.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook, SheetVisibleEnum

from nuso.core.intake.limits import (
    ReadError,
    ReadLimits,
    ReadOptions,
    check_reach,
    check_size,
    reach_exceeded,
    thousands,
)
from nuso.core.intake.package import inspect_package

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
SUPPORTED_SUFFIXES = SPREADSHEET_SUFFIXES | TEXT_SUFFIXES
DELIMITERS = (";", ",", "\t", "|")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, and encrypted .xlsx
ZIP_MAGIC = b"PK\x03\x04"
# Office encrypts an .xlsx by wrapping it in an OLE container with these streams, named in
# UTF-16 in the container's directory.
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
SNIFF_LINES = 50
UTF16_SAMPLE = 4096  # bytes looked at for the zero bytes of UTF-16

Cell = str | None

__all__ = ["RawFile", "RawSheet", "ReadError", "ReadLimits", "ReadOptions", "read_file"]


@dataclass
class RawSheet:
    name: str  # empty for text files
    rows: list[list[Cell]]  # rows[i] is spreadsheet row i + 1
    hidden: bool = False  # hidden in the workbook (a user can show it again)


@dataclass
class RawFile:
    name: str
    sheets: list[RawSheet]
    encoding: str = ""  # text files only
    delimiter: str = ""
    very_hidden: list[str] = field(default_factory=list)  # sheets not read: Excel cannot show them


def read_file(path: Path, data: bytes | None = None, options: ReadOptions | None = None) -> RawFile:
    """The file's sheets; `data` is its content when the caller has already read it."""
    options = options or ReadOptions()
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
    if data.startswith(ZIP_MAGIC):
        inspect_package(path.name, data, options.limits)
        return read_spreadsheet(path.name, data, options)
    if data.startswith(OLE_MAGIC):
        check_size(path.name, len(data), options.limits)
        return read_legacy(path.name, data, options)
    if suffix in SPREADSHEET_SUFFIXES:
        raise ReadError(
            path.name,
            "not-a-spreadsheet",
            "Filen är skadad eller inte ett kalkylark (fel filformat).",
        )
    return read_text(path.name, data, options.limits)


def read_legacy(name: str, data: bytes, options: ReadOptions) -> RawFile:
    """An OLE container: an Excel 97–2003 workbook (.xls, whatever its name), or an .xlsx
    that Office encrypted (it keeps the package inside an OLE container)."""
    try:
        return read_spreadsheet(name, data, options)
    except ReadError as error:
        if ENCRYPTION_STREAM in data:
            raise encrypted(name) from error
        (problem,) = error.problems
        if problem.code != "unreadable":
            raise
        # An .xls encrypted by Excel's own password protection looks like any other
        # unreadable one from outside.
        message = f"{problem.message} Om den är lösenordsskyddad: spara den utan lösenord."
        raise ReadError(name, "unreadable", message) from error


def encrypted(name: str) -> ReadError:
    message = "Filen är krypterad eller lösenordsskyddad. Spara den utan lösenord och läs in igen."
    return ReadError(name, "encrypted", message)


def read_spreadsheet(name: str, data: bytes, options: ReadOptions) -> RawFile:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        read, very_hidden = sheets_to_read(workbook, options)
        sheets = [
            RawSheet(sheet, [texts_of(row) for row in rows_of(workbook, sheet, name, options)],
                     hidden=hidden)
            for sheet, hidden in read
        ]  # fmt: skip
    except CalamineError as error:
        raise unreadable(name, error) from error
    except BaseException as error:
        # A fault inside calamine reaches Python as pyo3's PanicException, which is no
        # Exception: it would end the whole import instead of refusing this file.
        if type(error).__name__ != "PanicException":
            raise
        raise unreadable(name, error) from error
    return RawFile(name, sheets, very_hidden=very_hidden)


def unreadable(name: str, error: BaseException) -> ReadError:
    first_line = (str(error).splitlines() or [type(error).__name__])[0]
    return ReadError(name, "unreadable", f"Filen går inte att läsa som kalkylark ({first_line}).")


def sheets_to_read(
    workbook: CalamineWorkbook, options: ReadOptions
) -> tuple[list[tuple[str, bool]], list[str]]:
    """The sheets to read, each with whether it is hidden, and the very hidden ones left out
    (Excel cannot show them; a macro or a program made them so): read only when asked."""
    read, left_out = [], []
    for sheet in workbook.sheets_metadata:
        if sheet.visible == SheetVisibleEnum.VeryHidden and not options.very_hidden_sheets:
            left_out.append(sheet.name)
        else:
            read.append((sheet.name, sheet.visible != SheetVisibleEnum.Visible))
    return read, left_out


def rows_of(
    workbook: CalamineWorkbook, sheet: str, file: str, options: ReadOptions
) -> Sequence[Sequence[object]]:
    """A sheet's rows from A1, not from the first used cell: row numbers must be what a
    spreadsheet shows. Refused before they become Python objects when the sheet reaches
    beyond the limits (an .xls is not inspected before calamine loads it: its format caps
    a sheet at 65 536 rows and 256 columns)."""
    loaded = workbook.get_sheet_by_name(sheet)
    rows, columns = reach_of(loaded)
    check_reach(file, sheet, rows, columns, options.limits)
    return loaded.to_python(skip_empty_area=False)


def reach_of(sheet: CalamineSheet) -> tuple[int, int]:
    """The rows and columns a sheet spans from A1."""
    end = sheet.end
    return (end[0] + 1, end[1] + 1) if end else (0, 0)


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
    """Text and the encoding found: UTF-16 (by its byte order mark, or its zero bytes), UTF-8
    (BOM or valid UTF-8), else Windows-1252, which reads Latin-1 alike for every letter
    Swedish uses."""
    utf16 = utf16_of(data)
    if utf16:
        return data.decode(utf16, errors="replace").removeprefix("\ufeff"), utf16
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "windows-1252"


def utf16_of(data: bytes) -> str:
    """The UTF-16 byte order of a text ("utf-16-le" or "utf-16-be"), else "". Excel's
    "Unicode text" is UTF-16 with a byte order mark; without one, the zero bytes tell: every
    character of Latin script has a zero high byte, and no 8-bit text has zero bytes."""
    if data.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le"
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be"
    sample = data[:UTF16_SAMPLE]
    high_first, high_last = sample[0::2].count(0), sample[1::2].count(0)
    if high_last > len(sample) / 4 and high_first == 0:
        return "utf-16-le"
    if high_first > len(sample) / 4 and high_last == 0:
        return "utf-16-be"
    return ""


def sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the most lines into the same number (>1) of fields."""
    best, best_score = ",", -1
    for delimiter in DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delimiter) if row]
        except csv.Error:  # a cell beyond the limit: reading the file will say where
            continue
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


def read_text(name: str, data: bytes, limits: ReadLimits | None = None) -> RawFile:
    limits = limits or ReadLimits()
    check_size(name, len(data), limits)
    # The csv module's limit is the process's; every text file sets the one in force.
    csv.field_size_limit(limits.max_cell_chars)
    text, encoding = decode(data)
    lines = text.splitlines()
    delimiter = sniff_delimiter([line for line in lines[:SNIFF_LINES] if line.strip()])
    rows = split_lines(name, lines, delimiter, limits)
    if not any(any(cell for cell in row) for row in rows):
        raise ReadError(name, "no-values", "Filen innehåller inga värden.")
    return RawFile(name, [RawSheet("", rows)], encoding=encoding, delimiter=delimiter)


def split_lines(
    name: str, lines: list[str], delimiter: str, limits: ReadLimits
) -> list[list[Cell]]:
    """Each line's cells (csv gives text: blank is no value), within the limits of rows,
    columns and cells (rows × the widest row, as a sheet's) and of characters in a cell."""
    reader = csv.reader(lines, delimiter=delimiter)
    rows: list[list[Cell]] = []
    widest = 0
    try:
        for row in reader:
            rows.append([cell if cell.strip() else None for cell in row])
            widest = max(widest, len(row))
            if reach_exceeded(len(rows), widest, limits):
                check_reach(name, None, len(rows), widest, limits)
    except csv.Error as error:
        raise unreadable_line(name, reader.line_num, error, limits) from error
    return rows


def unreadable_line(name: str, line: int, error: csv.Error, limits: ReadLimits) -> ReadError:
    if "field larger than field limit" in str(error):
        message = (
            f"En cell har mer än {thousands(limits.max_cell_chars)} tecken "
            '(NUSO_IMPORT_MAX_CELL_CHARS). Oftast saknas ett avslutande citattecken ("), så '
            "att resten av filen blir en enda cell: rätta raden eller exportera på nytt."
        )
        return ReadError(name, "cell-too-long", message, row=line)
    message = f"Raden går inte att dela i celler ({error}). Rätta raden eller exportera på nytt."
    return ReadError(name, "unreadable-line", message, row=line)
