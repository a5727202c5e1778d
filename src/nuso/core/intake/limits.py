"""How much a delivered file may hold, and the refusal of one that holds more.

The limits are checked before a file's content is read (nuso.core.intake.package for
spreadsheets, nuso.core.intake.reading for text): a file beyond them is refused with a
message naming the limit and its setting, and the import goes on with the next file, instead
of the whole run ending out of memory. The defaults are the settings' (nuso.config).
"""

from __future__ import annotations

from dataclasses import dataclass

from nuso.core.errors import InputError, Problem

MB = 1_000_000


class ReadError(InputError):
    """The file cannot be read as a table; the problem says why and what to do."""

    def __init__(
        self,
        file: str,
        code: str,
        message: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
    ) -> None:
        self.file = file
        super().__init__([Problem(code, message, file=file, sheet=sheet, row=row)])


@dataclass(frozen=True)
class ReadLimits:
    """What one delivered file may hold (the NUSO_IMPORT_MAX_* settings)."""

    max_mb: int = 1024  # a text file's size; a spreadsheet's parts, unpacked
    max_ratio: int = 100  # how many times its packed size a spreadsheet's part may unpack to
    max_cells: int = 20_000_000  # rows × columns of a sheet, from A1
    max_rows: int = 1_048_576  # Excel's own limits
    max_columns: int = 16_384
    max_cell_chars: int = 131_072  # one cell of a text file

    @property
    def max_bytes(self) -> int:
        return self.max_mb * MB


@dataclass(frozen=True)
class ReadOptions:
    """How to read a delivered file: within these limits, and whether sheets that Excel
    cannot show ("very hidden", made so by a macro or a program) are read too."""

    limits: ReadLimits = ReadLimits()
    very_hidden_sheets: bool = False


def check_size(file: str, size: int, limits: ReadLimits, what: str = "Filen är") -> None:
    """Refuse a file (or its unpacked parts) larger than NUSO_IMPORT_MAX_MB."""
    if size > limits.max_bytes:
        message = (
            f"{what} {thousands(round(size / MB))} MB, mer än gränsen "
            f"{thousands(limits.max_mb)} MB (NUSO_IMPORT_MAX_MB). Dela upp exporten i mindre "
            "filer, t.ex. en per halvår."
        )
        raise ReadError(file, "too-large", message)


def check_reach(file: str, sheet: str | None, rows: int, columns: int, limits: ReadLimits) -> None:
    """Refuse a sheet whose cells reach beyond the limits of rows, columns or cells, counted
    from A1 as the sheet is read (a table's row numbers are those a spreadsheet shows)."""
    exceeded = reach_exceeded(rows, columns, limits)
    if exceeded:
        message = (
            f"Fliken sträcker sig över {thousands(rows)} rader och {thousands(columns)} "
            f"kolumner; {exceeded}. Kontrollera att exporten bara innehåller tabellen (celler "
            "långt bort i arket räknas också), eller dela upp den."
        )
        raise ReadError(file, "too-many-cells", message, sheet=sheet)


def reach_exceeded(rows: int, columns: int, limits: ReadLimits) -> str:
    """Which limit a sheet of this reach exceeds, in Swedish; "" for none."""
    if rows > limits.max_rows:
        return f"högst {thousands(limits.max_rows)} rader läses (NUSO_IMPORT_MAX_ROWS)"
    if columns > limits.max_columns:
        return f"högst {thousands(limits.max_columns)} kolumner läses (NUSO_IMPORT_MAX_COLUMNS)"
    if rows * columns > limits.max_cells:
        return f"högst {thousands(limits.max_cells)} celler läses (NUSO_IMPORT_MAX_CELLS)"
    return ""


def thousands(number: int) -> str:
    """A count as Swedish writes it: 1 048 576."""
    return f"{number:,}".replace(",", " ")
