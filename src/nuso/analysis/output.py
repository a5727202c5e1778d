"""Writing tables: tidy long-format CSV and JSON for machines, and an Excel workbook for people
(one sheet per table, Swedish headings and labels, frozen header rows, suppressed cells shown
as "..")."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter

from nuso.core.analysis.indicators.engine import RESULT_COLUMNS
from nuso.core.analysis.indicators.inputs import StudyInput
from nuso.core.harmonise.table_definitions import TableDefinition
from nuso.intake.export import neutralise, neutralised

FORMATS = ("csv", "xlsx", "json")
SUPPRESSED_MARK = ".."
LEVEL_LABELS = {
    "kommun": "Kommun/stadsdel", "kommungrupp": "Kommungrupp", "storleksgrupp": "Kommunstorlek",
    "lan": "Län", "riket": "Riket",
}  # fmt: skip
HEADINGS = {
    "tabell": "Tabell", "niva": "Nivå", "enhet": "Enhet", "namn": "Namn", "period": "Period",
    "steg": "Steg", "faktor": "Faktor", "antal": "Antal", "total": "Totalt", "andel": "Andel",
    "ki_lag": "95 % KI, lägre", "ki_hog": "95 % KI, övre", "jamforelse": "Jämförs med",
    "p_varde": "p-värde (justerat)", "signifikant": "Statistiskt säkerställd",
    "undertryckt": "Undertryckt", "vagledning": "Vägledning", "oddskvot": "Oddskvot",
}  # fmt: skip


def long_frame(tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """Every table in one frame: the dimension columns of all tables side by side."""
    frames = [rows for rows in tables.values() if rows.height]
    if not frames:
        return pl.DataFrame(schema=["tabell", "niva", "enhet", "period", *RESULT_COLUMNS])
    combined = pl.concat(frames, how="diagonal_relaxed")
    first = ["tabell", "niva", "enhet", "period"]
    dimensions = [c for c in combined.columns if c not in (*first, *RESULT_COLUMNS)]
    return combined.select(*first, *dimensions, *RESULT_COLUMNS)


def write_tables(
    tables: Mapping[str, pl.DataFrame], study: StudyInput, path: Path, format_: str,
    min_count: int | None,
) -> int:  # fmt: skip
    """Writes the tables; returns the number of rows written."""
    definitions = study.tables_by_name
    if format_ == "csv":
        frame = long_frame(tables)
        neutralised(frame).write_csv(path, include_bom=True)
        return frame.height
    if format_ == "json":
        return _write_json(tables, definitions, path, min_count)
    return _write_xlsx(tables, study, path, min_count)


def _write_json(
    tables: Mapping[str, pl.DataFrame], definitions: Mapping[str, TableDefinition],
    path: Path, min_count: int | None,
) -> int:  # fmt: skip
    document = {
        "undertryckning": {"minsta_antal": min_count} if min_count else None,
        "tabeller": [
            {
                "namn": name, "titel": definitions[name].title,
                "dimensioner": list(_dimensions(rows)), "rader": rows.to_dicts(),
            }
            for name, rows in tables.items()
        ],
    }  # fmt: skip
    path.write_text(json.dumps(document, ensure_ascii=False, default=str), encoding="utf-8")
    return sum(rows.height for rows in tables.values())


def _dimensions(rows: pl.DataFrame) -> list[str]:
    return [
        c for c in rows.columns if c not in ("tabell", "niva", "enhet", "period", *RESULT_COLUMNS)
    ]


def _write_xlsx(
    tables: Mapping[str, pl.DataFrame], study: StudyInput, path: Path, min_count: int | None
) -> int:
    options = {"constant_memory": True, "strings_to_formulas": False,
               "strings_to_urls": False, "strings_to_numbers": False}  # fmt: skip
    workbook = xlsxwriter.Workbook(str(path), options)
    formats = {
        "title": workbook.add_format({"bold": True, "font_size": 13}),
        "heading": workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True}),
        "percent": workbook.add_format({"num_format": "0.0%"}),
        "p": workbook.add_format({"num_format": "0.000"}),
        "ratio": workbook.add_format({"num_format": "0.00"}),
        "count": workbook.add_format({"num_format": "# ##0"}),
    }
    written = 0
    for name, rows in tables.items():
        written += _sheet(workbook, formats, study.tables_by_name[name], rows, study, min_count)
    workbook.close()
    return written


def _sheet(
    workbook: Any, formats: dict[str, Any], definition: TableDefinition, rows: pl.DataFrame,
    study: StudyInput, min_count: int | None,
) -> int:  # fmt: skip
    sheet = workbook.add_worksheet(definition.name[:31])
    dimensions = _dimensions(rows)
    columns = ["niva", "enhet", "namn", "period", *dimensions, *_result_columns(definition)]
    note = (
        f"  ({SUPPRESSED_MARK} = undertryckt: färre än {min_count} eller skyddar ett sådant värde)"
        if min_count else "  (ej undertryckt: endast för analytiker)"
    )  # fmt: skip
    sheet.write(0, 0, definition.title + note, formats["title"])
    headings = [HEADINGS.get(c) or study.titles.get(c, c) for c in columns]
    sheet.write_row(1, 0, headings, formats["heading"])
    sheet.freeze_panes(2, 0)
    sheet.set_column(0, len(columns) - 1, 14)
    sheet.set_column(columns.index("vagledning") if "vagledning" in columns else 0,
                     columns.index("vagledning") if "vagledning" in columns else 0, 80)  # fmt: skip
    for r, row in enumerate(rows.iter_rows(named=True), start=2):
        row["namn"] = study.names.get((row["niva"], row["enhet"]), row["enhet"])
        if row.get("jamforelse"):
            code = row["jamforelse"]
            row["jamforelse"] = f"{study.names.get(('kommun', code), code)} ({code})"
        for c, column in enumerate(columns):
            _cell(sheet, r, c, column, row, _labels(study, definition), formats)
    return rows.height


def _labels(study: StudyInput, definition: TableDefinition) -> Mapping[str, Mapping[str, str]]:
    steps = {outcome.name: outcome.label for outcome in definition.outcomes}
    return {**study.labels, "steg": steps, "jamforelse": {}}


def _result_columns(definition: TableDefinition) -> list[str]:
    if definition.kind == "logistic":
        return ["total", "oddskvot", "ki_lag", "ki_hog", "p_varde", "signifikant"]
    columns = ["antal", "total", "andel", "ki_lag", "ki_hog"]
    if definition.compare:
        columns += ["jamforelse", "p_varde", "signifikant", "vagledning"]
    return [*columns, "undertryckt"]


def _cell(
    sheet: Any, r: int, c: int, column: str, row: dict[str, Any],
    labels: Mapping[str, Mapping[str, str]], formats: dict[str, Any],
) -> None:  # fmt: skip
    value = row.get(column)
    if column in ("antal", "total", "andel", "ki_lag", "ki_hog") and value is None:
        if row.get("undertryckt"):
            sheet.write_string(r, c, SUPPRESSED_MARK)
        return
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return
    if column == "niva":
        sheet.write_string(r, c, LEVEL_LABELS.get(value, value))
    elif column in ("andel", "ki_lag", "ki_hog") and row.get("oddskvot") is None:
        sheet.write_number(r, c, value, formats["percent"])
    elif column in ("oddskvot", "ki_lag", "ki_hog"):
        sheet.write_number(r, c, value, formats["ratio"])
    elif column == "p_varde":
        sheet.write_number(r, c, value, formats["p"])
    elif column in ("antal", "total"):
        sheet.write_number(r, c, value, formats["count"])
    elif isinstance(value, bool):
        sheet.write_string(r, c, "Ja" if value else "Nej")
    else:
        sheet.write_string(r, c, str(neutralise(labels.get(column, {}).get(value, value))))
