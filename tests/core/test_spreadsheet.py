"""The fast one-sheet Excel writer (nuso.core.spreadsheet): what it writes reads back as
XlsxWriter's cell-by-cell writing of the same frame did, texts stay texts, and characters XML
cannot hold do not break the file."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

import polars as pl
import xlsxwriter
from python_calamine import CalamineWorkbook

from nuso.core import spreadsheet

FRAME = pl.DataFrame(
    {
        "kommunkod": ["1780", "1780", "0180", None],
        "rad": [2, 3, None, 5],
        "andel": [0.5, None, 1.25, -3.0],
        "ja": [True, False, None, True],
        "text": ["=1+2", "", "a & b < c > d \"e\" 'f'", "12"],
        "lista": ["x|y", "_x0041_ kvar", "tab\there", "ny\nrad"],
    }
)
HEADER = ["Kommunkod", "Rad", "Andel", "Ja", "Text", "Lista"]


def cells(path: Path) -> list[list[object]]:
    book = CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_index(0).to_python(skip_empty_area=False)


def by_xlsxwriter(frame: pl.DataFrame, header: list[str], path: Path) -> None:
    """As the portal wrote its row downloads before: a cell per call."""
    options = {"constant_memory": True, "strings_to_formulas": False,
               "strings_to_urls": False, "strings_to_numbers": False}  # fmt: skip
    workbook = xlsxwriter.Workbook(str(path), options)
    sheet = workbook.add_worksheet("Rader")
    sheet.write_row(0, 0, header, workbook.add_format({"bold": True}))
    for r, row in enumerate(frame.iter_rows(), start=1):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    workbook.close()


def test_it_reads_back_as_xlsxwriters_file(tmp_path) -> None:
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    spreadsheet.write_sheet(FRAME, HEADER, ours, "Rader")
    by_xlsxwriter(FRAME, HEADER, theirs)
    assert cells(ours) == cells(theirs)
    assert cells(ours)[1][4] == "=1+2"  # a text, not a formula (the caller neutralises it)
    assert CalamineWorkbook.from_path(str(ours)).sheet_names == ["Rader"]


def test_every_part_is_well_formed_xml_and_the_header_is_bold_and_frozen(tmp_path) -> None:
    path = tmp_path / "ut.xlsx"
    control = FRAME.with_columns(pl.lit("nolla\x00 och \x1f").alias("text"))
    spreadsheet.write_sheet(control, HEADER, path, 'Rader & "mer"')
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            ElementTree.fromstring(archive.read(name))  # raises on malformed XML
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        strings = archive.read("xl/sharedStrings.xml").decode()
    assert 'state="frozen"' in sheet
    assert '<c r="A1" s="1" t="s">' in sheet
    assert "nolla_x0000_ och _x001F_" in strings
    assert cells(path)[1][4] == "nolla\x00 och \x1f"  # read back as written
    assert "_x005F_x0041_ kvar" in strings  # a literal _xHHHH_ stays literal
    assert cells(path)[2][5] == "_x0041_ kvar"


def test_a_long_frame_is_written_in_blocks_with_progress(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(spreadsheet, "BLOCK", 1000)
    frame = pl.DataFrame({"n": range(2500), "t": [f"v{i % 7}" for i in range(2500)]})
    told: list[int] = []
    path = tmp_path / "ut.xlsx"
    spreadsheet.write_sheet(frame, ["N", "T"], path, progress=told.append)
    assert told == [1000, 2000, 2500]
    read = cells(path)
    assert len(read) == 2501
    assert read[2500] == [2499.0, "v0"]
