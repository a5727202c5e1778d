"""Writing sheets of cells as the files case systems produce: .xlsx, legacy .xls and
delimited text in the encodings municipalities use. Output is byte-for-byte reproducible."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import xlsxwriter
import xlwt

from nuso.core.synth.render import Cell, Sheet

# Fixed document dates: the same seed must give the same bytes.
DOCUMENT_DATE = dt.datetime(2024, 1, 15, 8, 0, 0)


def write_xlsx(path: Path, sheets: list[Sheet], date_format: str = "yyyy-mm-dd") -> None:
    """Sheets as a workbook; dates are date cells shown in `date_format` (Norwegian systems
    show dd.mm.yyyy)."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    workbook.set_properties({"created": DOCUMENT_DATE, "author": "Verksamhetssystem"})
    shown = workbook.add_format({"num_format": date_format})
    for sheet in sheets:
        worksheet = workbook.add_worksheet(sheet.name[:31])
        for r, row in enumerate(sheet.rows):
            for c, cell in enumerate(row):
                if isinstance(cell, dt.date):
                    worksheet.write_datetime(r, c, dt.datetime.combine(cell, dt.time()), shown)
                elif cell is not None:
                    worksheet.write(r, c, cell)
    workbook.close()


def write_xls(path: Path, sheets: list[Sheet]) -> None:
    workbook = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for sheet in sheets:
        worksheet = workbook.add_sheet(sheet.name[:31])
        for r, row in enumerate(sheet.rows):
            for c, cell in enumerate(row):
                if isinstance(cell, dt.date):
                    worksheet.write(r, c, cell, date_style)
                elif cell is not None:
                    worksheet.write(r, c, cell)
    workbook.save(str(path))


def text(cell: Cell) -> str:
    if cell is None:
        return ""
    return cell.isoformat() if isinstance(cell, dt.date) else str(cell)


def write_csv(path: Path, sheets: list[Sheet], delimiter: str, encoding: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for sheet in sheets:
        for row in sheet.rows:
            writer.writerow([text(cell) for cell in row])
    # Windows-1252 cannot hold every character; what it cannot is what such a system loses.
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
