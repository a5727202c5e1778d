"""A fast writer of one frame as one Excel sheet (.xlsx), for row-level downloads of hundreds
of thousands of rows.

XlsxWriter writes a cell per Python call: the national referral rows (440 000 rows, 14
columns) took minutes. Here the sheet's XML is composed column-wise with Polars, a block of
rows at a time, and texts go to the shared-string table once each (they repeat: codes, file
names). Polars and zlib do the work outside the interpreter's lock, so a web worker's other
requests are not held up while a file is written in a thread of it.

The file is a plain workbook: one sheet, a bold header row, the header frozen. Texts are
written as texts (never as formulas, numbers or links: neutralising formula starts is the
caller's task, as with XlsxWriter); characters XML cannot hold are escaped as Excel escapes
them (_xHHHH_), and texts longer than Excel's cell limit are cut to it. Integers and floats
are numbers, booleans Excel's TRUE/FALSE, anything else its text.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

import polars as pl
from xlsxwriter.utility import xl_col_to_name

MAX_ROWS = 1_048_576
MAX_TEXT = 32_767  # characters in one cell
BLOCK = 50_000  # rows composed at a time: bounded memory, progress to report
NUMBERS = (pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64,
           pl.Float32, pl.Float64)  # fmt: skip
_CONTROL = re.compile(r"_x[0-9A-Fa-f]{4}_|[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

NAMESPACE = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def write_sheet(
    frame: pl.DataFrame,
    header: list[str],
    path: Path,
    sheet: str = "Blad1",
    progress: Callable[[int], None] | None = None,
) -> None:
    """`frame` as the sheet `sheet` of a new workbook at `path`, under the header row
    `header` (one text per column); `progress` is told the rows written so far."""
    if frame.height + 1 > MAX_ROWS:
        raise ValueError(f"{frame.height} rader ryms inte på ett Excelblad.")
    if len(header) != frame.width:
        raise ValueError("En rubrik per kolumn.")
    texts = _texts(frame, header)
    table = pl.Series(texts, dtype=pl.String)
    kind = pl.Enum(table)
    letters = [xl_col_to_name(index) for index in range(frame.width)]
    position = {text: index for index, text in enumerate(texts)}
    heading = "".join(f'<c r="{letter}1" s="1" t="s"><v>{position[label]}</v></c>'
                      for letter, label in zip(letters, header, strict=True))  # fmt: skip
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in _parts(sheet).items():
            archive.writestr(name, content)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(_sheet_start(frame.width, frame.height).encode())
            out.write(f'<row r="1">{heading}</row>'.encode())
            for start in range(0, frame.height, BLOCK):
                block = frame.slice(start, BLOCK)
                out.write(_rows(block, start + 2, letters, kind).encode())
                if progress is not None:
                    progress(start + block.height)
            out.write(b"</sheetData><pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" "
                      b"bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></worksheet>")  # fmt: skip
        archive.writestr("xl/sharedStrings.xml", _shared_strings(texts))


def _texts(frame: pl.DataFrame, header: list[str]) -> list[str]:
    """Every distinct text of the sheet, the header's first (in column order)."""
    texts = dict.fromkeys(header)
    for name, kind in frame.schema.items():
        if _is_text(kind):
            column = frame.get_column(name)
            column = column if kind == pl.String else column.cast(pl.String)
            texts.update(dict.fromkeys(column.drop_nulls().unique(maintain_order=True)))
    if "" not in header:
        texts.pop("", None)  # an empty text is an empty cell, as XlsxWriter writes it
    return list(texts)


def _is_text(kind: pl.DataType) -> bool:
    return not isinstance(kind, NUMBERS) and kind != pl.Boolean


def _rows(block: pl.DataFrame, first_row: int, letters: list[str], kind: pl.Enum) -> str:
    number = pl.int_range(first_row, first_row + block.height, eager=False).cast(pl.String)
    cells = [_cell(name, block.schema[name], letter, number, kind)
             for name, letter in zip(block.columns, letters, strict=True)]  # fmt: skip
    rows = block.select(
        pl.concat_str([pl.lit('<row r="'), number, pl.lit('">'), *cells, pl.lit("</row>")])
    )
    return str(rows.to_series().str.join("").item())


def _cell(name: str, kind: pl.DataType, letter: str, number: pl.Expr, texts: pl.Enum) -> pl.Expr:
    """A column's cells: a shared text's position, a number, TRUE/FALSE; nothing for null."""
    column = pl.col(name)
    if isinstance(kind, NUMBERS):
        kind_attribute, value = "", column.cast(pl.String)
    elif kind == pl.Boolean:
        kind_attribute, value = ' t="b"', column.cast(pl.UInt8).cast(pl.String)
    else:
        text = column if kind == pl.String else column.cast(pl.String)
        text = pl.when(text != "").then(text)  # an empty text: no cell
        kind_attribute, value = ' t="s"', text.cast(texts).to_physical().cast(pl.String)
    start, middle = pl.lit(f'<c r="{letter}'), pl.lit(f'"{kind_attribute}><v>')
    cell = pl.concat_str([start, number, middle, value, pl.lit("</v></c>")])
    return cell.fill_null("")


def _escaped(text: str) -> str:
    """A text as shared-string XML holds it: cut to a cell's limit, control characters (and
    a literal _xHHHH_, which Excel would read as one) escaped as Excel does."""
    text = text[:MAX_TEXT]
    text = _CONTROL.sub(lambda m: "_x005F" + m[0] if len(m[0]) > 1 else f"_x{ord(m[0]):04X}_", text)
    return escape(text)


def _shared_strings(texts: list[str]) -> str:
    items = "".join(f'<si><t xml:space="preserve">{_escaped(t)}</t></si>' for t in texts)
    count = len(texts)
    return f'{HEAD}<sst xmlns="{NAMESPACE}" count="{count}" uniqueCount="{count}">{items}</sst>'


def _sheet_start(width: int, height: int) -> str:
    last = f"{xl_col_to_name(max(width, 1) - 1)}{height + 1}"
    pane = ('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>')  # fmt: skip
    return (
        f'{HEAD}<worksheet xmlns="{NAMESPACE}" xmlns:r="{RELATIONS}">'
        f'<dimension ref="A1:{last}"/><sheetViews><sheetView tabSelected="1" workbookViewId="0">'
        f'{pane}</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData>'
    )


def _parts(sheet: str) -> dict[str, str]:
    """The workbook's other parts: what a one-sheet workbook with a bold style needs."""
    office = "http://schemas.openxmlformats.org/officeDocument/2006"
    return {
        "[Content_Types].xml": (
            f'{HEAD}<Types xmlns="{PACKAGE}/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'{HEAD}<Relationships xmlns="{PACKAGE}/relationships">'
            f'<Relationship Id="rId1" Type="{office}/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'{HEAD}<workbook xmlns="{NAMESPACE}" xmlns:r="{RELATIONS}"><bookViews>'
            "<workbookView/></bookViews><sheets>"
            f'<sheet name="{escape(sheet, {chr(34): "&quot;"})}" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{HEAD}<Relationships xmlns="{PACKAGE}/relationships">'
            f'<Relationship Id="rId1" Type="{office}/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{office}/relationships/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId3" Type="{office}/relationships/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/styles.xml": (
            f'{HEAD}<styleSheet xmlns="{NAMESPACE}">'
            '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
            "</cellXfs>"
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        ),
    }
